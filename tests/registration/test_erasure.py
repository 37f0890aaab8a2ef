"""Erasure erases (issue 17, part 3): a delegate with a season behind them (places confirmed, waiting and
cancelled, a workshop, a check-in, feedback naming them, mail sent with tickets and invitations, mail still
waiting) is erased, and then nothing anywhere, in any table, in the outbox folder, in the CSV export or in a
backup, holds their address or their name; the place they held at an event to come went to the next person."""

from __future__ import annotations

import email
import email.policy
import io
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from litestar.testing import AsyncTestClient
from piccolo.apps.user.tables import BaseUser
from piccolo.table import Table
from piccolo_api.session_auth.tables import SessionsBase

from events_app.backup.export import export_database
from events_app.checkin import services as checkin
from events_app.core.settings import load_mail_settings
from events_app.core.timezones import utc_now
from events_app.feedback import responses
from events_app.mail.tables import OutboxAttachment, OutboxMessage
from events_app.mail.worker import deliver_due
from events_app.people.tables import Delegate
from events_app.piccolo_app import APP_CONFIG
from events_app.programme.events import event_row
from events_app.programme.tables import Event
from events_app.registration.tables import Registration
from tests.builders import make_session
from tests.conftest import Accounts
from tests.registration.conftest import TSO, mails, manage_token, register

NAME = "Zebedee Quillfeather"
EMAIL = "zebedee.quill@example.org"
WORDS = (NAME.casefold(), EMAIL.casefold(), "quillfeather")
TABLES: list[type[Table]] = [*APP_CONFIG.table_classes, BaseUser, SessionsBase]


def _when(delta: timedelta) -> str:
    return (utc_now() + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value: object) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


async def found_in_database() -> list[str]:
    """Every column of every row of every table that holds the address or the name, ignoring case."""
    hits = []
    for table in TABLES:
        for row in await table.select():
            for column, value in row.items():
                if any(word in _text(value).casefold() for word in WORDS):
                    hits.append(f"{table._meta.tablename}.{column} (row {row.get('id')})")
    return hits


def mail_text(path: Path) -> str:
    """An .eml file as a reader sees it: headers decoded, every part decoded (base64, quoted-printable)."""
    raw = path.read_bytes()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    texts = [raw.decode("utf-8", "replace"), *(str(value) for value in message.values())]
    for part in message.walk():
        if not part.is_multipart():
            texts.append(_text(part.get_payload(decode=True) or b""))
    return "\n".join(texts).casefold()


def files_naming_them() -> list[Path]:
    folder = load_mail_settings().outbox_dir
    return [p for p in folder.glob("*.eml") if any(word in mail_text(p) for word in WORDS)] if folder.exists() else []


async def backup_text() -> str:
    target = io.BytesIO()
    await export_database(target)
    import gzip

    return gzip.decompress(target.getvalue()).decode("utf-8", "replace").casefold()


