"""`events-app export` and `events-app import`: the whole database to a file and back, on the same engine and
across SQLite and PostgreSQL; refusals (a database that holds data, damaged files, newer files) write nothing."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import gzip
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from click.testing import CliRunner, Result
from litestar.testing import AsyncTestClient

from events_app import backup
from events_app.cli import main, run_with_db
from events_app.hub import search as hub_search
from tests import dbsetup
from tests.conftest import reset_database

pytestmark = pytest.mark.slow


def events_app(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command, in a process of its own, on the database at `url`."""
    return subprocess.run(
        [sys.executable, "-m", "events_app.cli", *args],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def in_process(*args: str) -> Result:
    """The command run here, on the test database (no app may be running in this process meanwhile)."""
    return CliRunner().invoke(main, list(args))


@dataclass
class Export:
    header: dict[str, Any]
    rows: dict[str, list[dict[str, Any]]]
    lines: list[bytes]

    @property
    def comparable(self) -> tuple[Any, ...]:
        """What must survive a round trip: everything but when and on which engine the file was made."""
        return self.header["tables"], self.header["migrations"], self.rows


def read_export(path: Path) -> Export:
    with gzip.open(path, "rb") as stream:
        lines = stream.read().splitlines(keepends=True)
    header = json.loads(lines[0])
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in header["tables"]}
    for line in lines[1:]:
        document = json.loads(line)
        rows[document["table"]].append(document["row"])
    return Export(header, rows, lines)


def write_export(path: Path, lines: list[bytes]) -> Path:
    with gzip.open(path, "wb") as stream:
        stream.writelines(lines)
    return path


def counts_of(url: str) -> dict[str, int]:
    """Rows per exported table (SQL straight to the database, not through the code under test)."""

    async def postgres() -> dict[str, int]:
        connection = await asyncpg.connect(url)
        try:
            return {name: await connection.fetchval(f'SELECT count(*) FROM "{name}"') for name in table_names()}
        finally:
            await connection.close()

    if url.startswith("postgresql"):
        return asyncio.run(postgres())
    import sqlite3

    connection = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        return {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in table_names()}
    finally:
        connection.close()


def tables_in(url: str) -> set[str]:
    """Every table the database has, asked of the database itself."""

    async def postgres() -> set[str]:
        connection = await asyncpg.connect(url)
        try:
            rows = await connection.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            return {r["tablename"] for r in rows}
        finally:
            await connection.close()

    if url.startswith("postgresql"):
        return asyncio.run(postgres())
    import sqlite3

    connection = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        return {r[0] for r in rows}
    finally:
        connection.close()


def table_names() -> list[str]:
    return [table._meta.tablename for table in backup.exported_tables()]


async def _limited_door_staff() -> None:
    from events_app.accounts import schemas, services
    from events_app.accounts.roles import Role
    from events_app.programme.tables import Series

    regional = await Series.select(Series.slug, Series.region.slug.as_alias("region")).where(
        Series.region.is_not_null()
    )
    assert regional
    staff = await services.create_organiser(
        schemas.OrganiserCreate(
            email="door.scope@example.org", name="Door Scope", role=Role.checkin, password="a long enough password"
        )
    )
    admin = schemas.CurrentOrganiser(user_id=0, email="", name="", role=Role.admin)  # not limited
    scope = schemas.ScopeNames(series=[regional[0]["slug"]], regions=[regional[0]["region"]])
    await services.update_organiser(staff.id, schemas.OrganiserUpdate(scope=scope), by=admin)


async def _network_mailing_and_retention(admin_id: int) -> None:
    """A network mailing (with List-Unsubscribe), one person unsubscribing by its link, and a retention run."""
    from events_app.mailings import schemas as mailings
    from events_app.mailings import services as mailing
    from events_app.people import consent
    from events_app.people.tables import Delegate
    from events_app.retention import services as retention

    draft = mailings.MailingDraft(subject="The network's year", body="Thank you for coming.")
    sent = await mailing.send(draft, "The organisers", admin_id)
    assert sent.queued > 0
    first = await Delegate.select(Delegate.id).where(Delegate.consent_to_contact.eq(True)).first()
    assert first is not None
    await consent.unsubscribe(consent.unsubscribe_token(first["id"]))
    await retention.run(36, apply=True, trigger="command")


