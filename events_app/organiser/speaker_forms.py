"""The speaker form: an organisation picked by its name, or created from a new name with the stakeholder group it
belongs to, together with the speaker (one change: never a new organisation without its speaker)."""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from events_app.core.database import write_transaction
from events_app.core.errors import DomainError, FieldError, InvalidFields
from events_app.core.validation import check
from events_app.organiser.forms import optional
from events_app.organiser.places_forms import refusal_errors
from events_app.people import schemas as people_schemas
from events_app.people import services as people
from events_app.programme import schemas, speakers

FIELDS = ("name", "job_title", "organisation_name", "stakeholder_group_id", "bio", "contact_email")
LABELS = {
    "name": "Name",
    "job_title": "Job title",
    "organisation_name": "Organisation",
    "stakeholder_group_id": "Stakeholder group of the new organisation",
    "bio": "Biography",
    "contact_email": "Contact email",
}


def form_of(speaker: schemas.SpeakerForOrganisers) -> dict[str, str]:
    """The form filled in with the speaker as kept."""
    return {
        "name": speaker.name,
        "job_title": speaker.job_title,
        "organisation_name": speaker.organisation.name if speaker.organisation else "",
        "bio": speaker.bio,
        "contact_email": speaker.contact_email,
    }


def errors(exc: DomainError) -> list[FieldError]:
    return refusal_errors(exc, FIELDS, aliases={"organisation_id": "organisation_name"})


async def _organisation(form: Mapping[str, str]) -> tuple[int | None, people_schemas.OrganisationCreate | None]:
    """The organisation the form names: (its id, None) if it exists, (None, what to create) if the name is new."""
    name = " ".join(form.get("organisation_name", "").split())
    if not name:
        return None, None
    existing = await people.organisation_by_name(name)
    if existing is not None:
        return existing.id, None
    group = optional(form.get("stakeholder_group_id", ""))
    if group is None:
        message = (
            f"{LABELS['stakeholder_group_id']}: '{name}' is not on the list of organisations yet, so choose the "
            "group it belongs to (or pick an organisation from the list)"
        )
        raise InvalidFields([FieldError("stakeholder_group_id", message)])
    labels = {"name": LABELS["organisation_name"], "stakeholder_group_id": LABELS["stakeholder_group_id"]}
    try:
        new = check(
            {"name": name, "stakeholder_group_id": group}, people_schemas.OrganisationCreate, labels, strict=False
        )
    except InvalidFields as exc:
        renamed = [FieldError("organisation_name" if e.field == "name" else e.field, e.message) for e in exc.errors]
        raise InvalidFields(renamed) from exc
    return None, new


async def save(form: Mapping[str, str], current: schemas.SpeakerForOrganisers | None) -> schemas.SpeakerForOrganisers:
    """Add a speaker (`current` None) or change one from the whole form, naming every wrong field at once."""
    values = {f: form.get(f, "") for f in ("name", "job_title", "bio", "contact_email")}
    wrong: list[FieldError] = []
    organisation_id, new_organisation = None, None
    try:
        organisation_id, new_organisation = await _organisation(form)
    except InvalidFields as exc:
        wrong += exc.errors
    data: schemas.SpeakerCreate | schemas.SpeakerUpdate | None = None
    try:
        if current is None:
            data = check(values, schemas.SpeakerCreate, LABELS)
        else:
            data = check(values, schemas.SpeakerUpdate, LABELS)
    except InvalidFields as exc:
        wrong += exc.errors
    if wrong or data is None:
        order = {f: i for i, f in enumerate(FIELDS)}
        raise InvalidFields(sorted(wrong, key=lambda e: order.get(e.field, len(order))))
    async with write_transaction():
        if new_organisation is not None:
            organisation_id = (await people.create_organisation(new_organisation)).id
        data = msgspec.structs.replace(data, organisation_id=organisation_id)
        if isinstance(data, schemas.SpeakerUpdate):
            assert current is not None
            return await speakers.update_speaker(current.slug, data)
        return await speakers.create_speaker(data)