async def test_an_erased_delegate_leaves_no_trace_and_their_place_goes_to_the_next_person(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any], organiser: Accounts
) -> None:
    me = {"name": NAME, "email": EMAIL}
    # A seminar today: a workshop place, a check-in, and feedback that names them (theirs and someone else's).
    seminar = await open_event(
        title="Seminar", capacity=10, starts_at=_when(timedelta(hours=1)), ends_at=_when(timedelta(hours=3))
    )
    workshop = await make_session(
        client,
        seminar["slug"],
        title="Workshop",
        kind="workshop",
        capacity=5,
        starts_at=_when(timedelta(hours=1)),
        ends_at=_when(timedelta(hours=2)),
    )
    mine = await register(client, seminar["slug"], "z", **me, session_ids=[workshop["id"]], access_needs="Ramp")
    other = await register(client, seminar["slug"], "o", stakeholder_group=TSO)
    form = (await client.post(f"/api/events/{seminar['slug']}/feedback-form", json={"template": "seminar"})).json()
    q = {x["label"]: str(x["id"]) for x in form["questions"]}
    text_q = q["What should we do differently next time?"]

    async def check_in() -> None:
        row = await event_row(seminar["slug"], include_drafts=True)
        await checkin.check_in(row, mine["registration"]["id"], staff_id=None)
        await checkin.check_in(row, other["registration"]["id"], staff_id=None)

    run(check_in)
    for registration, said in (
        (mine, f"I am {NAME}, write to me at {EMAIL}"),
        (other, "Zebedee QUILLFEATHER ran the best workshop"),
    ):
        token = responses.link_path(form["id"], registration["registration"]["id"]).removeprefix("/feedback/")
        answers = {
            q["Overall, how useful was the event for your work?"]: 4,
            q["Was the level right?"]: "About right",
            q["Did you meet someone from another sector you will work with?"]: True,
            q["How much did hearing from other sectors add to your understanding?"]: 5,
            text_q: said,
        }
        assert (await client.post(f"/api/feedback/{token}", json={"answers": answers})).status_code == 200
    my_feedback = responses.link_path(form["id"], mine["registration"]["id"])

    # Events to come: a confirmed place with someone waiting behind it; a waiting place; one an organiser cancelled.
    full = await open_event(title="Full forum", capacity=1)
    held = await register(client, full["slug"], "z", **me)
    behind = await register(client, full["slug"], "next")
    assert (held["registration"]["status"], behind["registration"]["status"]) == ("confirmed", "waitlisted")
    token = manage_token(run, EMAIL)
    crowded = await open_event(title="Crowded meeting", capacity=1)
    await register(client, crowded["slug"], "first")
    waiting = await register(client, crowded["slug"], "z", **me)
    assert waiting["registration"]["status"] == "waitlisted"
    dropped = await open_event(title="Dropped seminar", capacity=5)
    cancelled = await register(client, dropped["slug"], "z", **me)
    refused = await client.post(
        f"/api/registrations/{cancelled['registration']['id']}/cancel", json={"reason": f"{NAME} asked us to"}
    )
    assert refused.status_code == 200

    # The seminar is over now, three weeks ago; its figures must not move.
    async def into_the_past() -> None:
        weeks = timedelta(days=21)
        await Event.update({Event.starts_at: Event.starts_at - weeks, Event.ends_at: Event.ends_at - weeks}).where(
            Event.id == seminar["id"]
        )

    run(into_the_past)
    counts_before = (await client.get(f"/api/events/{seminar['slug']}/registrations/counts")).json()
    results_before = (await client.get(f"/api/events/{seminar['slug']}/feedback/results")).json()

    # Mail goes out (tickets and invitations attached, .eml files written); then one more waits to be sent.
    run(deliver_due, load_mail_settings())
    assert (await client.post("/api/my/link", json={"email": EMAIL})).status_code == 202

    async def their_mail() -> tuple[int, int, int]:
        to_them = OutboxMessage.to_email == EMAIL
        attached = await OutboxAttachment.count().where(OutboxAttachment.message.to_email == EMAIL)
        sent = await OutboxMessage.count().where(to_them & (OutboxMessage.status == "sent"))
        return sent, await OutboxMessage.count().where(to_them & (OutboxMessage.status == "queued")), attached

    sent, queued, attached = run(their_mail)
    assert sent >= 4 and queued >= 1 and attached >= 2
    files = files_naming_them()
    assert len(files) >= sent
    # The searches below find them before the erasure, so that finding nothing after it means something.
    assert {hit.split(".")[0] for hit in run(found_in_database)} >= {
        "delegate",
        "registration",
        "outbox_message",
        "outbox_attachment",
        "feedback_answer",
        "registration_change",
    }
    assert any(word in run(backup_text) for word in WORDS)

    delegate_id = held["registration"]["delegate_id"]
    assert (await client.post(f"/api/delegates/{delegate_id}/erase")).status_code == 204

    assert run(found_in_database) == []
    assert files_naming_them() == []
    assert not [p for p in files if p.exists()]
    assert not any(word in run(backup_text) for word in WORDS)
    for event in (seminar, full, crowded, dropped):
        exported = await client.get(f"/api/events/{event['slug']}/registrations.csv")
        assert exported.status_code == 200
        assert not any(word in exported.text.casefold() for word in WORDS)
    assert (await client.get("/api/outbox", params={"to": "zebedee"})).json()["total"] == 0
    outbox_page = await client.get("/organiser/outbox")
    assert not any(word in outbox_page.text.casefold() for word in WORDS)
    assert "Erased" in outbox_page.text  # what was sent to them is still counted

    async def after() -> tuple[str, dict[str, int], int, int]:
        stored = await Delegate.select(Delegate.email).where(Delegate.id == delegate_id).first()
        assert stored is not None
        statuses = {
            r["event"]: r["status"]
            for r in await Registration.select(Registration.event, Registration.status).where(
                Registration.delegate == delegate_id
            )
        }
        sent_now = await OutboxMessage.count().where(
            OutboxMessage.erased_at.is_not_null() & (OutboxMessage.status == "sent")
        )
        return (
            stored["email"],
            statuses,
            sent_now,
            await OutboxAttachment.count().where(OutboxAttachment.message.erased_at.is_not_null()),
        )

    stored_email, statuses, kept, attachments_left = run(after)
    assert re.fullmatch(r"erased-[0-9a-f]{32}@erased\.invalid", stored_email)  # not erased-{id}: nobody can guess it
    assert (kept, attachments_left) == (sent, 0)  # sent mail is kept as counts only; unsent mail is gone
    assert statuses == {
        seminar["id"]: "confirmed",
        full["id"]: "cancelled",
        crowded["id"]: "cancelled",
        dropped["id"]: "cancelled",
    }

    # The next person on the full forum's list has the place, and was told.
    promoted = (await client.get(f"/api/registrations/{behind['registration']['id']}")).json()
    assert promoted["status"] == "confirmed"
    assert ("promoted", "delegatenext@example.org") in mails(run)
    # Past figures do not move: the seminar's counts and feedback (ratings by group) are as they were.
    assert (await client.get(f"/api/events/{seminar['slug']}/registrations/counts")).json() == counts_before
    results_after = (await client.get(f"/api/events/{seminar['slug']}/feedback/results")).json()
    assert results_after["responses"] == results_before["responses"] == 2
    assert results_after["rates"] == results_before["rates"]
    said = next(x for x in results_after["questions"] if str(x["id"]) == text_q)
    assert said["overall"]["texts"] == []  # both answers named them

    # Their links stop working, with a plain page, not an error.
    client.cookies.clear()
    for dead in (my_feedback, f"/my/{token}"):
        page = await client.get(dead, headers={"Accept": "text/html"})
        assert page.status_code == 404, dead
        assert "not valid" in page.text or "no longer" in page.text or "not found" in page.text.lower()
    assert (await client.get(f"/api/feedback/{my_feedback.removeprefix('/feedback/')}")).status_code == 404
