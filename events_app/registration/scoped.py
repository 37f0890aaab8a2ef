"""Which registrations and delegates an organiser's scope reaches (the rule itself: accounts/scopes.py).

A registration is in scope when its event is. A delegate is in scope when one of their registrations is; changing
a delegate's data as a whole (erasing it, turning over their calendar feed) needs every one of them in scope, since
it changes what other organisers' events hold about them."""

from __future__ import annotations

from piccolo.custom_types import Combinable

from events_app.accounts import scopes
from events_app.accounts.errors import DelegateOutsideScope
from events_app.core.crud import not_found
from events_app.people import feeds
from events_app.registration.tables import Registration


def registrations() -> Combinable | None:
    """A condition on Registration rows: those the request's scope reaches (None: all)."""
    return scopes.active().owns(Registration.event)


async def require_delegate(delegate_id: int, *, every_event: bool = False) -> None:
    """404 unless one of the delegate's registrations is in scope; with `every_event`, refused unless all are."""
    condition = registrations()
    if condition is None:
        return
    mine = await Registration.count().where((Registration.delegate == delegate_id) & condition)
    if not mine:
        raise not_found("delegate", delegate_id)
    if every_event and await Registration.count().where(Registration.delegate == delegate_id) != mine:
        raise DelegateOutsideScope()


async def turn_over_feed(delegate_id: int) -> str:
    """A new calendar feed address for a delegate (people.feeds), within the organiser's scope."""
    await require_delegate(delegate_id, every_event=True)
    return await feeds.turn_over(delegate_id)
