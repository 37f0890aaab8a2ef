"""Calls and their own questions: every write of a call goes through here (pages, demo). A call for sessions
belongs to an event, and a scoped organiser sees only the calls of their events (accounts/scopes.py); a call for
examples belongs to the hub and is for unscoped accounts."""

from __future__ import annotations

import json
from datetime import datetime

from piccolo.custom_types import Combinable

from events_app.accounts import scopes
from events_app.core.crud import changes_of, not_found, unique_slug
from events_app.core.database import write_transaction
from events_app.core.ordering import moved
from events_app.core.rows import Row, Values
from events_app.core.timezones import in_zone, to_utc, utc_now, zone
from events_app.hub.calls import schemas
from events_app.hub.calls.errors import (
    CallNeedsEvent,
    CallTakesNoEvent,
    ClosesBeforeOpens,
    ExamplesCallNeedsWholeNetwork,
)
from events_app.hub.calls.tables import Call, CallQuestion, Submission
from events_app.programme.tables import Event
from events_app.registration import questions as registration_questions
from events_app.registration import schemas as question_schemas

DEFAULT_ZONE = "Europe/London"
_COLUMNS = (
    *Call.all_columns(),
    Call.event.slug.as_alias("event_slug"),
    Call.event.title.as_alias("event_title"),
    Call.event.timezone.as_alias("event_timezone"),
)


def takes_submissions(status: str, opens_at: datetime | None, closes_at: datetime | None, now: datetime) -> bool:
    """The one rule of "open": marked open, past its opening and before its closing time."""
    return status == "open" and (opens_at is None or opens_at <= now) and (closes_at is None or now < closes_at)


def _call(row: Row, now: datetime | None = None) -> schemas.Call:
    tz = row["event_timezone"] or DEFAULT_ZONE
    opens, closes = row["opens_at"], row["closes_at"]
    return schemas.Call(
        id=row["id"],
        slug=row["slug"],
        kind=row["kind"],
        title=row["title"],
        description=row["description"],
        event_id=row["event"],
        event_slug=row["event_slug"],
        event_title=row["event_title"],
        timezone=tz,
        status=row["status"],
        opens_at=in_zone(opens, tz) if opens else None,
        closes_at=in_zone(closes, tz) if closes else None,
        takes_submissions=takes_submissions(row["status"], opens, closes, now or utc_now()),
        url=f"/calls/{row['slug']}",
    )


def _in_scope() -> Combinable | None:
    return scopes.active().owns(Call.event)


async def list_calls() -> list[schemas.Call]:
    """The calls an organiser may see, newest first."""
    query = scopes.where(Call.select(*_COLUMNS), _in_scope())
    now = utc_now()
    return [_call(r, now) for r in await query.order_by(Call.id, ascending=False)]


async def open_calls() -> list[schemas.Call]:
    """The calls taking submissions now, for everyone: closing soonest first."""
    now = utc_now()
    rows = await Call.select(*_COLUMNS).where(Call.status == "open")
    found = [c for c in (_call(r, now) for r in rows) if c.takes_submissions]
    return sorted(found, key=lambda c: (c.closes_at is None, c.closes_at or now, c.id))


async def get_call(slug: str, *, public: bool) -> schemas.Call:
    """A call by its slug: for the public, any but a draft (a closed one says so); for organisers, within scope."""
    query = Call.select(*_COLUMNS).where(Call.slug == slug)
    query = query.where(Call.status != "draft") if public else scopes.where(query, _in_scope())
    row = await query.first()
    if row is None:
        raise not_found("call", slug)
    return _call(row)


async def submission_counts() -> dict[int, dict[str, int]]:
    """Submissions of each call by status, for the organisers' list."""
    counts: dict[int, dict[str, int]] = {}
    for row in await Submission.select(Submission.call, Submission.status):
        by_status = counts.setdefault(int(row["call"]), {})
        by_status[row["status"]] = by_status.get(row["status"], 0) + 1
    return counts


async def _checked(data: schemas.CallIn) -> Values:
    tz_name = DEFAULT_ZONE
    if data.kind == "sessions":
        if data.event_id is None:
            raise CallNeedsEvent()
        event = await scopes.where(Event.select(Event.id, Event.timezone), scopes.active().event_filter()).where(
            Event.id == data.event_id
        )
        if not event:
            raise not_found("event", data.event_id)
        tz_name = event[0]["timezone"]
    elif data.event_id is not None:
        raise CallTakesNoEvent()
    elif scopes.active().limited:
        raise ExamplesCallNeedsWholeNetwork()
    tz = zone(tz_name)
    opens = to_utc(data.opens_at, tz, field="opens_at") if data.opens_at else None
    closes = to_utc(data.closes_at, tz, field="closes_at") if data.closes_at else None
    if opens and closes and closes <= opens:
        raise ClosesBeforeOpens()
    return {
        "kind": data.kind,
        "title": data.title.strip(),
        "description": data.description,
        "event": data.event_id,
        "status": data.status,
        "opens_at": opens,
        "closes_at": closes,
    }


