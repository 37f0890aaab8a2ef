"""Calendar feeds over HTTP: text/calendar, ETag and Last-Modified with 304 on a conditional GET, caching."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from email.utils import parsedate_to_datetime
from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, FromQuery

from events_app.calendar import feeds
from events_app.core.api import ApiController
from events_app.core.static import etag_matches

CALENDAR = "text/calendar"  # Litestar adds "; charset=utf-8"
NOT_MODIFIED = {304: ResponseSpec(None, description="Not changed since the ETag or date the request gave")}


def _not_modified(request: Request[Any, Any, Any], feed: feeds.Feed) -> bool:
    match = request.headers.get("if-none-match")
    if match is not None:
        return etag_matches(match, feed.etag)
    since = request.headers.get("if-modified-since")
    if since:
        try:
            return feed.last_modified.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


async def respond(
    request: Request[Any, Any, Any], load: Callable[[], Awaitable[feeds.Feed]], download: bool
) -> Response[bytes]:
    feed = await load()
    headers = {
        "ETag": feed.etag,
        "Last-Modified": feed.last_modified_header,
        "Cache-Control": "private, max-age=300" if feed.private else "public, max-age=300",
        "Content-Disposition": f'{"attachment" if download else "inline"}; filename="{feed.filename}"',
    }
    if feed.private:
        headers["Referrer-Policy"] = "no-referrer"
        headers["X-Robots-Tag"] = "noindex"
    if _not_modified(request, feed):
        return Response(b"", status_code=304, headers=headers, media_type=CALENDAR)
    return Response(feed.body, headers=headers, media_type=CALENDAR)


class CalendarFeeds(ApiController):
    tags = ["calendar"]

    @get("/calendar.ics", summary="Every public event (iCalendar feed)", media_type=CALENDAR, responses=NOT_MODIFIED)
    async def all_events(self, request: Request[Any, Any, Any], download: FromQuery[bool] = False) -> Response[bytes]:
        return await respond(request, feeds.all_events_feed, download)

    @get(
        "/events/{slug:str}/calendar.ics",
        summary="One event, its sessions as entries (iCalendar)",
        media_type=CALENDAR,
        responses=NOT_MODIFIED,
    )
    async def event(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        feed_materials: NamedDependency[feeds.FeedMaterials],
        download: FromQuery[bool] = False,
    ) -> Response[bytes]:
        return await respond(request, lambda: feeds.event_feed(slug, feed_materials), download)

    @get(
        "/series/{slug:str}/calendar.ics",
        summary="The events of a series (iCalendar feed)",
        media_type=CALENDAR,
        responses=NOT_MODIFIED,
    )
    async def series(
        self, request: Request[Any, Any, Any], slug: FromPath[str], download: FromQuery[bool] = False
    ) -> Response[bytes]:
        return await respond(request, lambda: feeds.series_feed(slug), download)

    @get(
        "/calendar/{token:str}",
        summary="A delegate's own feed at a secret address",
        media_type=CALENDAR,
        responses=NOT_MODIFIED,
    )
    async def personal(
        self,
        request: Request[Any, Any, Any],
        token: FromPath[str],
        feed_materials: NamedDependency[feeds.FeedMaterials],
        download: FromQuery[bool] = False,
    ) -> Response[bytes]:
        return await respond(request, lambda: feeds.personal_feed(token.removesuffix(".ics"), feed_materials), download)