async def fill_every_table() -> str:
    """The demo programme, plus what the demo lacks (a registration question and its answer, a workshop
    booking, a staff check-in at a session, an exit and a refused scan, calendar feeds, a naive timestamp, an
    attachment holding every byte), so that every table has rows. Returns the admin's password."""
    from piccolo.apps.user.tables import BaseUser

    from events_app import demo
    from events_app.accounts import services as accounts
    from events_app.accounts.errors import SignInFailed
    from events_app.badges import services as badges
    from events_app.checkin import services as checkin
    from events_app.impact import public as impact
    from events_app.mail.tables import OutboxAttachment, OutboxMessage
    from events_app.people import feeds
    from events_app.people.tables import Delegate
    from events_app.programme.events import event_row, update_event
    from events_app.programme.schemas import EventUpdate
    from events_app.programme.tables import Event, Session
    from events_app.registration import questions
    from events_app.registration import register as registration
    from events_app.registration.schemas import QuestionCreate, RegistrationCreate

    await reset_database()
    password = await demo.load()
    # This year's conference, made first (next year's, a draft with a call for workshops, has no timetable yet).
    conference = await Event.select(Event.id, Event.slug).where(Event.kind == "conference").order_by(Event.id).first()
    assert conference is not None
    workshop = await (
        Session.select(Session.id)
        .where((Session.event == conference["id"]) & (Session.kind == "workshop"))
        .order_by(Session.id)
        .first()
    )
    assert workshop is not None
    event = await event_row(conference["slug"], include_drafts=True)
    question = await questions.add_question(
        event, QuestionCreate(label="Which strand suits you?", kind="single", options=["One", "Two"])
    )
    result = await registration.register(
        event,
        RegistrationCreate(
            name="Zoë Ó Súilleabháin",
            email="zoe.backup@example.org",
            stakeholder_group="student",
            organisation_name="Kingsgate University",
            access_needs="Step-free access ♿\nand a quiet room",
            session_ids=[workshop["id"]],
            answers={str(question.id): "Two"},
        ),
    )
    assert result.registration is not None and result.registration.status == "confirmed"
    delegate = await Delegate.select(Delegate.id).where(Delegate.email == "zoe.backup@example.org").first()
    assert delegate is not None
    await feeds.feed_token(delegate["id"])
    await feeds.turn_over(delegate["id"])  # one revoked feed, one live
    admin = await BaseUser.select(BaseUser.id).first()
    assert admin is not None
    scan = await checkin.check_in(
        await demo.event_row_for(conference["slug"]),
        result.registration.id,
        staff_id=admin["id"],
        session_id=workshop["id"],
        client_id="backup-test-scan",
        override=True,  # the conference is weeks ahead: an organiser's check-in outside its days
    )
    assert scan.result == "checked_in"
    # With check-out on, the delegate goes out (a door movement); an exit scanned again is refused (kept).
    await update_event(conference["slug"], EventUpdate(check_out=True))
    for expected in ("checked_out", "already_checked_out"):
        exit_scan = await checkin.check_in(
            await demo.event_row_for(conference["slug"]),
            result.registration.id,
            staff_id=admin["id"],
            session_id=workshop["id"],
            direction="out",
        )
        assert exit_scan.result == expected
    await impact.set_public(True, admin["id"])  # the public impact page's switch, turned on by the admin
    printed = await badges.mark_printed(event, [result.registration.id], by=admin["id"], layout="86x55-8")
    assert printed == 1  # a badge printed, for the badge_print table
    with contextlib.suppress(SignInFailed):  # a refused sign-in, for the throttle's table
        await accounts.sign_in("nobody@example.org", "not a password", session_hours=1)
    await _limited_door_staff()  # an account limited to a region and a series, for the scope table
    await _network_mailing_and_retention(admin["id"])
    last_login = datetime(2026, 1, 2, 3, 4, 5, 678901)  # the column is a timestamp without a time zone
    await BaseUser.update({BaseUser.last_login: last_login}).where(BaseUser.id == admin["id"])
    message = await OutboxMessage.select(OutboxMessage.id).order_by(OutboxMessage.id).first()
    assert message is not None
    await OutboxAttachment.insert(
        OutboxAttachment(
            message=message["id"],
            position=9,
            filename="every-byte.bin",
            content_type="application/octet-stream",
            content=bytes(range(256)),
        )
    )
    return password


