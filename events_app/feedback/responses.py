"""Answering a feedback form: from the emailed link (signed; one response per delegate, editable until the form
closes; tied to the registration's stakeholder group, and to the registration itself on named forms only) or
from the open link (for people who did not register; they say which stakeholder group they speak for; one answer
per browser; the organisers can close it).

Anonymous means anonymous: who has answered is marked on the registration (`feedback_given_to`), apart from the
response, and the response holds only a random key that the delegate's browser alone keeps (a cookie) to change
the answers later. Nothing stored, with or without SECRET_KEY, leads from an anonymous response to a person."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from datetime import datetime

from piccolo.custom_types import Combinable

from events_app.checkin.attended import who_attended
from events_app.core import database, tokens
from events_app.core.calendar_links import absolute, mail_url
from events_app.core.database import write_transaction
from events_app.core.errors import UnknownQuestion
from events_app.core.timezones import in_zone, utc_now
from events_app.feedback import forms, marks, schemas
from events_app.feedback.errors import (
    AnsweredAlready,
    AnsweredFromThisBrowser,
    ChooseFromAnswers,
    FeedbackAnswerRequired,
    FeedbackLinkInvalid,
    FormClosed,
    NoSuchForm,
    NotAnAnswer,
    OpenLinkClosed,
    RatingOutOfRange,
    SectorRequired,
    TextAnswerNeeded,
    YesOrNoNeeded,
)
from events_app.feedback.rows import AnswerDraft, FormRow, LinkedRegistration, ResponseRow, ResponseSource
from events_app.feedback.tables import FeedbackAnswer, FeedbackForm, FeedbackResponse
from events_app.people.errors import UnknownStakeholderGroup
from events_app.people.tables import StakeholderGroup
from events_app.programme.rows import EventRow
from events_app.programme.tables import Event
from events_app.registration import schedule
from events_app.registration.tables import Registration

LINK = "feedback"
LINK_MAX_AGE = 120 * 24 * 3600


def link_path(form_id: int, registration_id: int) -> str:
    return "/feedback/" + tokens.sign(LINK, [form_id, registration_id])


def new_key() -> str:
    """A response's key: 256 random bits, derived from nothing."""
    return secrets.token_hex(32)


def _closed_message(form: FormRow, timezone: str) -> str:
    now = utc_now()
    if form.opens_at is not None and now < form.opens_at:
        return f"This form opens on {in_zone(form.opens_at, timezone).strftime('%A %-d %B at %H:%M')}."
    when = in_zone(form.closes_at, timezone).strftime("%A %-d %B at %H:%M") if form.closes_at else ""
    return f"This form closed on {when}. Thank you for your interest." if when else "This form is closed."


async def _form(form_id: int) -> tuple[FormRow, EventRow]:
    form = await FeedbackForm.select().where(FeedbackForm.id == form_id).first()
    if form is None or form["event"] is None:
        raise NoSuchForm()
    event = await Event.select().where(Event.id == form["event"]).first()
    assert event is not None
    return FormRow.of(form), EventRow.of(event)


async def from_link(token: str) -> tuple[FormRow, EventRow, LinkedRegistration]:
    """(form, event, registration) of an emailed link; a forged or reused-elsewhere link, or the link of a person
    whose data was erased, is a plain 404."""
    try:
        form_id, registration_id = tokens.unsign(LINK, token, max_age_seconds=LINK_MAX_AGE)
        form_id, registration_id = int(form_id), int(registration_id)
    except (tokens.InvalidToken, TypeError, ValueError):
        raise FeedbackLinkInvalid() from None
    form, event = await _form(form_id)
    registration = (
        await Registration.select(
            Registration.id,
            Registration.event,
            Registration.delegate,
            Registration.stakeholder_group,
            Registration.delegate.stakeholder_group.as_alias("delegate_group"),
            Registration.delegate.erased_at.as_alias("erased_at"),
        )
        .where(Registration.id == registration_id)
        .first()
    )
    if registration is None or registration["event"] != event.id or registration["erased_at"] is not None:
        raise FeedbackLinkInvalid()
    return (
        form,
        event,
        LinkedRegistration(
            id=registration["id"],
            delegate=registration["delegate"],
            stakeholder_group=registration["stakeholder_group"] or registration["delegate_group"],
        ),
    )


async def from_open_link(open_token: str) -> tuple[FormRow, EventRow]:
    form = await FeedbackForm.select(FeedbackForm.id).where(FeedbackForm.open_token == open_token).first()
    if form is None:
        raise NoSuchForm()
    return await _form(form["id"])


def open_link_closed(form: FormRow) -> bool:
    return form.open_link_closed_at is not None


def _rating(question: schemas.Question, value: object, field: str, row: AnswerDraft) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise RatingOutOfRange(label=question.label, field=field)
    row.number = value


def _yes_no(question: schemas.Question, value: object, field: str, row: AnswerDraft) -> None:
    if not isinstance(value, bool):
        raise YesOrNoNeeded(label=question.label, field=field)
    row.number = int(value)


