"""What a browser keeps about feedback it gave: the cookie holding the random key of a delegate's answers to an
anonymous form (theirs alone: nothing else leads to those answers), and the signed mark that it has answered
from the open link (one answer per browser)."""

from __future__ import annotations

from events_app.core import tokens

OPEN_MARK = "feedback-open"
OPEN_MARK_MAX_AGE = 365 * 24 * 3600


def edit_cookie(form_id: int) -> str:
    """The cookie holding the random key of a delegate's answers to an anonymous form (theirs alone)."""
    return f"feedback_edit_{form_id}"


def open_cookie(form_id: int) -> str:
    """The cookie marking that this browser has answered the form from the open link."""
    return f"feedback_open_{form_id}"


def open_mark(form_id: int) -> str:
    return tokens.sign(OPEN_MARK, form_id)


def answered_here(form_id: int, mark: str | None) -> bool:
    """Whether a browser's cookie says it has answered this form from the open link (a signed mark)."""
    if not mark:
        return False
    try:
        return bool(tokens.unsign(OPEN_MARK, mark, max_age_seconds=OPEN_MARK_MAX_AGE) == form_id)
    except tokens.InvalidToken:
        return False