@dataclass
class Source:
    path: Path
    export: Export
    password: str
    folder: Path


@pytest.fixture(scope="module")
def source(database: dbsetup.TestDatabase) -> Iterator[Source]:
    """The test database filled, and exported with the real command."""
    password = run_with_db(fill_every_table)
    with tempfile.TemporaryDirectory(prefix="events_app_backup_") as folder:
        path = Path(folder) / "source.jsonl.gz"
        exported = events_app(database.url, "export", str(path))
        assert exported.returncode == 0, exported.stderr
        assert f"Exported {sum(counts_of(database.url).values())} rows" in exported.stdout
        yield Source(path, read_export(path), password, Path(folder))
    run_with_db(reset_database)


@pytest.fixture
def empty(database: dbsetup.TestDatabase) -> str:
    """The test database, emptied; its URL."""
    run_with_db(reset_database)
    return database.url


def test_the_file_holds_every_table_with_rows_and_values_by_column_type(
    source: Source, database: dbsetup.TestDatabase
) -> None:
    header, rows = source.export.header, source.export.rows
    assert header["format"] == "events_app-export"
    assert header["version"] == 1
    assert header["engine"] == database.engine
    assert datetime.fromisoformat(header["created_at"]).utcoffset() is not None
    assert set(header["migrations"]) == {"events_app", "user", "session_auth"}
    assert list(header["tables"]) == table_names()
    # The hub's search index is left out: it is rebuilt from the resources when a file is loaded.
    data_tables = {name for name in tables_in(database.url) if not hub_search.is_index_table(name)}
    assert set(header["tables"]) == data_tables - {"migration", "sessions"}
    assert header["tables"] == counts_of(database.url)
    assert [name for name, n in header["tables"].items() if n == 0] == [], "every table must have rows"
    position = {name: n for n, name in enumerate(header["tables"])}
    for table in backup.exported_tables():  # parents first
        for foreign_key in table._meta.foreign_key_columns:
            parent = foreign_key._foreign_key_meta.resolved_references._meta.tablename
            assert position[parent] < position[table._meta.tablename], (parent, table._meta.tablename)
    assert {name: len(found) for name, found in rows.items()} == header["tables"]
    assert [r["id"] for r in rows["registration"]] == sorted(r["id"] for r in rows["registration"])

    event = rows["event"][0]
    assert datetime.fromisoformat(event["starts_at"]).utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert event["starts_at"].endswith("+00:00")
    assert isinstance(event["waitlist_enabled"], bool)
    admin = rows["piccolo_user"][0]
    assert admin["last_login"] == "2026-01-02T03:04:05.678901"  # a timestamp without a zone stays without
    assert admin["password"].startswith("pbkdf2_sha256$")
    every_byte = next(a for a in rows["outbox_attachment"] if a["filename"] == "every-byte.bin")
    assert base64.b64decode(every_byte["content"]) == bytes(range(256))
    # A ticket queued with a registration is kept as what it is drawn from when it is sent.
    assert any(a["made_from"].startswith('{"type":"ticket"') for a in rows["outbox_attachment"])
    answered = next(r for r in rows["registration"] if r["answers"] != {})
    assert isinstance(answered["answers"], dict)  # JSON as the value it holds, not as a string
    assert all(isinstance(q["options"], list) for q in rows["feedback_question"])
    assert any(isinstance(v["latitude"], float) for v in rows["venue"])
    assert any("♿\nand a quiet room" in r["access_needs"] for r in rows["registration"])


