"""The catalogue of refusals (docs/error-codes.md): every named domain error has a stable snake_case code of its
own and a message in plain words, and the checked-in file lists exactly what the code raises."""

from __future__ import annotations

import re
from pathlib import Path

from events_app.core.errors import Conflict, DomainError, InUse, InvalidInput, NotFound, catalogue, catalogue_markdown

DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "error-codes.md"
REGENERATE = (
    "uv run --frozen python -c 'from events_app.core.errors import catalogue_markdown as m; print(m(), end=\"\")'"
    " > docs/error-codes.md"
)
# Where a refusal may be defined besides a domain's errors.py: the request guards of core (not a domain).
OUTSIDE_ERRORS_MODULES = {"events_app.core.api", "events_app.core.security"}


def test_every_code_is_unique_snake_case_and_has_a_message_in_plain_words() -> None:
    entries = catalogue()
    assert len(entries) > 40
    # A code is defined by one class; its subclasses are the cases of that kind of refusal (not_found, in_use).
    defined = [c.code for c in _refusal_classes() | {DomainError} if "code" in vars(c)]
    assert sorted(code for code in defined if defined.count(code) > 1) == []
    for entry in entries:
        assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", entry.code), entry
        assert 400 <= entry.status < 500, entry
        assert re.match(r"[A-Z'{]", entry.message), f"{entry.name}: a message starts as a sentence does"
        assert not re.search(r"[\\^$]|\b(regex|dict|str|int|None|Expected)\b", entry.message), entry
        module = entry.name.rsplit(".", 1)[0]
        assert module.endswith(".errors") or module in OUTSIDE_ERRORS_MODULES, f"{entry.name}: move it to errors.py"


def test_the_checked_in_catalogue_is_current() -> None:
    assert DOCUMENT.read_text(encoding="utf-8") == catalogue_markdown(), f"regenerate it: {REGENERATE}"


def _refusal_classes() -> set[type[DomainError]]:
    catalogue()  # imports every module
    seen: set[type[DomainError]] = set()
    waiting: list[type[DomainError]] = [DomainError]
    while waiting:
        for sub in waiting.pop().__subclasses__():
            if sub not in seen and sub.__module__.startswith("events_app."):
                seen.add(sub)
                waiting.append(sub)
    return seen


def test_every_refusal_defined_in_the_code_is_in_the_catalogue() -> None:
    listed = {entry.name for entry in catalogue()}
    bases = {InvalidInput, NotFound, Conflict, InUse}
    unlisted = [f"{c.__module__}.{c.__qualname__}" for c in _refusal_classes() - bases]
    assert sorted(name for name in unlisted if name not in listed) == [], "give each a code and a message"
