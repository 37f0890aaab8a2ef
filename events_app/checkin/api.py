"""Check-in for staff (check-in staff and above); undoing a check-in needs an organiser."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath, JSONBody, QueryParameter

from events_app.accounts.guards import current_organiser, requires_checkin, requires_organiser
from events_app.accounts.roles import Role
from events_app.checkin import online_import, schemas, services, views
from events_app.core.api import ApiController
from events_app.core.csv_export import csv_bytes, csv_response
from events_app.core.params import PathId, QueryId
from events_app.core.timezones import utc_now
from events_app.programme.dependencies import EVENT, PathEvent
from events_app.tickets import codes


def _staff(request: Request[Any, Any, Any]) -> int:
    organiser = current_organiser(request)
    assert organiser is not None  # the guard ran first
    return organiser.user_id


def _override(request: Request[Any, Any, Any], asked: bool) -> bool:
    """Checking a ticket in outside the event's days is an organiser's decision, not the door staff's."""
    organiser = current_organiser(request)
    if asked and (organiser is None or not organiser.role.allows(Role.organiser)):
        raise PermissionDeniedException(detail="Only an organiser can check a ticket in outside the event's days")
    return asked


class CheckInController(ApiController):
    path = "/api/events/{slug:str}/check-in"
    tags = ["check-in"]
    guards = [requires_checkin]
    dependencies = EVENT  # the door's scans keep to the slug: they use the scanner's memory of the event

    @post("/scan", status_code=200, summary="Scan a ticket: the answer says whether to let the person in")
    async def scan(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: JSONBody[schemas.Scan]
    ) -> schemas.ScanResult:
        return await services.scan(
            slug,
            data.code,
            staff_id=_staff(request),
            session_id=data.session_id,
            client_id=data.client_id,
            override=_override(request, data.override),
            direction=data.direction,
        )

    @post(
        "/sync",
        status_code=200,
        summary="Scans a scanner made offline (check-ins, and refusals kept on record); each counts once",
    )
    async def sync(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: JSONBody[schemas.SyncRequest]
    ) -> list[schemas.ScanResult]:
        staff = _staff(request)
        now = utc_now()
        answers = []
        for s in sorted(data.scans, key=lambda s: s.at or now):  # earliest first: the earliest scan stands
            if s.refused is not None:  # turned away offline: kept as refused, never let in now
                answers.append(
                    await services.refused_offline(
                        slug,
                        s.code,
                        s.refused,
                        staff_id=staff,
                        session_id=s.session_id,
                        client_id=s.client_id,
                        at=s.at,
                        direction=s.direction,
                    )
                )
                continue
            answers.append(
                await services.scan(
                    slug,
                    s.code,
                    staff_id=staff,
                    session_id=s.session_id,
                    client_id=s.client_id,
                    at=s.at,
                    method="offline",
                    override=_override(request, s.override),
                    direction=s.direction,
                )
            )
        return answers

    @post("/registrations/{registration_id:int}", status_code=200, summary="Check someone in without their ticket")
    async def check_in(
        self,
        request: Request[Any, Any, Any],
        event: PathEvent,
        registration_id: PathId,
        data: JSONBody[schemas.ManualCheckIn],
    ) -> schemas.ScanResult:
        return await services.check_in(
            event,
            registration_id,
            staff_id=_staff(request),
            session_id=data.session_id,
            client_id=data.client_id,
            method="search",
            override=_override(request, data.override),
            direction=data.direction,
        )

    @get("/search", summary="Find a confirmed delegate by name or organisation")
    async def search(
        self,
        event: PathEvent,
        q: Annotated[str, QueryParameter(min_length=2, max_length=100, description="part of a name or organisation")],
    ) -> list[schemas.Person]:
        return await views.search(event, q)

    @get("/counts", summary="Checked in and expected, for the event or one session")
    async def counts(self, event: PathEvent, session: QueryId = None) -> schemas.Counts:
        return await views.counts(event, session)

    @get("/public-key", summary="The key that signs tickets, for scanners that check codes offline")
    async def public_key(self, event: PathEvent) -> schemas.PublicKey:
        return schemas.PublicKey(algorithm="Ed25519", public_key=codes.public_key_b64(), event_id=event.id)

    @get("/offline", summary="Public key and registrations, for scanning with no network")
    async def offline(self, event: PathEvent) -> Response[schemas.OfflineList]:
        return Response(await views.offline_list(event), headers={"Cache-Control": "no-store"})


class AttendanceController(ApiController):
    path = "/api/events/{slug:str}"
    tags = ["check-in"]
    guards = [requires_organiser]
    dependencies = EVENT

    @get(
        "/attendance.csv",
        summary="Who came, in person and online: attendance as CSV (UTF-8 with BOM)",
        media_type="text/csv",
    )
    async def attendance_csv(self, event: PathEvent, session: QueryId = None) -> Response[bytes]:
        data = await views.attendance(event, session)
        name = f"attendance-{event.slug}" + (f"-session-{session}" if session else "")
        return csv_response(csv_bytes(views.ATTENDANCE_HEADER, views.attendance_rows(data)), f"{name}.csv")

    @post(
        "/attendance/online-import",
        status_code=200,
        summary="Record online attendance from a meeting platform's attendance export (CSV text)",
        request_max_body_size=online_import.MAX_IMPORT_BYTES + 10_000,
    )
    async def online_import(
        self, request: Request[Any, Any, Any], event: PathEvent, data: JSONBody[schemas.OnlineImport]
    ) -> schemas.OnlineImportResult:
        result = await online_import.import_online_attendance(
            event,
            data.csv.encode("utf-8"),
            by=_staff(request),
            session_id=data.session_id,
            date_order=data.date_order,
        )
        return online_import.result_out(result)


class CheckInUndoController(ApiController):
    path = "/api/check-ins"
    tags = ["check-in"]
    guards = [requires_organiser]

    @post("/{check_in_id:int}/undo", status_code=204, summary="Undo a check-in (it stays recorded)")
    async def undo(self, request: Request[Any, Any, Any], check_in_id: PathId) -> None:
        await services.undo(check_in_id, _staff(request))