@pytest.mark.parametrize("target", ["same engine", "other engine"])
def test_round_trip_gives_the_same_rows(source: Source, database: dbsetup.TestDatabase, target: str) -> None:
    engine = (
        database.engine if target == "same engine" else {"sqlite": "postgres", "postgres": "sqlite"}[database.engine]
    )
    pg_name = None
    if engine == "postgres":
        pg_name, url = dbsetup.create_postgres_database("events_app_backup")
    else:
        url = f"sqlite:///{source.folder}/{target.replace(' ', '_')}.sqlite3"
    try:
        dbsetup.migrate(url)  # the way the README says: migrate (standard groups added), then import
        imported = events_app(url, "import", str(source.path))
        assert imported.returncode == 0, imported.stderr
        assert f"Imported {sum(source.export.header['tables'].values())} rows" in imported.stdout
        again = source.folder / f"again_{engine}.jsonl.gz"
        exported = events_app(url, "export", str(again))
        assert exported.returncode == 0, exported.stderr
        export = read_export(again)
        assert export.header["engine"] == engine
        assert export.comparable == source.export.comparable
        if engine == "postgres":
            asyncio.run(assert_next_ids_are_free(url))
    finally:
        if pg_name:
            dbsetup.drop_postgres_database(pg_name)


async def assert_next_ids_are_free(url: str) -> None:
    """After an import, each table's sequence gives an id above every imported one."""
    connection = await asyncpg.connect(url)
    try:
        for name in table_names():
            largest = await connection.fetchval(f'SELECT COALESCE(MAX(id), 0) FROM "{name}"')
            following = await connection.fetchval("SELECT nextval(pg_get_serial_sequence($1, 'id'))", f'"{name}"')
            assert following == largest + 1, name
    finally:
        await connection.close()


