"""Organisers' care of free text: the written answers of an event listed one by one, and deleting one that names
a person or should not be kept. A deleted answer is blanked and marked with when and by whom (the row stays, so
the record says an answer was removed); it leaves the results and the CSV exports."""

from __future__ import annotations

from dataclasses import dataclass

from events_app.core.crud import not_found
from events_app.core.database import write_transaction
from events_app.core.timezones import utc_now
from events_app.feedback import forms, schemas
from events_app.feedback.rows import FormRow
from events_app.feedback.tables import FeedbackAnswer
from events_app.people.tables import StakeholderGroup
from events_app.programme.rows import EventRow


@dataclass(frozen=True, slots=True)
class TextAnswer:
    id: int
    question: int
    group: str  # the stakeholder group's name
    text: str
    open_link: bool  # given through the open link


async def text_answers(form: FormRow, *, include_open_link: bool = True) -> dict[int, list[TextAnswer]]:
    """The written answers not removed, by question id, oldest first."""
    rows = (
        await FeedbackAnswer.select(
            FeedbackAnswer.id,
            FeedbackAnswer.question,
            FeedbackAnswer.text,
            FeedbackAnswer.response.stakeholder_group.as_alias("group"),
            FeedbackAnswer.response.source.as_alias("source"),
        )
        .where(
            (FeedbackAnswer.response.form == form.id)
            & (FeedbackAnswer.question.kind == "text")
            & FeedbackAnswer.removed_at.is_null()
            & (FeedbackAnswer.text != "")
        )
        .order_by(FeedbackAnswer.id)
    )
    names = {g["id"]: g["name"] for g in await StakeholderGroup.select(StakeholderGroup.id, StakeholderGroup.name)}
    found: dict[int, list[TextAnswer]] = {}
    for r in rows:
        if r["source"] == "open" and not include_open_link:
            continue
        found.setdefault(r["question"], []).append(
            TextAnswer(
                id=r["id"],
                question=r["question"],
                group=names.get(r["group"], ""),
                text=r["text"],
                open_link=r["source"] == "open",
            )
        )
    return found


async def remove_text_answer(event: EventRow, answer_id: int, organiser_id: int | None) -> schemas.AnswerRemoved:
    """Delete one written answer of this event's form (404 for any other answer, or one already removed)."""
    form = await forms.form_of(event)
    async with write_transaction():
        found = (
            await FeedbackAnswer.select(FeedbackAnswer.id)
            .where(
                (FeedbackAnswer.id == answer_id)
                & (FeedbackAnswer.response.form == form.id)
                & (FeedbackAnswer.question.kind == "text")
                & FeedbackAnswer.removed_at.is_null()
            )
            .first()
        )
        if found is None:
            raise not_found("answer", answer_id)
        await FeedbackAnswer.update(
            {FeedbackAnswer.text: "", FeedbackAnswer.removed_at: utc_now(), FeedbackAnswer.removed_by: organiser_id}
        ).where(FeedbackAnswer.id == answer_id)
    return schemas.AnswerRemoved(id=answer_id, message="The answer is deleted: it no longer appears anywhere.")
