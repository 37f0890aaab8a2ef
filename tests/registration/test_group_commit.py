"""Group commit (issue 20): a rush of registrations for one event is decided in batches, each in one transaction,
in the order people arrived, and each person still gets their own answer. On SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import msgspec
from litestar.testing import AsyncTestClient

from events_app.core.errors import DomainError
from events_app.core.group_commit import GroupCommit
from events_app.mail.tables import OutboxMessage
from events_app.programme.events import event_row
from events_app.registration import organiser_changes
from events_app.registration import register as registering
from events_app.registration.places import DELEGATE
from events_app.registration.schemas import RegistrationCreate, RegistrationResult
from events_app.registration.tables import Registration
from tests.registration.conftest import delegate, register, registrations
from tests.statements import counting


def _data(n: int | str, **overrides: Any) -> RegistrationCreate:
    return msgspec.convert(delegate(n, **overrides), RegistrationCreate)


def _at_once(run: Callable[..., Any], slug: str, people: list[RegistrationCreate]) -> list[Any]:
    async def everyone() -> list[Any]:
        event = await event_row(slug, include_drafts=False)
        return list(await asyncio.gather(*(registering.register(event, p) for p in people), return_exceptions=True))

    return run(everyone)  # type: ignore[no-any-return]


async def test_a_rush_is_decided_in_batches_in_the_order_people_came(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=25)
    people = [_data(n) for n in range(120)]
    with counting() as sent:
        results = _at_once(run, event["slug"], people)
    assert [r for r in results if isinstance(r, BaseException)] == []
    # Alone, each registration sends about a dozen statements; decided together, a batch sends about a dozen.
    assert sent[0] < 120 * 2, sent[0]
    # The first 25 to come have the places, the rest wait in the order they came.
    assert [r.status for r in results] == ["confirmed"] * 25 + ["waitlisted"] * 95
    assert [r.waitlist_position for r in results[25:]] == list(range(1, 96))
    assert run(Registration.count) == 120
    # Each person has their own email: the places' with the ticket, the others' with their number.
    mails = run(lambda: OutboxMessage.select(OutboxMessage.to_email, OutboxMessage.text_body))
    by_address = {m["to_email"]: m["text_body"] for m in mails}
    assert len(by_address) == 120
    assert "number 95" in by_address["delegate119@example.org"]
    assert "confirmed" in by_address["delegate0@example.org"].lower()


async def test_each_person_in_a_batch_gets_their_own_answer(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=3)
    earlier = await register(client, event["slug"], "earlier")
    gone = await register(client, event["slug"], "gone")
    run(lambda: organiser_changes.cancel(gone["registration"]["id"], DELEGATE))
    people = [
        _data(0),
        _data("stranger", stakeholder_group="no-such-group"),  # refused: their own refusal only
        _data("earlier"),  # already registered: told so, nothing changed
        _data(1),
        _data("gone"),  # registering again after cancelling: the same row, taken again
        _data(1, name="Someone Else"),  # the same address twice in one batch: one registration
        _data(2),
    ]
    results = _at_once(run, event["slug"], people)

    assert isinstance(results[1], DomainError) and results[1].code == "unknown_stakeholder_group"
    answers = [r for r in results if isinstance(r, RegistrationResult)]
    assert len(answers) == 6
    assert results[2].created is False and results[2].status == earlier["status"] == "confirmed"
    assert results[5].created is False
    assert results[4].created is True
    assert results[4].registration is not None and results[4].registration.id == gone["registration"]["id"]
    rows = registrations(run, event["id"])
    assert len(rows) == 5  # earlier, gone (the same row), 0, 1, 2
    assert sum(r["status"] == "confirmed" for r in rows) == 3
    assert sorted(r["waitlist_position"] for r in rows if r["status"] == "waitlisted") == [1, 2]


async def test_a_quiet_event_decides_at_once_and_a_failed_batch_one_by_one() -> None:
    """The batching itself, on plain numbers: nobody waits for a batch to fill, and a batch that fails as a whole
    is decided again one at a time, so only the item that cannot be decided is refused."""
    batches: list[list[int]] = []

    async def decide(key: int, items: list[int]) -> list[int | BaseException]:
        batches.append(items)
        await asyncio.sleep(0.01)  # a transaction's time: others arrive meanwhile
        if 13 in items:
            raise RuntimeError("the database refused the batch")
        return [item * 2 for item in items]

    together: GroupCommit[int, int] = GroupCommit(decide, most=4)
    assert await together.submit(1, 5) == 10
    assert batches == [[5]]

    batches.clear()
    results = await asyncio.gather(*(together.submit(1, n) for n in range(10, 20)), return_exceptions=True)
    # Together, at most four at a time, in the order they came; the batch that failed, again one by one.
    assert batches == [[10, 11, 12, 13], [10], [11], [12], [13], [14, 15, 16, 17], [18, 19]]
    assert isinstance(results[3], RuntimeError)  # 13: its own refusal only
    assert [r for i, r in enumerate(results) if i != 3] == [n * 2 for n in range(10, 20) if n != 13]


async def test_an_organiser_on_the_public_form_gets_the_full_answer_from_a_batch(
    client: AsyncTestClient[Any], open_event: Callable[..., Any]
) -> None:
    event = await open_event(capacity=1)  # the client is signed in as an organiser
    made = await client.post(f"/api/events/{event['slug']}/registrations", json=delegate(7, access_needs=" Ramp "))
    assert made.status_code == 201, made.text
    answer = made.json()
    assert answer["status"] == "confirmed"
    assert answer["registration"]["email"] == "delegate7@example.org"
    assert answer["registration"]["access_needs"] == "Ramp"
    assert answer["registration"]["stakeholder_group"] == "higher-education-institution"
