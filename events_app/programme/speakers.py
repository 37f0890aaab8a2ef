"""Speakers: people who present, with their organisation and a short biography."""

from __future__ import annotations

from typing import Any

import msgspec
from piccolo.query import Select

from events_app.core.crud import changes_of, constraint_guard, not_found, require, unique_slug
from events_app.core.rows import Row
from events_app.core.schema import Page, person_name
from events_app.people.tables import Organisation
from events_app.programme import schemas
from events_app.programme.tables import SessionSpeaker, Speaker

_COLUMNS = (
    Speaker.id,
    Speaker.slug,
    Speaker.name,
    Speaker.job_title,
    Speaker.bio,
    Speaker.organisation.id.as_alias("org_id"),
    Speaker.organisation.slug.as_alias("org_slug"),
    Speaker.organisation.name.as_alias("org_name"),
    Speaker.organisation._.stakeholder_group._.name.as_alias("org_group"),
)


def _speaker(row: Row) -> schemas.Speaker:
    organisation = (
        schemas.OrganisationRef(
            id=row["org_id"], slug=row["org_slug"], name=row["org_name"], stakeholder_group=row["org_group"]
        )
        if row["org_id"] is not None
        else None
    )
    return schemas.Speaker(
        id=row["id"],
        slug=row["slug"],
        name=row["name"],
        job_title=row["job_title"],
        bio=row["bio"],
        organisation=organisation,
        url=f"/speakers/{row['slug']}",
    )


def _public_speaker_ids() -> Select[Any]:
    """Speakers who appear in at least one published or cancelled (so announced) event, in a session that is not a
    draft."""
    return SessionSpeaker.select(SessionSpeaker.speaker).where(
        SessionSpeaker.session._.event._.status.is_in(["published", "cancelled"])
        & (SessionSpeaker.session._.status != "draft")
    )


async def list_speakers(*, include_unpublished: bool, limit: int = 50, offset: int = 0) -> Page[schemas.Speaker]:
    query = Speaker.select(*_COLUMNS).order_by(Speaker.name)
    count = Speaker.count()
    if not include_unpublished:
        query = query.where(Speaker.id.is_in(_public_speaker_ids()))
        count = count.where(Speaker.id.is_in(_public_speaker_ids()))
    rows = await query.limit(limit).offset(offset)
    return Page(items=[_speaker(r) for r in rows], total=await count, limit=limit, offset=offset)


async def get_speaker(slug: str, *, include_unpublished: bool) -> schemas.Speaker:
    query = Speaker.select(*_COLUMNS).where(Speaker.slug == slug)
    if not include_unpublished:
        query = query.where(Speaker.id.is_in(_public_speaker_ids()))
    row = await query.first()
    if row is None:
        raise not_found("speaker", slug)
    return _speaker(row)


async def get_speaker_for_organisers(slug: str) -> schemas.SpeakerForOrganisers:
    """A speaker with their private contact email: for organisers' pages and answers only."""
    row = await Speaker.select(*_COLUMNS, Speaker.contact_email).where(Speaker.slug == slug).first()
    if row is None:
        raise not_found("speaker", slug)
    return schemas.SpeakerForOrganisers(**msgspec.structs.asdict(_speaker(row)), contact_email=row["contact_email"])


async def create_speaker(data: schemas.SpeakerCreate) -> schemas.SpeakerForOrganisers:
    name = person_name(data.name)
    await require(Organisation, data.organisation_id, field="organisation_id", what="organisation")
    slug = await unique_slug(Speaker, name, explicit=data.slug)
    row = Speaker(
        slug=slug,
        name=name,
        job_title=data.job_title,
        bio=data.bio,
        organisation=data.organisation_id,
        contact_email=data.contact_email,
    )
    await constraint_guard(row.save(), field="slug", unique_message=f"The slug '{slug}' is already used")
    return await get_speaker_for_organisers(slug)


async def update_speaker(slug: str, data: schemas.SpeakerUpdate) -> schemas.SpeakerForOrganisers:
    current = await get_speaker(slug, include_unpublished=True)
    changes = changes_of(data)
    if "name" in changes:
        changes["name"] = person_name(changes["name"])
    if "organisation_id" in changes:
        await require(Organisation, changes["organisation_id"], field="organisation_id", what="organisation")
        changes["organisation"] = changes.pop("organisation_id")
    if "slug" in changes:
        changes["slug"] = await unique_slug(Speaker, "", explicit=changes["slug"], exclude_id=current.id)
    if changes:
        await constraint_guard(
            Speaker.update(changes).where(Speaker.id == current.id).run(),
            field="slug",
            unique_message="That slug is already used",
        )
    return await get_speaker_for_organisers(changes.get("slug", slug))


async def delete_speaker(slug: str) -> None:
    current = await get_speaker(slug, include_unpublished=True)
    await Speaker.delete().where(Speaker.id == current.id)


async def find_speaker(*, email: str, name: str) -> int | None:
    """The speaker with this contact email, else the one with exactly this name: for a proposal's
    speakers, so that a returning speaker is not listed twice."""
    if email:
        row = await Speaker.select(Speaker.id).where(Speaker.contact_email == email).order_by(Speaker.id).first()
        if row is not None:
            return int(row["id"])
    if name:
        row = await Speaker.select(Speaker.id).where(Speaker.name == name).order_by(Speaker.id).first()
        if row is not None:
            return int(row["id"])
    return None
