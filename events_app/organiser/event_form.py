"""The event form of the organisers' pages: what it posts, read into the programme's schemas, with every wrong
field named in the words of the form's own labels; and the choices it offers (kinds, series, statuses, zones,
venues by name)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from events_app.core.errors import DomainError, UnknownReference, UnknownTimeZone
from events_app.core.timezones import COMMON_ZONES, DEFAULT_ZONE
from events_app.core.validation import FieldError, InvalidFields, check, errors_of
from events_app.organiser.forms import local_input
from events_app.programme import schemas

STATUS_LABELS: dict[schemas.EventStatus, str] = {
    "draft": "Draft (only organisers see it)",
    "published": "Published (on the public pages)",
    "cancelled": "Cancelled",
}
LABELS = {
    "title": "Title",
    "kind": "Kind of event",
    "series_id": "Series",
    "status": "Status",
    "timezone": "Time zone",
    "starts_at": "Starts",
    "ends_at": "Ends",
    "venue_id": "Venue",
    "new_venue_name": "New venue's name",
    "new_venue_city": "New venue's town or city",
    "attendance_mode": "How people attend",
    "online_url": "Meeting address",
    "summary": "Summary",
    "description": "Description",
    "capacity": "Places",
    "online_capacity": "Places online",
    "waitlist_enabled": "Waiting list",
    "requires_approval": "Approval",
    "registration_opens_at": "Registration opens",
    "registration_closes_at": "Registration closes",
}
FORM_ORDER = list(LABELS)
TIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")
TEXT_FIELDS = ("title", "kind", "status", "timezone", "online_url", "summary", "description")
# A <select> posted by hand with something it does not offer: said in the form's words, not the schema's codes.
CHOICES = {
    "kind": "kinds of event",
    "status": "statuses",
    "timezone": "time zones",
    "attendance_mode": "ways of attending",
}
S = TypeVar("S", schemas.EventCreate, schemas.EventUpdate)
_LOCAL_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?$")


@dataclass(frozen=True, slots=True)
class NewVenue:
    """A venue named on the event form, made in the same transaction as the event."""

    name: str
    city: str


@dataclass(frozen=True, slots=True)
class EventForm(Generic[S]):
    """A posted event form, accepted: the event as the service takes it and, if one was named, the venue to make
    first (its id then replaces the form's venue)."""

    data: S
    new_venue: NewVenue | None


def form_position(error: FieldError) -> int:
    top = error.field.split(".", 1)[0]
    return FORM_ORDER.index(top) if top in FORM_ORDER else len(FORM_ORDER)


def sorted_errors(errors: list[FieldError]) -> list[FieldError]:
    """The wrong fields in the order the form shows them, each field once (its first message)."""
    seen: set[str] = set()
    unique = [e for e in errors if not (e.field in seen or seen.add(e.field))]  # type: ignore[func-returns-value]
    return sorted(unique, key=form_position)


def _local_time(text: str) -> datetime | None:
    """A datetime-local box's value (2030-06-12T09:30), read as a wall-clock time (naive)."""
    match = _LOCAL_TIME.match(text)
    if match is None:
        return None
    try:
        return datetime.fromisoformat(f"{match.group(1)}T{match.group(2)}{match.group(3) or ':00'}")
    except ValueError:
        return None


def _raw_values(form: Mapping[str, str]) -> tuple[dict[str, object], list[FieldError]]:
    """The form's values as the schemas take them (times as wall-clock datetimes), and the times that could not be
    read as times."""
    values: dict[str, object] = {name: form.get(name, "") for name in TEXT_FIELDS}
    values["timezone"] = values["timezone"] or DEFAULT_ZONE
    if form.get("attendance_mode"):  # a form posted without it (older clients): the service infers the mode
        values["attendance_mode"] = form.get("attendance_mode", "")
    values["series_id"] = form.get("series_id") or None
    values["venue_id"] = form.get("venue_id") or None
    values["capacity"] = form.get("capacity") or None
    values["online_capacity"] = form.get("online_capacity") or None
    values["waitlist_enabled"] = form.get("waitlist_enabled") == "yes"
    values["requires_approval"] = form.get("requires_approval") == "yes"
    errors: list[FieldError] = []
    for name in TIME_FIELDS:
        text = form.get(name, "")
        moment = _local_time(text) if text else None
        if text and moment is None:
            errors.append(FieldError(name, f"{LABELS[name]}: please give a date and a time, like 2030-06-12 09:30"))
        values[name] = moment
    return values, errors


def _choose(field: str) -> FieldError:
    if field in CHOICES:
        return FieldError(field, f"{LABELS[field]}: please choose one of the {CHOICES[field]} listed")
    return FieldError(field, f"{LABELS[field]}: please choose one from the list")


def _in_form_words(error: FieldError) -> FieldError:
    """A <select> posted by hand with a value it does not offer."""
    return _choose(error.field) if error.field in (*CHOICES, "series_id", "venue_id") else error


def event_errors(exc: DomainError) -> list[FieldError]:
    """Every wrong field of a refused event form, in the form's words and order: a reference to a series or venue
    that is not there, or a zone not known, is a choice not on the list."""
    if isinstance(exc, (UnknownReference, UnknownTimeZone)) and exc.field in LABELS:
        return [_choose(exc.field)]
    return sorted_errors(errors_of(exc))


def _new_venue(form: Mapping[str, str]) -> tuple[NewVenue | None, list[FieldError]]:
    name, city = form.get("new_venue_name", ""), form.get("new_venue_city", "")
    if not name:
        if city:
            return None, [
                FieldError("new_venue_name", f"{LABELS['new_venue_name']}: please fill this in, or clear the town")
            ]
        return None, []
    if form.get("venue_id"):
        words = "choose a venue from the list or name a new one, not both"
        return None, [FieldError("new_venue_name", f"{LABELS['new_venue_name']}: {words}")]
    venue_labels = {"name": LABELS["new_venue_name"], "city": LABELS["new_venue_city"]}
    try:
        check({"name": name, "city": city}, schemas.VenueCreate, venue_labels)
    except InvalidFields as exc:
        return None, [FieldError(f"new_venue_{e.field}", e.message) for e in exc.errors]
    return NewVenue(name=name, city=city), []


def read_event_form(form: Mapping[str, str], schema: type[S]) -> EventForm[S]:
    """The posted form as `schema` (EventCreate or EventUpdate: every field the form shows), or InvalidFields
    naming every wrong field in the form's words, in the form's order."""
    values, errors = _raw_values(form)
    new_venue, venue_errors = _new_venue(form)
    errors += venue_errors
    unreadable = {e.field for e in errors}
    try:
        data = check(values, schema, LABELS, strict=False)
    except InvalidFields as exc:
        errors += [_in_form_words(e) for e in exc.errors if e.field not in unreadable]
    if errors:
        raise InvalidFields(sorted_errors(errors))
    return EventForm(data=data, new_venue=new_venue)


def values_of_event(event: schemas.Event) -> dict[str, object]:
    """An event's values as its form shows them: times as wall-clock in its zone."""
    tz = event.timezone
    return {
        "title": event.title,
        "kind": event.kind,
        "status": event.status,
        "timezone": tz,
        "series_id": str(event.series.id) if event.series else "",
        "venue_id": str(event.venue.id) if event.venue else "",
        "attendance_mode": event.attendance_mode,
        "online_url": event.online_url,
        "summary": event.summary,
        "description": event.description,
        "capacity": "" if event.capacity is None else str(event.capacity),
        "online_capacity": "" if event.online_capacity is None else str(event.online_capacity),
        "waitlist_enabled": event.waitlist_enabled,
        "requires_approval": event.requires_approval,
        **{name: local_input(getattr(event, name), tz) for name in TIME_FIELDS},
    }


def values_of_form(form: Mapping[str, str]) -> dict[str, object]:
    return {
        **form,
        "waitlist_enabled": form.get("waitlist_enabled") == "yes",
        "requires_approval": form.get("requires_approval") == "yes",
        "timezone": form.get("timezone") or DEFAULT_ZONE,
    }


def zone_choices(current: str | None) -> list[str]:
    """The common zones, and the event's own if it is another one."""
    zones = list(COMMON_ZONES)
    if current and current not in zones:
        zones.insert(2, current)
    return zones
