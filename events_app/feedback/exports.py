"""CSV exports of feedback (UTF-8 with BOM, for Excel): raw responses, and the summary by group."""

from __future__ import annotations

import json
from typing import Any

from events_app.core.csv_export import csv_bytes
from events_app.feedback import forms
from events_app.feedback.results import event_results, groups, percent
from events_app.feedback.schemas import Question, Tally
from events_app.feedback.tables import FeedbackAnswer, FeedbackResponse
from events_app.programme.rows import EventRow


async def responses_csv(event: EventRow) -> bytes:
    """One row per response: when, the stakeholder group, then one column per question. No names."""
    form = await forms.form_of(event)
    questions = await forms.questions_of(form.id, include_retired=True)
    group_names = {g.id: g.name for g in await groups()}
    responses = await FeedbackResponse.select().where(FeedbackResponse.form == form.id).order_by(FeedbackResponse.id)
    answers = (
        await FeedbackAnswer.select().where(
            FeedbackAnswer.response.is_in([r["id"] for r in responses]) & FeedbackAnswer.removed_at.is_null()
        )
        if responses
        else []
    )
    by_response: dict[int, dict[int, Any]] = {}
    kinds = {q.id: q.kind for q in questions}
    for a in answers:
        kind = kinds.get(a["question"])
        if kind in ("rating",):
            value: Any = a["number"]
        elif kind == "yes_no":
            value = "yes" if a["number"] else "no"
        elif kind == "multiple":
            value = "; ".join(json.loads(a["choices"]) if isinstance(a["choices"], str) else a["choices"])
        else:
            value = a["text"]
        by_response.setdefault(a["response"], {})[a["question"]] = value
    header = ["Response", "Submitted at (UTC)", "Stakeholder group", *[_heading(q) for q in questions]]
    rows: list[list[Any]] = []
    for r in responses:
        given = by_response.get(r["id"], {})
        rows.append(
            [
                r["id"],
                r["submitted_at"].strftime("%Y-%m-%d %H:%M"),
                group_names.get(r["stakeholder_group"], ""),
                *[given.get(q.id, "") for q in questions],
            ]
        )
    return csv_bytes(header, rows)


def _heading(question: Question) -> str:
    """A question's column: its wording, marked when it has left the form (its answers are still here)."""
    return f"{question.label} (retired)" if question.retired_at is not None else question.label


def _mean_or_share(kind: str, part: Tally) -> str | float:
    """A rating's mean (3.5), or a yes/no question's share of yes as people read it (71%), never 0.71."""
    if kind == "yes_no":
        return f"{part.percent_yes}%" if part.percent_yes is not None else ""
    return part.mean if kind == "rating" and part.mean is not None else ""  # choices have no mean


async def summary_csv(event: EventRow) -> bytes:
    """Per question and group: count, mean (ratings; share of yes for yes/no), and each answer's count."""
    result = await event_results(event)
    header = ["Question", "Stakeholder group", "Answers", "Mean (yes/no: share yes)", "Distribution"]
    rows: list[list[Any]] = []
    for q in result.questions:
        if q.kind == "text":
            continue
        parts: list[tuple[str, Tally]] = [("Everyone", q.overall), *[(g.name, g) for g in q.by_group]]
        for name, part in parts:
            distribution = "; ".join(f"{k}: {v}" for k, v in part.distribution.items())
            rows.append([q.label, name, part.count, _mean_or_share(q.kind, part), distribution])
    for rate in result.rates:
        rows.append(
            [
                "Response rate",
                rate.name,
                rate.responses,
                f"{percent(rate.rate, 1)}%" if rate.rate is not None else "",
                f"attended: {rate.attended} ({rate.checked_in} in person, {rate.online} online)",
            ]
        )
    return csv_bytes(header, rows)
