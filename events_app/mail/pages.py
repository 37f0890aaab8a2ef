"""The outbox for organisers as pages: each message's status and last error, a message read in full,
and retrying failed messages (forms with CSRF tokens, no JavaScript)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect, Template

from events_app.accounts.guards import current_organiser, requires_organiser
from events_app.core.params import PathId
from events_app.mail import services
from events_app.mail.schemas import OutboxStatus

PAGE_SIZE = 50
SANDBOX = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"
STATUS_LABELS = {"queued": "Waiting", "sending": "Sending", "sent": "Sent", "failed": "Failed"}


class OutboxPages(Controller):
    path = "/organiser/outbox"
    include_in_schema = False
    guards = [requires_organiser]

    @get("/", name="outbox")
    async def outbox(
        self,
        request: Request[Any, Any, Any],
        status: FromQuery[OutboxStatus | None] = None,
        page: FromQuery[int] = 1,
        notice: FromQuery[str | None] = None,
    ) -> Template:
        page = max(1, min(page, 100_000))
        listing = await services.list_outbox(
            status=status, event=None, to=None, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
        return Template(
            "mail/outbox.html",
            context={
                "organiser": current_organiser(request),
                "listing": listing,
                "counts": await services.counts(),
                "status": status,
                "page": page,
                "pages": max(1, -(-listing.total // PAGE_SIZE)),
                "labels": STATUS_LABELS,
                "notice": {"requeued": "Failed messages are queued to be sent again."}.get(notice or ""),
            },
        )

    @get("/{message_id:int}", name="outbox-message")
    async def message(self, message_id: PathId) -> Template:
        return Template(
            "mail/message.html",
            context={"message": await services.get_message(message_id), "labels": STATUS_LABELS},
        )

    @get("/{message_id:int}/html", media_type=MediaType.HTML)
    async def message_html(self, message_id: PathId) -> Response[str]:
        """The HTML part as the recipient sees it, sandboxed: no scripts, no forms, nothing from elsewhere."""
        message = await services.get_message(message_id)
        return Response(
            message.html_body or "<p>This message has no HTML part.</p>",
            media_type=MediaType.HTML,
            headers={
                "Content-Security-Policy": "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"
            },
        )

    @post("/{message_id:int}/retry", status_code=303)
    async def retry(self, message_id: PathId, data: URLEncodedBody[dict[str, str]]) -> Redirect:
        await services.retry(message_id)
        return Redirect(f"/organiser/outbox/{message_id}", status_code=303)

    @post("/retry-failed", status_code=303)
    async def retry_failed(self, data: URLEncodedBody[dict[str, str]]) -> Redirect:
        await services.retry_failed()
        return Redirect("/organiser/outbox?status=failed&notice=requeued", status_code=303)
