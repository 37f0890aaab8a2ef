"""Delivery through a real SMTP server: headers, parts and attachments; the server down and back; refusals;
header injection; leases of a worker that died; .eml files without a server."""

from __future__ import annotations

import dataclasses
import email
import email.policy
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import icalendar
import pytest
from litestar.testing import AsyncTestClient

from events_app.calendar import ics
from events_app.core.settings import MailSettings
from events_app.core.timezones import utc_now
from events_app.mail import outbox, recipes, worker
from events_app.mail.message import OutgoingMail
from events_app.mail.render import RenderedMail
from events_app.mail.tables import OutboxMessage
from events_app.tickets import codes
from tests.conftest import Accounts
from tests.mail.conftest import SmtpServer
from tests.qr_reading import read_qr

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nPRODID:-//test//EN\r\nEND:VCALENDAR\r\n"


def queue(run: Callable[..., Any], mail: RenderedMail, *, to: str = "sian@example.org", **kwargs: Any) -> int:
    async def work() -> int | None:
        return await outbox.enqueue(to_email=to, to_name=kwargs.pop("name", "Siân Llewelyn"), mail=mail, **kwargs)

    message_id = run(work)
    assert message_id is not None
    return int(message_id)


def row(run: Callable[..., Any], message_id: int) -> dict[str, Any]:
    async def work() -> dict[str, Any]:
        return (await OutboxMessage.select().where(OutboxMessage.id == message_id))[0]

    return run(work)  # type: ignore[no-any-return]


def deliver(
    run: Callable[..., Any], settings: MailSettings, *, later: timedelta = timedelta()
) -> worker.DeliveryReport:
    async def work() -> worker.DeliveryReport:
        return await worker.deliver_due(settings, now=utc_now() + later)

    return run(work)  # type: ignore[no-any-return]


async def test_a_message_arrives_with_its_headers_parts_and_attachments(
    client: AsyncTestClient[Any],
    run: Callable[..., Any],
    smtp_server: SmtpServer,
    mail_settings: MailSettings,
    rendered: Callable[..., RenderedMail],
) -> None:
    attachments = [
        outbox.Attachment("ticket.png", "image/png", PNG),
        outbox.Attachment("invite.ics", "text/calendar; method=REQUEST", ICS.encode()),
    ]
    message_id = queue(run, rendered(), attachments=attachments)

    report = deliver(run, mail_settings)

    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    [received] = smtp_server.received
    assert received.rcpt_tos == ["sian@example.org"]
    assert received.mail_from == "events@hestem.example.org"
    message = received.message
    assert message["From"] == "HE STEM Access Network <events@hestem.example.org>"
    assert message["To"] == "Siân Llewelyn <sian@example.org>"
    assert message["Subject"] == "You're booked: Widening Access Conference"
    assert email.utils.parsedate_to_datetime(message["Date"]) is not None
    stored = row(run, message_id)
    assert message["Message-ID"] == stored["message_id"]
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and "Your place at Widening Access Conference is confirmed." in plain.get_content()
    assert html is not None and "<strong>Widening Access Conference</strong>" in html.get_content()
    parts = {part.get_filename(): part for part in message.iter_attachments()}
    assert parts["ticket.png"].get_content_type() == "image/png"
    assert parts["ticket.png"].get_content() == PNG
    assert parts["invite.ics"].get_content_type() == "text/calendar"
    assert parts["invite.ics"].get_param("method") == "REQUEST"
    assert "METHOD:REQUEST" in parts["invite.ics"].get_content()
    assert stored["status"] == "sent"
    assert stored["sent_at"] is not None
    assert stored["smtp_response"].startswith("2.0.0 Accepted")

    # Accepted once means sent once: later runs, even much later, never send it again.
    assert deliver(run, mail_settings, later=timedelta(days=2)).claimed == 0
    assert len(smtp_server.received) == 1


