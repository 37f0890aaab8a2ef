"""Registrations and delegates as the services hold them: the table's columns, typed and read-only, built
from a Piccolo row in one place (`RegistrationRow.of(row)`). Statuses are the Literals of schemas.py."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Self

from events_app.core.rows import Row
from events_app.registration.schemas import RegistrationStatus


@dataclass(frozen=True, slots=True)
class RegistrationRow:
    id: int
    event: int
    delegate: int
    status: RegistrationStatus
    waitlist_position: int | None
    access_needs: str
    dietary_needs: str
    answers: str  # JSON text, as both engines give it back
    created_at: datetime
    updated_at: datetime
    confirmed_at: datetime | None
    cancelled_at: datetime | None
    # What the registration was made as: reports read these, never the delegate's record of today.
    name: str = ""
    organisation: int | None = None
    organisation_name: str = ""
    stakeholder_group: int | None = None
    region: int | None = None
    hold_expires_at: datetime | None = None
    email_confirmed_at: datetime | None = None
    feedback_given_to: int | None = None  # the feedback form answered (the marker kept apart from the response)
    attendance_mode: str = "in_person"  # how the place is taken: in_person or online

    @classmethod
    def of(cls, row: Row) -> RegistrationRow:
        return cls(**row)


@dataclass(frozen=True, slots=True)
class DelegateRow:
    id: int
    email: str
    name: str
    organisation: int | None
    organisation_name: str
    stakeholder_group: int
    consent_to_contact: bool
    token_version: int
    created_at: datetime
    updated_at: datetime
    erased_at: datetime | None

    @classmethod
    def of(cls, row: Row) -> DelegateRow:
        return cls(**row)


@dataclass(frozen=True, slots=True, kw_only=True)
class Recipient:
    """Whom an email goes to: what `notify.queue` needs of a delegate."""

    id: int
    name: str
    email: str
    token_version: int
    erased_at: datetime | None

    @classmethod
    def of(cls, row: Row) -> Self:
        """From a row holding (at least) this class's columns, subclasses' included."""
        return cls(**{f.name: row[f.name] for f in fields(cls)})


@dataclass(frozen=True, slots=True, kw_only=True)
class Registrant(Recipient):
    """A recipient reached through one of their registrations (dedupe keys name the registration)."""

    registration_id: int
