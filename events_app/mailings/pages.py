"""Network mailings as pages: the organisers' list, the form with its preview step and the send; and the
unsubscribe page a mailing links to, which works without signing in (GET shows a button, POST unsubscribes;
mail programs' one-click POST, RFC 8058, lands on the same address)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from events_app.accounts.guards import current_organiser, requires_organiser
from events_app.core.errors import DomainError
from events_app.core.validation import check, errors_of
from events_app.mailings import schemas, services
from events_app.mailings.api import sender_name
from events_app.organiser.forms import form_list, form_values, with_notice
from events_app.people import consent
from events_app.people.sectors import SECTOR_LABELS
from events_app.people.services import list_groups, list_regions
from events_app.programme.series import list_series

PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}  # the link in the URL is the key
LABELS = {
    "subject": "Subject",
    "body": "Message",
    "filters.regions": "Regions",
    "filters.sectors": "Sectors",
    "filters.groups": "Stakeholder groups",
    "filters.series": "Series",
    "filters.from_date": "Events from",
    "filters.to_date": "Events to",
    "filters": "Who it is for",
    "key": "The preview",
}


class OrganiserMailingPages(Controller):
    path = "/organiser/mailings"
    include_in_schema = False
    guards = [requires_organiser]

    @get("/", name="organiser-mailings")
    async def mailings(self, notice: FromQuery[str | None] = None) -> Template:
        return Template("mailings/list.html", context={"mailings": await services.list_mailings(), "notice": notice})

    @get("/new", name="organiser-mailing-new")
    async def new(self) -> Template:
        return await self._form({}, [], None)

    async def _form(
        self, values: Mapping[str, Any], errors: list[Any], preview: schemas.MailingPreview | None
    ) -> Template:
        return Template(
            "mailings/new.html",
            context={
                "values": values,
                "errors": errors,
                "field_errors": {e.field: e.message for e in reversed(errors)},
                "preview": preview,
                "regions": await list_regions(),
                "groups": await list_groups(),
                "series": await list_series(),
                "sectors": SECTOR_LABELS,
            },
            status_code=400 if errors else 200,
        )

    @post("/new", status_code=200)
    async def preview_or_send(self, request: Request[Any, Any, Any]) -> Response[Any]:
        form = await form_values(request)
        values: dict[str, Any] = {
            "subject": form.get("subject", ""),
            "body": form.get("body", ""),
            "key": form.get("key") or None,
            "filters": {
                "regions": await form_list(request, "regions"),
                "sectors": await form_list(request, "sectors", limit=7),
                "groups": await form_list(request, "groups"),
                "series": await form_list(request, "series"),
                **{k: form[k] for k in ("from_date", "to_date") if form.get(k)},
            },
        }
        try:
            draft = check(values, schemas.MailingDraft, LABELS, strict=False)
            if form.get("action") == "send" and draft.key:
                organiser = current_organiser(request)
                sent = await services.send(draft, sender_name(request), organiser.user_id if organiser else None)
                notice = (
                    "This mailing was sent already: nothing more went"
                    if sent.already_sent
                    else f"Mailing queued for {sent.queued} {'person' if sent.queued == 1 else 'people'}"
                )
                return with_notice("/organiser/mailings", notice)
            preview = await services.preview(draft, sender_name(request))
        except DomainError as exc:
            return await self._form(values, errors_of(exc), None)
        return await self._form(values, [], preview)


class UnsubscribePages(Controller):
    path = "/unsubscribe"
    include_in_schema = False

    @get("/{token:str}", name="unsubscribe")
    async def ask(self, token: FromPath[str]) -> Template:
        delegate_id = await consent.delegate_of_unsubscribe(token)
        return Template(
            "mailings/unsubscribe.html",
            context={"token": token, "done": False, "subscribed": await consent.consents(delegate_id)},
            headers=PRIVATE,
        )

    @post("/{token:str}", status_code=200)
    async def unsubscribe(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
        form = await request.form()
        one_click = form.get("List-Unsubscribe") == "One-Click"
        await consent.unsubscribe(token, "one_click" if one_click else "unsubscribe_link")
        return Template(
            "mailings/unsubscribe.html", context={"token": token, "done": True, "subscribed": False}, headers=PRIVATE
        )
