"""Venues with their rooms, and speakers (organisation picked or created by name, a private contact email)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from events_app.accounts.guards import requires_organiser
from events_app.core.crud import not_found
from events_app.core.errors import DomainError, FieldError
from events_app.core.params import PathId
from events_app.core.validation import check
from events_app.organiser import speaker_forms
from events_app.organiser.forms import form_values, optional, with_notice
from events_app.organiser.places_forms import choices, error_context, only_changes, refusal_errors
from events_app.people.services import list_groups, organisation_names
from events_app.programme import schemas, speakers, venues

VENUE_FIELDS = ("name", "address", "city", "postcode", "latitude", "longitude", "accessibility")
VENUE_LABELS = {
    "name": "Venue name",
    "address": "Address",
    "city": "Town or city",
    "postcode": "Postcode",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "accessibility": "Access information",
}
ROOM_FIELDS = ("name", "capacity", "accessibility")
ROOM_LABELS = {"name": "Room name", "capacity": "Seats", "accessibility": "Access information for the room"}
NEW_ROOM = "new-room-"


def _venue_values(form: Mapping[str, str]) -> dict[str, str | None]:
    values: dict[str, str | None] = {f: form.get(f, "") for f in VENUE_FIELDS}
    for f in ("latitude", "longitude"):
        values[f] = optional(form.get(f, ""))
    return values


def _room_values(form: Mapping[str, str]) -> dict[str, str | None]:
    return {
        "name": form.get("name", ""),
        "capacity": optional(form.get("capacity", "")),
        "accessibility": form.get("accessibility", ""),
    }


def _venue_form(venue: schemas.Venue) -> dict[str, str]:
    shown = {f: getattr(venue, f) for f in VENUE_FIELDS}
    return {f: "" if v is None else str(v) for f, v in shown.items()}


def _room_form(room: schemas.Room) -> dict[str, str]:
    capacity = "" if room.capacity is None else str(room.capacity)
    return {"name": room.name, "capacity": capacity, "accessibility": room.accessibility}


def _room_prefix(room_id: int) -> str:
    return f"room-{room_id}-"


class OrganiserPlacePages(Controller):
    path = "/organiser"
    include_in_schema = False
    guards = [requires_organiser]

    # Venues and rooms ------------------------------------------------------------------------------------------

    async def _venues_page(
        self, values: Mapping[str, str], errors: list[FieldError], notice: str | None, status: int = 200
    ) -> Template:
        return Template(
            "organiser/venues.html",
            context={"venues": await venues.list_venues(), "values": values, "notice": notice, **error_context(errors)},
            status_code=status,
        )

    async def _venue_page(
        self,
        venue: schemas.Venue,
        *,
        values: Mapping[str, str] | None = None,
        rooms: Mapping[str, Mapping[str, str]] | None = None,
        errors: list[FieldError] | None = None,
        notice: str | None = None,
    ) -> Template:
        """The venue's form, a form for each room and one for a new room; a refused one keeps what was typed."""
        room_forms = {str(r.id): _room_form(r) for r in venue.rooms} | dict(rooms or {})
        return Template(
            "organiser/venue_edit.html",
            context={
                "venue": venue,
                "values": values if values is not None else _venue_form(venue),
                "room_forms": room_forms,
                "new_room": room_forms.get("new", {}),
                "notice": notice,
                **error_context(errors or []),
            },
            status_code=400 if errors else 200,
        )

    @get("/venues", name="organiser-venues")
    async def list_venues(self, notice: FromQuery[str | None] = None) -> Template:
        return await self._venues_page({}, [], notice)

    @post("/venues", status_code=303)
    async def add_venue(self, request: Request[Any, Any, Any]) -> Response[Any]:
        form = await form_values(request)
        try:
            data = check(_venue_values(form), schemas.VenueCreate, VENUE_LABELS, strict=False)
            venue = await venues.create_venue(data)
        except DomainError as exc:
            return await self._venues_page(form, refusal_errors(exc, VENUE_FIELDS), None, status=400)
        return with_notice(f"/organiser/venues/{venue.id}/edit", f"{venue.name} added: now add its rooms")

    @get("/venues/{venue_id:int}/edit", name="organiser-venue")
    async def edit_venue(self, venue_id: PathId, notice: FromQuery[str | None] = None) -> Template:
        return await self._venue_page(await venues.get_venue(venue_id), notice=notice)

    @post("/venues/{venue_id:int}/edit", status_code=303)
    async def save_venue(self, request: Request[Any, Any, Any], venue_id: PathId) -> Response[Any]:
        venue = await venues.get_venue(venue_id)
        form = await form_values(request)
        try:
            data = check(_venue_values(form), schemas.VenueUpdate, VENUE_LABELS, strict=False)
            venue = await venues.update_venue(venue_id, only_changes(data, venue))
        except DomainError as exc:
            return await self._venue_page(venue, values=form, errors=refusal_errors(exc, VENUE_FIELDS))
        return with_notice(f"/organiser/venues/{venue_id}/edit", f"{venue.name} saved")

    @post("/venues/{venue_id:int}/delete", status_code=303)
    async def delete_venue(self, venue_id: PathId) -> Response[Any]:
        venue = await venues.get_venue(venue_id)
        try:
            await venues.delete_venue(venue_id)
        except DomainError as exc:
            return await self._venue_page(venue, errors=refusal_errors(exc, (), prefix="delete-"))
        return with_notice("/organiser/venues", f"{venue.name} removed")

    @post("/venues/{venue_id:int}/rooms", status_code=303)
    async def add_room(self, request: Request[Any, Any, Any], venue_id: PathId) -> Response[Any]:
        venue = await venues.get_venue(venue_id)
        form = await form_values(request)
        try:
            room = await venues.add_room(
                venue_id, check(_room_values(form), schemas.RoomCreate, ROOM_LABELS, strict=False)
            )
        except DomainError as exc:
            errors = refusal_errors(exc, ROOM_FIELDS, prefix=NEW_ROOM)
            return await self._venue_page(venue, rooms={"new": form}, errors=errors)
        return with_notice(f"/organiser/venues/{venue_id}/edit", f"{room.name} added")

    async def _room_of(self, venue_id: int, room_id: int) -> tuple[schemas.Venue, schemas.Room]:
        """The venue and its room: a room of another venue is not found here."""
        venue = await venues.get_venue(venue_id)
        room = next((r for r in venue.rooms if r.id == room_id), None)
        if room is None:
            raise not_found("room", room_id)
        return venue, room

    @post("/venues/{venue_id:int}/rooms/{room_id:int}", status_code=303)
    async def save_room(self, request: Request[Any, Any, Any], venue_id: PathId, room_id: PathId) -> Response[Any]:
        venue, room = await self._room_of(venue_id, room_id)
        form = await form_values(request)
        try:
            data = check(_room_values(form), schemas.RoomUpdate, ROOM_LABELS, strict=False)
            room = await venues.update_room(room_id, only_changes(data, room))
        except DomainError as exc:
            errors = refusal_errors(exc, ROOM_FIELDS, prefix=_room_prefix(room_id))
            return await self._venue_page(venue, rooms={str(room_id): form}, errors=errors)
        return with_notice(f"/organiser/venues/{venue_id}/edit", f"{room.name} saved")

    @post("/venues/{venue_id:int}/rooms/{room_id:int}/delete", status_code=303)
    async def delete_room(self, venue_id: PathId, room_id: PathId) -> Response[Any]:
        venue, room = await self._room_of(venue_id, room_id)
        try:
            await venues.delete_room(room_id)
        except DomainError as exc:
            return await self._venue_page(venue, errors=refusal_errors(exc, (), prefix=_room_prefix(room_id)))
        return with_notice(f"/organiser/venues/{venue_id}/edit", f"{room.name} removed")

    # Speakers --------------------------------------------------------------------------------------------------

    async def _speaker_context(self, values: Mapping[str, str], errors: list[FieldError]) -> dict[str, object]:
        return {
            "values": values,
            "organisations": await organisation_names(),
            "group_options": choices(await list_groups()),
            **error_context(errors),
        }

    @get("/speakers", name="organiser-speakers")
    async def list_speakers(self, notice: FromQuery[str | None] = None) -> Template:
        return await self._speakers_page({}, [], notice)

    async def _speakers_page(self, values: Mapping[str, str], errors: list[FieldError], notice: str | None) -> Template:
        page = await speakers.list_speakers(include_unpublished=True, limit=1000)
        return Template(
            "organiser/speakers.html",
            context={"speakers": page, "notice": notice, **await self._speaker_context(values, errors)},
            status_code=400 if errors else 200,
        )

    @post("/speakers", status_code=303)
    async def add_speaker(self, request: Request[Any, Any, Any]) -> Response[Any]:
        form = await form_values(request)
        try:
            speaker = await speaker_forms.save(form, None)
        except DomainError as exc:
            return await self._speakers_page(form, speaker_forms.errors(exc), None)
        return with_notice(f"/organiser/speakers/{speaker.slug}/edit", f"{speaker.name} added")

    async def _speaker_page(
        self,
        speaker: schemas.SpeakerForOrganisers,
        values: Mapping[str, str] | None = None,
        errors: list[FieldError] | None = None,
        notice: str | None = None,
    ) -> Template:
        return Template(
            "organiser/speaker_edit.html",
            context={
                "speaker": speaker,
                "notice": notice,
                **await self._speaker_context(values or speaker_forms.form_of(speaker), errors or []),
            },
            status_code=400 if errors else 200,
        )

    @get("/speakers/{slug:str}/edit", name="organiser-speaker")
    async def edit_speaker(self, slug: FromPath[str], notice: FromQuery[str | None] = None) -> Template:
        return await self._speaker_page(await speakers.get_speaker_for_organisers(slug), notice=notice)

    @post("/speakers/{slug:str}/edit", status_code=303)
    async def save_speaker(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Response[Any]:
        speaker = await speakers.get_speaker_for_organisers(slug)
        form = await form_values(request)
        try:
            speaker = await speaker_forms.save(form, speaker)
        except DomainError as exc:
            return await self._speaker_page(speaker, form, speaker_forms.errors(exc))
        return with_notice(f"/organiser/speakers/{speaker.slug}/edit", f"{speaker.name} saved")

    @post("/speakers/{slug:str}/delete", status_code=303)
    async def delete_speaker(self, slug: FromPath[str]) -> Response[Any]:
        speaker = await speakers.get_speaker_for_organisers(slug)
        await speakers.delete_speaker(slug)
        return with_notice("/organiser/speakers", f"{speaker.name} removed")
