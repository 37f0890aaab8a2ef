"""Finding resources by their words: PostgreSQL full-text search (an English tsvector per resource in
`resource_search`, GIN-indexed, ranked by ts_rank) or SQLite FTS5 (the `resource_search` virtual table, porter
stemming, ranked by bm25). Both are made by the hand-written migration of 2026-12-06T13:45 and kept here: the
hub's services call `index_resource` in the transaction that changes a resource, so the index never lags.

A query is read the same on both engines (like PostgreSQL's websearch_to_tsquery): words must all be there,
"quoted words" as a phrase, -word must not; English stop words ("in", "the", "with") are left out, so "mentoring
schemes run with charities in the South West" asks for mentoring, schemes, run, charities, south and west, and
stemming lets "mentoring" find "mentor" and "charities" find "charity"."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from events_app.core.database import is_postgres
from events_app.hub.tables import Resource, ResourceOrganisation
from events_app.hub.themes import KINDS, theme_label
from events_app.people.sectors import SECTOR_LABELS, sector_role

# The search index's own tables (not data: rebuilt from the resources), for the tests that compare a database's
# tables with the declared ones. FTS5 keeps its words in shadow tables named after the virtual table.
INDEX_TABLES = ("resource_search",)


def is_index_table(name: str) -> bool:
    """The index's table, or one of FTS5's shadow tables of it (resource_search_data, _idx, _content ...)."""
    return any(name == table or name.startswith(f"{table}_") for table in INDEX_TABLES)


MAX_TERMS = 20
MAX_TERM_LENGTH = 60
# PostgreSQL's English stop words (the snowball list its 'english' configuration drops), so both engines ask for
# the same words.
_STOP_WORDS_TEXT = """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
she her hers
herself it its itself they them their theirs themselves what which who whom this that these those am is are
was were be been being have has had having do does did doing a an the and but if or because as until while
of at by for with about against between into through during before after above below to from up down in out
on off over under again further then once here there when where why how all any both each few more most
other some such no nor not only own same so than too very s t can will just don should now"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Terms:
    """What a search asks for: words or phrases that must be there, and ones that must not."""

    wanted: tuple[str, ...] = ()
    unwanted: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.wanted)


def _words(text: str) -> str:
    return " ".join(w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS)[:MAX_TERM_LENGTH].strip()


def parse(query: str | None) -> Terms:
    """The words of a typed query; nothing to look for (only stop words, or only exclusions) is no word filter."""
    wanted: list[str] = []
    unwanted: list[str] = []
    for match in _TOKEN.finditer(query or ""):
        minus, text = (match.group(1), match.group(2)) if match.group(2) is not None else match.group(3, 4)
        parts = [_words(text)] if match.group(2) is not None else [_words(w) for w in _WORD.findall(text)]
        for part in parts:
            if part and part not in wanted + unwanted:
                (unwanted if minus else wanted).append(part)
    return Terms(tuple(wanted[:MAX_TERMS]), tuple(unwanted[:MAX_TERMS]) if wanted else ())


def _fts5_query(terms: Terms) -> str:
    """An FTS5 MATCH expression; every term quoted, so nothing typed is read as FTS5 syntax."""
    expression = " AND ".join(f'"{t}"' for t in terms.wanted)
    return expression + "".join(f' NOT "{t}"' for t in terms.unwanted)


def _websearch_query(terms: Terms) -> str:
    """The same terms for websearch_to_tsquery, which reads quotes and minus signs the same way."""
    quoted = [f'"{t}"' if " " in t else t for t in terms.wanted]
    quoted += [f'-"{t}"' if " " in t else f"-{t}" for t in terms.unwanted]
    return " ".join(quoted)


# Keeping the index -------------------------------------------------------------------------------------------


async def _document(resource_id: int) -> tuple[str, str, str, str] | None:
    """title, summary, body, and the context people search by too: kind, themes, sectors, region, organisations."""
    row = (
        await Resource.select(
            Resource.title,
            Resource.summary,
            Resource.body,
            Resource.kind,
            Resource.themes,
            Resource.sectors,
            Resource.region.name.as_alias("region_name"),
        )
        .where(Resource.id == resource_id)
        .output(load_json=True)
        .first()
    )
    if row is None:
        return None
    organisations = await ResourceOrganisation.select(ResourceOrganisation.organisation.name.as_alias("name")).where(
        ResourceOrganisation.resource == resource_id
    )
    context = [
        KINDS.get(row["kind"], ""),
        *(theme_label(t) for t in row["themes"] or []),
        *(SECTOR_LABELS[sector_role(s)] for s in row["sectors"] or []),
        row["region_name"] or "",
        *(o["name"] for o in organisations),
    ]
    return row["title"], row["summary"], row["body"], " · ".join(c for c in context if c)


async def index_resource(resource_id: int) -> None:
    """Write (or rewrite) one resource's words; call inside the transaction that changed it."""
    document = await _document(resource_id)
    if document is None:
        await forget_resource(resource_id)
        return
    title, summary, body, context = document
    if is_postgres():
        await Resource.raw(
            "INSERT INTO resource_search (resource_id, document) VALUES ({}, "
            "setweight(to_tsvector('english', {}), 'A') || setweight(to_tsvector('english', {}), 'B') || "
            "setweight(to_tsvector('english', {}), 'B') || setweight(to_tsvector('english', {}), 'C')) "
            "ON CONFLICT (resource_id) DO UPDATE SET document = EXCLUDED.document",
            resource_id,
            title,
            summary,
            context,
            body,
        )
        return
    await forget_resource(resource_id)
    await Resource.raw(
        "INSERT INTO resource_search (rowid, title, summary, body, context) VALUES ({}, {}, {}, {}, {})",
        resource_id,
        title,
        summary,
        body,
        context,
    )


