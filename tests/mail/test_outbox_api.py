"""Organisers see the outbox, each message's status and last error, and send failed messages again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from events_app.core.settings import MailSettings
from events_app.mail.render import RenderedMail
from tests.builders import make_event
from tests.conftest import Accounts
from tests.mail.conftest import SmtpServer
from tests.mail.test_delivery import deliver, queue


def _fill_outbox(
    run: Callable[..., Any],
    smtp_server: SmtpServer,
    settings: MailSettings,
    mail: RenderedMail,
    event_id: int | None = None,
) -> dict[str, int]:
    smtp_server.handler.refuse["gone@example.org"] = "550 5.1.1 Mailbox unavailable"
    ids = {
        "sent": queue(run, mail, to="here@example.org", event_id=event_id),
        "failed": queue(run, mail, to="gone@example.org", event_id=event_id),
    }
    deliver(run, settings)
    ids["queued"] = queue(run, mail, to="later@example.org")
    return ids


async def test_organisers_list_filter_and_read_messages(
    client: AsyncTestClient[Any],
    organiser: Accounts,
    run: Callable[..., Any],
    smtp_server: SmtpServer,
    mail_settings: MailSettings,
    rendered: Callable[..., RenderedMail],
) -> None:
    event = await make_event(client)
    ids = _fill_outbox(run, smtp_server, mail_settings, rendered(), event_id=event["id"])

    listing = (await client.get("/api/outbox")).json()
    assert listing["total"] == 3
    assert [m["to_email"] for m in listing["items"]] == ["later@example.org", "gone@example.org", "here@example.org"]
    assert "text_body" not in listing["items"][0]
    failed = (await client.get("/api/outbox", params={"status": "failed"})).json()["items"]
    assert [(m["id"], m["status"]) for m in failed] == [(ids["failed"], "failed")]
    assert "550 5.1.1 Mailbox unavailable" in failed[0]["last_error"]
    of_event = (await client.get("/api/outbox", params={"event": event["slug"]})).json()
    assert of_event["total"] == 2
    by_address = (await client.get("/api/outbox", params={"to": "HERE@"})).json()
    assert [m["id"] for m in by_address["items"]] == [ids["sent"]]
    assert (await client.get("/api/outbox/counts")).json() == {"queued": 1, "sending": 0, "sent": 1, "failed": 1}

    detail = (await client.get(f"/api/outbox/{ids['sent']}")).json()
    assert detail["status"] == "sent"
    assert detail["text_body"].startswith("Dear Siân Llewelyn")
    assert detail["html_body"].startswith("<!DOCTYPE html>")
    assert detail["smtp_response"].startswith("2.0.0")

    assert (await client.get("/api/outbox", params={"status": "lost"})).status_code == 400
    unknown = await client.get("/api/outbox", params={"event": "no-such-event"})
    assert (unknown.status_code, unknown.json()["detail"]) == (404, "There is no event 'no-such-event'")
    assert (await client.get("/api/outbox/999999")).status_code == 404


async def test_a_failed_message_is_sent_again_on_request_and_a_sent_one_never(
    client: AsyncTestClient[Any],
    organiser: Accounts,
    run: Callable[..., Any],
    smtp_server: SmtpServer,
    mail_settings: MailSettings,
    rendered: Callable[..., RenderedMail],
) -> None:
    ids = _fill_outbox(run, smtp_server, mail_settings, rendered())

    sent_again = await client.post(f"/api/outbox/{ids['sent']}/retry")
    assert (sent_again.status_code, sent_again.json()["code"]) == (409, "already_sent")
    waiting = await client.post(f"/api/outbox/{ids['queued']}/retry")
    assert (waiting.status_code, waiting.json()["code"]) == (409, "not_failed")

    smtp_server.handler.refuse.clear()  # the address was fixed at the other end
    retried = await client.post(f"/api/outbox/{ids['failed']}/retry")
    assert retried.status_code == 200
    assert retried.json()["status"] == "queued"
    deliver(run, mail_settings)
    assert (await client.get(f"/api/outbox/{ids['failed']}")).json()["status"] == "sent"
    assert sorted(r.rcpt_tos[0] for r in smtp_server.received) == [
        "gone@example.org",
        "here@example.org",
        "later@example.org",
    ]


async def test_retry_all_failed_messages(
    client: AsyncTestClient[Any],
    organiser: Accounts,
    run: Callable[..., Any],
    smtp_server: SmtpServer,
    mail_settings: MailSettings,
    rendered: Callable[..., RenderedMail],
) -> None:
    smtp_server.handler.refuse.update({f"x{n}@example.org": "554 5.7.1 Rejected" for n in range(3)})
    for n in range(3):
        queue(run, rendered(), to=f"x{n}@example.org")
    assert deliver(run, mail_settings).failed == 3
    smtp_server.handler.refuse.clear()

    assert (await client.post("/api/outbox/retry-failed")).json() == {"requeued": 3}
    assert deliver(run, mail_settings).sent == 3
    assert (await client.post("/api/outbox/retry-failed")).json() == {"requeued": 0}


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("checkin", 403)])
async def test_the_outbox_is_for_organisers(
    client: AsyncTestClient[Any], accounts: Accounts, role: str, status: int
) -> None:
    await accounts.sign_in(role)
    for method, path in (
        ("get", "/api/outbox"),
        ("get", "/api/outbox/counts"),
        ("get", "/api/outbox/1"),
        ("post", "/api/outbox/1/retry"),
        ("post", "/api/outbox/retry-failed"),
        ("get", "/organiser/outbox/1"),
        ("get", "/organiser/outbox/1/html"),
    ):
        response = await getattr(client, method)(path)
        assert response.status_code == status, (method, path, response.text)
    page = await client.get("/organiser/outbox", headers={"accept": "text/html"}, follow_redirects=False)
    if role == "anonymous":
        assert (page.status_code, page.headers["location"]) == (303, "/organiser/sign-in?next=/organiser/outbox")
    else:
        assert page.status_code == 403


async def test_the_outbox_page_shows_failures_and_retries_them_with_a_form(
    client: AsyncTestClient[Any],
    organiser: Accounts,
    run: Callable[..., Any],
    smtp_server: SmtpServer,
    mail_settings: MailSettings,
    rendered: Callable[..., RenderedMail],
) -> None:
    ids = _fill_outbox(run, smtp_server, mail_settings, rendered())

    page = await client.get("/organiser/outbox", params={"status": "failed"})
    assert page.status_code == 200
    assert "gone@example.org" in page.text
    assert "550 5.1.1 Mailbox unavailable" in page.text
    assert "here@example.org" not in page.text
    assert "Failed (1)" in page.text
    message_page = await client.get(f"/organiser/outbox/{ids['failed']}")
    assert "Send again" in message_page.text
    html = await client.get(f"/organiser/outbox/{ids['failed']}/html")
    assert html.headers["content-security-policy"].startswith("sandbox")
    assert "<h1 " in html.text

    csrf = client.cookies.get("csrftoken")
    assert csrf
    refused = await client.post(f"/organiser/outbox/{ids['failed']}/retry", data={})
    assert refused.status_code == 403  # no CSRF token, no change
    smtp_server.handler.refuse.clear()
    retried = await client.post(
        f"/organiser/outbox/{ids['failed']}/retry", data={"_csrf_token": csrf}, follow_redirects=False
    )
    assert (retried.status_code, retried.headers["location"]) == (303, f"/organiser/outbox/{ids['failed']}")
    assert deliver(run, mail_settings, later=timedelta(seconds=1)).sent == 2  # the retried one and the queued one