async def test_tickets_and_invitations_are_drawn_as_the_message_goes_out(
    client: AsyncTestClient[Any],
    organiser: Accounts,
    run: Callable[..., Any],
    smtp_server: SmtpServer,
    mail_settings: MailSettings,
    rendered: Callable[..., RenderedMail],
) -> None:
    """A registration queues what its ticket and invitation are drawn from; the sender draws them as the message
    goes out, and the organisers' outbox tells each file's size as sent. A file this version cannot draw fails its
    message at once, named; the rest of the batch still goes."""
    code = codes.issue(7, 42)
    when = datetime(2030, 6, 4, 13, 0, tzinfo=UTC)
    entry = ics.Entry(
        uid="event-7@localhost",
        summary="Seminar: Ysgol Haf, café",
        starts_at=when,
        ends_at=when + timedelta(hours=2),
        timezone="Europe/London",
        sequence=3,
        last_modified=when - timedelta(days=9),
        created=when - timedelta(days=30),
    )
    invited = ics.Invitation("REQUEST", "events@localhost", "Organisers", "sian@example.org", "Siân Llewelyn")
    drawn_later = [
        outbox.Attachment.drawn_later("ticket.png", "image/png", recipes.TicketImage(code)),
        outbox.Attachment.drawn_later(
            "invite.ics", "text/calendar; method=REQUEST", recipes.CalendarInvitation(entry.summary, entry, invited)
        ),
    ]
    good = queue(run, rendered(), attachments=drawn_later)
    unknown = outbox.Attachment("badge.pdf", "application/pdf", made_from='{"type": "badge", "size": "A6"}')
    bad = queue(run, rendered(), to="later@example.org", attachments=[unknown])

    report = deliver(run, mail_settings)

    assert (report.sent, report.retried, report.failed) == (1, 0, 1)
    [received] = smtp_server.received
    parts = {part.get_filename(): part for part in received.message.iter_attachments()}
    ticket = parts["ticket.png"].get_content()
    assert read_qr(ticket) == code
    invitation = parts["invite.ics"].get_content()
    [event] = icalendar.Calendar.from_ical(invitation).walk("VEVENT")
    assert (str(event["SUMMARY"]), event["SEQUENCE"], str(event["ATTENDEE"])) == (
        "Seminar: Ysgol Haf, café",
        3,
        "mailto:sian@example.org",
    )
    assert (event.decoded("DTSTART"), event["DTSTART"].params["TZID"]) == (when, "Europe/London")
    detail = (await client.get(f"/api/outbox/{good}")).json()
    assert [(a["filename"], a["size"]) for a in detail["attachments"]] == [
        ("ticket.png", len(ticket)),
        ("invite.ics", len(invitation.encode())),
    ]

    failed = row(run, bad)
    assert failed["status"] == "failed"
    assert failed["last_error"] == (
        "The attachment badge.pdf could not be drawn: what it is drawn from was written by another version of "
        "events_app."
    )
    [listed] = (await client.get(f"/api/outbox/{bad}")).json()["attachments"]
    assert listed["size"] is None
    page = await client.get(f"/organiser/outbox/{bad}")
    assert "badge.pdf (application/pdf, cannot be drawn: written by another version)" in page.text