async def forget_resource(resource_id: int) -> None:
    key = "resource_id" if is_postgres() else "rowid"
    await Resource.raw(f"DELETE FROM resource_search WHERE {key} = {{}}", resource_id)  # noqa: S608 (a fixed name)


async def rebuild_index() -> int:
    """Every resource's words again (after a backup is loaded, whose files leave the index out); how many."""
    await Resource.raw("DELETE FROM resource_search")
    ids = [r["id"] for r in await Resource.select(Resource.id)]
    for resource_id in ids:
        await index_resource(resource_id)
    return len(ids)


# Searching ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Filters:
    """What a search asks for. `theme`, `sector`, `region` (a slug) and `year` narrow it; all combine."""

    q: str | None = None
    theme: str | None = None
    sector: str | None = None
    region: str | None = None
    year: int | None = None
    kind: str | None = None
    include_drafts: bool = False


@dataclass(frozen=True, slots=True)
class Found:
    ids: list[int]
    total: int


class _Sql:
    """A WHERE clause built piece by piece with its arguments, in Piccolo's `{}` placeholders."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.args: list[Any] = []

    def add(self, part: str, *args: Any) -> None:
        self.parts.append(part)
        self.args.extend(args)

    @property
    def where(self) -> str:
        return " AND ".join(self.parts) or "1 = 1"


def _match(sql: _Sql, terms: Terms) -> tuple[str, str]:
    """The join and the score column for a word search (empty when no words are asked for)."""
    if not terms:
        return "", "0"
    if is_postgres():
        sql.add("s.document @@ websearch_to_tsquery('english', {})", _websearch_query(terms))
        return (
            "JOIN resource_search s ON s.resource_id = r.id",
            "ts_rank(s.document, websearch_to_tsquery('english', {}))",
        )
    sql.add("resource_search MATCH {}", _fts5_query(terms))
    # Columns: title, summary, body, context; bm25 is smaller for better matches.
    return "JOIN resource_search ON resource_search.rowid = r.id", "-bm25(resource_search, 10.0, 4.0, 1.0, 3.0)"


def _filtered(sql: _Sql, filters: Filters, *, facets: bool) -> None:
    if not filters.include_drafts:
        sql.add("r.status = 'published'")
    if filters.kind:
        sql.add("r.kind = {}", filters.kind)
    if facets:
        return
    if filters.theme:
        sql.add("CAST(r.themes AS TEXT) LIKE {}", f'%"{_like_safe(filters.theme)}"%')
    if filters.sector:
        sql.add("CAST(r.sectors AS TEXT) LIKE {}", f'%"{_like_safe(filters.sector)}"%')
    if filters.region:
        sql.add("r.region IN (SELECT id FROM region WHERE slug = {})", filters.region)
    if filters.year is not None:
        sql.add("r.year = {}", filters.year)


def _like_safe(value: str) -> str:
    """Theme and sector slugs are letters, digits, '-' and '_'; anything else cannot match a kept one."""
    return re.sub(r"[^a-z0-9_-]", "", value.lower())[:60] or "-"


async def _rows(sql: str, args: Iterable[Any]) -> list[dict[str, Any]]:
    return list(await Resource.raw(sql, *args))


async def find(filters: Filters, *, limit: int, offset: int) -> Found:
    """The ids of the resources that match, best first (newest first when no words are asked for), one page."""
    terms = parse(filters.q)
    sql = _Sql()
    join, score = _match(sql, terms)
    _filtered(sql, filters, facets=False)
    score_args = [_websearch_query(terms)] if terms and is_postgres() else []
    total = (await _rows(f"SELECT COUNT(*) AS n FROM resource r {join} WHERE {sql.where}", sql.args))[0]["n"]  # noqa: S608
    rows = await _rows(
        f"SELECT r.id, {score} AS score FROM resource r {join} WHERE {sql.where} "  # noqa: S608 (fixed SQL text)
        "ORDER BY score DESC, r.published_at IS NULL, r.published_at DESC, r.id DESC LIMIT {} OFFSET {}",
        [*score_args, *sql.args, limit, offset],
    )
    return Found(ids=[int(r["id"]) for r in rows], total=int(total))


@dataclass(frozen=True, slots=True)
class FacetRow:
    themes: tuple[str, ...]
    sectors: tuple[str, ...]
    region: str | None
    year: int | None


async def facet_rows(filters: Filters) -> list[FacetRow]:
    """Every resource that matches the words (and kind, and publication), with what the filters read: the
    counts beside each filter are worked out from these."""
    terms = parse(filters.q)
    sql = _Sql()
    join, _ = _match(sql, terms)
    _filtered(sql, filters, facets=True)
    rows = await _rows(
        "SELECT r.themes, r.sectors, g.slug AS region, r.year FROM resource r "  # noqa: S608 (fixed SQL text)
        f"{join} LEFT JOIN region g ON g.id = r.region WHERE {sql.where}",
        sql.args,
    )

    def listed(value: Any) -> tuple[str, ...]:
        loaded = json.loads(value) if isinstance(value, str) else value
        return tuple(str(v) for v in loaded or [])

    return [FacetRow(listed(r["themes"]), listed(r["sectors"]), r["region"], r["year"]) for r in rows]


__all__ = [
    "INDEX_TABLES",
    "Filters",
    "Found",
    "Terms",
    "facet_rows",
    "find",
    "index_resource",
    "parse",
    "rebuild_index",
]
