"""Scopes: an organiser or check-in account limited to given series or regions. The rule lives here, once.

An account with no scope rows sees everything. A scoped account sees and changes only the events of its series,
or of series whose region is one of its regions, and only what belongs to those events (registrations, delegates,
check-ins, feedback, messages, exports). Everything else answers 404 and stays out of lists and counts.

How it is applied: the session middleware puts the signed-in account's scope on the request's context
(`begin_request`); a role guard in front of an organiser route switches it on (`enforce`). The services read it
with `active()` where they read events or things of an event (programme.events.event_row and list_events,
programme.locking.locked_event, and the lookups by id), so a route that is not guarded (the public pages) is never
limited, and the worker and the command line (no request) see everything. `for_drafts()` is the signed-in scope
even on public routes: an organiser sees the drafts of their own scope only."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

import msgspec
from piccolo.columns import Column
from piccolo.custom_types import Combinable
from piccolo.query import Select

from events_app.programme.tables import Event, Series


class Scope(msgspec.Struct, frozen=True):
    """The series and regions (ids) an account is limited to; both empty: not limited."""

    series_ids: list[int] = msgspec.field(default_factory=list)
    region_ids: list[int] = msgspec.field(default_factory=list)

    @property
    def limited(self) -> bool:
        return bool(self.series_ids or self.region_ids)

    def series_filter(self) -> Combinable | None:
        """A condition on Series rows: those in scope (None: every series)."""
        if not self.limited:
            return None
        # is_in([]) is refused by Piccolo: an id that no row has stands for "none".
        return Series.id.is_in(list(self.series_ids) or [-1]) | Series.region.is_in(list(self.region_ids) or [-1])

    def _series_ids(self) -> Select[Any]:
        condition = self.series_filter()
        assert condition is not None
        return Series.select(Series.id).where(condition)

    def event_filter(self) -> Combinable | None:
        """A condition on Event rows: those in scope (None: every event). A subquery, not a join, so that it can
        stand beside SELECT ... FOR UPDATE on PostgreSQL."""
        return Event.series.is_in(self._series_ids()) if self.limited else None

    def owns(self, event_column: Column) -> Combinable | None:
        """A condition on a column that names an event (Registration.event, Session.event ...): the event is in
        scope (None: any event)."""
        condition = self.event_filter()
        return event_column.is_in(Event.select(Event.id).where(condition)) if condition is not None else None

    async def allows_event_id(self, event_id: int | None) -> bool:
        condition = self.event_filter()
        if condition is None:
            return True
        return event_id is not None and bool(await Event.exists().where((Event.id == event_id) & condition))

    async def allows_series_id(self, series_id: int | None) -> bool:
        condition = self.series_filter()
        if condition is None:
            return True
        return series_id is not None and bool(await Series.exists().where((Series.id == series_id) & condition))

    async def within(self, other: Scope) -> bool:
        """Whether this scope is no wider than `other` (an account limited by `other` may give this one): its
        regions are among the other's, and each of its series is in the other scope (by name or by region)."""
        if not other.limited:
            return True
        if not self.limited or not set(self.region_ids) <= set(other.region_ids):
            return False
        return all([await other.allows_series_id(series_id) for series_id in self.series_ids])


EVERYTHING = Scope()

_signed_in: ContextVar[Scope] = ContextVar("signed_in_scope", default=EVERYTHING)
_enforced: ContextVar[bool] = ContextVar("scope_enforced", default=False)


def begin_request(scope: Scope) -> None:
    """Called by the session middleware for every request: the signed-in account's scope, not yet enforced."""
    _signed_in.set(scope)
    _enforced.set(False)


def enforce() -> None:
    """Called by the role guards: the route is an organiser's, so the scope holds for the rest of the request."""
    _enforced.set(True)


def active() -> Scope:
    """The scope that limits what this request may read and change (EVERYTHING off organiser routes)."""
    return _signed_in.get() if _enforced.get() else EVERYTHING


def for_drafts() -> Scope:
    """Whose drafts a signed-in account sees, on any route."""
    return _signed_in.get()


def where(query: Any, condition: Combinable | None) -> Any:
    """The query with the condition added, or as it is when there is none."""
    return query if condition is None else query.where(condition)
