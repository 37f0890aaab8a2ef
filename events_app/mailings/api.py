"""Network mailings for scripts: the list, a preview (with the key to send it by) and the send (organisers)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import JSONBody

from events_app.accounts.guards import current_organiser, requires_organiser
from events_app.core.api import ApiController
from events_app.mailings import schemas, services


def sender_name(request: Request[Any, Any, Any]) -> str:
    organiser = current_organiser(request)
    return (organiser.name or "The organisers") if organiser else "The organisers"


class MailingController(ApiController):
    path = "/api/mailings"
    tags = ["mailings"]
    guards = [requires_organiser]

    @get("/", summary="Network mailings sent, newest first (within the account's scope)")
    async def list_mailings(self) -> list[schemas.Mailing]:
        return await services.list_mailings()

    @post(
        "/preview",
        status_code=200,
        summary="How many a mailing reaches, how many are left out for want of consent, and its text",
    )
    async def preview(
        self, request: Request[Any, Any, Any], data: JSONBody[schemas.MailingDraft]
    ) -> schemas.MailingPreview:
        return await services.preview(data, sender_name(request))

    @post("/", status_code=202, summary="Send a mailing to those who are happy to be contacted (once per key)")
    async def send(self, request: Request[Any, Any, Any], data: JSONBody[schemas.MailingDraft]) -> schemas.MailingSent:
        organiser = current_organiser(request)
        return await services.send(data, sender_name(request), organiser.user_id if organiser else None)
