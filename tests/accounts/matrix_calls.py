"""Access-matrix rows for calls (issue 21, part 3): the public call pages and the submitter's signed links, and the
organisers' pages of calls, their questions, submissions, reviews and decisions (joined into MATRIX by
tests/accounts/test_access_matrix.py)."""

from __future__ import annotations

from typing import Any

from tests.accounts.matrix_parts import Body, Expected, form, organiser_page, public
from tests.seed import CALL_PROPOSAL, Seeded


def _call(s: Seeded) -> dict[str, Any]:
    title = f"Call for workshops {s.suffix}"
    return {"title": title, "kind": "sessions", "event_id": str(s.event_id), "status": "open"}


def _new_call(s: Seeded) -> dict[str, Any]:
    return {**_call(s), "title": f"Call for panels {s.suffix}"}


PAGES: dict[tuple[str, str], tuple[Expected, Body | None]] = {
    ("GET", "/calls"): (public(200), None),
    ("GET", "/calls/{slug:str}"): (public(200), None),
    ("POST", "/calls/{slug:str}"): (public(303), form(CALL_PROPOSAL)),
    ("GET", "/calls/{slug:str}/sent"): (public(200), None),
    ("GET", "/calls/{slug:str}/confirm/{token:str}"): (public(200), None),
    ("GET", "/calls/{slug:str}/submissions/{token:str}"): (public(200), None),
    ("POST", "/calls/{slug:str}/submissions/{token:str}"): (public(200), form(CALL_PROPOSAL)),
    ("GET", "/organiser/calls"): (organiser_page(200), None),
    ("GET", "/organiser/calls/new"): (organiser_page(200), None),
    ("POST", "/organiser/calls"): (organiser_page(303), form(_new_call)),
    ("GET", "/organiser/calls/{slug:str}/edit"): (organiser_page(200), None),
    ("POST", "/organiser/calls/{slug:str}/edit"): (organiser_page(303), form(_call)),
    ("GET", "/organiser/calls/{slug:str}/questions"): (organiser_page(200), None),
    ("POST", "/organiser/calls/{slug:str}/questions"): (
        organiser_page(303),
        form({"label": "Have you run it before?", "kind": "text", "confirmed": "yes"}),
    ),
    ("GET", "/organiser/calls/{slug:str}/questions/{question_id:int}/edit"): (organiser_page(200), None),
    ("POST", "/organiser/calls/{slug:str}/questions/{question_id:int}/edit"): (
        organiser_page(303),
        form({"label": "Who is it for?", "confirmed": "yes"}),
    ),
    ("POST", "/organiser/calls/{slug:str}/questions/{question_id:int}/move"): (
        organiser_page(303),
        form({"direction": "up"}),
    ),
    # Without the remove box's confirmation the page asks again (400) and the question stays.
    ("POST", "/organiser/calls/{slug:str}/questions/{question_id:int}/delete"): (organiser_page(400), form({})),
    ("GET", "/organiser/calls/{slug:str}/submissions"): (organiser_page(200), None),
    ("GET", "/organiser/calls/{slug:str}/submissions/{submission_id:int}"): (organiser_page(200), None),
    ("POST", "/organiser/calls/{slug:str}/submissions/{submission_id:int}/review"): (
        organiser_page(303),
        form({"score": "4", "comment": "Clear and practical"}),
    ),
}

# Deciding changes the submission: kept waiting (it stays open to a later decision).
LAST: dict[tuple[str, str], tuple[Expected, Body | None]] = {
    ("POST", "/organiser/calls/{slug:str}/submissions/{submission_id:int}/decision"): (
        organiser_page(303),
        form({"decision": "wait"}),
    ),
}
