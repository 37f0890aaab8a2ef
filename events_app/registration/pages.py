"""Registration pages: the form (works without JavaScript), the delegate's own page behind the emailed
link, and the organisers' list of who is coming."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from events_app.accounts.guards import current_organiser, requires_organiser
from events_app.core import tokens
from events_app.core.errors import DomainError
from events_app.core.params import PathId, form_id
from events_app.core.timezones import in_zone, utc_now
from events_app.people.feeds import feed_path, feed_token, turn_over
from events_app.people.services import list_groups
from events_app.people.tables import Organisation
from events_app.programme.events import event_row, get_event
from events_app.registration import messages, questions, reports, schemas, services, views
from events_app.registration.api import organiser_actor
from events_app.registration.errors import (
    ConfirmationLinkInvalid,
    NoTicket,
    TicketLinkInvalid,
    UnknownAction,
    WaitlistNumberNeeded,
)
from events_app.registration.places import DELEGATE
from events_app.registration.tables import Registration
from events_app.tickets import codes, qr

TICKET_VIEW = "ticket-view"
REGISTERED = "registered"
REGISTERED_MAX_AGE = 86_400
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}  # the link in the URL is the key
_AT_FIELD = re.compile(r"(?:at `\$\.|field `)([A-Za-z_]+)")
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
    "access_needs": "Access needs",
    "dietary_needs": "Dietary needs",
    "session_ids": "Sessions",
}


def _validation_error(exc: msgspec.ValidationError) -> tuple[str, str]:
    message = str(exc)
    match = _AT_FIELD.search(message)
    field = match.group(1) if match else "name"
    label = FIELD_LABELS.get(field, field)
    if "length" in message and "<=" in message:
        limit = message.split("<= ")[1].split(" ", maxsplit=1)[0]
        return field, f"{label}: please use at most {limit} characters"
    if "missing required" in message or "length >= 1" in message:
        return field, f"{label}: please fill this in"
    return field, f"{label}: please check this ({message.split(' - ', maxsplit=1)[0]})"


def _form_values(form: FormMultiDict, question_list: list[schemas.Question]) -> dict[str, Any]:
    def text(name: str, limit: int = 5000) -> str:
        return str(form.get(name, "") or "")[:limit]

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
    for q in question_list:
        key = f"q{q.id}"
        if q.kind == "multiple":
            chosen = [str(v)[:200] for v in form.getall(key, [])][:30]
            if chosen:
                values["answers"][str(q.id)] = chosen
        elif form.get(key):
            values["answers"][str(q.id)] = text(key, 2000)
    return values


class RegistrationPages(Controller):
    include_in_schema = False

    async def _form_context(self, slug: str, values: dict[str, Any], error: tuple[str, str] | None) -> dict[str, Any]:
        detail = await get_event(slug, include_drafts=False)
        row = await event_row(slug, include_drafts=False)
        refusal = None
        try:
            services.check_open(row, utc_now())
        except DomainError as exc:
            refusal = exc.detail
        bookable = [s for s in detail.sessions if s.capacity and s.status != "cancelled"]
        organisations = await Organisation.select(Organisation.name).order_by(Organisation.name)
        return {
            "event": detail,
            "refusal": refusal,
            "groups": await list_groups(),
            "organisations": [o["name"] for o in organisations],
            "sessions": bookable,
            "questions": await questions.list_questions(detail.id),
            "values": values,
            "error": error,
        }

    @get("/events/{slug:str}/register", name="register")
    async def form(self, slug: FromPath[str]) -> Template:
        return Template("registration/register.html", context=await self._form_context(slug, {}, None))

    @post("/events/{slug:str}/register", status_code=303)
    async def submit(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Response[Any]:
        form = await request.form()
        row = await event_row(slug, include_drafts=False)
        values = _form_values(form, await questions.list_questions(row.id))
        try:
            data = msgspec.convert(values, schemas.RegistrationCreate)
            result = await services.register(slug, data)
        except msgspec.ValidationError as exc:
            error = _validation_error(exc)
        except DomainError as exc:
            error = (exc.field or "form", exc.detail)
        else:
            # Only whoever just registered may see the answer: the link is signed, short-lived and names
            # the registration (or, for an address already registered, only that it was).
            made = result.registration.id if result.created and result.registration is not None else None
            token = tokens.sign(REGISTERED, [row.id, made])
            return Redirect(f"/events/{slug}/registered?{urlencode({'r': token})}", status_code=303)
        context = await self._form_context(slug, values, error)
        return Template("registration/register.html", context=context, status_code=400)

    @get("/events/{slug:str}/registered")
    async def registered(self, slug: FromPath[str], r: FromQuery[str] = "") -> Template:
        """The answer to the form, behind the signed link the form redirected to: the place as it is now,
        its workshops and its ticket."""
        detail = await get_event(slug, include_drafts=False)
        try:
            event_id, registration_id = tokens.unsign(REGISTERED, r[:300], max_age_seconds=REGISTERED_MAX_AGE)
        except (tokens.InvalidToken, TypeError, ValueError):
            event_id = registration_id = None
        if event_id != detail.id:
            raise ConfirmationLinkInvalid()
        registration = await views.registration(registration_id) if registration_id is not None else None
        status = registration.status if registration is not None else "confirmed"
        return Template(
            "registration/registered.html",
            context={
                "event": detail,
                "status": status,
                "position": registration.waitlist_position if registration is not None else None,
                "existing": registration is None,
                "sessions": [
                    {
                        "title": b.title,
                        "starts_at": in_zone(b.starts_at, detail.timezone),
                        "ends_at": in_zone(b.ends_at, detail.timezone),
                        "status": b.status,
                        "position": b.waitlist_position,
                    }
                    for b in (registration.sessions if registration is not None else [])
                    if b.status != "cancelled"
                ],
                "ticket": tokens.sign(TICKET_VIEW, registration.id)
                if registration is not None and status == "confirmed"
                else None,
            },
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
        row = (
            await Registration.select(Registration.event, Registration.status)
            .where(Registration.id == registration_id)
            .first()
        )
        if row is None or row["status"] != "confirmed":
            raise NoTicket()
        code = codes.issue(row["event"], registration_id)
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
            data = msgspec.convert({"email": email}, schemas.ManageLinkRequest)
        except msgspec.ValidationError:
            return Template(
                "registration/my_link.html",
                context={"sent": False, "erased": False, "error": "Enter an email address, like name@example.org"},
                status_code=400,
            )
        await services.request_manage_link(data.email)
        return Redirect("/my?sent=1", status_code=303)

    async def _manage_context(self, token: str, notice: str | None = None, error: str | None = None) -> dict[str, Any]:
        delegate = await services.delegate_from_token(token)
        mine = await services.my_registrations(delegate["id"])
        items = []
        now = utc_now()
        for registration in mine:
            detail = await get_event(registration.event.slug, include_drafts=True)
            items.append(
                {
                    "registration": registration,
                    "event": detail,
                    "sessions": [s for s in detail.sessions if s.capacity and s.status != "cancelled"],
                    "booked": {b.session_id for b in registration.sessions},
                    "can_change": registration.status in ("pending", "confirmed", "waitlisted")
                    and detail.ends_at > now,
                }
            )
        return {
            "token": token,
            "feed_path": feed_path(await feed_token(delegate["id"])),
            "delegate": delegate,
            "items": items,
            "labels": STATUS_LABELS,
            "notice": notice,
            "error": error,
        }

    @get("/my/{token:str}", name="manage")
    async def manage(self, token: FromPath[str], notice: FromQuery[str | None] = None) -> Template:
        messages = {"saved": "Your changes are saved.", "cancelled": "Your registration is cancelled."}
        context = await self._manage_context(token, messages.get(notice or ""))
        return Template("registration/manage.html", context=context, headers=PRIVATE)

    @post("/my/{token:str}/registrations/{registration_id:int}", status_code=303)
    async def update(
        self, request: Request[Any, Any, Any], token: FromPath[str], registration_id: PathId
    ) -> Response[Any]:
        delegate = await services.delegate_from_token(token)
        form = await request.form()
        values: dict[str, Any] = {
            "access_needs": str(form.get("access_needs", "") or "")[:5000],
            "dietary_needs": str(form.get("dietary_needs", "") or "")[:5000],
        }
        if form.get("has_sessions") == "1":
            values["session_ids"] = [n for v in form.getall("session_ids", []) if (n := form_id(v))][:50]
        try:
            data = msgspec.convert(values, schemas.RegistrationUpdate)
            await services.update_my_registration(delegate["id"], registration_id, data)
        except msgspec.ValidationError as exc:
            error = _validation_error(exc)[1]
        except DomainError as exc:
            error = exc.detail
        else:
            return Redirect(f"/my/{token}?notice=saved", status_code=303, headers=PRIVATE)
        context = await self._manage_context(token, error=error)
        return Template("registration/manage.html", context=context, status_code=400, headers=PRIVATE)

    @post("/my/{token:str}/registrations/{registration_id:int}/cancel", status_code=303)
    async def cancel(
        self, request: Request[Any, Any, Any], token: FromPath[str], registration_id: PathId
    ) -> Response[Any]:
        delegate = await services.delegate_from_token(token)
        form = await request.form()
        if form.get("confirm") != "yes":
            context = await self._manage_context(token, error="Tick the box to confirm you want to cancel your place.")
            return Template("registration/manage.html", context=context, status_code=400, headers=PRIVATE)
        await services.cancel_my_registration(delegate["id"], registration_id)
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
        delegate = await services.delegate_from_token(token)
        row = (
            await Registration.select(Registration.event, Registration.status)
            .where((Registration.id == registration_id) & (Registration.delegate == delegate["id"]))
            .first()
        )
        if row is None or row["status"] != "confirmed":
            raise NoTicket()
        return codes.issue(row["event"], registration_id)

    @post("/my/{token:str}/erase", status_code=303)
    async def erase(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Response[Any]:
        delegate = await services.delegate_from_token(token)
        form = await request.form()
        if form.get("confirm") != "yes":
            context = await self._manage_context(token, error="Tick the box to confirm you want your details erased.")
            return Template("registration/manage.html", context=context, status_code=400, headers=PRIVATE)
        await services.erase_delegate(delegate["id"], DELEGATE)
        return Redirect("/my?erased=1", status_code=303)


class OrganiserRegistrationPages(Controller):
    path = "/organiser"
    include_in_schema = False
    guards = [requires_organiser]

    @get("/events/{slug:str}/registrations", name="organiser-registrations")
    async def registrations(
        self,
        slug: FromPath[str],
        status: FromQuery[str | None] = None,
        group: FromQuery[str | None] = None,
        q: FromQuery[str | None] = None,
        notice: FromQuery[str | None] = None,
    ) -> Template:
        detail = await get_event(slug, include_drafts=True)
        status = status if status in STATUS_LABELS else None
        filters = reports.RegistrationFilters(status=status, stakeholder_group=group or None, q=(q or "")[:200] or None)
        page = await reports.list_registrations(slug, filters, limit=500, offset=0)
        return Template(
            "registration/organiser_list.html",
            context={
                "event": detail,
                "page": page,
                "counts": await reports.counts(slug),
                "groups": await list_groups(),
                "filters": filters,
                "labels": STATUS_LABELS,
                "notice": notice,
                "csv_query": urlencode({k: v for k, v in (("status", status), ("group", group)) if v}),
            },
        )

    @post("/events/{slug:str}/registrations/decide", status_code=303)
    async def decide(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Redirect:
        form = await request.form()
        ids = [n for v in form.getall("ids", []) if (n := form_id(v))][:500]
        action = form.get("action")
        if ids and action in ("approve", "decline"):
            result = await (services.approve if action == "approve" else services.decline)(
                ids, organiser_actor(request)
            )
            notice = f"{len(result.changed)} {action}d" + (
                f", {len(result.skipped)} left as they were" if result.skipped else ""
            )
        else:
            notice = "Tick at least one pending registration first"
        return Redirect(f"/organiser/events/{slug}/registrations?{urlencode({'notice': notice})}", status_code=303)

    @get("/events/{slug:str}/message", name="organiser-message")
    async def message_form(self, slug: FromPath[str]) -> Template:
        return await self._message_page(slug, {"statuses": ["confirmed"]}, None, None)

    async def _message_page(
        self, slug: str, values: dict[str, Any], preview: messages.MessagePreview | None, error: str | None
    ) -> Template:
        return Template(
            "registration/organiser_message.html",
            context={
                "event": await get_event(slug, include_drafts=True),
                "groups": await list_groups(),
                "labels": {k: STATUS_LABELS[k] for k in ("confirmed", "waitlisted", "pending")},
                "values": values,
                "preview": preview,
                "error": error,
            },
            status_code=400 if error else 200,
        )

    @post("/events/{slug:str}/message", status_code=200)
    async def message(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Response[Any]:
        form = await request.form()
        values: dict[str, Any] = {
            "subject": str(form.get("subject", "") or "")[:1000],
            "body": str(form.get("body", "") or "")[:30_000],
            "statuses": [str(v) for v in form.getall("statuses", [])][:3],
            "stakeholder_group": str(form.get("stakeholder_group", "") or "") or None,
        }
        organiser = current_organiser(request)
        sender = (organiser.name if organiser else "") or "The organisers"
        try:
            message = msgspec.convert(values, messages.OrganiserMessage)
            if form.get("action") == "send":
                assert organiser is not None
                sent = await messages.send(slug, message, sender, organiser.user_id)
                notice = f"Message queued for {sent.queued} people" + (
                    f" ({sent.already_sent} had it already)" if sent.already_sent else ""
                )
                return Redirect(
                    f"/organiser/events/{slug}/registrations?{urlencode({'notice': notice})}", status_code=303
                )
            preview = await messages.preview(slug, message, sender)
        except msgspec.ValidationError as exc:
            field = _AT_FIELD.search(str(exc)) or re.match("(.*)", "subject")
            label = {"subject": "Subject", "body": "Message", "statuses": "Send to"}.get(
                field.group(1) if field else "", "Message"
            )
            return await self._message_page(
                slug, values, None, f"{label}: please fill this in (and keep it short enough)"
            )
        except DomainError as exc:
            return await self._message_page(slug, values, None, exc.detail)
        return await self._message_page(slug, values, preview, None)

    @get("/registrations/{registration_id:int}", name="organiser-registration")
    async def registration(self, registration_id: PathId) -> Template:
        item = await views.registration(registration_id)
        row = await Registration.select(Registration.event).where(Registration.id == registration_id).first()
        assert row is not None
        event = await event_row(item.event.slug, include_drafts=True)
        return Template(
            "registration/organiser_registration.html",
            context={
                "r": item,
                "history": await views.history(registration_id),
                "labels": STATUS_LABELS,
                "tz": event.timezone,
                "in_zone": in_zone,
            },
        )

    @post("/registrations/{registration_id:int}/{action:str}", status_code=303)
    async def act(self, request: Request[Any, Any, Any], registration_id: PathId, action: FromPath[str]) -> Redirect:
        form = await request.form()
        actor = organiser_actor(request)
        if action == "cancel":
            await services.cancel(registration_id, actor, str(form.get("reason", "") or "")[:500])
        elif action == "promote":
            await services.promote_by_hand(registration_id, actor)
        elif action in ("approve", "decline"):
            result = await (services.approve if action == "approve" else services.decline)([registration_id], actor)
            if result.skipped:
                raise DomainError(next(iter(result.skipped.values())))
        elif action == "calendar":
            registration = await views.registration(registration_id)
            await turn_over(registration.delegate_id)
        elif action == "move":
            position = form_id(form.get("position"))
            if position is None:
                raise WaitlistNumberNeeded()
            await services.move_in_waitlist(registration_id, position, actor)
        else:
            raise UnknownAction(action=action)
        return Redirect(f"/organiser/registrations/{registration_id}", status_code=303)
