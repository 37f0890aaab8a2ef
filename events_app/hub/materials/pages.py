"""Materials' pages: the file itself (`/materials/{id}/{name}`), the organisers' materials page of an event, and
the page a speaker opens from their emailed link. The routes that take a file sit in controllers of their own
(`upload_controllers`), whose body limit is MATERIAL_MAX_MB; every other route keeps the site's small limit."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Stream, Template

from events_app.accounts.guards import current_organiser, requires_organiser
from events_app.core.errors import DomainError, FieldError, field_errors
from events_app.core.params import PathId, form_id
from events_app.hub.materials import content, services, serving, speakers
from events_app.hub.materials.errors import MaterialNotFound
from events_app.hub.materials.schemas import VISIBILITY_LABELS
from events_app.organiser.forms import with_notice
from events_app.programme import events
from events_app.programme.dependencies import EVENT, PathEvent
from events_app.programme.rows import EventRow

PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}  # a speaker's link is the key
# A served file never runs as a page: no scripts, no plugins, nothing loaded, whatever a browser guesses.
FILE_POLICY = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; plugin-types application/pdf"


def materials_path(event: EventRow | Any) -> str:
    return f"/organiser/events/{event.slug}/materials"


class MaterialFiles(Controller):
    """The file of a material, for whoever may see it; for anyone else the same 404 as for nothing there."""

    include_in_schema = False

    @get("/materials/{material_id:int}/{filename:str}")
    async def file(
        self, request: Request[Any, Any, Any], material_id: PathId, filename: FromPath[str], key: FromQuery[str] = ""
    ) -> Stream:
        served = await serving.file_to_serve(
            material_id, filename, organiser=current_organiser(request), key=key[:500] or None
        )
        headers = {
            "Content-Disposition": content.content_disposition(served.filename, inline=served.inline),
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": FILE_POLICY,
            "Content-Length": str(served.size),
            "Cache-Control": "private, max-age=300",
            "Referrer-Policy": "no-referrer",
        }
        return Stream(served.chunks, media_type=served.content_type, headers=headers)


async def _upload(request: Request[Any, Any, Any]) -> tuple[dict[str, str], str, bytes | None]:
    """The text fields of a file form, the sent file's name and its bytes (None when no file was chosen)."""
    form = await request.form()
    fields = {k: str(v).strip()[:2000] for k, v in form.items() if isinstance(v, str) and k != "_csrf_token"}
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        return fields, upload.filename[:1000], await upload.read()
    return fields, "", None


def _target_fields(fields: dict[str, str]) -> tuple[dict[str, Any], int | None]:
    """The material's own fields, and the session it is for (None: the event itself)."""
    values = {k: fields[k] for k in ("title", "visibility") if fields.get(k)}
    values.setdefault("title", "")
    return values, form_id(fields.get("session_id", "")) if fields.get("session_id") else None


def form_context(notice: str | None, errors: list[FieldError] | None, values: dict[str, str] | None) -> dict[str, Any]:
    """What every materials page's forms show: the accepted files and size, the notice, each wrong field."""
    errors = errors or []
    return {
        "accepted": content.ACCEPTED,
        "max_mb": services.max_megabytes(),
        "notice": notice,
        "errors": errors,
        "field_errors": {e.field: e.message for e in reversed(errors)},
        "values": values or {},
    }


def _errors(exc: DomainError, form: str = "") -> list[FieldError]:
    """Each wrong field named by the id it has on the page (`file-title`, `link-url` ...); a refusal about no
    one field points at the form's first."""
    found = field_errors(exc) or [FieldError("", exc.detail)]
    return [FieldError(f"{form}-{e.field or 'title'}" if form else e.field, e.message) for e in found]


