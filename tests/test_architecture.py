"""Rules of the house that a reader of the code relies on, checked by reading the code itself."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from piccolo.table import Table

PACKAGE = Path(__file__).resolve().parent.parent / "events_app"


def _controllers() -> list[Path]:
    """Every JSON and HTML controller module: api.py, pages.py, pages_*.py and modules of a pages/ package."""
    return sorted(
        p
        for p in PACKAGE.rglob("*.py")
        if p.name in ("api.py", "pages.py") or p.name.startswith("pages_") or p.parent.name == "pages"
    )


def _is_table(module: str, name: str) -> bool:
    value = getattr(importlib.import_module(module), name, None)
    return isinstance(value, type) and issubclass(value, Table)


def table_imports(source: str) -> list[str]:
    """What a module imports of the tables: a `*.tables` module, anything of piccolo, or a Table class
    taken from anywhere (a service re-exporting one is still a table)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [
                a.name for a in node.names if a.name.rsplit(".", 1)[-1] == "tables" or a.name.startswith("piccolo")
            ]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module.rsplit(".", 1)[-1] == "tables" or module.split(".")[0] == "piccolo":
                found += [f"{module}.{a.name}" for a in node.names]
                continue
            for alias in node.names:
                if alias.name == "tables" or (node.level == 0 and module and _is_table(module, alias.name)):
                    found.append(f"{module}.{alias.name}")
    return found


def test_the_scan_sees_every_controller_and_would_catch_a_table_import() -> None:
    names = {str(p.relative_to(PACKAGE)) for p in _controllers()}
    assert {"registration/api.py", "feedback/pages.py", "checkin/api.py", "programme/pages.py"} <= names
    assert any(n.startswith("registration/pages") for n in names)
    assert table_imports("from events_app.registration.tables import Registration") == [
        "events_app.registration.tables.Registration"
    ]
    assert table_imports("import events_app.people.tables") == ["events_app.people.tables"]
    assert table_imports("from events_app.feedback import tables") == ["events_app.feedback.tables"]
    assert table_imports("from piccolo.columns import Varchar") == ["piccolo.columns.Varchar"]
    assert table_imports("from events_app.registration.schemas import Registration") == []  # a Struct, not a table
    assert table_imports("from events_app.checkin.services import Registration") == [
        "events_app.checkin.services.Registration"
    ]


def test_no_controller_imports_a_table() -> None:
    """Controllers parse, call a service and render; the queries live in the services."""
    offenders = {
        str(path.relative_to(PACKAGE)): found
        for path in _controllers()
        if (found := table_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
