"""The organisers' feedback page's own actions: send the feedback requests now (a form made late), and the open
feedback link as a QR code to put on a screen in the room."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Response, get, post
from litestar.response import Redirect

from events_app.accounts.guards import requires_organiser
from events_app.core.calendar_links import absolute
from events_app.feedback import forms, requests
from events_app.programme.dependencies import EVENT, PathEvent
from events_app.tickets import qr


def _feedback_page(slug: str, notice: str) -> Redirect:
    return Redirect(f"/organiser/events/{slug}/feedback?{urlencode({'notice': notice})}", status_code=303)


def open_link(open_token: str) -> str:
    """The open feedback link as the page shows it and its QR code holds it."""
    return absolute(forms.open_path(open_token))


class FeedbackRequestPages(Controller):
    path = "/organiser"
    include_in_schema = False
    guards = [requires_organiser]
    dependencies = EVENT

    @post("/events/{slug:str}/feedback/send-requests", status_code=303)
    async def send_now(self, event: PathEvent) -> Response[Any]:
        queued = await requests.send_requests_now(event)
        told = "1 feedback request" if queued == 1 else f"{queued} feedback requests"
        return _feedback_page(event.slug, f"{told} queued: they go out within a minute.")

    @get("/events/{slug:str}/feedback/qr.png", name="feedback-open-qr")
    async def open_link_qr(self, event: PathEvent) -> Response[bytes]:
        form = await forms.form_of(event)
        return Response(
            qr.png(open_link(form.open_token), "print"),
            media_type="image/png",
            headers={"Cache-Control": "private, no-store"},
        )
