"""The scanner page (camera where the browser can, a field for USB scanners and typed codes, search by
name; it works without JavaScript, and offline with it) and the organisers' attendance dashboard."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromQuery
from litestar.response import Template

from events_app.accounts.guards import current_organiser, requires_checkin, requires_organiser
from events_app.accounts.roles import Role
from events_app.checkin import schemas, services, views
from events_app.checkin.schemas import Direction
from events_app.core.params import QueryId, form_id
from events_app.core.security import SCANNER_CONTENT_SECURITY_POLICY
from events_app.programme.dependencies import EVENT, PathEvent
from events_app.programme.events import event_detail
from events_app.programme.rows import EventRow


def _can_override(request: Request[Any, Any, Any]) -> bool:
    organiser = current_organiser(request)
    return organiser is not None and organiser.role.allows(Role.organiser)


class CheckInPages(Controller):
    path = "/organiser/events/{slug:str}"
    include_in_schema = False
    dependencies = EVENT

    async def _page(
        self,
        event: EventRow,
        session_id: int | None,
        result: schemas.ScanResult | None,
        q: str | None,
        *,
        can_override: bool = False,
        direction: Direction = "in",
    ) -> Template:
        detail = await event_detail(event)
        sessions = [s for s in detail.sessions if s.kind not in ("break",)]
        return Template(
            "checkin/scanner.html",
            context={
                "event": detail,
                "sessions": sessions,
                "session_id": session_id,
                "result": result,
                "counts": await views.counts(event, session_id),
                "q": q or "",
                "found": await views.search(event, q) if q and len(q.strip()) >= 2 else None,
                "can_override": can_override,
                "can_print_badge": can_override,  # badges are an organiser's (the scanner's answer links one)
                "direction": direction if event.check_out else "in",
                "check_out": event.check_out,
            },
            headers={"Cache-Control": "no-store", "Content-Security-Policy": SCANNER_CONTENT_SECURITY_POLICY},
        )

    @get("/check-in", guards=[requires_checkin], name="scanner")
    async def scanner(
        self,
        request: Request[Any, Any, Any],
        event: PathEvent,
        session: QueryId = None,
        q: FromQuery[str | None] = None,
    ) -> Template:
        return await self._page(event, session, None, (q or "")[:100], can_override=_can_override(request))

    @post("/check-in", guards=[requires_checkin], status_code=200)
    async def scan(self, request: Request[Any, Any, Any], event: PathEvent) -> Template:
        form = await request.form()
        organiser = current_organiser(request)
        session_id = form_id(form.get("session_id"))
        registration_id = form_id(form.get("registration_id"))
        # Outside the event's days only an organiser may check someone in ("Check in anyway").
        override = form.get("override") == "1" and organiser is not None and organiser.role.allows(Role.organiser)
        direction: Direction = "out" if form.get("direction") == "out" else "in"
        if registration_id is not None:
            result = await services.check_in(
                event,
                registration_id,
                staff_id=organiser.user_id if organiser else None,
                session_id=session_id,
                method="search",
                override=override,
                direction=direction,
            )
        else:
            result = await services.scan(
                event.slug,  # the door's answer comes from the scanner's few-second memory of the event
                str(form.get("code", "") or "")[:500],
                staff_id=organiser.user_id if organiser else None,
                session_id=session_id,
                override=override,
                direction=direction,
            )
        return await self._page(
            event, session_id, result, None, can_override=_can_override(request), direction=direction
        )

    @get("/attendance", guards=[requires_organiser], name="attendance")
    async def attendance(self, event: PathEvent, session: QueryId = None) -> Template:
        data = await views.attendance(event, session)
        return Template(
            "checkin/attendance.html",
            context={
                **{f.name: getattr(data, f.name) for f in fields(data)},
                "detail": await event_detail(event),
                "peak": max(data.arrivals.values(), default=0),
                "refused": await views.refused_scans(event),
                "inside": await views.inside(event, session) if event.check_out else None,
                "online_people": views.online_people(data),
                "mode": event.attendance_mode,
            },
        )