class OrganiserMaterialPages(Controller):
    path = "/organiser/events/{slug:str}/materials"
    include_in_schema = False
    guards = [requires_organiser]
    dependencies = EVENT

    @get("/", name="organiser-materials")
    async def page(
        self, event: PathEvent, notice: FromQuery[str | None] = None, session_id: FromQuery[int | None] = None
    ) -> Template:
        """`session_id` (from the timetable's "Materials" link of a session): the add forms start on it."""
        return await materials_page(
            event, notice=notice, values={"session_id": str(session_id)} if session_id else None
        )

    @post("/links", status_code=303)
    async def add_link(self, request: Request[Any, Any, Any], event: PathEvent) -> Response[Any]:
        form = await request.form()
        fields = {k: str(v).strip()[:2000] for k, v in form.items() if isinstance(v, str)}
        values, session_id = _target_fields(fields)
        values["url"] = fields.get("url", "")
        organiser = current_organiser(request)
        try:
            target = await _target(event, session_id)
            made = await services.add_link(
                target, services.parse_link(values), added_by=organiser.user_id if organiser else None
            )
        except DomainError as exc:
            return await materials_page(event, errors=_errors(exc, "link"), values=fields, status_code=400)
        return with_notice(materials_path(event), f"Added the link '{made.title}'.")

    @post("/{material_id:int}/edit", status_code=303)
    async def edit(self, request: Request[Any, Any, Any], event: PathEvent, material_id: PathId) -> Response[Any]:
        form = await request.form()
        values = {k: str(v).strip()[:2000] for k, v in form.items() if k in ("title", "visibility", "url")}
        await services.belongs_to_event(material_id, event.id)
        try:
            saved = await services.update_material(material_id, services.parse_update(values))
        except DomainError as exc:
            return await materials_page(event, errors=_errors(exc, f"m{material_id}"), status_code=400)
        return with_notice(materials_path(event), f"Saved '{saved.title}'.")

    @post("/{material_id:int}/move", status_code=303)
    async def move(self, request: Request[Any, Any, Any], event: PathEvent, material_id: PathId) -> Response[Any]:
        form = await request.form()
        await services.belongs_to_event(material_id, event.id)
        moved = await services.move_material(material_id, up=form.get("direction") != "down")
        return with_notice(materials_path(event), f"Moved '{moved.title}'.")

    @post("/{material_id:int}/delete", status_code=303)
    async def delete(self, request: Request[Any, Any, Any], event: PathEvent, material_id: PathId) -> Response[Any]:
        await services.belongs_to_event(material_id, event.id)
        material = await services.get_material(material_id)
        await services.remove_material(material_id)
        return with_notice(materials_path(event), f"Removed '{material.title}'.")

    @post("/speakers/{speaker_id:int}/link", status_code=303)
    async def send_speaker_link(
        self, request: Request[Any, Any, Any], event: PathEvent, speaker_id: PathId
    ) -> Response[Any]:
        organiser = current_organiser(request)
        assert organiser is not None  # the guard let only organisers in
        try:
            to = await speakers.send_link(event, speaker_id, by=organiser)
        except DomainError as exc:
            return await materials_page(event, errors=_errors(exc), status_code=400)
        return with_notice(materials_path(event), f"Sent the link to add materials to {to}.")


async def _target(event: EventRow, session_id: int | None) -> services.Target:
    if session_id is None:
        return await services.event_target(event.id)
    target = await services.session_target(session_id)
    if target.event_id != event.id:
        raise MaterialNotFound(f"There is no session {session_id} at this event", code="not_found")
    return target


