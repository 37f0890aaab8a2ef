"""Nothing writes the programme around its rules (issue 15, part 3), checked by reading the code.

Three facts, which together leave the services as the only way a request can change the programme:
1. every handler of a POST, PATCH, PUT or DELETE lives in a module that imports no table;
2. the only modules of events_app that write a programme table (the programme's tables, organisations and
   stakeholder groups: `.insert(`, `.update(`, `.delete(`, `.save(`, `.remove(`, `.raw(`, `.objects(`, or SQL
   text that changes one) are the services allowed below, each named with the rule tests that cover it;
3. no route is a mounted ASGI application (a generic table editor such as Piccolo Admin was): static files are
   ordinary GET and HEAD handlers.
The scanner is checked on sample sources first, so that a test which finds nothing has looked."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path
from typing import Any

from litestar import Litestar, asgi, post
from litestar.routes import ASGIRoute, HTTPRoute
from litestar.types import Receive, Scope, Send
from piccolo.table import Table

from events_app.people import tables as people_tables
from events_app.programme import tables as programme_tables
from tests.test_architecture import table_imports

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "events_app"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

PROGRAMME_TABLES: dict[str, type[Table]] = {
    name: value
    for name, value in vars(programme_tables).items()
    if isinstance(value, type) and issubclass(value, Table) and value.__module__ == programme_tables.__name__
} | {"Organisation": people_tables.Organisation, "StakeholderGroup": people_tables.StakeholderGroup}

# Each module that writes programme tables, and the rule tests (file::function) that hold it to its rules.
ALLOWED_WRITERS: dict[str, tuple[str, ...]] = {
    "programme/events.py": (
        "tests/programme/test_events_api.py::test_end_before_start_is_refused",
        "tests/programme/test_events_api.py::test_publish_and_cancel_are_recorded_and_raise_the_sequence",
        "tests/programme/test_events_api.py::test_published_event_needs_a_place",
        "tests/programme/test_events_api.py::test_shortening_an_event_cannot_strand_its_sessions",
        "tests/programme/test_events_api.py::test_registration_window_must_make_sense",
        "tests/programme/test_sessions_api.py::test_track_names_are_unique_per_event",
        "tests/registration/test_reactions.py::test_cancelling_an_event_cancels_its_registrations_only_where_the_reactions_are_wired",
        "tests/organiser/test_events.py::test_moving_an_event_by_an_hour_takes_its_timetable_and_tells_each_person_once",
    ),
    "programme/sessions.py": (
        "tests/programme/test_sessions_api.py::test_session_outside_its_event_is_refused",
        "tests/programme/test_sessions_api.py::test_two_sessions_in_one_room_at_once_are_refused",
        "tests/programme/test_sessions_api.py::test_room_must_belong_to_the_event_venue",
        "tests/programme/test_sessions_api.py::test_workshop_capacity_cannot_exceed_its_room",
        "tests/programme/test_sessions_api.py::test_moving_a_session_raises_its_sequence",
        "tests/programme/test_sessions_api.py::test_unknown_speaker_and_track_name_the_field",
        "tests/programme/test_room_clash_names_the_session.py::test_the_clash_carries_the_id_of_the_session_in_the_room",
    ),
    "programme/series.py": ("tests/people/test_people_api.py::test_series_crud_and_series_with_events",),
    "programme/venues.py": (
        "tests/people/test_people_api.py::test_venue_rooms",
        "tests/programme/test_events_api.py::test_venue_in_use_cannot_be_deleted",
        "tests/programme/test_room_capacity.py::test_a_room_cannot_be_made_smaller_than_a_workshop_in_it",
    ),
    "programme/speakers.py": (
        "tests/programme/test_sessions_api.py::test_session_crud_with_track_room_and_ordered_speakers",
        "tests/programme/test_sessions_api.py::test_speakers_are_public_only_once_they_appear_in_a_published_event",
        "tests/programme/test_speaker_contact.py::test_the_contact_email_is_for_organisers_only",
    ),
    "season/copies.py": (  # a copy of an event: its row, tracks and timetable, on the wall clock, never its people
        "tests/season/test_copies.py::test_a_copy_across_the_last_sunday_of_october_keeps_0930_on_the_clock",
        "tests/season/test_copies.py::test_the_copy_takes_the_programme_questions_form_and_settings_as_a_draft",
        "tests/season/test_copies.py::test_a_slug_already_used_is_refused_naming_the_field_and_nothing_is_made",
        "tests/season/test_copies.py::test_a_copy_into_a_room_another_event_holds_is_refused_and_nothing_is_made",
        "tests/season/test_runs.py::test_a_run_is_all_or_nothing_and_names_each_wrong_region",
    ),
    "people/services.py": (
        "tests/people/test_people_api.py::test_default_groups_and_adding_one",
        "tests/people/test_people_api.py::test_organisation_crud_and_group_in_use",
        "tests/people/test_group_order_and_names.py::test_moving_a_group_renumbers_the_list_and_stops_at_its_ends",
    ),
    # Not a service: the demo loader moves its finished seminar three weeks back, messages and all, on purpose.
    "demo/people.py": ("tests/test_demo.py::test_the_demo_seminar_was_attended_on_its_day_and_nobody_has_a_double",),
    # Writers that take the table as a value (`table.insert(...)`), and why each may.
    "backup/restore.py": (  # an import loads a backup of every table into an empty database, in one transaction
        "tests/test_backup.py::test_round_trip_gives_the_same_rows",
        "tests/test_backup.py::test_a_damaged_file_is_refused_and_nothing_is_written",
    ),
    "core/database.py": ("tests/test_backup.py::test_imported_data_works_in_the_app",),  # id sequences after import
    "registration/waitlists.py": (  # its `table` is Registration or SessionBooking: a waiting list, no programme
        "tests/registration/test_waitlists.py::test_leaving_closes_the_gap_and_a_free_place_goes_to_number_one",
    ),
}

_WRITE_CALLS = {"insert", "update", "delete", "save", "remove", "raw", "objects", "alter", "add_m2m", "remove_m2m"}
_INSTANCE_WRITES = {"save", "remove"}  # on a row object, whose class the code does not name at the call
_GENERIC_RECEIVER = re.compile(r"(?:^|_)table(?:_class)?$")  # `table.insert(...)`: a table handed in as a value
_SQL_WRITE = re.compile(
    r'(?i)\b(?:insert\s+into|update|delete\s+from|truncate(?:\s+table)?)\s+"?('
    + "|".join(sorted(t._meta.tablename for t in PROGRAMME_TABLES.values()))
    + r')"?(?=[\s(;]|$)'
)


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):  # Event(...).save()
        return _name(node.func)
    return None


def _imports_programme_tables(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module.endswith(("programme.tables", "people.tables")) or any(a.name == "tables" for a in node.names):
                return True
        elif isinstance(node, ast.Import) and any(
            a.name.endswith((".programme.tables", ".people.tables")) for a in node.names
        ):
            return True
    return False


def _docstrings(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def programme_writes(source: str) -> set[str]:
    """What a module writes of the programme: table class names, `*` for a table handed in as a value, `row.save`
    for a row saved in a module that imports programme tables, `sql:<table>` for SQL text."""
    tree = ast.parse(source)
    imports_tables = _imports_programme_tables(tree)
    docstrings = _docstrings(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _WRITE_CALLS:
            receiver = _name(node.func.value)
            if receiver in PROGRAMME_TABLES:
                found.add(receiver)
            elif isinstance(node.func.value, ast.Call):  # Region(...).save(): a row of another table, named
                continue
            elif receiver and _GENERIC_RECEIVER.search(receiver):
                found.add("*")
            elif node.func.attr in _INSTANCE_WRITES and imports_tables:
                found.add(f"{receiver}.{node.func.attr}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            found |= {f"sql:{m.group(1)}" for m in _SQL_WRITE.finditer(node.value)}
    return found


def writers() -> dict[str, set[str]]:
    return {
        str(path.relative_to(PACKAGE)): found
        for path in sorted(PACKAGE.rglob("*.py"))
        if (found := programme_writes(path.read_text(encoding="utf-8")))
    }


def write_handlers(app: Litestar) -> dict[str, str]:
    """'METHOD /path' -> the module of its handler, for every handler that changes something."""
    found = {}
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            for method in sorted(set(handler.http_methods) & WRITE_METHODS):
                fn: Any = inspect.unwrap(handler.fn)
                found[f"{method} {route.path}"] = getattr(fn, "__func__", fn).__module__
    return found


def mounted_apps(app: Litestar) -> list[str]:
    return [route.path for route in app.routes if isinstance(route, ASGIRoute)]


def _module_source(module: str) -> str:
    return (ROOT / Path(*module.split("."))).with_suffix(".py").read_text(encoding="utf-8")


# The scanner on samples: it must see each way of writing, and leave reads and dictionaries alone.
def test_the_scanner_sees_every_way_of_writing_a_programme_table() -> None:
    header = (
        "from events_app.programme.tables import Event, Session\nfrom events_app.people.tables import Organisation\n"
    )
    assert programme_writes(header + "await Event.update({Event.title: 'x'}).where(Event.id == 1)") == {"Event"}
    assert programme_writes(header + "await Session.insert(Session(title='x'))") == {"Session"}
    assert programme_writes(header + "await Organisation.delete().where(Organisation.id == 1)") == {"Organisation"}
    assert programme_writes(header + "await Event.objects().create(title='x')") == {"Event"}
    assert programme_writes(header + "await Event.raw('select 1')") == {"Event"}
    assert programme_writes(header + "await Event(title='x').save()") == {"Event"}
    assert programme_writes(header + "row = await Event.objects().first()\nawait row.save()") == {"Event", "row.save"}
    assert programme_writes("from events_app.programme import tables\nawait tables.Venue.delete()") == {"Venue"}
    assert programme_writes("async def f(table):\n    await table.insert(*rows)") == {"*"}
    assert programme_writes("await db.execute('UPDATE \"event\" SET title = $1')") == {"sql:event"}
    assert programme_writes("await db.execute('DELETE FROM event_session WHERE id = 1')") == {"sql:event_session"}
    # Reads, other tables, dictionaries, lists and words in docstrings are not writes.
    assert (
        programme_writes(header + "rows = await Event.select().where(Event.id == 1)\ncount = await Session.count()")
        == set()
    )
    assert programme_writes("values = {}\nvalues.update(a=1)\nitems = []\nitems.insert(0, 1)") == set()
    assert programme_writes("from events_app.mail.tables import OutboxMessage\nawait OutboxMessage.update({})") == set()
    assert (
        programme_writes(header + "from events_app.people.tables import Region\nawait Region(name='x').save()") == set()
    )
    assert programme_writes('def f():\n    """Update event times and delete from event_session."""') == set()


def test_the_route_checks_would_catch_a_mounted_editor_and_a_handler_that_imports_tables() -> None:
    @asgi("/editor", is_mount=True, copy_scope=True)
    async def editor(scope: Scope, receive: Receive, send: Send) -> None: ...

    @post("/sneaky")
    async def sneaky() -> None: ...

    sample = Litestar(route_handlers=[editor, sneaky])
    assert mounted_apps(sample) == ["/editor"]
    handlers = write_handlers(sample)
    assert handlers == {"POST /sneaky": __name__}
    assert table_imports(_module_source(handlers["POST /sneaky"]))  # this module imports the tables


# The app itself.
def test_every_write_handler_lives_in_a_module_that_imports_no_table() -> None:
    from events_app.app import create_app

    handlers = write_handlers(create_app())
    assert {"POST /api/events", "PATCH /api/events/{slug:str}", "POST /api/events/{slug:str}/sessions"} <= set(handlers)
    offenders = {
        route: (module, found)
        for route, module in handlers.items()
        if not module.startswith("events_app.") or (found := table_imports(_module_source(module)))
    }
    assert offenders == {}


def test_only_the_allowed_services_write_programme_tables() -> None:
    found = writers()
    assert {"programme/events.py", "programme/sessions.py"} <= set(found)  # the scan found the writers it must
    unexpected = {module: sorted(w) for module, w in found.items() if module not in ALLOWED_WRITERS}
    assert unexpected == {}, "a module writes programme tables around the services: move the write into one"
    assert set(ALLOWED_WRITERS) == set(found), "an allowed writer no longer writes: take it off the list"


def test_each_allowed_writer_names_rule_tests_that_exist() -> None:
    missing = []
    for module, rule_tests in ALLOWED_WRITERS.items():
        assert rule_tests, module
        for rule_test in rule_tests:
            path, _, name = rule_test.partition("::")
            source = (ROOT / path).read_text(encoding="utf-8") if (ROOT / path).exists() else ""
            defined = {
                n.name for n in ast.walk(ast.parse(source)) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
            }
            if name not in defined:
                missing.append(f"{module}: {rule_test}")
    assert missing == []


def test_no_route_is_a_mounted_application() -> None:
    from events_app.app import create_app

    app = create_app()
    assert mounted_apps(app) == []
    static = [r for r in app.routes if r.path.startswith("/static/")]
    assert static
    assert all(isinstance(r, HTTPRoute) and set(r.methods) <= {"GET", "HEAD", "OPTIONS"} for r in static)
