"""Public programme pages: upcoming events, an event with its timetable, a speaker, a series."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from events_app.core.timezones import utc_now
from events_app.programme import availability, events, location, schemas, series, sessions, speakers
from events_app.programme.api import sees_drafts
from events_app.programme.page_cache import PublicPages
from events_app.programme.schemas import EVENT_KIND_LABELS

KIND_ORDER = list(EVENT_KIND_LABELS)
# The public event page's event and its public materials (`.event`: its own; `.sessions`: by session id): the hub
# keeps the materials (hub/materials) and create_app hands them down with a PublicPages made once per app.
PublicMaterials = PublicPages[object]


@dataclass
class Slot:
    """Sessions that share a start and end time: shown side by side, one column per track."""

    starts_at: datetime
    ends_at: datetime
    sessions: list[schemas.Session] = field(default_factory=list)

    @property
    def parallel(self) -> bool:
        return len(self.sessions) > 1


def timetable(detail: schemas.EventDetail) -> list[tuple[str, list[Slot]]]:
    """Days, each a list of time slots, in the event's own time zone."""
    track_order = {t.id: t.position for t in detail.tracks}
    slots: dict[tuple[datetime, datetime], Slot] = {}
    for session in detail.sessions:
        key = (session.starts_at, session.ends_at)
        slots.setdefault(key, Slot(*key)).sessions.append(session)
    for slot in slots.values():
        slot.sessions.sort(key=lambda s: (track_order.get(s.track.id, 0) if s.track else -1, s.id))
    ordered = sorted(slots.values(), key=lambda s: (s.starts_at, s.ends_at))
    return [(day, list(group)) for day, group in groupby(ordered, key=lambda s: s.starts_at.strftime("%A %-d %B %Y"))]


def grouped_by_kind(items: list[schemas.Event]) -> list[tuple[str, list[tuple[str | None, list[schemas.Event]]]]]:
    """Upcoming events by kind, then by series (events outside a series last)."""
    result = []
    for kind in KIND_ORDER:
        of_kind = [e for e in items if e.kind == kind]
        if not of_kind:
            continue
        by_series: dict[str | None, list[schemas.Event]] = {}
        for event in of_kind:
            by_series.setdefault(event.series.title if event.series else None, []).append(event)
        ordered = sorted(by_series.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
        result.append((EVENT_KIND_LABELS[kind], ordered))
    return result


class ProgrammePages(Controller):
    include_in_schema = False

    @get("/", name="home")
    async def home(self, request: Request[Any, Any, Any]) -> Template:
        page = await events.list_events(events.EventFilters(when="upcoming"), include_drafts=False, limit=100, offset=0)
        return Template(
            "programme/home.html",
            context={
                "groups": grouped_by_kind(page.items),
                "total": page.total,
                "all_series": await series.list_series(),
            },
        )

    @get("/past", name="past")
    async def past(self) -> Template:
        page = await events.list_events(events.EventFilters(when="past"), include_drafts=False, limit=100, offset=0)
        return Template("programme/past.html", context={"events": page.items})

    @get("/events/{slug:str}", name="event")
    async def event(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        places_taken: NamedDependency[availability.PlacesTaken],
        public_materials: NamedDependency[PublicMaterials],
    ) -> Template:
        if request.scope.get("user") is None:  # anyone: the page's facts are kept while they are unchanged
            detail, materials = await public_materials.event(slug)
        else:  # organisers see drafts, and always what the database holds now
            detail = await events.get_event(slug, include_drafts=sees_drafts(request))
            materials = await public_materials.materials_of(detail.id)
        counted = await places_taken(detail.id, detail.attendance_mode) if detail.capacity is not None else 0
        people = {s.slug: s for session in detail.sessions for s in session.speakers}
        return Template(
            "programme/event.html",
            context={
                "event": detail,
                "where": location.event_where(detail),
                "registration": availability.of_event(detail, utc_now(), counted),
                "days": timetable(detail),
                "speakers": sorted(people.values(), key=lambda s: s.name),
                "materials": materials,
            },
        )

    @get("/speakers/{slug:str}", name="speaker")
    async def speaker(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        drafts = sees_drafts(request)
        person = await speakers.get_speaker(slug, include_unpublished=drafts)
        return Template(
            "programme/speaker.html",
            context={
                "speaker": person,
                "appearances": await sessions.speaker_sessions(person.id, include_drafts=drafts),
            },
        )

    @get("/series/{slug:str}", name="series")
    async def series_page(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        one = await series.get_series(slug)
        filters = events.EventFilters(series=slug)
        page = await events.list_events(filters, include_drafts=sees_drafts(request), limit=100, offset=0)
        now = datetime.now(tz=page.items[0].starts_at.tzinfo) if page.items else None
        upcoming = [e for e in page.items if now is None or e.ends_at >= now]
        past = [e for e in page.items if now is not None and e.ends_at < now][::-1]
        return Template("programme/series.html", context={"series": one, "upcoming": upcoming, "past": past})
