"""What comes in and goes out of registration."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from events_app.core.schema import EmailAddress, Id, Name, Normalised, Position, Slug
from events_app.programme.availability import State
from events_app.registration.errors import OrganisationRequired

RegistrationStatus = Literal["pending", "confirmed", "waitlisted", "cancelled", "declined"]
BookingStatus = Literal["requested", "confirmed", "waitlisted", "cancelled"]
QuestionKind = Literal["text", "single", "multiple"]
AttendanceMode = Literal["in_person", "online"]  # how a place is taken (a hybrid event offers both)

OrganisationName = Annotated[str, Meta(max_length=200)]
Needs = Annotated[str, Meta(max_length=2000)]
Answer = (
    Annotated[str, Meta(max_length=2000)] | Annotated[list[Annotated[str, Meta(max_length=200)]], Meta(max_length=30)]
)
Answers = Annotated[dict[str, Answer], Meta(max_length=50)]
SessionIds = Annotated[list[Id], Meta(max_length=50)]


class RegistrationCreate(Normalised, forbid_unknown_fields=True):
    name: Name
    email: EmailAddress
    stakeholder_group: Slug
    organisation_id: Id | None = None
    organisation_name: OrganisationName = ""
    region: Slug | None = None  # where the person is based; else their listed organisation's region
    access_needs: Needs = ""
    dietary_needs: Needs = ""
    consent_to_contact: bool = False
    session_ids: SessionIds = []
    answers: Answers = {}
    attendance_mode: AttendanceMode | None = None  # required at a hybrid event; else the event's own mode

    @staticmethod
    def rules_across_fields(values: Mapping[str, Any]) -> dict[str, str]:
        """An organisation is needed: one from the list (its id) or a typed name. Read by core.validation to
        name it with every other wrong field; the registration service refuses the same (for callers in code)."""
        if values.get("organisation_id") is None and not str(values.get("organisation_name") or "").strip():
            words = OrganisationRequired.message
            return {OrganisationRequired.field or "organisation_name": words[:1].lower() + words[1:]}
        return {}


class RegistrationUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """What a delegate may change: sessions, needs, answers, consent."""

    session_ids: SessionIds | UnsetType = UNSET
    access_needs: Needs | UnsetType = UNSET
    dietary_needs: Needs | UnsetType = UNSET
    answers: Answers | UnsetType = UNSET
    consent_to_contact: bool | UnsetType = UNSET


class EventRef(msgspec.Struct):
    id: int
    slug: str
    title: str
    url: str
    starts_at: datetime


class Booking(msgspec.Struct):
    session_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    status: BookingStatus
    waitlist_position: int | None


class Registration(msgspec.Struct):
    id: int
    event: EventRef
    status: RegistrationStatus
    waitlist_position: int | None
    name: str
    email: str
    organisation_id: int | None
    organisation: str
    stakeholder_group: str
    stakeholder_group_name: str
    access_needs: str
    dietary_needs: str
    consent_to_contact: bool
    answers: dict[str, str | list[str]]
    sessions: list[Booking]
    created_at: datetime
    updated_at: datetime
    delegate_id: int
    attendance_mode: AttendanceMode = "in_person"


class RegistrationResult(msgspec.Struct):
    """The answer to a registration, for organisers (signed in, with rights on the event): `created` is false
    when this email was already registered, and then only the status is given."""

    created: bool
    status: RegistrationStatus
    waitlist_position: int | None
    message: str
    registration: Registration | None = None


class RegistrationReceived(msgspec.Struct):
    """The answer to a registration made without signing in: the same words whether or not the address was known,
    and whatever its state. The place, its ticket and its manage link go to the address's inbox."""

    message: str


class RegistrationChange(msgspec.Struct):
    at: datetime
    action: str
    detail: str
    by: str


class StatusCounts(msgspec.Struct):
    pending: int = 0
    confirmed: int = 0
    waitlisted: int = 0
    cancelled: int = 0
    declined: int = 0


class GroupCounts(msgspec.Struct):
    stakeholder_group: str
    name: str
    counts: StatusCounts


class RegistrationCounts(msgspec.Struct):
    capacity: int | None
    places_left: int | None
    by_status: StatusCounts
    by_group: list[GroupCounts]
    by_mode: list[ModeCounts] = []


class RegistrationIds(msgspec.Struct, forbid_unknown_fields=True):
    ids: Annotated[list[Id], Meta(min_length=1, max_length=500)]


class BulkResult(msgspec.Struct):
    changed: list[int]
    skipped: dict[str, str]  # registration id -> why it was left alone


class CancelRequest(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, Meta(max_length=500)] = ""


class WaitlistMove(msgspec.Struct, forbid_unknown_fields=True):
    position: Annotated[int, Meta(ge=1, le=100_000)]


class ModeSwitch(msgspec.Struct, forbid_unknown_fields=True):
    """A delegate's change of how they attend a hybrid event."""

    attendance_mode: AttendanceMode


class ModeCounts(msgspec.Struct):
    """One attendance mode's places at an event (a hybrid event has two)."""

    attendance_mode: AttendanceMode
    capacity: int | None
    confirmed: int
    places_left: int | None
    waitlisted: int


class ManageLinkRequest(Normalised, forbid_unknown_fields=True):
    email: EmailAddress


class QuestionCreate(msgspec.Struct, forbid_unknown_fields=True):
    label: Annotated[str, Meta(min_length=1, max_length=300)]
    kind: QuestionKind
    options: Annotated[list[Annotated[str, Meta(min_length=1, max_length=200)]], Meta(max_length=30)] = []
    required: bool = False
    help_text: Annotated[str, Meta(max_length=500)] = ""
    position: Position = 0


class QuestionUpdate(msgspec.Struct, forbid_unknown_fields=True):
    label: Annotated[str, Meta(min_length=1, max_length=300)] | UnsetType = UNSET
    options: Annotated[list[Annotated[str, Meta(min_length=1, max_length=200)]], Meta(max_length=30)] | UnsetType = (
        UNSET
    )
    required: bool | UnsetType = UNSET
    help_text: Annotated[str, Meta(max_length=500)] | UnsetType = UNSET
    position: Position | UnsetType = UNSET


class Question(msgspec.Struct):
    id: int
    label: str
    kind: QuestionKind
    options: list[str]
    required: bool
    help_text: str
    position: int
    retired_at: datetime | None = None  # set: off the form, kept because people answered it


class QuestionRemoved(msgspec.Struct):
    """What removing a question did: deleted (nobody had answered it) or retired (its answers stay in the
    registrations and the CSV export; it leaves the form)."""

    id: int
    outcome: Literal["deleted", "retired"]
    answers: int
    message: str


class DelegateExport(msgspec.Struct):
    """Everything held about one delegate (a subject access request)."""

    id: int
    email: str
    name: str
    organisation: str
    stakeholder_group: str
    consent_to_contact: bool
    created_at: datetime
    erased_at: datetime | None
    registrations: list[Registration]
    history: dict[str, list[RegistrationChange]]


class RegistrationState(msgspec.Struct):
    """Whether an event takes registrations now, as its page says it (programme.availability)."""

    state: State
    message: str
    label: str  # the Register button's words
    opens_at: datetime | None  # in the event's own zone
