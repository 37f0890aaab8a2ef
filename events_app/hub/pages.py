"""The hub's public pages: /resources (search by words with filters, as a GET form that works without
JavaScript), a resource's own page (printable), and the Atom feed of new resources."""

from __future__ import annotations

from urllib.parse import urlencode

from litestar import Controller, Response, get
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from events_app.core.calendar_links import site_url
from events_app.core.errors import FieldError, InvalidFields
from events_app.core.templating import SITE_NAME
from events_app.hub import atom, search, services
from events_app.hub.themes import KINDS

PER_PAGE = 20
FEED_ENTRIES = 50


def _number(text: str | None) -> int | None:
    value = (text or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 6 else None


def _filters(
    q: str | None, theme: str | None, sector: str | None, region: str | None, year: str | None, kind: str | None
) -> tuple[search.Filters, list[FieldError]]:
    """The form's values as filters; a value that is not a choice is left out and named (the page still answers)."""
    wrong: list[FieldError] = []
    year_value = _number(year)
    if (year or "").strip() and year_value is None:
        wrong.append(FieldError("year", "Year: choose a year from the list"))
    filters = search.Filters(
        q=(q or "").strip()[:200] or None,
        theme=(theme or "").strip() or None,
        sector=(sector or "").strip() or None,
        region=(region or "").strip()[:120] or None,
        year=year_value,
        kind=(kind or "").strip() or None,
    )
    try:
        services.checked_filters(filters)
    except InvalidFields as exc:
        wrong += exc.errors
        names = {e.field for e in exc.errors}
        filters = search.Filters(
            q=None if "q" in names else filters.q,
            theme=None if "theme" in names else filters.theme,
            sector=None if "sector" in names else filters.sector,
            region=filters.region,
            year=None if "year" in names else filters.year,
            kind=None if "kind" in names else filters.kind,
        )
    return filters, wrong


class HubPages(Controller):
    path = "/resources"
    include_in_schema = False

    @get("/", name="hub-resources")
    async def search_page(
        self,
        q: FromQuery[str | None] = None,
        theme: FromQuery[str | None] = None,
        sector: FromQuery[str | None] = None,
        region: FromQuery[str | None] = None,
        year: FromQuery[str | None] = None,
        kind: FromQuery[str | None] = None,
        page: FromQuery[str | None] = None,
    ) -> Template:
        filters, wrong = _filters(q, theme, sector, region, year, kind)
        number = max(1, min(_number(page) or 1, 10_000))
        results = await services.search_resources(filters, limit=PER_PAGE, offset=(number - 1) * PER_PAGE)
        kept = {
            k: v
            for k, v in {
                "q": filters.q,
                "theme": filters.theme,
                "sector": filters.sector,
                "region": filters.region,
                "year": filters.year,
                "kind": filters.kind,
            }.items()
            if v not in (None, "")
        }
        pages = max(1, -(-results.total // PER_PAGE))
        return Template(
            "hub/search.html",
            context={
                "nav": "resources",
                "results": results,
                "filters": filters,
                "searched": bool(kept),
                "kinds": KINDS,
                "page": number,
                "pages": pages,
                "previous_url": f"/resources?{urlencode({**kept, 'page': number - 1})}" if number > 1 else None,
                "next_url": f"/resources?{urlencode({**kept, 'page': number + 1})}" if number < pages else None,
                "errors": wrong,
                "field_errors": {e.field: e.message for e in wrong},
            },
        )

    @get("/feed.atom", name="hub-feed")
    async def feed(self) -> Response[bytes]:
        entries = await services.newest_published(FEED_ENTRIES)
        body = atom.feed(entries, base_url=site_url(), site_name=SITE_NAME)
        return Response(body, media_type="application/atom+xml; charset=utf-8")

    @get("/{slug:str}", name="hub-resource")
    async def resource_page(self, slug: FromPath[str]) -> Template:
        resource = await services.get_resource(slug, include_drafts=False)
        return Template("hub/resource.html", context={"nav": "resources", "resource": resource})
