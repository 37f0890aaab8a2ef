"""What scanners send and get back."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from events_app.core.schema import Id
from events_app.registration.schemas import RegistrationStatus

ScanCode = Literal[
    "checked_in",
    "already_checked_in",
    "not_confirmed",
    "not_booked",
    "other_event",
    "too_early",
    "event_over",
    "invalid",
    "back_in",  # with check-out on: someone who went out comes back in
    "checked_out",
    "already_checked_out",
    "not_checked_in",  # an exit scan of someone who never came in
    "no_check_out",  # an exit scan at an event that does not record exits
]
Colour = Literal["green", "amber", "red"]
CheckInMethod = Literal["scan", "search", "offline"]  # a ticket scanned, a person found by name, a scan synced later
Direction = Literal["in", "out"]  # a way in, or (where the event records check-out) a way out
# What a scanner refused with no network (its own judgement, from the offline list), sent later to be on record.
OfflineRefusal = Literal["invalid", "other_event", "not_confirmed", "too_early", "event_over", "already_checked_in"]
ClientId = Annotated[str, Meta(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]


class Scan(msgspec.Struct, forbid_unknown_fields=True):
    code: Annotated[str, Meta(min_length=1, max_length=500)]
    session_id: Id | None = None
    client_id: ClientId | None = None
    override: bool = False  # an organiser checks the ticket in outside the event's days
    direction: Direction = "in"


class OfflineScan(Scan, forbid_unknown_fields=True):
    at: datetime | None = None  # when the scanner saw the ticket (offline scans are synced later)
    # Set when the scanner refused the ticket offline (its reason): the scan is kept as refused, never let in,
    # whatever the registration is by the time it is sent.
    refused: OfflineRefusal | None = None


class SyncRequest(msgspec.Struct, forbid_unknown_fields=True):
    scans: Annotated[list[OfflineScan], Meta(min_length=1, max_length=2000)]


class ManualCheckIn(msgspec.Struct, forbid_unknown_fields=True):
    session_id: Id | None = None
    client_id: ClientId | None = None
    override: bool = False
    direction: Direction = "in"


class ScanResult(msgspec.Struct):
    result: ScanCode
    colour: Colour
    message: str
    registration_id: int | None = None
    name: str = ""
    organisation: str = ""
    stakeholder_group: str = ""
    access_needs: str = ""
    check_in_id: int | None = None
    checked_in_at: datetime | None = None
    checked_in_by: str = ""
    client_id: str | None = None
    conflict: bool = False


class Person(msgspec.Struct):
    registration_id: int
    name: str
    organisation: str
    stakeholder_group: str
    checked_in_at: datetime | None
    email_domain: str = ""  # tells two people of the same name apart at the door, without showing the address


class GroupCount(msgspec.Struct):
    """One stakeholder group at a door, by the group each registration was made as."""

    stakeholder_group: str
    expected: int
    checked_in: int


class Counts(msgspec.Struct):
    expected: int
    checked_in: int
    inside: int | None = None  # people inside now, where the event records check-out
    by_group: list[GroupCount] = msgspec.field(default_factory=list)


class PublicKey(msgspec.Struct):
    algorithm: Literal["Ed25519"]
    public_key: str
    event_id: int


class OfflinePerson(msgspec.Struct):
    """Only what the door needs to let someone in without the network: no access or dietary needs, no email
    address, no answers (the online scan answer shows access needs at the moment of the scan)."""

    status: RegistrationStatus
    name: str
    organisation: str
    checked_in: bool


class OfflineList(msgspec.Struct):
    """What a scanner keeps to go on without the network: the key that checks codes and who may come in."""

    event_id: int
    algorithm: Literal["Ed25519"]
    public_key: str
    generated_at: str
    registrations: dict[str, OfflinePerson]  # by registration id
    opens_at: str = ""  # when the door takes tickets (the event's days), so an offline scanner refuses the same
    closes_at: str = ""  # and after which the scanner deletes the list from the device
    check_out: bool = False  # the event records exits


DateOrder = Literal["day_first", "month_first"]


class OnlineImport(msgspec.Struct, forbid_unknown_fields=True):
    """A meeting platform's attendance export (its CSV text), for the event or one of its sessions. `date_order`
    says how slashed dates are written where the file does not show it (a day over 12)."""

    csv: Annotated[str, Meta(min_length=1, max_length=2_000_000)]
    session_id: Id | None = None
    date_order: DateOrder | None = None


class ImportedPerson(msgspec.Struct):
    registration_id: int
    name: str
    email: str
    joins: int
    first_joined_at: datetime
    new: bool


class UnmatchedRow(msgspec.Struct):
    line: int
    email: str
    joined: str
    reason: str  # no_email, no_registration, not_confirmed, unreadable_time, outside_event
    detail: str


class OnlineImportResult(msgspec.Struct):
    platform: str
    timezone: str  # times without a zone were read in this one
    rows: int
    recorded: list[ImportedPerson]
    already_recorded: list[str]
    unmatched: list[UnmatchedRow]