async def restart_sequences(url: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        for name in table_names():
            await connection.execute("SELECT setval(pg_get_serial_sequence($1, 'id'), 1, false)", f'"{name}"')
    finally:
        await connection.close()


async def test_imported_data_works_in_the_app(
    source: Source, database: dbsetup.TestDatabase, client: AsyncTestClient[Any]
) -> None:
    if database.engine == "postgres":
        await restart_sequences(database.url)  # as in a new database: ids would start at 1 again
    imported = events_app(database.url, "import", str(source.path))  # the client fixture emptied the database
    assert imported.returncode == 0, imported.stderr

    signed_in = await client.post("/api/auth/sign-in", json={"email": "admin@example.org", "password": source.password})
    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.json()["role"] == "admin"
    conference = next(e for e in source.export.rows["event"] if e["kind"] == "conference")
    listed = await client.get(f"/api/events/{conference['slug']}/registrations")
    assert listed.status_code == 200, listed.text
    assert listed.json()["total"] == sum(
        1 for r in source.export.rows["registration"] if r["event"] == conference["id"]
    )

    registered = await client.post(
        f"/api/events/{conference['slug']}/registrations",
        json={
            "name": "New Person",
            "email": "new.person@example.org",
            "stakeholder_group": "funder",
            "organisation_name": "A Funder New Here",  # a new organisation row too
        },
    )
    assert registered.status_code == 201, registered.text  # no id collides with an imported one
    new_id = registered.json()["registration"]["id"]
    assert new_id > max(r["id"] for r in source.export.rows["registration"])


def test_import_refuses_a_database_that_holds_data_and_replace_replaces_it(source: Source, empty: str) -> None:
    expected = source.export.header["tables"]
    assert in_process("import", str(source.path)).exit_code == 0

    from events_app.people.tables import Region

    run_with_db(lambda: Region.insert(Region(slug="extra", name="Extra region")).run())
    holding = counts_of(empty)
    refused = in_process("import", str(source.path))
    assert refused.exit_code == 1
    assert isinstance(refused.exception, SystemExit)  # a message, not a traceback
    assert "already holds data" in refused.output
    assert "--replace" in refused.output
    assert counts_of(empty) == holding

    replaced = in_process("import", str(source.path), "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert counts_of(empty) == expected
    again = source.folder / "replaced.jsonl.gz"
    assert in_process("export", str(again)).exit_code == 0
    assert read_export(again).comparable == source.export.comparable


def _truncated(source: Source) -> bytes:
    data = source.path.read_bytes()
    return data[: len(data) * 9 // 10]


def _bad_line(source: Source) -> bytes:
    lines = list(source.export.lines)
    lines[-3] = b'{"table": "feedback_answer", "row": {"id": 1,\n'
    return gzip.compress(b"".join(lines))


def _database_refuses_the_last_row(source: Source) -> bytes:
    """The last row twice (a primary key taken), the header counting it: only the database can tell."""
    lines = list(source.export.lines)
    header = json.loads(lines[0])
    last = json.loads(lines[-1])["table"]
    header["tables"][last] += 1
    return gzip.compress(b"".join([json.dumps(header).encode() + b"\n", *lines[1:], lines[-1]]))


def _rows_missing(source: Source) -> bytes:
    return gzip.compress(b"".join(source.export.lines[:-1]))


DAMAGE: dict[str, tuple[Callable[[Source], bytes], Callable[[int, str], list[str]]]] = {
    # what to do to the file, and what the message must say (given the number of lines in the whole file and the
    # table the file ends with)
    "truncated": (_truncated, lambda lines, last: ["The file is truncated: it ends in the middle of line"]),
    "bad line": (_bad_line, lambda lines, last: [f"Line {lines - 2} is not valid JSON"]),
    "database refuses": (
        _database_refuses_the_last_row,
        lambda lines, last: [f"Could not write the {last} rows of lines ", f"-{lines + 1}: "],
    ),
    "rows missing": (_rows_missing, lambda lines, last: ["ends early", f"rows missing from {last}"]),
    "not gzip": (lambda s: b'{"format": "events_app-export"}\n', lambda lines, last: ["not a gzip file"]),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_file_is_refused_and_nothing_is_written(source: Source, empty: str, damage: str) -> None:
    make, message = DAMAGE[damage]
    last = json.loads(source.export.lines[-1])["table"]
    assert last == table_names()[-1]  # tables are written in order, children after parents
    path = source.folder / "damaged.jsonl.gz"
    path.write_bytes(make(source))
    result = in_process("import", str(path))
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # a message, not a traceback
    for fragment in message(len(source.export.lines), last):
        assert fragment in result.output
    assert set(counts_of(empty).values()) == {0}


HEADERS: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "newer version": (lambda h: h.update(version=2), "format version 2, written by a newer events_app"),
    "unknown migration": (
        lambda h: h["migrations"]["events_app"].append("2099-01-01T00:00:00:000000"),
        "The file comes from a newer events_app",
    ),
    "not ours": (lambda h: h.update(format="something-else"), "This is not an events_app export"),
}


@pytest.mark.parametrize("change", list(HEADERS))
def test_a_header_this_version_cannot_read_is_refused(source: Source, empty: str, change: str) -> None:
    alter, message = HEADERS[change]
    header = json.loads(source.export.lines[0])
    alter(header)
    path = write_export(
        source.folder / "header.jsonl.gz", [json.dumps(header).encode() + b"\n", *source.export.lines[1:]]
    )
    result = in_process("import", str(path))
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert message in result.output
    assert set(counts_of(empty).values()) == {0}
