"""A realistic programme for trying events_app (`events-app demo`): built through the same services
organisers use. The programme, the people and the data they are made from live in modules of their own."""

from __future__ import annotations

import secrets
from datetime import date

from events_app.accounts import services as accounts
from events_app.accounts.roles import Role
from events_app.accounts.schemas import OrganiserCreate
from events_app.core.database import write_transaction
from events_app.demo.calls import call_for_workshops, first_review
from events_app.demo.data import ORGANISATIONS, REGIONS, SPEAKERS
from events_app.demo.hub import resources
from events_app.demo.materials import keynote_materials
from events_app.demo.people import event_row_for, past_seminar, registrations
from events_app.demo.programme import communities, conference, forum, seminars
from events_app.people import services as people
from events_app.people.schemas import OrganisationCreate
from events_app.people.tables import Region, StakeholderGroup
from events_app.programme import schemas as s
from events_app.programme import speakers
from events_app.programme.tables import Event

ADMIN_EMAIL = "admin@example.org"
__all__ = ["ADMIN_EMAIL", "event_row_for", "has_events", "load"]


async def has_events() -> bool:
    return bool(await Event.exists())


async def load(today: date | None = None) -> str:
    """Load the programme; returns the admin password, which is shown once and stored only hashed."""
    async with write_transaction():  # one transaction: all of it or none, and on SQLite one connection
        return await _load(today or date.today())


async def _load(today: date) -> str:
    async with write_transaction():
        await people.ensure_default_groups()
    groups = {g["slug"]: g["id"] for g in await StakeholderGroup.select(StakeholderGroup.id, StakeholderGroup.slug)}
    for slug, name in REGIONS:
        await Region(slug=slug, name=name).save()
    regions = {r["slug"]: r["id"] for r in await Region.select(Region.id, Region.slug)}

    organisations: dict[str, int] = {}
    for name, group, region in ORGANISATIONS:
        org = await people.create_organisation(
            OrganisationCreate(
                name=name, stakeholder_group_id=groups[group], region_id=regions[region] if region else None
            )
        )
        organisations[name] = org.id
    people_ids: dict[str, int] = {}
    for name, job, org_name, bio in SPEAKERS:
        sp = await speakers.create_speaker(
            s.SpeakerCreate(name=name, job_title=job, organisation_id=organisations[org_name], bio=bio)
        )
        people_ids[name] = sp.id

    await conference(today, people_ids)
    await keynote_materials()
    await seminars(today, people_ids)
    await forum(today)
    await communities(today, regions, people_ids)

    await registrations()
    await past_seminar(today)
    await resources()
    call = await call_for_workshops(today)

    password = secrets.token_urlsafe(12)
    admin = await accounts.create_organiser(
        OrganiserCreate(email=ADMIN_EMAIL, name="Demo Admin", role=Role.admin, password=password)
    )
    await first_review(call, admin)
    return password
