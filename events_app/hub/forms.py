"""The organisers' resource form: what was typed, turned into the input the hub's rules take. Organisations,
events, sessions and speakers are picked by name (suggested as the organiser types), never by number."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from events_app.core.errors import FieldError, InvalidFields
from events_app.core.params import form_id
from events_app.hub import schemas, services
from events_app.people.sectors import is_sector_role

LINK_LISTS = ("organisations", "events", "sessions", "speakers")
SPARE_ROWS = 2  # empty inputs under each list, for adding names without JavaScript
ORDER = ("title", "kind", "summary", "body", "themes", "sectors", "region", "year", *LINK_LISTS)


@dataclass
class ResourceForm:
    """A resource form as typed (or as the resource is kept): single values and the lists."""

    values: dict[str, str]
    themes: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    links: dict[str, list[str]] = field(default_factory=lambda: {name: [] for name in LINK_LISTS})

    def rows(self, name: str) -> list[str]:
        """The names of a list, then spare empty inputs."""
        return [*self.links.get(name, []), *([""] * SPARE_ROWS)]


def form_of(resource: schemas.Resource) -> ResourceForm:
    return ResourceForm(
        values={
            "title": resource.title,
            "kind": resource.kind,
            "summary": resource.summary,
            "body": resource.body,
            "region": "",  # the page fills in the region's id from the choices (below)
            "year": str(resource.year or ""),
        },
        themes=[t.slug for t in resource.themes],
        sectors=[s.slug for s in resource.sectors],
        links={
            "organisations": [o.name for o in resource.organisations],
            "events": [e.title for e in resource.events],
            "sessions": [f"{s.event_title}{services.SESSION_SEPARATOR}{s.title}" for s in resource.sessions],
            "speakers": [s.name for s in resource.speakers],
        },
    )


def posted(values: Mapping[str, str], lists: Mapping[str, Sequence[str]]) -> ResourceForm:
    return ResourceForm(
        values=dict(values),
        themes=list(lists.get("themes", [])),
        sectors=list(lists.get("sectors", [])),
        links={name: list(lists.get(name, [])) for name in LINK_LISTS},
    )


async def to_input(form: ResourceForm, slug: str | None = None) -> services.ResourceInput:
    """The input the rules take, or every wrong field at once (the names not found among them)."""
    wrong: list[FieldError] = []
    year_text = form.values.get("year", "").strip()
    year = int(year_text) if year_text.isascii() and year_text.isdigit() and len(year_text) == 4 else None
    if year_text and year is None:
        wrong.append(FieldError("year", "Year: four digits, like 2026, or leave it empty"))
    region_text = form.values.get("region", "")
    region = form_id(region_text)
    if region_text and region is None:
        wrong.append(FieldError("region", "Region: choose one from the list, or leave it empty"))
    ids = services.LinkIds()
    try:
        ids = await services.ids_from_names(
            organisations=form.links["organisations"],
            events=form.links["events"],
            sessions=form.links["sessions"],
            speakers=form.links["speakers"],
        )
    except InvalidFields as exc:
        wrong += exc.errors
    data = services.ResourceInput(
        title=form.values.get("title", ""),
        summary=form.values.get("summary", ""),
        body=form.values.get("body", ""),
        kind=form.values.get("kind", "resource"),
        themes=tuple(form.themes),
        sectors=tuple(s for s in form.sectors if is_sector_role(s)),
        region=region,
        year=year,
        slug=slug,
        organisations=ids.organisations,
        events=ids.events,
        sessions=ids.sessions,
        speakers=ids.speakers,
    )
    if len(data.sectors) != len(form.sectors):
        wrong.append(FieldError("sectors", "Sectors: choose from the list"))
    try:
        await services.check_input(data)
    except InvalidFields as exc:
        wrong += [e for e in exc.errors if e.field not in {w.field for w in wrong}]
    if wrong:
        order = {name: n for n, name in enumerate(ORDER)}
        raise InvalidFields(sorted(wrong, key=lambda e: order.get(e.field, len(order))))
    return data
