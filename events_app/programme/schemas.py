"""What the programme API takes in and gives out. Times out are in the event's own zone, with offset."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from events_app.core.email_address import MAX_LENGTH as EMAIL_MAX_LENGTH
from events_app.core.email_address import normalise_email
from events_app.core.schema import (
    NORMALISE,
    Capacity,
    Id,
    Latitude,
    Longitude,
    LongText,
    Name,
    Normalised,
    Position,
    Postcode,
    ShortName,
    Slug,
    Summary,
    TimeZoneName,
    Url,
)
from events_app.people.schemas import Region
from events_app.programme.settings_schemas import ConfirmEmailHours, EmailNote, FeedbackAfter, ReminderOffsets

EventKind = Literal["conference", "seminar", "forum_meeting", "community_meeting"]
EventStatus = Literal["draft", "published", "cancelled"]
SessionKind = Literal["keynote", "talk", "panel", "workshop", "break", "networking"]
SessionStatus = Literal["draft", "scheduled", "cancelled"]  # draft: organisers only (an accepted proposal)
SpeakerRole = Literal["speaker", "chair", "panellist", "facilitator"]
# How an event is attended: at the venue, online (through each delegate's own join link), or both.
AttendanceMode = Literal["in_person", "online", "hybrid"]
ATTENDANCE_MODE_LABELS: dict[AttendanceMode, str] = {
    "in_person": "In person",
    "online": "Online",
    "hybrid": "Hybrid (in person and online)",
}

EVENT_KIND_LABELS: dict[EventKind, str] = {
    "conference": "National conference",
    "seminar": "Seminar",
    "forum_meeting": "National forum meeting",
    "community_meeting": "Community of practice meeting",
}
UNSET = msgspec.UNSET
City = Annotated[str, Meta(max_length=120)]
JobTitle = Annotated[str, Meta(max_length=200)]
Unset = msgspec.UnsetType


# Venues and rooms -----------------------------------------------------------------------------


class Room(msgspec.Struct):
    id: int
    name: str
    capacity: int | None
    accessibility: str


class RoomCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: ShortName
    capacity: Capacity | None = None
    accessibility: Summary = ""


class RoomUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name: ShortName | Unset = UNSET
    capacity: Capacity | Unset | None = UNSET
    accessibility: Summary | Unset = UNSET


class Venue(msgspec.Struct):
    id: int
    name: str
    address: str
    city: str
    postcode: str
    latitude: float | None
    longitude: float | None
    accessibility: str
    map_url: str
    rooms: list[Room]


class VenueCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    address: Summary = ""
    city: City = ""
    postcode: Postcode = ""
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    accessibility: LongText = ""
    rooms: list[RoomCreate] = []


class VenueUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | Unset = UNSET
    address: Summary | Unset = UNSET
    city: City | Unset = UNSET
    postcode: Postcode | Unset = UNSET
    latitude: Latitude | Unset | None = UNSET
    longitude: Longitude | Unset | None = UNSET
    accessibility: LongText | Unset = UNSET


# Series -----------------------------------------------------------------------------------------


class SeriesRef(msgspec.Struct):
    id: int
    slug: str
    title: str


class Series(msgspec.Struct):
    id: int
    slug: str
    title: str
    description: str
    region: Region | None
    url: str


class SeriesCreate(msgspec.Struct, forbid_unknown_fields=True):
    title: Name
    slug: Slug | None = None
    description: LongText = ""
    region_id: Id | None = None


class SeriesUpdate(msgspec.Struct, forbid_unknown_fields=True):
    title: Name | Unset = UNSET
    slug: Slug | Unset = UNSET
    description: LongText | Unset = UNSET
    region_id: Id | Unset | None = UNSET


# Speakers -------------------------------------------------------------------------------------


class OrganisationRef(msgspec.Struct):
    id: int
    slug: str
    name: str
    stakeholder_group: str


class Speaker(msgspec.Struct):
    id: int
    slug: str
    name: str
    job_title: str
    bio: str
    organisation: OrganisationRef | None
    url: str


class SpeakerForOrganisers(Speaker):
    """A speaker as organisers see them: with the private contact email, which no public answer carries."""

    contact_email: str


def _contact_email(text: str) -> str:
    """Empty (not known), or an address mail can be sent to, stored as the one email rule stores it."""
    return normalise_email(text) if text.strip() else ""


# A speaker's private address: optional, so an empty one is allowed; any other is checked as every address is.
ContactEmail = Annotated[
    str,
    Meta(
        max_length=EMAIL_MAX_LENGTH,
        description="an email address, like name@example.org (or empty)",
        extra={NORMALISE: _contact_email},
    ),
]


class SpeakerCreate(Normalised, forbid_unknown_fields=True):
    name: Name
    slug: Slug | None = None
    job_title: JobTitle = ""
    bio: LongText = ""
    organisation_id: Id | None = None
    contact_email: ContactEmail = ""


class SpeakerUpdate(Normalised, forbid_unknown_fields=True):
    name: Name | Unset = UNSET
    slug: Slug | Unset = UNSET
    job_title: JobTitle | Unset = UNSET
    bio: LongText | Unset = UNSET
    organisation_id: Id | Unset | None = UNSET
    contact_email: ContactEmail | Unset = UNSET


class SessionSpeaker(msgspec.Struct):
    id: int
    slug: str
    name: str
    job_title: str
    organisation: str | None
    role: SpeakerRole


class SessionSpeakerIn(msgspec.Struct, forbid_unknown_fields=True):
    speaker_id: Id
    role: SpeakerRole = "speaker"


# Tracks and sessions ----------------------------------------------------------------------------


class Track(msgspec.Struct):
    id: int
    name: str
    description: str
    position: int


class TrackCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: ShortName
    description: Summary = ""
    position: Position = 0


class TrackUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name: ShortName | Unset = UNSET
    description: Summary | Unset = UNSET
    position: Position | Unset = UNSET


class RoomRef(msgspec.Struct):
    id: int
    name: str


class Session(msgspec.Struct):
    id: int
    event: str
    title: str
    kind: SessionKind
    status: SessionStatus
    description: str
    starts_at: datetime
    ends_at: datetime
    room: RoomRef | None
    track: Track | None
    capacity: int | None
    speakers: list[SessionSpeaker]
    online: bool = False  # the session has a meeting of its own (delegates join through their own link)
    join_url: str = ""  # that meeting's address: only organisers of the event read it, never the public


SpeakerList = Annotated[list[SessionSpeakerIn], Meta(max_length=30)]


class SessionCreate(msgspec.Struct, forbid_unknown_fields=True):
    title: Name
    starts_at: datetime
    ends_at: datetime
    kind: SessionKind = "talk"
    status: SessionStatus = "scheduled"
    description: LongText = ""
    room_id: Id | None = None
    track_id: Id | None = None
    capacity: Capacity | None = None
    speakers: SpeakerList = []
    join_url: Url = ""  # a meeting of its own (a parallel online workshop); never shown publicly


class SessionUpdate(msgspec.Struct, forbid_unknown_fields=True):
    title: Name | Unset = UNSET
    starts_at: datetime | Unset = UNSET
    ends_at: datetime | Unset = UNSET
    kind: SessionKind | Unset = UNSET
    status: SessionStatus | Unset = UNSET
    description: LongText | Unset = UNSET
    room_id: Id | Unset | None = UNSET
    track_id: Id | Unset | None = UNSET
    capacity: Capacity | Unset | None = UNSET
    speakers: SpeakerList | Unset = UNSET
    join_url: Url | Unset = UNSET


# Events -----------------------------------------------------------------------------------------


class Event(msgspec.Struct):
    id: int
    slug: str
    title: str
    kind: EventKind
    status: EventStatus
    summary: str
    description: str
    timezone: str
    starts_at: datetime
    ends_at: datetime
    venue: Venue | None
    online_url: str  # the meeting's address: filled only for organisers of the event, "" for everyone else
    series: SeriesRef | None
    capacity: int | None
    waitlist_enabled: bool
    requires_approval: bool
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    url: str
    online_capacity: int | None  # a hybrid event's places online (None: unlimited); `capacity` is in person
    attendance_mode: AttendanceMode = "in_person"


class EventDetail(Event, kw_only=True):
    tracks: list[Track]
    sessions: list[Session]


class EventCreate(Normalised, forbid_unknown_fields=True):
    title: Name
    kind: EventKind
    starts_at: datetime
    ends_at: datetime
    slug: Slug | None = None
    status: EventStatus = "draft"
    summary: Summary = ""
    description: LongText = ""
    timezone: TimeZoneName = "Europe/London"
    venue_id: Id | None = None
    attendance_mode: AttendanceMode | None = None  # None: online or hybrid when a meeting address is given
    online_url: Url = ""  # the meeting's address; delegates reach it only through their own /join link
    series_id: Id | None = None
    capacity: Capacity | None = None
    online_capacity: Capacity | None = None  # a hybrid event's places online (own waiting list); None: unlimited
    waitlist_enabled: bool = True
    requires_approval: bool = False
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    reminder_offsets: ReminderOffsets | None = None  # None: the site's REMINDERS_BEFORE
    feedback_after: FeedbackAfter | None = None  # None: the site's FEEDBACK_REQUEST_AFTER
    email_note: EmailNote = ""
    check_out: bool = False  # the door records exits and lets people back in
    confirm_email_hours: ConfirmEmailHours | None = None  # None: places are not held for an email confirmation


class EventUpdate(Normalised, forbid_unknown_fields=True):
    title: Name | Unset = UNSET
    kind: EventKind | Unset = UNSET
    starts_at: datetime | Unset = UNSET
    ends_at: datetime | Unset = UNSET
    slug: Slug | Unset = UNSET
    status: EventStatus | Unset = UNSET
    summary: Summary | Unset = UNSET
    description: LongText | Unset = UNSET
    timezone: TimeZoneName | Unset = UNSET
    venue_id: Id | Unset | None = UNSET
    attendance_mode: AttendanceMode | Unset = UNSET
    online_url: Url | Unset = UNSET
    series_id: Id | Unset | None = UNSET
    capacity: Capacity | Unset | None = UNSET
    online_capacity: Capacity | Unset | None = UNSET  # raising it (or None: unlimited) promotes the online waiting list
    waitlist_enabled: bool | Unset = UNSET
    requires_approval: bool | Unset = UNSET
    registration_opens_at: datetime | Unset | None = UNSET
    registration_closes_at: datetime | Unset | None = UNSET
    reminder_offsets: ReminderOffsets | Unset | None = UNSET
    feedback_after: FeedbackAfter | Unset | None = UNSET
    email_note: EmailNote | Unset = UNSET
    check_out: bool | Unset = UNSET
    confirm_email_hours: ConfirmEmailHours | Unset | None = UNSET
    certificates_enabled: bool | Unset = UNSET  # delegates who attended download a certificate of attendance