async def test_server_down_then_up_every_message_arrives_once(
    client: AsyncTestClient[Any],
    run: Callable[..., Any],
    smtp_server: SmtpServer,
    mail_settings: MailSettings,
    rendered: Callable[..., RenderedMail],
) -> None:
    ids = [queue(run, rendered(), to=f"delegate{n}@example.org") for n in range(25)]
    smtp_server.stop()

    down = deliver(run, mail_settings)

    assert (down.sent, down.retried, down.failed) == (0, 25, 0)
    assert down.server_unavailable
    first = row(run, ids[0])
    assert first["status"] == "queued"
    assert first["attempts"] == 1
    assert "Mail server unavailable" in first["last_error"]
    assert first["send_after"] > utc_now() + timedelta(seconds=mail_settings.retry_base_seconds * 0.8)
    # Still down a while later: still queued, tried again with a longer wait.
    again = deliver(run, mail_settings, later=timedelta(minutes=10))
    assert again.retried == 25
    assert row(run, ids[0])["attempts"] == 2

    smtp_server.start()
    up = deliver(run, mail_settings, later=timedelta(hours=1))

    assert (up.sent, up.retried, up.failed) == (25, 0, 0)
    stored_ids = sorted(row(run, i)["message_id"] for i in ids)
    assert sorted(smtp_server.message_ids()) == stored_ids  # all of them, each exactly once
    assert deliver(run, mail_settings, later=timedelta(hours=2)).claimed == 0
    assert len(smtp_server.received) == 25


async def test_a_550_refusal_is_recorded_with_its_reason_and_not_retried(
    client: AsyncTestClient[Any],
    run: Callable[..., Any],
    smtp_server: SmtpServer,
    mail_settings: MailSettings,
    rendered: Callable[..., RenderedMail],
) -> None:
    smtp_server.handler.refuse["nobody@example.org"] = "550 5.1.1 <nobody@example.org>: no such user here"
    before = queue(run, rendered(), to="first@example.org")
    refused = queue(run, rendered(), to="nobody@example.org")
    after = queue(run, rendered(), to="last@example.org")

    report = deliver(run, mail_settings)

    assert (report.sent, report.retried, report.failed) == (2, 0, 1)
    assert sorted(r.rcpt_tos[0] for r in smtp_server.received) == ["first@example.org", "last@example.org"]
    failed = row(run, refused)
    assert failed["status"] == "failed"
    assert failed["failed_at"] is not None
    assert "550" in failed["last_error"]
    assert "no such user here" in failed["last_error"]
    assert row(run, before)["status"] == row(run, after)["status"] == "sent"
    assert deliver(run, mail_settings, later=timedelta(days=1)).claimed == 0
    assert row(run, refused)["attempts"] == 1


async def test_a_4xx_answer_is_retried_later_with_backoff(
    client: AsyncTestClient[Any],
    run: Callable[..., Any],
    smtp_server: SmtpServer,
    mail_settings: MailSettings,
    rendered: Callable[..., RenderedMail],
) -> None:
    smtp_server.handler.refuse["busy@example.org"] = "451 4.3.2 Mailbox busy, try again later"
    message_id = queue(run, rendered(), to="busy@example.org")

    assert deliver(run, mail_settings).retried == 1
    waiting = row(run, message_id)
    assert (waiting["status"], waiting["attempts"]) == ("queued", 1)
    assert "451" in waiting["last_error"]
    assert deliver(run, mail_settings).claimed == 0  # not due yet: it waits out the backoff

    del smtp_server.handler.refuse["busy@example.org"]
    assert deliver(run, mail_settings, later=timedelta(hours=1)).sent == 1
    assert row(run, message_id)["status"] == "sent"


async def test_the_backoff_doubles_up_to_its_cap(mail_settings: MailSettings) -> None:
    settings = dataclasses.replace(mail_settings, retry_base_seconds=30, retry_max_seconds=300)
    delays = [worker.retry_delay(n, settings) for n in range(1, 8)]
    assert 27 <= delays[0] <= 30
    assert 54 <= delays[1] <= 60
    assert 108 <= delays[2] <= 120
    assert all(270 <= d <= 300 for d in delays[4:])


async def test_a_message_that_cannot_be_delivered_for_days_is_given_up(
    client: AsyncTestClient[Any],
    run: Callable[..., Any],
    smtp_server: SmtpServer,
    mail_settings: MailSettings,
    rendered: Callable[..., RenderedMail],
) -> None:
    message_id = queue(run, rendered())
    smtp_server.stop()
    deliver(run, mail_settings)
    report = deliver(run, mail_settings, later=timedelta(hours=mail_settings.give_up_hours + 1))
    assert report.failed == 1
    stored = row(run, message_id)
    assert stored["status"] == "failed"
    assert stored["last_error"].startswith("Gave up after 2 attempts")


