"""The session form of the organiser's timetable: what it shows (rooms by name with their seats, tracks, speakers
by name in order) and how a posted form becomes the same SessionCreate / SessionUpdate the JSON API takes.

Times are typed in the event's zone (<input type="datetime-local">) and handed to the service naive, which reads
them as wall-clock time there. Every wrong field is named at once, in the words of the form's labels."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from events_app.core.validation import FieldError, InvalidFields, check
from events_app.programme import schemas

SPEAKER_ROWS = 4  # speakers picked in order, no JavaScript needed; a session with more shows one spare row
MAX_SPEAKER_ROWS = 31  # the schema takes 30 speakers: one more row is read, so too many is named, not dropped
KIND_LABELS: dict[str, str] = {
    "talk": "Talk",
    "keynote": "Keynote",
    "panel": "Panel",
    "workshop": "Workshop",
    "break": "Break",
    "networking": "Networking",
}
STATUS_LABELS: dict[str, str] = {"draft": "Draft (organisers only)", "scheduled": "Scheduled", "cancelled": "Cancelled"}
ROLE_LABELS: dict[str, str] = {
    "speaker": "Speaker",
    "chair": "Chair",
    "panellist": "Panellist",
    "facilitator": "Facilitator",
}
FIELD_LABELS = {
    "title": "Title",
    "kind": "Kind",
    "status": "Status",
    "description": "Description",
    "starts_at": "Starts",
    "ends_at": "Ends",
    "room_id": "Room",
    "track_id": "Track",
    "capacity": "Places",
    "join_url": "Session's own meeting address",
    "speakers": "Speakers",
}
FORM_ORDER = list(FIELD_LABELS)
_LOCAL_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$")

S = TypeVar("S", schemas.SessionCreate, schemas.SessionUpdate)


@dataclass(frozen=True, slots=True)
class SpeakerChoice:
    speaker_id: str  # as the <select> holds it: "" for none
    role: str


def _local_time(text: str) -> datetime | None:
    """A wall-clock time as a datetime-local box sends it (seconds optional), or None if it is not one."""
    if not _LOCAL_TIME.match(text):
        return None
    try:
        return datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError:
        return None


def speaker_choices(form: Mapping[str, str]) -> list[SpeakerChoice]:
    """The speakers picked in the posted rows (`speaker-0`, `role-0` ...), in order; rows left blank skipped."""
    return [
        SpeakerChoice(form[f"speaker-{i}"], form.get(f"role-{i}") or "speaker")
        for i in range(MAX_SPEAKER_ROWS)
        if form.get(f"speaker-{i}")
    ]


def _position(error: FieldError) -> int:
    top = error.field.split(".", 1)[0]
    return FORM_ORDER.index(top) if top in FORM_ORDER else len(FORM_ORDER)


def on_the_form(errors: list[FieldError]) -> list[FieldError]:
    """Errors as the page shows them: in the form's order, a speaker row's error on the speakers' fieldset."""
    shown = [FieldError("speakers", e.message) if e.field.startswith("speakers.") else e for e in errors]
    return sorted(shown, key=_position)


def parse(form: Mapping[str, str], schema: type[S]) -> S:
    """A posted session form as `schema`, or InvalidFields naming every wrong field."""
    # Untyped on purpose: raw form values of mixed kinds (text, numbers, times, speaker rows) before validation
    values: dict[str, Any] = {
        name: form.get(name, "") for name in ("title", "kind", "status", "description") if name in form
    }
    errors: list[FieldError] = []
    for name in ("starts_at", "ends_at"):
        if name not in form:
            continue  # a new session: the schema names it; a change: the time stays as it is
        moment = _local_time(form[name])
        if not form[name]:
            errors.append(FieldError(name, f"{FIELD_LABELS[name]}: please fill this in"))
        elif moment is None:
            errors.append(FieldError(name, f"{FIELD_LABELS[name]}: please give a date and time, like 2030-06-12 10:30"))
        else:
            values[name] = moment
    for name in ("room_id", "track_id", "capacity"):
        if name in form:
            values[name] = form[name] or None
    if "join_url" in form:
        values["join_url"] = form["join_url"].strip()
    if form.get("speakers_listed") == "1":
        values["speakers"] = [{"speaker_id": c.speaker_id, "role": c.role} for c in speaker_choices(form)]
    try:
        data = check(values, schema, FIELD_LABELS, strict=False)
    except InvalidFields as exc:
        timed = {e.field for e in errors}
        raise InvalidFields(on_the_form(errors + [e for e in exc.errors if e.field not in timed])) from None
    if errors:
        raise InvalidFields(on_the_form(errors))
    return data


def values_of(session: schemas.Session) -> dict[str, object]:
    """A stored session as the form shows it."""
    return {
        "title": session.title,
        "kind": session.kind,
        "status": session.status,
        "description": session.description,
        "starts_at": session.starts_at.strftime("%Y-%m-%dT%H:%M"),  # already in the event's zone
        "ends_at": session.ends_at.strftime("%Y-%m-%dT%H:%M"),
        "room_id": str(session.room.id) if session.room else "",
        "track_id": str(session.track.id) if session.track else "",
        "capacity": str(session.capacity) if session.capacity is not None else "",
        "join_url": session.join_url,  # read by the event's organisers only
    }


def blank_values(event: schemas.EventDetail) -> dict[str, object]:
    """A new session: an hour from the start of the event (or up to its end), a scheduled talk."""
    ends = min(event.starts_at + timedelta(hours=1), event.ends_at)
    return {
        "kind": "talk",
        "status": "scheduled",
        "starts_at": event.starts_at.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": ends.strftime("%Y-%m-%dT%H:%M"),
    }


def speaker_rows(chosen: list[SpeakerChoice]) -> list[SpeakerChoice]:
    """The rows the form shows: those chosen, then blank ones up to SPEAKER_ROWS (always one spare)."""
    count = max(SPEAKER_ROWS, len(chosen) + 1)
    return chosen + [SpeakerChoice("", "speaker")] * (count - len(chosen))


def chosen_of(session: schemas.Session) -> list[SpeakerChoice]:
    return [SpeakerChoice(str(s.id), s.role) for s in session.speakers]
