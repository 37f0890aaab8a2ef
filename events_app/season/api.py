"""JSON API for copies and runs (organisers): wiring only."""

from __future__ import annotations

from litestar import Response, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody

from events_app.accounts.guards import requires_organiser
from events_app.core.api import ApiController
from events_app.programme import schemas as programme
from events_app.programme.dependencies import EVENT, PathEvent
from events_app.season import copies, runs
from events_app.season.schemas import CopyRequest, Run, RunRequest


class SeasonController(ApiController):
    path = "/api/events"
    tags = ["season"]
    guards = [requires_organiser]
    dependencies = EVENT  # the event of the path, read once (and where any rule on who sees it applies)

    @post(
        "/{slug:str}/copy",
        summary="Copy an event to a new first day, as a draft",
        description=(
            "`date` is the copy's first day in the event's time zone; every time moves with it on the wall clock "
            "(09:30 stays 09:30 across a clock change). The copy takes the event's settings, tracks, sessions "
            "(rooms, speakers in order, places), registration questions and feedback form; never registrations, "
            "check-ins or answers. `slug` (409 `slug_taken` if used) and `title` are optional: a year in the "
            "title moves with the date."
        ),
    )
    async def copy_event(self, event: PathEvent, data: JSONBody[CopyRequest]) -> programme.EventDetail:
        return await copies.copy_event(event.slug, data)

    @post(
        "/{slug:str}/runs",
        summary="A run of copies: weekly, monthly, on listed dates, or one per region (preview first)",
        description=(
            "`pattern`: `weekly` (`every` N weeks, `count`, optional `first` day), `monthly` (`week` first.."
            "fourth or last and `weekday`, default the event's own place in its month, e.g. the second Tuesday; "
            "`count`; optional `first`: from that day's month), `dates` (`dates`), or `regions` (`date`, and "
            "`regions`: [{`region` slug, optional `venue_id` (else where the series last met), `series`, `date`}], "
            "each copy in its region's series; rooms are matched by name at another venue). With `preview` true "
            "(the default) the copies are listed (200) and nothing is made; with "
            "false they are all made in one transaction (201), or none if any is refused."
        ),
        status_code=201,
        responses={200: ResponseSpec(data_container=Run, description="The preview: what would be made")},
    )
    async def make_run(self, event: PathEvent, data: JSONBody[RunRequest]) -> Response[Run]:
        run = await runs.make_run(event.slug, data)
        return Response(run, status_code=200 if run.preview else 201)
