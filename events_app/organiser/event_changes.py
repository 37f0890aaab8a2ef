"""Saving the event form through the programme's services: a venue named on the spot and the event in one
transaction; and, before a change of time, place or status is saved, who will be told of it.

Whether a change can be saved, and what it would become, is learnt by making it in a transaction that is then
rolled back: the same service and rules as the real save, so the page never asks "tell 12 people?" of a change
that a rule would refuse a moment later."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import msgspec

from events_app.core.database import write_transaction
from events_app.mail.context import when_label, where_label
from events_app.organiser.event_form import STATUS_LABELS, EventForm
from events_app.programme import events, schemas, venues
from events_app.programme.rows import EventRow
from events_app.registration import reports
from events_app.registration.schemas import StatusCounts


async def save_event(
    slug: str | None, form: EventForm[schemas.EventCreate] | EventForm[schemas.EventUpdate]
) -> schemas.EventDetail:
    """Create (no slug) or change an event, with the venue the form named made first, all or nothing."""
    async with write_transaction():
        data: schemas.EventCreate | schemas.EventUpdate = form.data
        if form.new_venue is not None:
            venue = await venues.create_venue(schemas.VenueCreate(name=form.new_venue.name, city=form.new_venue.city))
            data = msgspec.structs.replace(data, venue_id=venue.id)
        if isinstance(data, schemas.EventCreate):
            return await events.create_event(data)
        assert slug is not None
        return await events.update_event(slug, data)


class _Undo(Exception):
    """Not an error: it carries the rehearsed result out of the transaction, which it rolls back."""

    def __init__(self, after: schemas.EventDetail) -> None:
        super().__init__()
        self.after = after


async def rehearse(slug: str, form: EventForm[schemas.EventUpdate]) -> schemas.EventDetail:
    """The event as the change would leave it, or the service's refusal; nothing is kept (no venue, no email)."""
    try:
        async with write_transaction():
            raise _Undo(await save_event(slug, form))
    except _Undo as undo:
        return undo.after


@dataclass(frozen=True, slots=True)
class Telling:
    """Who hears of a change: the people holding a place, a place on the waiting list or a request, by status."""

    digest: str  # names the change asked about: a confirmation counts for this change only
    changes: list[str]  # what changes that people feel, in words ("The time: ... becomes ...")
    confirmed: int
    waitlisted: int
    pending: int
    emailed: bool  # whether the change sends them an email (a draft's changes, or un-publishing, do not)

    @property
    def people(self) -> int:
        return self.confirmed + self.waitlisted + self.pending

    @property
    def told(self) -> int:
        return self.people if self.emailed else 0

    @property
    def needs_confirming(self) -> bool:
        return bool(self.changes) and self.people > 0


def felt_changes(before: schemas.Event, after: schemas.Event) -> tuple[list[str], bool]:
    """What a change of time, place or status means, in words, and whether registrants are emailed about it
    (as registration's reactions do: a cancellation, or a new time or place of a published event)."""
    if after.status == "cancelled" and before.status != "cancelled":
        return [f"The status: {STATUS_LABELS[before.status]} becomes cancelled. Every registration is cancelled."], True
    lines = []
    moved = before.starts_at != after.starts_at or before.ends_at != after.ends_at
    if moved:
        lines.append(f"The time: {when_label(before)} becomes {when_label(after)}.")
    venue_before = before.venue.id if before.venue else None
    venue_after = after.venue.id if after.venue else None
    placed = venue_before != venue_after or before.attendance_mode != after.attendance_mode
    if placed:
        lines.append(f"The place: {where_label(before)} becomes {where_label(after)}.")
    if before.status != after.status:
        lines.append(f"The status: {STATUS_LABELS[before.status]} becomes {STATUS_LABELS[after.status]}.")
    return lines, after.status == "published" and (moved or placed)


async def registered(event: EventRow) -> StatusCounts:
    """The event's registrations by status, read before a change (a cancellation cancels them)."""
    return (await reports.counts(event)).by_status


def digest(form: EventForm[schemas.EventCreate] | EventForm[schemas.EventUpdate]) -> str:
    """A short name of a change as the form asked for it: the page's confirmation carries it, so a form changed
    after the question was asked is asked about again rather than saved."""
    venue = [form.new_venue.name, form.new_venue.city] if form.new_venue else None
    return hashlib.sha256(msgspec.json.encode([form.data, venue])).hexdigest()[:24]


def telling(counts: StatusCounts, before: schemas.Event, after: schemas.Event, change: str = "") -> Telling:
    changes, emailed = felt_changes(before, after)
    return Telling(
        digest=change,
        changes=changes,
        confirmed=counts.confirmed,
        waitlisted=counts.waitlisted,
        pending=counts.pending,
        emailed=emailed,
    )


async def cancelling(event: EventRow) -> Telling:
    """Who cancelling the event tells."""
    (current,) = await events.events_from_rows([event])
    return telling(await registered(event), current, msgspec.structs.replace(current, status="cancelled"))
