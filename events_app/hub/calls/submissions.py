"""Submitting to a call, confirming the address by its link, and changing the submission by its own link until
the call closes. Everyone who submits is told the same thing (check your inbox): an answer never says whether
an address has submitted before."""

from __future__ import annotations

import json

from events_app.core import tokens
from events_app.core.crud import not_found
from events_app.core.database import write_transaction
from events_app.core.rows import Row, Values
from events_app.core.timezones import utc_now
from events_app.hub.calls import notify, schemas, services
from events_app.hub.calls.errors import (
    CallClosedForEdits,
    CallNotOpen,
    LinkInvalid,
    SessionKindRequired,
    SubmissionDecided,
)
from events_app.hub.calls.tables import Submission
from events_app.mail import outbox
from events_app.registration import questions as registration_questions

EDITABLE = ("unconfirmed", "submitted", "waiting")


def _loaded(value: object, empty: object) -> object:
    return json.loads(value) if isinstance(value, str) else (value if value is not None else empty)


def submission_of(row: Row, call_slug: str) -> schemas.Submission:
    speakers = _loaded(row["speakers"], [])
    answers = _loaded(row["answers"], {})
    return schemas.Submission(
        id=row["id"],
        call=call_slug,
        status=row["status"],
        email=row["email"],
        name=row["name"],
        organisation_name=row["organisation_name"],
        title=row["title"],
        summary=row["summary"],
        session_kind=row["session_kind"],
        speakers=[schemas.SubmissionSpeaker(**s) for s in speakers] if isinstance(speakers, list) else [],
        answers=answers if isinstance(answers, dict) else {},
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        decided_at=row["decided_at"],
        session_id=row["session"],
        resource_id=row["resource"],
    )


def why_not_open(call: schemas.Call) -> str:
    if call.status == "closed" or (call.closes_at is not None and call.closes_at <= utc_now()):
        return "it has closed"
    if call.opens_at is not None and call.opens_at > utc_now():
        return f"it opens on {call.opens_at:%d %B %Y at %H:%M} ({call.timezone})"
    return "it is not open"


async def _checked(call: schemas.Call, data: schemas.SubmissionIn) -> Values:
    """The values to store, every rule checked: answers as registration checks them."""
    if call.kind == "sessions" and data.session_kind is None:
        raise SessionKindRequired()
    answers = registration_questions.checked_answers(await services.list_questions(call.id), data.answers)
    return {
        "name": " ".join(data.name.split()),
        "email": data.email,
        "organisation_name": data.organisation_name.strip(),
        "title": data.title.strip(),
        "summary": data.summary.strip(),
        "session_kind": (data.session_kind or "") if call.kind == "sessions" else "",
        "speakers": json.dumps(
            [{"name": s.name.strip(), "email": s.email, "organisation": s.organisation.strip()} for s in data.speakers]
        ),
        "answers": json.dumps(answers),
    }


async def submit(call: schemas.Call, data: schemas.SubmissionIn) -> None:
    """A new submission, unconfirmed until its address is, and the email with its links. Returns nothing: the
    submitter learns only to look in their inbox."""
    if not call.takes_submissions:
        raise CallNotOpen(why=why_not_open(call))
    values = await _checked(call, data)
    now = utc_now()
    async with write_transaction():
        row = Submission(call=call.id, status="unconfirmed", created_at=now, updated_at=now, **values)
        await row.save()
        await notify.received(call, int(row.id), name=data.name, email=data.email, title=data.title)
    outbox.wake_sender()


def _id_of(purpose: str, token: str, max_age: int) -> int:
    try:
        return int(tokens.unsign(purpose, token, max_age_seconds=max_age))
    except (tokens.InvalidToken, TypeError, ValueError):
        raise LinkInvalid() from None


async def _row(call: schemas.Call, submission_id: int) -> Row:
    row = await Submission.select().where((Submission.id == submission_id) & (Submission.call == call.id)).first()
    if row is None:
        raise LinkInvalid()
    return row


async def confirm(call: schemas.Call, token: str) -> tuple[schemas.Submission, str]:
    """The address is confirmed: the submission is in (a second click changes nothing). With its edit link."""
    submission_id = _id_of(notify.CONFIRM, token, notify.CONFIRM_VALID_SECONDS)
    await _row(call, submission_id)
    now = utc_now()
    await Submission.update(
        {Submission.status: "submitted", Submission.email_confirmed_at: now, Submission.updated_at: now}
    ).where((Submission.id == submission_id) & (Submission.status == "unconfirmed"))
    return submission_of(await _row(call, submission_id), call.slug), notify.edit_path(call.slug, submission_id)


async def by_edit_link(call: schemas.Call, token: str) -> schemas.Submission:
    return submission_of(await _row(call, _id_of(notify.EDIT, token, notify.EDIT_VALID_SECONDS)), call.slug)


def can_change(call: schemas.Call, submission: schemas.Submission) -> bool:
    return call.takes_submissions and submission.status in EDITABLE


async def change(call: schemas.Call, token: str, data: schemas.SubmissionIn) -> schemas.Submission:
    """The submitter's change, while the call is open and nothing is decided. Following the edit link proves the
    address, so an unconfirmed submission is confirmed by it too."""
    current = await by_edit_link(call, token)
    if not call.takes_submissions:
        raise CallClosedForEdits()
    if current.status not in EDITABLE:
        raise SubmissionDecided(status=current.status)
    values = await _checked(call, data)
    values["email"] = current.email  # the address the links went to stays the submission's
    now = utc_now()
    async with write_transaction():
        status = "submitted" if current.status == "unconfirmed" else current.status
        await Submission.update({**values, "status": status, "updated_at": now}).where(
            (Submission.id == current.id) & Submission.status.is_in(list(EDITABLE))
        )
        if current.status == "unconfirmed":
            await Submission.update({Submission.email_confirmed_at: now}).where(Submission.id == current.id)
    return submission_of(await _row(call, current.id), call.slug)


async def get_submission(call: schemas.Call, submission_id: int) -> schemas.Submission:
    row = await Submission.select().where((Submission.id == submission_id) & (Submission.call == call.id)).first()
    if row is None:
        raise not_found("submission", submission_id)
    return submission_of(row, call.slug)
