"""The outbox API for organisers: list, read, and retry failed messages."""

from __future__ import annotations

from typing import Annotated

from litestar import get, post
from litestar.params import FromQuery, QueryParameter

from events_app.accounts.guards import requires_organiser
from events_app.core.api import ApiController
from events_app.core.params import Limit, Offset, PathId
from events_app.core.schema import Page
from events_app.mail import services
from events_app.mail.schemas import OutboxCounts, OutboxEntry, OutboxMessageDetail, OutboxStatus, RetryResult


class OutboxController(ApiController):
    path = "/api/outbox"
    tags = ["mail"]
    guards = [requires_organiser]

    @get("/", summary="Messages in the outbox, newest first")
    async def list_messages(
        self,
        status: FromQuery[OutboxStatus | None] = None,
        event: Annotated[str | None, QueryParameter(description="event slug", max_length=120)] = None,
        to: Annotated[str | None, QueryParameter(description="part of the recipient's address", max_length=320)] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[OutboxEntry]:
        return await services.list_outbox(status=status, event=event, to=to, limit=limit, offset=offset)

    @get("/counts", summary="How many messages are queued, sending, sent and failed")
    async def counts(
        self, event: Annotated[str | None, QueryParameter(description="event slug", max_length=120)] = None
    ) -> OutboxCounts:
        return await services.counts(event)

    @get("/{message_id:int}", summary="One message with its text, HTML and attachments")
    async def get_message(self, message_id: PathId) -> OutboxMessageDetail:
        return await services.get_message(message_id)

    @post("/{message_id:int}/retry", status_code=200, summary="Send a failed message again")
    async def retry(self, message_id: PathId) -> OutboxMessageDetail:
        return await services.retry(message_id)

    @post("/retry-failed", status_code=200, summary="Send every failed message again (optionally of one event)")
    async def retry_failed(
        self, event: Annotated[str | None, QueryParameter(description="event slug", max_length=120)] = None
    ) -> RetryResult:
        return await services.retry_failed(event)
