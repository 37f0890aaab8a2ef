"""The pages the owner of an address reaches from a registration's email: "this wasn't me" and "confirm your
place". Each link opens a page with a button; only the button's POST changes anything, so a mail scanner that
follows every link in a message releases and confirms nothing."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.params import FromPath
from litestar.response import Template

from events_app.core.timezones import in_zone, utc_now
from events_app.programme.events import event_detail
from events_app.registration import ownership

PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}  # the link in the URL is the key


async def _context(linked: ownership.LinkedRegistration, token: str, done: bool) -> dict[str, object]:
    detail = await event_detail(linked.event)
    registration = linked.registration
    hold = registration.hold_expires_at
    return {
        "event": detail,
        "starts_at": in_zone(detail.starts_at, detail.timezone),
        "hold_until": in_zone(hold, detail.timezone) if hold is not None else None,
        "registration": registration,
        "registered_as": ", ".join(p for p in (registration.name, registration.organisation_name) if p),
        "active": linked.active,
        "held": hold is not None and hold > utc_now(),  # a lapsed hold waits only for the scheduler
        "token": token,
        "done": done,
    }


class OwnerPages(Controller):
    include_in_schema = False

    @get("/registrations/not-me/{token:str}")
    async def not_me(self, token: FromPath[str]) -> Template:
        linked = await ownership.not_me_link(token)
        context = await _context(linked, token, done=False)
        return Template("registration/not_me.html", context=context, headers=PRIVATE)

    @post("/registrations/not-me/{token:str}", status_code=200)
    async def release(self, token: FromPath[str]) -> Template:
        linked = await ownership.release(token)
        context = await _context(linked, token, done=True)
        return Template("registration/not_me.html", context=context, headers=PRIVATE)

    @get("/registrations/confirm/{token:str}")
    async def confirm_page(self, token: FromPath[str]) -> Template:
        linked = await ownership.confirm_link(token)
        context = await _context(linked, token, done=False)
        return Template("registration/confirm_place.html", context=context, headers=PRIVATE)

    @post("/registrations/confirm/{token:str}", status_code=200)
    async def confirm(self, token: FromPath[str]) -> Template:
        linked = await ownership.confirm(token)
        context = await _context(linked, token, done=True)
        return Template("registration/confirm_place.html", context=context, headers=PRIVATE)
