"""An event's timetable as a grid (rooms or tracks across, time down; a list by time
on a phone): add, edit, move and delete sessions; add, rename and remove tracks.

Every change goes through programme.sessions and programme.events, the functions the JSON API calls: a room
clash, a session outside the event, an end before the start or more places than the room holds are refused
there, and the page names the field (and, for a clash, links to the session already in the room)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template

from events_app.accounts.guards import requires_organiser
from events_app.core.crud import not_found
from events_app.core.errors import DomainError
from events_app.core.params import PathId
from events_app.core.validation import FieldError, check, errors_of
from events_app.organiser import session_form, timetable_grid
from events_app.organiser.forms import form_values, with_notice
from events_app.programme import events, schemas, sessions, speakers
from events_app.programme.dependencies import EVENT, PathEvent
from events_app.programme.errors import RoomClash
from events_app.programme.rows import EventRow

TRACK_LABELS = {"name": "Track name", "description": "Description"}
NOTICE_MAX = 300
SPEAKER_LIMIT = 1000  # every speaker, by name, in each <select>

MaterialCounts = Callable[[int], Awaitable[Mapping[int | None, int]]]
"""An event's id -> how many materials it has: by session id, and the event's own under None. The hub keeps
materials; create_app hands this down (`material_counts`), so the timetable links to them with a count."""


def timetable_path(event: EventRow) -> str:
    return f"/organiser/events/{event.slug}/timetable"


def _session_path(event: EventRow, session_id: int) -> str:
    return f"/organiser/events/{event.slug}/sessions/{session_id}"


def _who_is_told(event: EventRow, before: schemas.Session, after: schemas.Session) -> str:
    """What the notice adds after a save: a workshop of a published event that moved or was cancelled has
    its place-holders told by email (registration's reaction to the change)."""
    changed = (before.starts_at, before.ends_at, before.room, before.status) != (
        after.starts_at,
        after.ends_at,
        after.room,
        after.status,
    )
    if changed and after.capacity is not None and event.status == "published":
        return " People holding a place in it are told by email."
    return ""


class OrganiserTimetablePages(Controller):
    path = "/organiser"
    include_in_schema = False
    guards = [requires_organiser]
    dependencies = EVENT

    # The timetable ---------------------------------------------------------------------------------------

    async def _timetable(
        self,
        event: EventRow,
        *,
        notice: str | None = None,
        errors: list[FieldError] | None = None,
        values: Mapping[str, str] | None = None,
        status_code: int = 200,
        material_counts: MaterialCounts | None = None,
    ) -> Template:
        everything = await events.event_detail(event, include_draft_sessions=True)
        drafts = [s for s in everything.sessions if s.status == sessions.DRAFT]
        detail = msgspec.structs.replace(everything, sessions=[s for s in everything.sessions if s not in drafts])
        rooms = detail.venue.rooms if detail.venue else []
        errors = errors or []
        return Template(
            "organiser/timetable.html",
            context={
                "event": detail,
                "drafts": drafts,
                "material_counts": await material_counts(event.id) if material_counts else None,
                "grid": timetable_grid.build(detail, rooms),
                "kind_labels": session_form.KIND_LABELS,
                "notice": notice[:NOTICE_MAX] if notice else None,
                "errors": errors,
                "field_errors": {e.field: e.message for e in reversed(errors)},
                "values": values or {},
            },
            status_code=status_code,
        )

    @get("/events/{slug:str}/timetable", name="organiser-timetable")
    async def timetable(
        self,
        event: PathEvent,
        material_counts: NamedDependency[MaterialCounts],
        notice: FromQuery[str | None] = None,
    ) -> Template:
        return await self._timetable(event, notice=notice, material_counts=material_counts)

    # Sessions --------------------------------------------------------------------------------------------

    async def _session_form(
        self,
        event: EventRow,
        *,
        values: Mapping[str, object],
        chosen: list[session_form.SpeakerChoice],
        session: schemas.Session | None = None,
        errors: list[FieldError] | None = None,
        clash: schemas.Session | None = None,
        status_code: int = 200,
    ) -> Template:
        detail = await events.event_detail(event, include_draft_sessions=True)
        everyone = await speakers.list_speakers(include_unpublished=True, limit=SPEAKER_LIMIT, offset=0)
        errors = errors or []
        return Template(
            "organiser/session_form.html",
            context={
                "event": detail,
                "session": session,
                "rooms": detail.venue.rooms if detail.venue else [],
                "tracks": detail.tracks,
                "speakers": everyone.items,
                "speaker_rows": session_form.speaker_rows(chosen),
                "kind_labels": session_form.KIND_LABELS,
                "status_labels": session_form.STATUS_LABELS,
                "role_labels": session_form.ROLE_LABELS,
                "values": values,
                "errors": errors,
                "field_errors": {e.field: e.message for e in reversed(errors)},
                "clash": clash,
                "action": _session_path(event, session.id) + "/edit"
                if session
                else f"/organiser/events/{event.slug}/sessions",
            },
            status_code=status_code,
        )

    async def _refused(
        self, event: EventRow, form: Mapping[str, str], exc: DomainError, session: schemas.Session | None = None
    ) -> Template:
        """The form again (400), every wrong field named next to it, what was typed kept."""
        clash = None
        if isinstance(exc, RoomClash) and exc.session_id is not None:
            clash = await sessions.get_session(exc.session_id, include_drafts=True)
        chosen = session_form.speaker_choices(form)
        if session is not None and form.get("speakers_listed") != "1":
            chosen = session_form.chosen_of(session)
        values = {**(session_form.values_of(session) if session else {}), **form}
        return await self._session_form(
            event,
            values=values,
            chosen=chosen,
            session=session,
            errors=session_form.on_the_form(errors_of(exc)),
            clash=clash,
            status_code=400,
        )

    async def _session_of(self, event: EventRow, session_id: int) -> schemas.Session:
        """The session, if it belongs to the event of the address (else not found)."""
        session = await sessions.get_session(session_id, include_drafts=True)
        if session.event != event.slug:
            raise not_found("session", session_id)
        return session

    @get("/events/{slug:str}/sessions/new", name="organiser-session-new")
    async def new_session(self, event: PathEvent) -> Template:
        detail = await events.event_detail(event, include_draft_sessions=True)
        return await self._session_form(event, values=session_form.blank_values(detail), chosen=[])

    @post("/events/{slug:str}/sessions", status_code=303)
    async def create_session(self, request: Request[Any, Any, Any], event: PathEvent) -> Response[Any]:
        form = await form_values(request)
        try:
            data = session_form.parse(form, schemas.SessionCreate)
            made = await sessions.create_session(event.slug, data)
        except DomainError as exc:
            return await self._refused(event, form, exc)
        return with_notice(timetable_path(event), f"Added '{made.title}' ({made.starts_at:%H:%M}–{made.ends_at:%H:%M})")

    @get("/events/{slug:str}/sessions/{session_id:int}/edit", name="organiser-session-edit")
    async def edit_session(self, event: PathEvent, session_id: PathId) -> Template:
        session = await self._session_of(event, session_id)
        return await self._session_form(
            event, values=session_form.values_of(session), chosen=session_form.chosen_of(session), session=session
        )

    @post("/events/{slug:str}/sessions/{session_id:int}/edit", status_code=303)
    async def update_session(
        self, request: Request[Any, Any, Any], event: PathEvent, session_id: PathId
    ) -> Response[Any]:
        session = await self._session_of(event, session_id)
        form = await form_values(request)
        try:
            data = session_form.parse(form, schemas.SessionUpdate)
            saved = await sessions.update_session(session_id, data)
        except DomainError as exc:
            return await self._refused(event, form, exc, session)
        when = f"{saved.starts_at:%H:%M}–{saved.ends_at:%H:%M}"
        return with_notice(
            timetable_path(event), f"Saved '{saved.title}' ({when}).{_who_is_told(event, session, saved)}"
        )

    @post("/events/{slug:str}/sessions/{session_id:int}/delete", status_code=303)
    async def delete_session(
        self, request: Request[Any, Any, Any], event: PathEvent, session_id: PathId
    ) -> Response[Any]:
        """Without the confirming second submit, the question; with it, the session goes (unless booked)."""
        session = await self._session_of(event, session_id)
        form = await form_values(request)
        error = None
        if form.get("confirm") == "yes":
            try:
                await sessions.delete_session(session_id)
            except DomainError as exc:
                error = exc.detail
            else:
                return with_notice(timetable_path(event), f"Deleted '{session.title}'")
        return Template(
            "organiser/session_delete.html",
            context={
                "event": await events.event_detail(event, include_draft_sessions=True),
                "session": session,
                "error": error,
            },
            status_code=400 if error else 200,
        )

    # Tracks ----------------------------------------------------------------------------------------------

    async def _track_of(self, event: EventRow, track_id: int) -> schemas.Track:
        track = next((t for t in await events.list_tracks(event.id) if t.id == track_id), None)
        if track is None:
            raise not_found("track", track_id)
        return track

    @post("/events/{slug:str}/tracks", status_code=303)
    async def add_track(self, request: Request[Any, Any, Any], event: PathEvent) -> Response[Any]:
        form = await form_values(request)
        position = len(await events.list_tracks(event.id))
        try:
            data = check({"name": form.get("name", ""), "position": position}, schemas.TrackCreate, TRACK_LABELS)
            track = await events.add_track(event.slug, data)
        except DomainError as exc:
            errors = [FieldError("track_name", e.message) for e in errors_of(exc)]
            values = {"track_name": form.get("name", "")}
            return await self._timetable(event, errors=errors, values=values, status_code=400)
        return with_notice(timetable_path(event), f"Added the track '{track.name}'")

    @post("/events/{slug:str}/tracks/{track_id:int}/edit", status_code=303)
    async def rename_track(self, request: Request[Any, Any, Any], event: PathEvent, track_id: PathId) -> Response[Any]:
        await self._track_of(event, track_id)
        form = await form_values(request)
        field = f"track-{track_id}-name"
        try:
            data = check({"name": form.get("name", "")}, schemas.TrackUpdate, TRACK_LABELS)
            track = await events.update_track(track_id, data)
        except DomainError as exc:
            errors = [FieldError(field, e.message) for e in errors_of(exc)]
            return await self._timetable(event, errors=errors, values={field: form.get("name", "")}, status_code=400)
        return with_notice(timetable_path(event), f"Renamed the track '{track.name}'")

    @post("/events/{slug:str}/tracks/{track_id:int}/delete", status_code=303)
    async def remove_track(self, request: Request[Any, Any, Any], event: PathEvent, track_id: PathId) -> Response[Any]:
        """Without the confirming second submit, the question; with it, the track goes (its sessions stay)."""
        track = await self._track_of(event, track_id)
        form = await form_values(request)
        if form.get("confirm") == "yes":
            await events.delete_track(track_id)
            return with_notice(timetable_path(event), f"Removed the track '{track.name}'; its sessions stay")
        detail = await events.event_detail(event, include_draft_sessions=True)
        in_track = [s for s in detail.sessions if s.track and s.track.id == track_id]
        return Template(
            "organiser/timetable_track_delete.html",
            context={"event": detail, "track": track, "sessions": in_track},
            status_code=200,
        )