async def create_call(data: schemas.CallIn) -> schemas.Call:
    values = await _checked(data)
    now = utc_now()
    async with write_transaction():
        slug = await unique_slug(Call, data.title, explicit=data.slug)
        await Call(slug=slug, created_at=now, updated_at=now, **values).save()
    return await get_call(slug, public=False)


async def update_call(slug: str, data: schemas.CallIn) -> schemas.Call:
    current = await get_call(slug, public=False)
    values = await _checked(data)
    async with write_transaction():
        new_slug = await unique_slug(Call, "", explicit=data.slug, exclude_id=current.id) if data.slug else slug
        await Call.update({**values, "slug": new_slug, "updated_at": utc_now()}).where(Call.id == current.id)
    return await get_call(new_slug, public=False)


# The call's own questions: registration's kinds, options rule and answer checks -----------------------------


async def list_questions(call_id: int, *, include_retired: bool = False) -> list[question_schemas.Question]:
    where: Combinable = CallQuestion.call == call_id
    if not include_retired:
        where = where & CallQuestion.retired_at.is_null()
    rows = await CallQuestion.select().where(where).order_by(CallQuestion.position).order_by(CallQuestion.id)
    found = [registration_questions.question_of_row(r) for r in rows]
    return [q for q in found if q.retired_at is None] + [q for q in found if q.retired_at is not None]


async def question_of_call(call_id: int, question_id: int) -> question_schemas.Question:
    row = await CallQuestion.select().where((CallQuestion.id == question_id) & (CallQuestion.call == call_id))
    if not row:
        raise not_found("question", question_id)
    return registration_questions.question_of_row(row[0])


async def answer_counts(call_id: int) -> dict[int, int]:
    counts: dict[int, int] = {}
    for row in await Submission.select(Submission.answers).where(Submission.call == call_id):
        loaded = json.loads(row["answers"]) if isinstance(row["answers"], str) else row["answers"]
        for key, value in (loaded or {}).items():
            if key.isdigit() and value not in (None, "", []):
                counts[int(key)] = counts.get(int(key), 0) + 1
    return counts


async def responses_count(call_id: int) -> int:
    return int(await Submission.count().where(Submission.call == call_id))


async def add_question(call_id: int, data: question_schemas.QuestionCreate) -> question_schemas.Question:
    options = registration_questions.check_options(data.kind, data.options)
    added = await CallQuestion.insert(
        CallQuestion(
            call=call_id,
            label=data.label.strip(),
            kind=data.kind,
            options=json.dumps(options),
            required=data.required,
            help_text=data.help_text,
            position=data.position,
        )
    ).returning(CallQuestion.id)
    return await question_of_call(call_id, int(added[0]["id"]))


async def update_question(
    call_id: int, question_id: int, data: question_schemas.QuestionUpdate
) -> question_schemas.Question:
    current = await question_of_call(call_id, question_id)
    changes = changes_of(data)
    if "options" in changes:
        changes["options"] = json.dumps(registration_questions.check_options(current.kind, changes["options"]))
    if changes:
        await CallQuestion.update(changes).where(CallQuestion.id == question_id)
    return await question_of_call(call_id, question_id)


async def delete_question(call_id: int, question_id: int) -> question_schemas.QuestionRemoved:
    """Deleted when nobody answered it; retired (off the form, answers kept) when someone did."""
    async with write_transaction():
        await question_of_call(call_id, question_id)
        answers = (await answer_counts(call_id)).get(question_id, 0)
        if answers:
            await CallQuestion.update({CallQuestion.retired_at: utc_now()}).where(CallQuestion.id == question_id)
            people = "1 person" if answers == 1 else f"{answers} people"
            message = f"The question is off the form. {people} answered it: their answers stay with the submissions."
            return question_schemas.QuestionRemoved(id=question_id, outcome="retired", answers=answers, message=message)
        await CallQuestion.delete().where(CallQuestion.id == question_id)
    return question_schemas.QuestionRemoved(
        id=question_id, outcome="deleted", answers=0, message="The question is deleted."
    )


async def move_question(call_id: int, question_id: int, step: int) -> None:
    async with write_transaction():
        order = moved([q.id for q in await list_questions(call_id)], question_id, step)
        if order is None:
            raise not_found("question", question_id)
        for position, each in enumerate(order):
            await CallQuestion.update({CallQuestion.position: position}).where(CallQuestion.id == each)


async def event_choices() -> list[tuple[int, str]]:
    """The events a call for sessions may be for (the organiser's scope, drafts too), soonest last."""
    query = scopes.where(Event.select(Event.id, Event.title, Event.starts_at), scopes.active().event_filter())
    rows = await query.where(Event.status != "cancelled").order_by(Event.starts_at, ascending=False).limit(200)
    return [(int(r["id"]), f"{r['title']} ({r['starts_at']:%d %b %Y})") for r in rows]