def _single(question: schemas.Question, value: object, field: str, row: AnswerDraft) -> None:
    if not isinstance(value, str) or value not in question.options:
        raise NotAnAnswer(value=value, label=question.label, field=field)
    row.text = value


def _multiple(question: schemas.Question, value: object, field: str, row: AnswerDraft) -> None:
    if not isinstance(value, list) or any(c not in question.options for c in value):
        raise ChooseFromAnswers(label=question.label, field=field)
    row.choices = json.dumps(list(dict.fromkeys(value)))


def _text(question: schemas.Question, value: object, field: str, row: AnswerDraft) -> None:
    if not isinstance(value, str):
        raise TextAnswerNeeded(label=question.label, field=field)
    row.text = value.strip()


_CHECKS: dict[schemas.QuestionKind, Callable[[schemas.Question, object, str, AnswerDraft], None]] = {
    "rating": _rating,
    "yes_no": _yes_no,
    "single": _single,
    "multiple": _multiple,
    "text": _text,
}


def _checked_answers(questions: list[schemas.Question], answers: dict[str, schemas.Answer]) -> list[AnswerDraft]:
    """Every answer checked against its question; the first problem is a 422 naming `answers.<id>`."""
    known = {str(q.id): q for q in questions}
    for key in answers:
        if key not in known:
            raise UnknownQuestion(key=key, field=f"answers.{key}")
    rows = []
    for key, question in known.items():
        value, field = answers.get(key), f"answers.{key}"
        if value is None or value in ("", []):
            if question.required:
                raise FeedbackAnswerRequired(label=question.label, field=field)
            continue
        row = AnswerDraft(question=question.id)
        _CHECKS[question.kind](question, value, field, row)
        rows.append(row)
    return rows


async def _save(
    form: FormRow,
    *,
    existing: int | None,
    registration_id: int | None,
    group_id: int,
    source: ResponseSource,
    rows: list[AnswerDraft],
) -> ResponseRow:
    """Write a new response, or replace the answers of `existing`; call inside the caller's transaction."""
    now = utc_now()
    if existing is not None:
        response_id = existing
        # Answers to retired questions stay: the form no longer asks them, so they cannot be given again.
        asked = [q.id for q in await forms.questions_of(form.id)]
        await FeedbackAnswer.delete().where(
            (FeedbackAnswer.response == response_id) & FeedbackAnswer.question.is_in(asked or [0])
        )
        await FeedbackResponse.update({FeedbackResponse.updated_at: now}).where(FeedbackResponse.id == response_id)
    else:
        inserted = await FeedbackResponse.insert(
            FeedbackResponse(
                form=form.id,
                registration=registration_id,
                stakeholder_group=group_id,
                respondent_key=new_key(),
                source=source,
                submitted_at=now,
                updated_at=now,
            )
        ).returning(FeedbackResponse.id)
        response_id = inserted[0]["id"]
    if rows:
        await FeedbackAnswer.insert(
            *[
                FeedbackAnswer(
                    response=response_id, question=r.question, number=r.number, text=r.text, choices=r.choices
                )
                for r in rows
            ]
        )
    row = await FeedbackResponse.select().where(FeedbackResponse.id == response_id).first()
    assert row is not None
    return ResponseRow.of(row)


async def answers_of(response_id: int) -> dict[str, schemas.AnswerOut]:
    """The answers of one response by question id, as the form shows them again."""
    rows = await FeedbackAnswer.select().where(FeedbackAnswer.response == response_id)
    questions = {
        q["id"]: q["kind"]
        for q in await FeedbackAnswer.select(
            FeedbackAnswer.question.id.as_alias("id"), FeedbackAnswer.question.kind.as_alias("kind")
        ).where(FeedbackAnswer.response == response_id)
    }
    found: dict[str, schemas.AnswerOut] = {}
    for r in rows:
        kind = questions.get(r["question"])
        if kind == "rating":
            found[str(r["question"])] = r["number"]
        elif kind == "yes_no":
            found[str(r["question"])] = bool(r["number"])
        elif kind == "multiple":
            found[str(r["question"])] = json.loads(r["choices"]) if isinstance(r["choices"], str) else r["choices"]
        else:
            found[str(r["question"])] = r["text"]
    return found


async def _out(response: ResponseRow, form: FormRow, message: str) -> schemas.ResponseOut:
    group = (
        await StakeholderGroup.select(StakeholderGroup.slug)
        .where(StakeholderGroup.id == response.stakeholder_group)
        .first()
    )
    return schemas.ResponseOut(
        id=response.id,
        form_id=form.id,
        stakeholder_group=group["slug"] if group else "",
        submitted_at=response.submitted_at,
        updated_at=response.updated_at,
        answers=await answers_of(response.id),
        editable_until=form.closes_at,
        message=message,
    )