async def materials_page(
    event: EventRow,
    *,
    notice: str | None = None,
    errors: list[Any] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    detail = await events.event_detail(event)
    materials = await services.event_materials(event.id, "organisers")
    speakers_here = {sp.id: sp for s in detail.sessions for sp in s.speakers}
    return Template(
        "hub/organiser_materials.html",
        context={
            "event": detail,
            "materials": materials,
            "speakers": sorted(speakers_here.values(), key=lambda sp: sp.name),
            "labels": VISIBILITY_LABELS,
            **form_context(notice, errors, values),
        },
        status_code=status_code,
    )


class SpeakerMaterialPages(Controller):
    """The page a speaker's emailed link opens: their sessions at one event, what is there, and forms to add."""

    path = "/speakers/materials/{token:str}"
    include_in_schema = False

    @get("/", name="speaker-materials")
    async def page(self, token: FromPath[str], notice: FromQuery[str | None] = None) -> Template:
        return await speaker_page(token, notice=notice)

    @post("/links", status_code=303)
    async def add_link(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Response[Any]:
        place = await speakers.access(token)
        form = await request.form()
        fields = {k: str(v).strip()[:2000] for k, v in form.items() if isinstance(v, str)}
        values, session_id = _target_fields(fields)
        values["url"] = fields.get("url", "")
        try:
            session = place.session(session_id or 0)
            await services.add_link(
                services.Target(event_id=place.event_id, session_id=session.id),
                services.parse_link(values),
                speaker_id=place.speaker_id,
            )
        except DomainError as exc:
            return await speaker_page(token, errors=_errors(exc, "link"), values=fields, status_code=400)
        return _back(token, "added")

    @post("/{material_id:int}/delete", status_code=303)
    async def delete(self, token: FromPath[str], material_id: PathId) -> Response[Any]:
        place = await speakers.access(token)
        await speakers.remove_own(place, material_id)
        return _back(token, "removed")


def _back(token: str, notice: str) -> Redirect:
    return Redirect(f"{speakers.link_path(token)}?notice={notice}", status_code=303, headers=PRIVATE)


NOTICES = {"added": "Added. Thank you.", "removed": "Removed."}


async def speaker_page(
    token: str,
    *,
    notice: str | None = None,
    errors: list[Any] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    place = await speakers.access(token)
    return Template(
        "hub/speaker_materials.html",
        context={
            "place": place,
            "token": token,
            "base": speakers.link_path(token),
            "labels": VISIBILITY_LABELS,
            **form_context(NOTICES.get(notice or ""), errors, values),
        },
        status_code=status_code,
        headers=PRIVATE,
    )


# The routes that take a file ---------------------------------------------------------------------------------


class OrganiserMaterialUploads(Controller):
    path = "/organiser/events/{slug:str}/materials"
    include_in_schema = False
    guards = [requires_organiser]
    dependencies = EVENT

    @post("/files", status_code=303)
    async def add_file(self, request: Request[Any, Any, Any], event: PathEvent) -> Response[Any]:
        fields, name, data = await _upload(request)
        values, session_id = _target_fields(fields)
        organiser = current_organiser(request)
        try:
            target = await _target(event, session_id)
            made = await services.add_file(
                target, values, upload_name=name, data=data, added_by=organiser.user_id if organiser else None
            )
        except DomainError as exc:
            return await materials_page(event, errors=_errors(exc, "file"), values=fields, status_code=exc.status_code)
        return with_notice(materials_path(event), f"Added the file '{made.title}' ({made.filename}).")


class SpeakerMaterialUploads(Controller):
    path = "/speakers/materials/{token:str}"
    include_in_schema = False

    @post("/files", status_code=303)
    async def add_file(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Response[Any]:
        place = await speakers.access(token)
        fields, name, data = await _upload(request)
        values, session_id = _target_fields(fields)
        try:
            session = place.session(session_id or 0)
            await services.add_file(
                services.Target(event_id=place.event_id, session_id=session.id),
                values,
                upload_name=name,
                data=data,
                speaker_id=place.speaker_id,
            )
        except DomainError as exc:
            return await speaker_page(token, errors=_errors(exc, "file"), values=fields, status_code=exc.status_code)
        return _back(token, "added")


def upload_controllers(body_limit: int) -> list[type[Controller]]:
    """The upload routes, with the body limit of this app's settings (MATERIAL_MAX_MB and a little for the form)."""
    return [
        type(c.__name__, (c,), {"request_max_body_size": body_limit})
        for c in (OrganiserMaterialUploads, SpeakerMaterialUploads)
    ]
