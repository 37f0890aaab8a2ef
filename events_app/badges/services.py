"""Name badges: whose badges to print (all confirmed places, those not yet printed, or one), the PDF, and the
record of each badge printed. A badge says what the registration was made as (its name, organisation and
stakeholder group), not what the delegate's record says today; a registration with no name falls back to the
delegate's. People whose details were erased get no badge."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from events_app.badges.errors import NoBadge, RegistrationNumberNeeded, UnknownBadgeFilter, UnknownLayout
from events_app.badges.tables import BadgePrint
from events_app.core.database import write_transaction
from events_app.core.timezones import utc_now
from events_app.documents.badges import LAYOUTS, Badge, Layout, badges_pdf
from events_app.programme.rows import EventRow
from events_app.registration.tables import Registration
from events_app.tickets import codes

Which = Literal["all", "not_printed", "one"]
WHICH: dict[Which, str] = {
    "all": "Everyone with a confirmed place",
    "not_printed": "Confirmed places whose badge is not printed yet",
    "one": "One registration (by its number)",
}
MOST_IDS = 5000  # ids a "mark as printed" form may carry


@dataclass(frozen=True, slots=True)
class Choice:
    """Which badges, on which layout: read from a form or a link's query."""

    layout: Layout
    which: Which
    registration_id: int | None = None


def layout_of(key: str) -> Layout:
    if key not in LAYOUTS:
        raise UnknownLayout()
    return LAYOUTS[key]


def choice(layout: str, which: str, registration: str) -> Choice:
    """A link's or form's values as a Choice; a registration number alone means that one registration."""
    registration = registration.strip()
    if registration and which in ("", "one"):
        which = "one"
    if which not in WHICH:
        raise UnknownBadgeFilter()
    registration_id = None
    if which == "one":
        if not registration.isdigit() or not 0 < int(registration) < 2**31:
            raise RegistrationNumberNeeded()
        registration_id = int(registration)
    return Choice(layout=layout_of(layout), which=which, registration_id=registration_id)


@dataclass(frozen=True, slots=True)
class Printable:
    registration_id: int
    badge: Badge


def _condition(event: EventRow, chosen: Choice) -> Any:  # Any: a Piccolo condition
    condition = (
        (Registration.event == event.id)
        & (Registration.status == "confirmed")
        & Registration.delegate.erased_at.is_null()
    )
    if chosen.which == "not_printed":
        condition &= Registration.id.not_in(BadgePrint.select(BadgePrint.registration))
    if chosen.which == "one":
        condition &= Registration.id == chosen.registration_id
    return condition


async def printable(event: EventRow, chosen: Choice) -> list[Printable]:
    """The badges chosen, by name. One registration that has no badge here (another event's, not confirmed,
    erased, unknown) is refused, naming it."""
    rows = await Registration.select(
        Registration.id,
        Registration.name,
        Registration.delegate.name.as_alias("delegate_name"),
        Registration.organisation_name,
        Registration.stakeholder_group.name.as_alias("group_name"),
        Registration.stakeholder_group.sector_role.as_alias("sector_role"),
    ).where(_condition(event, chosen))
    if chosen.which == "one" and not rows:
        raise NoBadge(id=chosen.registration_id)
    found = [
        Printable(
            registration_id=row["id"],
            badge=Badge(
                name=row["name"] or row["delegate_name"],
                organisation=row["organisation_name"],
                sector=row["group_name"] or "",
                sector_role=row["sector_role"] or "other",
                ticket=codes.issue(event.id, row["id"]),
                event_title=event.title,
            ),
        )
        for row in rows
    ]
    return sorted(found, key=lambda p: (p.badge.name.casefold(), p.registration_id))


@dataclass(frozen=True, slots=True)
class Counts:
    confirmed: int
    printed: int

    @property
    def not_printed(self) -> int:
        return self.confirmed - self.printed


async def counts(event: EventRow) -> Counts:
    everyone = Choice(layout=LAYOUTS["a6-1"], which="all")
    waiting = Choice(layout=LAYOUTS["a6-1"], which="not_printed")
    confirmed = await Registration.count().where(_condition(event, everyone))
    not_printed = await Registration.count().where(_condition(event, waiting))
    return Counts(confirmed=confirmed, printed=confirmed - not_printed)


def pdf(event: EventRow, chosen: Choice, badges: Sequence[Printable]) -> bytes:
    empty = {
        "all": f"No badges to print: nobody has a confirmed place at {event.title} yet.",
        "not_printed": f"No badges to print: every confirmed place at {event.title} has its badge printed.",
        "one": "",
    }[chosen.which]
    return badges_pdf([p.badge for p in badges], chosen.layout, title=f"Badges: {event.title}", empty_message=empty)


async def mark_printed(event: EventRow, registration_ids: Sequence[int], *, by: int | None, layout: str) -> int:
    """Record these registrations' badges as printed (each a row: when, by whom, on which layout); those that
    have no badge at this event are passed over. Returns how many were recorded."""
    ids = list(dict.fromkeys(registration_ids))[:MOST_IDS]
    if not ids:
        return 0
    async with write_transaction():
        rows = await Registration.select(Registration.id).where(
            (Registration.event == event.id) & (Registration.status == "confirmed") & Registration.id.is_in(ids)
        )
        now = utc_now()
        prints = [BadgePrint(registration=row["id"], printed_at=now, by=by, layout=layout[:40]) for row in rows]
        if prints:
            await BadgePrint.insert(*prints)
    return len(prints)