async def _their_response(form: FormRow, registration_id: int, edit_key: str | None) -> int | None:
    """The delegate's own response: by their registration on a named form; on an anonymous form only by the
    random key their browser holds (nothing else leads to it)."""
    if form.anonymous:
        if not edit_key or len(edit_key) > 64:
            return None
        where: Combinable = (FeedbackResponse.respondent_key == edit_key) & FeedbackResponse.registration.is_null()
    else:
        where = FeedbackResponse.registration == registration_id
    row = await FeedbackResponse.select(FeedbackResponse.id).where((FeedbackResponse.form == form.id) & where).first()
    return int(row["id"]) if row else None


async def existing_answers(token: str, edit_key: str | None = None) -> dict[str, schemas.AnswerOut]:
    form, _, registration = await from_link(token)
    response_id = await _their_response(form, registration.id, edit_key)
    return await answers_of(response_id) if response_id is not None else {}


async def submit_linked(token: str, data: schemas.ResponseIn, edit_key: str | None = None) -> schemas.ResponseOut:
    """One response per registration. On an anonymous form the answers can be changed only with the key handed
    back the first time (`edit_key`, kept in the delegate's browser)."""
    form, event, registration = await from_link(token)
    if not forms.is_open(form):
        raise FormClosed(_closed_message(form, event.timezone))
    rows = _checked_answers(await forms.questions_of(form.id), data.answers)
    async with write_transaction():
        marker = await database.locked(
            Registration.select(Registration.feedback_given_to).where(Registration.id == registration.id)
        ).first()
        existing = await _their_response(form, registration.id, edit_key)
        if existing is None and marker is not None and marker["feedback_given_to"] == form.id:
            raise AnsweredAlready()
        response = await _save(
            form,
            existing=existing,
            registration_id=None if form.anonymous else registration.id,
            # The group the registration was made as: the response counts where the person was counted at the door.
            group_id=registration.stakeholder_group,
            source="link",
            rows=rows,
        )
        # Marked on the registration, never on the response; `updated_at` stays, so no time ties the two.
        await Registration.update({Registration.feedback_given_to: form.id}).where(Registration.id == registration.id)
    message = "Your answers are updated. Thank you." if existing else "Thank you: your feedback is saved."
    out = await _out(response, form, message)
    if form.anonymous:
        out.edit_key = response.respondent_key
    return out


async def submit_open(
    open_token: str, data: schemas.ResponseIn, browser_mark: str | None = None
) -> schemas.ResponseOut:
    """An answer from the open link: refused once the organisers close the link, and from a browser whose
    cookie (`browser_mark`) says it has answered already."""
    form, event = await from_open_link(open_token)
    if not forms.is_open(form):
        raise FormClosed(_closed_message(form, event.timezone))
    if open_link_closed(form):
        raise OpenLinkClosed()
    if marks.answered_here(form.id, browser_mark):
        raise AnsweredFromThisBrowser()
    if not data.stakeholder_group:
        raise SectorRequired()
    group = (
        await StakeholderGroup.select(StakeholderGroup.id)
        .where(StakeholderGroup.slug == data.stakeholder_group)
        .first()
    )
    if group is None:
        raise UnknownStakeholderGroup(slug=data.stakeholder_group)
    rows = _checked_answers(await forms.questions_of(form.id), data.answers)
    async with write_transaction():
        response = await _save(
            form, existing=None, registration_id=None, group_id=group["id"], source="open", rows=rows
        )
    return await _out(response, form, "Thank you: your feedback is saved.")


async def links_for_event(event_id: int, made_by: datetime | None = None) -> dict[int, str] | None:
    """For the feedback requests: a link per delegate who attended, in person or online, when the event has a
    form that is open (and was made by `made_by`, if given). Where nobody was checked in at the door, every
    confirmed in-person place is asked too (the door may not have scanned); an online place is asked only when its
    delegate joined, since every join is recorded."""
    found = await FeedbackForm.select().where(FeedbackForm.event == event_id).first()
    if found is None or not forms.is_open(form := FormRow.of(found)):
        return None
    if made_by is not None and form.created_at > made_by:
        return None
    attended = await who_attended(event_id)
    came = attended.either
    confirmed = await Registration.select(
        Registration.id, Registration.attendance_mode, Registration.event.attendance_mode.as_alias("event_mode")
    ).where((Registration.event == event_id) & (Registration.status == "confirmed"))

    def asked(row: dict[str, object]) -> bool:
        if row["id"] in came:
            return True
        in_person_place = row["event_mode"] != "online" and row["attendance_mode"] != "online"
        return in_person_place and not attended.in_person

    ids = [r["id"] for r in confirmed if asked(r)]
    return {i: absolute(link_path(form.id, i), mail_url()) for i in ids}  # these links are emailed


def closes_label(form: FormRow, timezone: str) -> str:
    return in_zone(form.closes_at, timezone).strftime("%A %-d %B at %H:%M") if form.closes_at else ""


schedule.feedback_links.append(links_for_event)
