"""The two cookies of feedback answers, for pages and API alike: the key of a delegate's answers to an anonymous
form (the only thing that leads to them, kept by their browser alone), and the signed mark that a browser has
answered from the open link (one answer per browser)."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import Cookie

from events_app.core.settings import current_settings
from events_app.feedback import marks
from events_app.feedback.schemas import ResponseOut

KEEP_SECONDS = 365 * 24 * 3600


def _cookie(request: Request[Any, Any, Any], key: str, value: str) -> Cookie:
    return Cookie(
        key=key,
        value=value,
        path="/",
        httponly=True,
        samesite="lax",
        secure=current_settings().cookie_secure or request.url.scheme == "https",
        max_age=KEEP_SECONDS,
    )


def edit_key(request: Request[Any, Any, Any], form_id: int) -> str | None:
    return request.cookies.get(marks.edit_cookie(form_id))


def browser_mark(request: Request[Any, Any, Any], form_id: int) -> str | None:
    return request.cookies.get(marks.open_cookie(form_id))


def after_linked(request: Request[Any, Any, Any], saved: ResponseOut) -> list[Cookie]:
    """An anonymous form's answers: the browser keeps their key, to change them later."""
    if saved.edit_key is None:
        return []
    return [_cookie(request, marks.edit_cookie(saved.form_id), saved.edit_key)]


def after_open(request: Request[Any, Any, Any], saved: ResponseOut) -> list[Cookie]:
    """An answer from the open link: the browser is marked as having answered."""
    return [_cookie(request, marks.open_cookie(saved.form_id), marks.open_mark(saved.form_id))]