async def test_header_injection_in_a_name_or_subject_adds_no_header(
    client: AsyncTestClient[Any],
    run: Callable[..., Any],
    smtp_server: SmtpServer,
    mail_settings: MailSettings,
    rendered: Callable[..., RenderedMail],
) -> None:
    hostile_name = "Eve\r\nBcc: victim@example.org"
    hostile = rendered("organiser_message", subject="Hello\r\nX-Injected: yes\nBcc: victim@example.org")
    queue(run, hostile, to="eve@example.org", name=hostile_name)

    deliver(run, mail_settings)

    [received] = smtp_server.received
    assert received.rcpt_tos == ["eve@example.org"]  # nobody else got a copy
    message = received.message
    assert message["Bcc"] is None
    assert message["X-Injected"] is None
    assert message["Subject"] == "Hello X-Injected: yes Bcc: victim@example.org"
    assert message["To"].addresses[0].addr_spec == "eve@example.org"
    assert len(message.get_all("To") or []) == 1
    raw_headers = received.raw.split(b"\r\n\r\n", 1)[0]
    assert b"\nBcc:" not in raw_headers
    assert b"\nX-Injected:" not in raw_headers


async def test_an_address_that_is_not_one_is_refused_before_queueing(
    client: AsyncTestClient[Any], run: Callable[..., Any], rendered: Callable[..., RenderedMail]
) -> None:
    bad_ones = ("not-an-address", "a@b.c\r\nBcc: x@y.z", "two@example.org, three@example.org", "<a@b.org>")
    for bad in (*bad_ones, "x@example.org.", "a..b@x.org", "a(b)@x.org"):

        async def work(address: str = bad) -> None:
            await outbox.enqueue(to_email=address, to_name="X", mail=rendered())

        with pytest.raises(ValueError, match="enter an email address we can send to"):
            run(work)
    assert run(OutboxMessage.count) == 0


async def test_a_worker_that_died_mid_batch_leaves_a_lease_that_expires(
    client: AsyncTestClient[Any],
    run: Callable[..., Any],
    smtp_server: SmtpServer,
    mail_settings: MailSettings,
    rendered: Callable[..., RenderedMail],
) -> None:
    message_id = queue(run, rendered())

    async def claim_and_die() -> list[OutgoingMail]:
        return await worker.claim(mail_settings, utc_now(), 10)

    assert [r.id for r in run(claim_and_die)] == [message_id]
    assert deliver(run, mail_settings).claimed == 0  # leased: no other worker touches it
    report = deliver(run, mail_settings, later=timedelta(seconds=mail_settings.lease_seconds + 1))
    assert report.sent == 1
    assert len(smtp_server.received) == 1
    assert row(run, message_id)["attempts"] == 2


async def test_without_a_mail_server_messages_become_eml_files(
    client: AsyncTestClient[Any],
    run: Callable[..., Any],
    mail_settings: MailSettings,
    rendered: Callable[..., RenderedMail],
    tmp_path: Any,
) -> None:
    settings = dataclasses.replace(mail_settings, smtp_host="", outbox_dir=tmp_path / "mail")
    message_id = queue(run, rendered(), attachments=[outbox.Attachment("ticket.png", "image/png", PNG)])

    report = deliver(run, settings)

    assert report.sent == 1
    [file] = list((tmp_path / "mail").glob("*.eml"))
    message = email.message_from_bytes(file.read_bytes(), policy=email.policy.default)
    assert message["Subject"] == "You're booked: Widening Access Conference"
    assert message["Message-ID"] == row(run, message_id)["message_id"]
    assert [p.get_filename() for p in message.iter_attachments()] == ["ticket.png"]
    assert row(run, message_id)["smtp_response"] == f"written to {file}"
