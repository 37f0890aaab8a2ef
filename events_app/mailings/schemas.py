"""What an organiser sends to the network, and what comes back: msgspec Structs for the page and the API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec
from msgspec import Meta

from events_app.people.sectors import SectorRole

Slug = Annotated[str, Meta(min_length=1, max_length=120)]
Key = Annotated[str, Meta(pattern="^[0-9a-f]{32}$", description="Made by the preview; one send per key")]


class MailingFilters(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Who it is for: people who registered for events matching every filter given (none: every event). Region
    and sector are read from each registration as it was made."""

    regions: Annotated[list[Slug], Meta(max_length=50)] = msgspec.field(default_factory=list)
    sectors: Annotated[list[SectorRole], Meta(max_length=7)] = msgspec.field(default_factory=list)
    groups: Annotated[list[Slug], Meta(max_length=50)] = msgspec.field(default_factory=list)
    series: Annotated[list[Slug], Meta(max_length=50)] = msgspec.field(default_factory=list)
    from_date: date | None = None
    to_date: date | None = None


class MailingDraft(msgspec.Struct, forbid_unknown_fields=True):
    subject: Annotated[str, Meta(min_length=1, max_length=200)]
    body: Annotated[str, Meta(min_length=1, max_length=20_000)]
    filters: MailingFilters = msgspec.field(default_factory=MailingFilters)
    key: Key | None = None  # the preview's key; without one, a send makes its own


class MailingPreview(msgspec.Struct):
    recipients: int  # matching delegates who are happy to be contacted
    left_out: int  # matching delegates who are not (never written to)
    subject: str
    text: str
    html: str
    key: str  # send with this key: a second send with it sends nothing
    description: str  # the filters in words


class MailingSent(msgspec.Struct):
    id: int
    queued: int
    left_out: int
    already_sent: bool  # this key was sent before: nothing more went


class Mailing(msgspec.Struct):
    id: int
    subject: str
    body: str
    description: str
    filters: MailingFilters
    created_by: str
    created_at: datetime
    recipients: int
    left_out: int


class Consent(msgspec.Struct, forbid_unknown_fields=True):
    consent_to_contact: bool
