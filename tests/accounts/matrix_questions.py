"""Access-matrix rows for the question editors of the registration and feedback forms (joined into MATRIX by
tests/accounts/test_access_matrix.py)."""

from __future__ import annotations

from tests.accounts.matrix_parts import Body, Expected, form, organiser_page

QUESTION = {"label": "How did you hear of us?", "help_text": "", "confirmed": "yes"}
RATING = {"label": "How useful was the day?", "confirmed": "yes"}

# (method, path) -> (status per role, body): reads and changes that leave the seeded questions in place
PAGES: dict[tuple[str, str], tuple[Expected, Body | None]] = {
    ("GET", "/organiser/events/{slug:str}/questions"): (organiser_page(200), None),
    ("POST", "/organiser/events/{slug:str}/questions"): (
        organiser_page(303),
        form({"label": "Where did you travel from?", "kind": "text", "confirmed": "yes"}),
    ),
    ("GET", "/organiser/events/{slug:str}/questions/{question_id:int}/edit"): (organiser_page(200), None),
    ("POST", "/organiser/events/{slug:str}/questions/{question_id:int}/edit"): (organiser_page(303), form(QUESTION)),
    ("POST", "/organiser/events/{slug:str}/questions/{question_id:int}/move"): (
        organiser_page(303),
        form({"direction": "up"}),  # the first question stays first
    ),
    # Without the remove box's confirmation the page asks again (400) and the question stays.
    ("POST", "/organiser/events/{slug:str}/questions/{question_id:int}/delete"): (organiser_page(400), form({})),
    ("GET", "/organiser/events/{slug:str}/feedback-questions"): (organiser_page(200), None),
    ("POST", "/organiser/events/{slug:str}/feedback-questions"): (
        organiser_page(303),
        form({"label": "Would you come again?", "kind": "yes_no", "confirmed": "yes"}),
    ),
    ("GET", "/organiser/events/{slug:str}/feedback-questions/{question_id:int}/edit"): (organiser_page(200), None),
    ("POST", "/organiser/events/{slug:str}/feedback-questions/{question_id:int}/edit"): (
        organiser_page(303),
        form(RATING),
    ),
    ("POST", "/organiser/events/{slug:str}/feedback-questions/{question_id:int}/move"): (
        organiser_page(303),
        form({"direction": "up"}),
    ),
    ("POST", "/organiser/events/{slug:str}/feedback-questions/{question_id:int}/delete"): (
        organiser_page(400),
        form({}),
    ),
}

LAST: dict[tuple[str, str], tuple[Expected, Body | None]] = {}
