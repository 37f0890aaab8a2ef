"""A posted submission form as the values SubmissionIn takes (speakers in rows, answers by question), and a
stored submission as the form shows it again. Works without JavaScript: four speaker rows, blank ones skipped."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar.datastructures import FormMultiDict

from events_app.core.validation import FieldError
from events_app.hub.calls import schemas
from events_app.registration import schemas as question_schemas
from events_app.registration.questions import answers_from_form

SPEAKER_ROWS = 4
SPEAKER_PARTS = ("name", "email", "organisation")
FIELD_LABELS = {
    "name": "Your name",
    "email": "Email address",
    "organisation_name": "Organisation",
    "title": "Title",
    "summary": "Summary",
    "session_kind": "Kind of session",
    "speakers": "Speakers",
    "score": "Score",
    "comment": "Comment",
    "kind": "Kind of call",
    "event_id": "Event",
    "status": "Status",
    "opens_at": "Opens",
    "closes_at": "Closes",
    "description": "Description",
    "slug": "Address (slug)",
}
FORM_ORDER = ["name", "email", "organisation_name", "title", "session_kind", "summary", "speakers", "answers"]
SESSION_KINDS = (("talk", "Talk"), ("workshop", "Workshop"), ("panel", "Panel discussion"), ("keynote", "Keynote"))


# Untyped on purpose: a form's raw values before core.validation.check names every wrong one
def submission_values(form: FormMultiDict, questions: list[question_schemas.Question]) -> dict[str, Any]:
    def text(name: str, limit: int = 6000) -> str:
        return str(form.get(name, "") or "").strip()[:limit]

    values: dict[str, Any] = {
        "name": text("name", 300),
        "email": text("email", 300),
        "organisation_name": text("organisation_name", 300),
        "title": text("title", 300),
        "summary": text("summary"),
        "speakers": [],
        "answers": {},
    }
    if form.get("session_kind"):
        values["session_kind"] = text("session_kind", 40)
    for i in range(SPEAKER_ROWS):
        row = {part: text(f"speakers.{i}.{part}", 300) for part in SPEAKER_PARTS}
        if any(row.values()):
            values["speakers"].append(row)
    values["answers"] = answers_from_form(form, questions, text)
    return values


def shown(values: Mapping[str, Any]) -> dict[str, Any]:
    """What the form shows: single fields by name, speaker rows as `speakers.<i>.<part>`, answers as they are."""
    flat: dict[str, Any] = {k: v for k, v in values.items() if isinstance(v, str)}
    for i, row in enumerate(values.get("speakers") or []):
        for part in SPEAKER_PARTS:
            flat[f"speakers.{i}.{part}"] = row.get(part, "") if isinstance(row, dict) else getattr(row, part, "")
    flat["answers"] = values.get("answers") or {}
    return flat


def of_submission(submission: schemas.Submission) -> dict[str, Any]:
    return shown(
        {
            "name": submission.name,
            "email": submission.email,
            "organisation_name": submission.organisation_name,
            "title": submission.title,
            "summary": submission.summary,
            "session_kind": submission.session_kind,
            "speakers": submission.speakers,
            "answers": submission.answers,
        }
    )


def in_form_order(errors: list[FieldError]) -> list[FieldError]:
    def position(error: FieldError) -> int:
        top = error.field.split(".", 1)[0]
        return FORM_ORDER.index(top) if top in FORM_ORDER else len(FORM_ORDER)

    return sorted(errors, key=position)
