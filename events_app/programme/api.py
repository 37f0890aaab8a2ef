"""JSON API for the programme. Everyone reads what is published; organisers read drafts and write."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from litestar import Request, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from events_app.accounts.guards import current_organiser, requires_organiser
from events_app.accounts.roles import Role
from events_app.core.api import ApiController
from events_app.core.params import Limit, Offset, PathId
from events_app.core.schema import Page
from events_app.programme import event_settings, events, schemas, series, sessions, speakers, venues
from events_app.programme.settings_schemas import EventMailSettings


def sees_drafts(request: Request[Any, Any, Any]) -> bool:
    organiser = current_organiser(request)
    return organiser is not None and organiser.role.allows(Role.organiser)


class EventController(ApiController):
    path = "/api/events"
    tags = ["programme"]

    @get("/", summary="List events (drafts only for organisers)")
    async def list_events(
        self,
        request: Request[Any, Any, Any],
        kind: FromQuery[schemas.EventKind | None] = None,
        series: Annotated[str | None, QueryParameter(description="series slug", max_length=120)] = None,
        status: FromQuery[schemas.EventStatus | None] = None,
        from_date: Annotated[date | None, QueryParameter(name="from", description="events ending on or after")] = None,
        to_date: Annotated[date | None, QueryParameter(name="to", description="events starting on or before")] = None,
        when: FromQuery[Literal["upcoming", "past"] | None] = None,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> Page[schemas.Event]:
        filters = events.EventFilters(
            kind=kind, series=series, status=status, from_date=from_date, to_date=to_date, when=when
        )
        drafts = sees_drafts(request)
        return await events.list_events(filters, include_drafts=drafts, limit=limit, offset=offset, addresses=drafts)

    @get(
        "/{slug:str}",
        summary="One event with its tracks and timetable (meeting addresses only for the event's organisers)",
    )
    async def get_event(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> schemas.EventDetail:
        drafts = sees_drafts(request)
        return await events.get_event(slug, include_drafts=drafts, addresses=drafts)

    @post("/", guards=[requires_organiser], summary="Create an event")
    async def create_event(self, data: JSONBody[schemas.EventCreate]) -> schemas.EventDetail:
        return await events.create_event(data)

    @patch("/{slug:str}", guards=[requires_organiser], summary="Change, publish or cancel an event")
    async def update_event(self, slug: FromPath[str], data: JSONBody[schemas.EventUpdate]) -> schemas.EventDetail:
        return await events.update_event(slug, data)

    @get(
        "/{slug:str}/settings",
        guards=[requires_organiser],
        summary="An event's mail settings: reminders, feedback requests, the note in emails (change them with PATCH)",
    )
    async def get_mail_settings(self, slug: FromPath[str]) -> EventMailSettings:
        return await event_settings.get_mail_settings(slug)

    @delete("/{slug:str}", guards=[requires_organiser], summary="Delete an event and its timetable")
    async def delete_event(self, slug: FromPath[str]) -> None:
        await events.delete_event(slug)

    @get("/{slug:str}/sessions", summary="An event's timetable")
    async def list_sessions(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> list[schemas.Session]:
        drafts = sees_drafts(request)
        return (await events.get_event(slug, include_drafts=drafts, addresses=drafts)).sessions

    @post("/{slug:str}/sessions", guards=[requires_organiser], summary="Add a session to an event")
    async def create_session(self, slug: FromPath[str], data: JSONBody[schemas.SessionCreate]) -> schemas.Session:
        return await sessions.create_session(slug, data)

    @post("/{slug:str}/tracks", guards=[requires_organiser], summary="Add a track to an event")
    async def create_track(self, slug: FromPath[str], data: JSONBody[schemas.TrackCreate]) -> schemas.Track:
        return await events.add_track(slug, data)


class SessionController(ApiController):
    path = "/api/sessions"
    tags = ["programme"]

    @get("/{session_id:int}", summary="One session")
    async def get_session(self, request: Request[Any, Any, Any], session_id: PathId) -> schemas.Session:
        return await sessions.get_session(session_id, include_drafts=sees_drafts(request))

    @patch("/{session_id:int}", guards=[requires_organiser], summary="Change a session")
    async def update_session(self, session_id: PathId, data: JSONBody[schemas.SessionUpdate]) -> schemas.Session:
        return await sessions.update_session(session_id, data)

    @delete("/{session_id:int}", guards=[requires_organiser], summary="Delete a session")
    async def delete_session(self, session_id: PathId) -> None:
        await sessions.delete_session(session_id)


class TrackController(ApiController):
    path = "/api/tracks"
    tags = ["programme"]
    guards = [requires_organiser]

    @patch("/{track_id:int}", summary="Change a track")
    async def update_track(self, track_id: PathId, data: JSONBody[schemas.TrackUpdate]) -> schemas.Track:
        return await events.update_track(track_id, data)

    @delete("/{track_id:int}", summary="Delete a track (its sessions stay, without a track)")
    async def delete_track(self, track_id: PathId) -> None:
        await events.delete_track(track_id)


class SpeakerController(ApiController):
    path = "/api/speakers"
    tags = ["programme"]

    @get("/", summary="List speakers (the public sees those in published events)")
    async def list_speakers(
        self, request: Request[Any, Any, Any], limit: Limit = 50, offset: Offset = 0
    ) -> Page[schemas.Speaker]:
        return await speakers.list_speakers(include_unpublished=sees_drafts(request), limit=limit, offset=offset)

    @get("/{slug:str}", summary="One speaker")
    async def get_speaker(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> schemas.Speaker:
        return await speakers.get_speaker(slug, include_unpublished=sees_drafts(request))

    @get(
        "/{slug:str}/private",
        guards=[requires_organiser],
        summary="One speaker with their private contact email (organisers only)",
    )
    async def get_speaker_for_organisers(self, slug: FromPath[str]) -> schemas.SpeakerForOrganisers:
        return await speakers.get_speaker_for_organisers(slug)

    @post("/", guards=[requires_organiser], summary="Add a speaker")
    async def create_speaker(self, data: JSONBody[schemas.SpeakerCreate]) -> schemas.SpeakerForOrganisers:
        return await speakers.create_speaker(data)

    @patch("/{slug:str}", guards=[requires_organiser], summary="Change a speaker")
    async def update_speaker(
        self, slug: FromPath[str], data: JSONBody[schemas.SpeakerUpdate]
    ) -> schemas.SpeakerForOrganisers:
        return await speakers.update_speaker(slug, data)

    @delete("/{slug:str}", guards=[requires_organiser], summary="Delete a speaker")
    async def delete_speaker(self, slug: FromPath[str]) -> None:
        await speakers.delete_speaker(slug)


class SeriesController(ApiController):
    path = "/api/series"
    tags = ["programme"]

    @get("/", summary="List series")
    async def list_series(self) -> list[schemas.Series]:
        return await series.list_series()

    @get("/{slug:str}", summary="One series")
    async def get_series(self, slug: FromPath[str]) -> schemas.Series:
        return await series.get_series(slug)

    @post("/", guards=[requires_organiser], summary="Create a series")
    async def create_series(self, data: JSONBody[schemas.SeriesCreate]) -> schemas.Series:
        return await series.create_series(data)

    @patch("/{slug:str}", guards=[requires_organiser], summary="Change a series")
    async def update_series(self, slug: FromPath[str], data: JSONBody[schemas.SeriesUpdate]) -> schemas.Series:
        return await series.update_series(slug, data)

    @delete("/{slug:str}", guards=[requires_organiser], summary="Delete a series without events")
    async def delete_series(self, slug: FromPath[str]) -> None:
        await series.delete_series(slug)


class VenueController(ApiController):
    path = "/api/venues"
    tags = ["programme"]

    @get("/", summary="List venues with their rooms")
    async def list_venues(self) -> list[schemas.Venue]:
        return await venues.list_venues()

    @get("/{venue_id:int}", summary="One venue")
    async def get_venue(self, venue_id: PathId) -> schemas.Venue:
        return await venues.get_venue(venue_id)

    @post("/", guards=[requires_organiser], summary="Add a venue (and its rooms)")
    async def create_venue(self, data: JSONBody[schemas.VenueCreate]) -> schemas.Venue:
        return await venues.create_venue(data)

    @patch("/{venue_id:int}", guards=[requires_organiser], summary="Change a venue")
    async def update_venue(self, venue_id: PathId, data: JSONBody[schemas.VenueUpdate]) -> schemas.Venue:
        return await venues.update_venue(venue_id, data)

    @delete("/{venue_id:int}", guards=[requires_organiser], summary="Delete a venue no event uses")
    async def delete_venue(self, venue_id: PathId) -> None:
        await venues.delete_venue(venue_id)

    @post("/{venue_id:int}/rooms", guards=[requires_organiser], summary="Add a room")
    async def add_room(self, venue_id: PathId, data: JSONBody[schemas.RoomCreate]) -> schemas.Room:
        return await venues.add_room(venue_id, data)


class RoomController(ApiController):
    path = "/api/rooms"
    tags = ["programme"]
    guards = [requires_organiser]

    @patch("/{room_id:int}", summary="Change a room")
    async def update_room(self, room_id: PathId, data: JSONBody[schemas.RoomUpdate]) -> schemas.Room:
        return await venues.update_room(room_id, data)

    @delete("/{room_id:int}", summary="Delete a room no session uses")
    async def delete_room(self, room_id: PathId) -> None:
        await venues.delete_room(room_id)
