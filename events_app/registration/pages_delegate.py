"""Delegates' registration pages: the form (works without JavaScript), the page after registering with its
ticket, and the delegate's own page behind the emailed link."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from events_app.core import tokens
from events_app.core.errors import DomainError
from events_app.core.params import PathId, form_id
from events_app.core.timezones import utc_now
from events_app.core.validation import FieldError, InvalidFields, check, errors_of
from events_app.people import consent
from events_app.people.feeds import feed_path, feed_token
from events_app.people.services import list_groups, list_regions, organisation_names
from events_app.programme.dependencies import EVENT, REMEMBERED_EVENT, PathEvent
from events_app.programme.events import event_detail, get_event
from events_app.programme.rows import EventRow
from events_app.registration import (
    attendance,
    attendance_switch,
    my_changes,
    opening,
    ownership,
    questions,
    register,
    schemas,
    views,
)
from events_app.registration.errors import AttendanceModeNeeded, TicketLinkInvalid
from events_app.registration.join_links import joins_online, links_of_place
from events_app.registration.places import DELEGATE
from events_app.tickets import qr

# Which of these registrations have a certificate of attendance: handed down by the app (certificates/).
CertificatesReady = Callable[[Collection[int]], Awaitable[set[int]]]
# The materials a delegate may see, by event id, for the events they hold a confirmed place at: handed down by
# the app (hub/materials), each file link carrying the delegate's own key.
DelegateMaterials = Callable[[int], Awaitable[Mapping[int, object]]]
TICKET_VIEW = "ticket-view"
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}  # the link in the URL is the key
STATUS_LABELS = {
    "pending": "Waiting for approval",
    "confirmed": "Confirmed",
    "waitlisted": "On the waiting list",
    "cancelled": "Cancelled",
    "declined": "Declined",
}
FIELD_LABELS = {
    "name": "Your name",
    "email": "Email address",
    "stakeholder_group": "Who you are here for",
    "organisation_name": "Organisation",
    "organisation_id": "Organisation",
    "region": "Where you are based",
    "access_needs": "Access needs",
    "dietary_needs": "Dietary needs",
    "session_ids": "Sessions",
    "attendance_mode": "How you will attend",
}
# The error summary lists wrong fields in the order the form shows them.
FORM_ORDER = [
    "name",
    "email",
    "organisation_name",
    "organisation_id",
    "region",
    "attendance_mode",
    "stakeholder_group",
    "session_ids",
    "answers",
    "access_needs",
    "dietary_needs",
]


def _form_position(error: FieldError) -> int:
    top = error.field.split(".", 1)[0]
    return FORM_ORDER.index(top) if top in FORM_ORDER else len(FORM_ORDER)


# Untyped on purpose: a form's raw values, handed to core.validation.check which names every wrong one
def _form_values(form: FormMultiDict, question_list: list[schemas.Question]) -> dict[str, Any]:
    def text(name: str, limit: int = 5000) -> str:
        return str(form.get(name, "") or "")[:limit]

    # Untyped on purpose: raw form values of mixed kinds (text, ticks, id lists, answers) before validation
    values: dict[str, Any] = {
        "name": text("name"),
        "email": text("email"),
        "organisation_name": text("organisation_name"),
        "access_needs": text("access_needs"),
        "dietary_needs": text("dietary_needs"),
        "consent_to_contact": form.get("consent_to_contact") == "yes",
        "session_ids": [n for v in form.getall("session_ids", []) if (n := form_id(v))][:50],
        "answers": {},
    }
    if form.get("stakeholder_group"):
        values["stakeholder_group"] = text("stakeholder_group", 200)
    if form.get("region"):
        values["region"] = text("region", 200)
    if form.get("attendance_mode"):
        values["attendance_mode"] = text("attendance_mode", 20)
    values["answers"] = questions.answers_from_form(form, question_list, text)
    return values


class RegistrationPages(Controller):
    include_in_schema = False
    dependencies = EVENT

    async def _form_context(
        self, event: EventRow, values: Mapping[str, object], errors: list[FieldError]
    ) -> dict[str, object]:
        detail = await event_detail(event)
        state = await opening.registration_state(event, utc_now())
        refusal = None if state.takes_registrations else opening.message(state, event)
        bookable = [s for s in detail.sessions if s.capacity and s.status != "cancelled"]
        return {
            "event": detail,
            "refusal": refusal,
            "registration": state,
            "groups": await list_groups(),
            "organisations": await organisation_names(),
            "regions": await list_regions(),
            "sessions": bookable,
            "questions": await questions.list_questions(detail.id),
            "modes": await attendance.places_by_mode(event) if event.attendance_mode == "hybrid" else [],
            "values": values,
            "errors": errors,
            "field_errors": {e.field: e.message for e in reversed(errors)},  # the first message of each field
        }

    @get("/events/{slug:str}/register", name="register")
    async def form(self, event: PathEvent) -> Template:
        return Template("registration/register.html", context=await self._form_context(event, {}, []))

    @post("/events/{slug:str}/register", status_code=303, dependencies=REMEMBERED_EVENT)
    async def submit(self, request: Request[Any, Any, Any], event: PathEvent) -> Response[Any]:
        form = await request.form()
        question_list = await questions.list_questions(event.id)
        values = _form_values(form, question_list)
        try:
            data = check(values, schemas.RegistrationCreate, FIELD_LABELS)
            await register.register(event, data)
        except InvalidFields as exc:
            errors = exc.errors
            if not any(e.field.startswith("answers.") for e in errors):  # the questions too, in the same answer
                errors = errors + questions.answer_errors(question_list, values["answers"])
            if event.attendance_mode == "hybrid" and "attendance_mode" not in values:  # the choice too
                errors = [*errors, FieldError("attendance_mode", AttendanceModeNeeded.message)]
            errors = sorted(errors, key=_form_position)
        except DomainError as exc:
            errors = errors_of(exc)
        else:
            # Whoever typed the address learns only "check your inbox", whether or not it was known and whatever its
            # state: the place, its ticket and its manage link go to the inbox (issue 17).
            return Redirect(f"/events/{event.slug}/registered", status_code=303)
        context = await self._form_context(event, values, errors)
        return Template("registration/register.html", context=context, status_code=400)

    @get("/events/{slug:str}/registered")
    async def registered(self, event: PathEvent) -> Template:
        """The answer to the form, the same for everyone: check your inbox."""
        return Template(
            "registration/registered.html",
            context={"event": await event_detail(event), "message": register.CHECK_INBOX},
            headers=PRIVATE,
        )

    @get("/tickets/{token:str}")
    async def ticket_image(self, token: FromPath[str], size: FromQuery[str] = "phone") -> Response[bytes]:
        """The ticket shown on the page right after registering: PNG, or SVG when the address ends in .svg."""
        svg = token.endswith(".svg")
        try:
            registration_id = int(
                tokens.unsign(TICKET_VIEW, token.removesuffix(".svg").removesuffix(".png"), max_age_seconds=86_400)
            )
        except (tokens.InvalidToken, TypeError, ValueError):
            raise TicketLinkInvalid() from None
        await ownership.refuse_unconfirmed_ticket(registration_id)
        code = await views.ticket_code(registration_id)
        if svg:
            return Response(qr.svg(code), media_type="image/svg+xml", headers=PRIVATE)
        return Response(qr.png(code, "print" if size == "print" else "phone"), media_type="image/png", headers=PRIVATE)

    # The delegate's own page --------------------------------------------------------------------

    @get("/my", name="my")
    async def ask_for_link(self, sent: FromQuery[str | None] = None, erased: FromQuery[str | None] = None) -> Template:
        return Template(
            "registration/my_link.html", context={"sent": bool(sent), "erased": bool(erased), "error": None}
        )

    @post("/my", status_code=303)
    async def send_link(self, request: Request[Any, Any, Any]) -> Response[Any]:
        form = await request.form()
        email = str(form.get("email", "") or "")[:254]
        try:
            data = check({"email": email}, schemas.ManageLinkRequest, FIELD_LABELS)
        except InvalidFields as exc:
            return Template(
                "registration/my_link.html",
                context={"sent": False, "erased": False, "error": exc.detail},
                status_code=400,
            )
        await my_changes.request_manage_link(data.email)
        return Redirect("/my?sent=1", status_code=303)

    async def _manage_context(
        self,
        token: str,
        notice: str | None = None,
        error: str | None = None,
        certificates_ready: CertificatesReady | None = None,
        delegate_materials: DelegateMaterials | None = None,
    ) -> dict[str, object]:
        delegate = await my_changes.delegate_from_token(token)
        mine = await my_changes.my_registrations(delegate.id)
        items = []
        now = utc_now()
        held = await ownership.held_places_of(delegate.id)
        for registration in mine:
            detail = await get_event(registration.event.slug, include_drafts=True)
            joins = (
                [] if detail.ends_at < now else await links_of_place(registration, detail, held=registration.id in held)
            )
            items.append(
                {
                    "registration": registration,
                    "event": detail,
                    "sessions": [s for s in detail.sessions if s.capacity and s.status != "cancelled"],
                    "booked": {b.session_id for b in registration.sessions},
                    "can_change": registration.status in ("pending", "confirmed", "waitlisted")
                    and detail.ends_at > now,
                    "held": registration.id in held,  # no ticket until confirmed by email
                    "modes": await attendance.hybrid_places(detail.id),  # a hybrid event: switch how you attend
                    "joins": joins,  # the delegate's own join links (online places, sessions with a meeting)
                    # a place taken online has no door: its join link stands where the ticket would
                    "door_ticket": not joins_online(detail.attendance_mode, registration.attendance_mode),
                }
            )
        return {
            "token": token,
            "feed_path": feed_path(await feed_token(delegate.id)),
            "delegate": delegate,
            "items": items,
            "labels": STATUS_LABELS,
            "notice": notice,
            "error": error,
            "certificates": await certificates_ready([r.id for r in mine]) if certificates_ready else set(),
            "materials": await delegate_materials(delegate.id) if delegate_materials else {},
        }

    @get("/my/{token:str}", name="manage")
    async def manage(
        self,
        token: FromPath[str],
        certificates_ready: NamedDependency[CertificatesReady],
        delegate_materials: NamedDependency[DelegateMaterials],
        notice: FromQuery[str | None] = None,
    ) -> Template:
        messages = {
            "saved": "Your changes are saved.",
            "cancelled": "Your registration is cancelled.",
            "consent": "Your choice about network emails is saved.",
            "attendance": "How you attend is changed: we have emailed you the details.",
        }
        context = await self._manage_context(
            token,
            messages.get(notice or ""),
            certificates_ready=certificates_ready,
            delegate_materials=delegate_materials,
        )
        return Template("registration/manage.html", context=context, headers=PRIVATE)

    @post("/my/{token:str}/registrations/{registration_id:int}", status_code=303)
    async def update(
        self, request: Request[Any, Any, Any], token: FromPath[str], registration_id: PathId
    ) -> Response[Any]:
        delegate = await my_changes.delegate_from_token(token)
        form = await request.form()
        # Untyped on purpose: raw form values of mixed kinds before validation
        values: dict[str, Any] = {
            "access_needs": str(form.get("access_needs", "") or "")[:5000],
            "dietary_needs": str(form.get("dietary_needs", "") or "")[:5000],
        }
        if form.get("has_sessions") == "1":
            values["session_ids"] = [n for v in form.getall("session_ids", []) if (n := form_id(v))][:50]
        try:
            data = check(values, schemas.RegistrationUpdate, FIELD_LABELS)
            await my_changes.update_my_registration(delegate.id, registration_id, data)
        except DomainError as exc:
            error = exc.detail
        else:
            return Redirect(f"/my/{token}?notice=saved", status_code=303, headers=PRIVATE)
        context = await self._manage_context(token, error=error)
        return Template("registration/manage.html", context=context, status_code=400, headers=PRIVATE)

    @post("/my/{token:str}/registrations/{registration_id:int}/attendance", status_code=303)
    async def switch_attendance(
        self, request: Request[Any, Any, Any], token: FromPath[str], registration_id: PathId
    ) -> Response[Any]:
        """Attend a hybrid event the other way (in person or online), under the same capacity rules."""
        delegate = await my_changes.delegate_from_token(token)
        form = await request.form()
        try:
            data = check(
                {"attendance_mode": str(form.get("attendance_mode", "") or "")[:20]}, schemas.ModeSwitch, FIELD_LABELS
            )
            await attendance_switch.switch_attendance_mode(delegate.id, registration_id, data.attendance_mode)
        except DomainError as exc:
            context = await self._manage_context(token, error=exc.detail)
            return Template("registration/manage.html", context=context, status_code=400, headers=PRIVATE)
        return Redirect(f"/my/{token}?notice=attendance", status_code=303, headers=PRIVATE)

    @post("/my/{token:str}/registrations/{registration_id:int}/cancel", status_code=303)
    async def cancel(
        self, request: Request[Any, Any, Any], token: FromPath[str], registration_id: PathId
    ) -> Response[Any]:
        delegate = await my_changes.delegate_from_token(token)
        form = await request.form()
        if form.get("confirm") != "yes":
            context = await self._manage_context(token, error="Tick the box to confirm you want to cancel your place.")
            return Template("registration/manage.html", context=context, status_code=400, headers=PRIVATE)
        await my_changes.cancel_my_registration(delegate.id, registration_id)
        return Redirect(f"/my/{token}?notice=cancelled", status_code=303, headers=PRIVATE)

    @get("/my/{token:str}/registrations/{registration_id:int}/ticket.png")
    async def ticket_png(
        self, token: FromPath[str], registration_id: PathId, size: FromQuery[str] = "phone"
    ) -> Response[bytes]:
        code = await self._ticket_code(token, registration_id)
        image = qr.png(code, "print" if size == "print" else "phone")
        return Response(
            image, media_type="image/png", headers={**PRIVATE, "Content-Disposition": 'inline; filename="ticket.png"'}
        )

    @get("/my/{token:str}/registrations/{registration_id:int}/ticket.svg")
    async def ticket_svg(self, token: FromPath[str], registration_id: PathId) -> Response[bytes]:
        code = await self._ticket_code(token, registration_id)
        return Response(qr.svg(code), media_type="image/svg+xml", headers=PRIVATE)

    async def _ticket_code(self, token: str, registration_id: int) -> str:
        """Only the delegate's own confirmed registration has a ticket; anything else is a plain 404."""
        delegate = await my_changes.delegate_from_token(token)
        code = await views.ticket_code(registration_id, delegate_id=delegate.id)
        await ownership.refuse_unconfirmed_ticket(registration_id)
        return code

    @post("/my/{token:str}/consent", status_code=303)
    async def change_consent(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Redirect:
        """Happy to be contacted about the network's work, or not (people/consent.py keeps when and how)."""
        delegate = await my_changes.delegate_from_token(token)
        form = await request.form()
        await consent.set_consent(delegate.id, form.get("consent_to_contact") == "yes", "my_page")
        return Redirect(f"/my/{token}?notice=consent", status_code=303, headers=PRIVATE)

    @post("/my/{token:str}/erase", status_code=303)
    async def erase(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Response[Any]:
        delegate = await my_changes.delegate_from_token(token)
        form = await request.form()
        if form.get("confirm") != "yes":
            context = await self._manage_context(token, error="Tick the box to confirm you want your details erased.")
            return Template("registration/manage.html", context=context, status_code=400, headers=PRIVATE)
        await my_changes.erase_delegate(delegate.id, DELEGATE)
        return Redirect("/my?erased=1", status_code=303)
