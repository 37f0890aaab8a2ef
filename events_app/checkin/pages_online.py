"""The organisers' page for recording online attendance from a meeting platform's attendance export: upload the
file (or paste its text), and read what was recorded and which rows were not, with why."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.response import Template

from events_app.accounts.guards import current_organiser, requires_organiser
from events_app.checkin import online_import, views
from events_app.checkin.schemas import DateOrder
from events_app.core.errors import DomainError
from events_app.core.params import form_id
from events_app.programme.dependencies import EVENT, PathEvent
from events_app.programme.rows import EventRow

DATE_ORDERS: dict[str, DateOrder | None] = {"": None, "day_first": "day_first", "month_first": "month_first"}


class OnlineAttendancePages(Controller):
    path = "/organiser/events/{slug:str}/attendance"
    include_in_schema = False
    guards = [requires_organiser]
    dependencies = EVENT

    async def _page(
        self,
        event: EventRow,
        *,
        result: online_import.ImportResult | None = None,
        error: DomainError | None = None,
        chosen: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        return Template(
            "checkin/online_import.html",
            context={
                "event": event,
                "sessions": await views.session_choices(event),
                "result": result,
                "errors": [{"field": error.field or "file", "message": error.detail}] if error else [],
                "field_errors": {error.field or "file": error.detail} if error else {},
                "chosen": chosen or {},
                "limit": online_import.LIMIT_WORDS,
            },
            status_code=status_code,
        )

    @get("/import", name="attendance-import")
    async def form(self, event: PathEvent) -> Template:
        return await self._page(event)

    @post("/import", status_code=200, request_max_body_size=online_import.MAX_IMPORT_BYTES + 10_000)
    async def upload(self, request: Request[Any, Any, Any], event: PathEvent) -> Template:
        form = await request.form()
        upload = form.get("file")
        data = await upload.read() if isinstance(upload, UploadFile) else b""
        if not data.strip():
            data = str(form.get("text", "") or "").encode("utf-8")
        chosen = {"session": str(form.get("session_id", "") or ""), "date_order": str(form.get("date_order", "") or "")}
        organiser = current_organiser(request)
        try:
            result = await online_import.import_online_attendance(
                event,
                data,
                by=organiser.user_id if organiser else None,
                session_id=form_id(form.get("session_id")),
                date_order=DATE_ORDERS.get(chosen["date_order"]),
            )
        except DomainError as error:  # the file, the session: said on the form, which stays as it was
            return await self._page(event, error=error, chosen=chosen, status_code=error.status_code)
        return await self._page(event, result=result, chosen=chosen)
