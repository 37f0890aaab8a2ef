"""Name badges for an event: the organisers' page (choose a layout and which badges, no JavaScript needed),
the PDF (check-in staff too: the scanner links to one person's badge after a check-in), and "mark as printed"."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery, QueryParameter
from litestar.response import Redirect, Template

from events_app.accounts.guards import current_organiser, requires_checkin, requires_organiser
from events_app.badges import services
from events_app.core.errors import DomainError
from events_app.core.params import form_id
from events_app.core.validation import errors_of
from events_app.documents.badges import DEFAULT_LAYOUT, LAYOUTS
from events_app.organiser.forms import form_values
from events_app.programme.dependencies import EVENT, PathEvent


def _query(layout: str, which: str, registration: str) -> dict[str, str]:
    values = {"layout": layout, "which": which}
    return {**values, "registration": registration} if which == "one" else values


class BadgePages(Controller):
    path = "/organiser/events/{slug:str}"
    include_in_schema = False
    dependencies = EVENT

    @get("/badges", guards=[requires_organiser], name="organiser-badges")
    async def badges_page(
        self,
        event: PathEvent,
        layout: FromQuery[str] = DEFAULT_LAYOUT,
        which: FromQuery[str] = "not_printed",
        registration: FromQuery[str] = "",
        notice: FromQuery[str | None] = None,
    ) -> Template:
        layout, which, registration = layout[:40], which[:20], registration[:20]
        values = {"layout": layout, "which": which, "registration": registration}
        errors = []
        found: list[services.Printable] = []
        per_page = 1
        try:
            chosen = services.choice(layout, which, registration)
            found = await services.printable(event, chosen)
            per_page = chosen.layout.per_page
        except DomainError as exc:
            errors = errors_of(exc)
        query = urlencode(_query(layout, which, registration))
        return Template(
            "badges/badges.html",
            context={
                "event": event,
                "values": values,
                "errors": errors,
                "field_errors": {e.field: e.message for e in reversed(errors)},
                "layouts": LAYOUTS.values(),
                "which_labels": services.WHICH,
                "counts": await services.counts(event),
                "found": found,
                "pages": -(-len(found) // per_page),
                "pdf_url": f"/organiser/events/{event.slug}/badges.pdf?{query}",
                "notice": notice,
            },
            status_code=400 if errors else 200,
        )

    @get("/badges.pdf", guards=[requires_checkin], name="organiser-badges-pdf")
    async def badges_pdf(
        self,
        request: Request[Any, Any, Any],
        event: PathEvent,
        layout: FromQuery[str] = DEFAULT_LAYOUT,
        which: FromQuery[str] = "",
        registration: FromQuery[str] = "",
        print_: Annotated[str, QueryParameter(name="print")] = "",
    ) -> Response[bytes]:
        """`?registration={id}` gives one person's badge; `print=1` records what it gives as printed."""
        chosen = services.choice(layout[:40], which[:20] or ("" if registration else "all"), registration[:20])
        found = await services.printable(event, chosen)
        body = services.pdf(event, chosen, found)
        if print_ == "1":
            organiser = current_organiser(request)
            await services.mark_printed(
                event,
                [p.registration_id for p in found],
                by=organiser.user_id if organiser else None,
                layout=chosen.layout.key,
            )
        name = f"badges-{event.slug}" + (f"-{chosen.registration_id}" if chosen.registration_id else "")
        return Response(
            body,
            media_type="application/pdf",
            headers={"Cache-Control": "no-store", "Content-Disposition": f'inline; filename="{name}.pdf"'},
        )

    @post("/badges/printed", guards=[requires_organiser], status_code=303)
    async def mark_printed(self, request: Request[Any, Any, Any], event: PathEvent) -> Response[Any]:
        """The badges listed on the page (by their registrations' numbers) recorded as printed."""
        form = await form_values(request)
        ids = [n for text in form.get("ids", "").split(",")[: services.MOST_IDS] if (n := form_id(text))]
        organiser = current_organiser(request)
        layout = form.get("layout", "") if form.get("layout", "") in LAYOUTS else ""
        marked = await services.mark_printed(event, ids, by=organiser.user_id if organiser else None, layout=layout)
        notice = f"{marked} badge{'s' if marked != 1 else ''} recorded as printed."
        back = urlencode({"layout": layout or DEFAULT_LAYOUT, "which": "not_printed", "notice": notice})
        return Redirect(f"/organiser/events/{event.slug}/badges?{back}", status_code=303)
