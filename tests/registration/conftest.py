"""Events open for registration, and delegates registering through the API."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from events_app.mail.tables import OutboxMessage
from events_app.people.services import ensure_default_groups
from events_app.registration import views
from events_app.registration.register import CHECK_INBOX
from events_app.registration.tables import Registration
from tests.builders import make_event
from tests.conftest import Accounts

HEI = "higher-education-institution"
TSO = "third-sector-organisation"


@pytest.fixture
async def open_event(client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]) -> Callable[..., Any]:
    """Make a published event taking registrations; the client stays signed in as an organiser."""
    run(ensure_default_groups)

    async def make(**overrides: Any) -> dict[str, Any]:
        return await make_event(client, **{"capacity": 2, "waitlist_enabled": True, **overrides})

    return make


def delegate(n: int | str, **overrides: Any) -> dict[str, Any]:
    return {
        "name": f"Delegate {n}",
        "email": f"delegate{n}@example.org",
        "stakeholder_group": HEI,
        "organisation_name": "University of Testing",
        **overrides,
    }


async def register(client: AsyncTestClient[Any], slug: str, n: int | str, **overrides: Any) -> dict[str, Any]:
    """Register through the public API and give the organisers' answer. An organiser's client gets it from the
    API; an anonymous client is told only "check your inbox" (202), so the answer is read back from the database,
    as the organisers would see it."""
    data = delegate(n, **overrides)
    before = client.blocking_portal.call(_registration_of, slug, data["email"])
    response = await client.post(f"/api/events/{slug}/registrations", json=data)
    assert response.status_code in (200, 201, 202), response.text
    if response.status_code != 202:
        return response.json()  # type: ignore[no-any-return]
    assert response.json() == {"message": CHECK_INBOX}, response.text
    after = client.blocking_portal.call(_registration_of, slug, data["email"])
    assert after is not None
    created = before is None or before["status"] == "cancelled"
    return {
        "created": created,
        "status": after["status"],
        "waitlist_position": after["waitlist_position"],
        "message": CHECK_INBOX,
        "registration": after if created else None,
    }


async def _registration_of(slug: str, email: str) -> dict[str, Any] | None:
    """The registration of this address at this event, as the organisers' API shows it (None: there is none)."""
    row = await (
        Registration.select(Registration.id)
        .where((Registration.event.slug == slug) & (Registration.delegate.email == email.strip().lower()))
        .first()
    )
    if row is None:
        return None
    return msgspec.json.decode(msgspec.json.encode(await views.registration(row["id"])))  # type: ignore[no-any-return]


def registrations(run: Callable[..., Any], event_id: int) -> list[dict[str, Any]]:
    async def rows() -> list[dict[str, Any]]:
        return list(await Registration.select().where(Registration.event == event_id).order_by(Registration.id))

    return run(rows)  # type: ignore[no-any-return]


def mails(run: Callable[..., Any]) -> list[tuple[str, str]]:
    """(kind, recipient) of every queued message, oldest first."""

    async def rows() -> list[tuple[str, str]]:
        found = await OutboxMessage.select(OutboxMessage.kind, OutboxMessage.to_email).order_by(OutboxMessage.id)
        return [(r["kind"], r["to_email"]) for r in found]

    return run(rows)  # type: ignore[no-any-return]


def newest_body(run: Callable[..., Any], email: str) -> str:
    """The text of the newest email to this address."""

    async def newest() -> str:
        row = await (
            OutboxMessage.select(OutboxMessage.text_body)
            .where(OutboxMessage.to_email == email)
            .order_by(OutboxMessage.id, ascending=False)
            .first()
        )
        assert row is not None, f"no email to {email}"
        return str(row["text_body"])

    return run(newest)  # type: ignore[no-any-return]


def manage_token(run: Callable[..., Any], email: str) -> str:
    """The token of the manage link in the newest email to this address (as the delegate would click it)."""
    body = newest_body(run, email)
    match = re.search(r"/my/([A-Za-z0-9_.\-]+)", body)
    assert match, body
    return match.group(1)
