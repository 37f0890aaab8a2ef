"""Confirmation emails carry the event as an invitation (METHOD:REQUEST), cancellations withdraw it
(METHOD:CANCEL); delivered through a real SMTP server and read back by two iCalendar parsers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import icalendar
import vobject
from litestar.testing import AsyncTestClient

from events_app.core.settings import MailSettings
from events_app.people.services import ensure_default_groups
from tests.builders import make_event
from tests.conftest import Accounts
from tests.mail.conftest import SmtpServer
from tests.mail.test_delivery import deliver
from tests.registration.conftest import manage_token, register


def _invitation(received: Any) -> tuple[Any, Any, str]:
    """The invitation parsed twice; Any, as icalendar types a property as a union of every value type."""
    [part] = [p for p in received.message.iter_attachments() if p.get_filename() == "invite.ics"]
    text = part.get_content()
    return icalendar.Calendar.from_ical(text), vobject.readOne(text), part.get_param("method")


async def test_confirmation_invites_and_cancellation_withdraws(
    client: AsyncTestClient[Any],
    organiser: Accounts,
    run: Callable[..., Any],
    smtp_server: SmtpServer,
    mail_settings: MailSettings,
) -> None:
    run(ensure_default_groups)
    event = await make_event(client, title="Seminar: Ysgol Haf, café", kind="seminar", capacity=1)
    result = await register(client, event["slug"], 1, name="Siân Llewelyn")
    await register(client, event["slug"], 2)  # waitlisted: no invitation yet
    deliver(run, mail_settings)

    by_subject = {r.message["Subject"]: r for r in smtp_server.received}
    confirmed = by_subject["You're booked: Seminar: Ysgol Haf, café"]
    cal, second, method = _invitation(confirmed)
    assert method == "REQUEST"
    assert str(cal["METHOD"]) == "REQUEST"
    [entry] = cal.walk("VEVENT")
    assert str(entry["UID"]) == f"event-{event['id']}@localhost"  # the same UID as in the feeds
    assert str(entry["ORGANIZER"]) == "mailto:events@localhost"  # MAIL_FROM of the service
    assert str(entry["ATTENDEE"]) == "mailto:delegate1@example.org"
    assert str(entry["ATTENDEE"].params["CN"]) == "Siân Llewelyn"
    assert str(entry["SUMMARY"]) == "Seminar: Ysgol Haf, café"
    assert second.vevent.summary.value == "Seminar: Ysgol Haf, café"
    plain = confirmed.message.get_body(preferencelist=("plain",))
    assert plain is not None
    text = plain.get_content()
    assert "calendar.google.com" in text and "outlook.live.com" in text and "webcal://" in text
    waiting = by_subject["You're on the waiting list: Seminar: Ysgol Haf, café"]
    assert not [p for p in waiting.message.iter_attachments() if p.get_filename() == "invite.ics"]

    await organiser.sign_in("anonymous")
    token = manage_token(run, "delegate1@example.org")
    await client.post(f"/api/my/{token}/registrations/{result['registration']['id']}/cancel")
    deliver(run, mail_settings)
    by_subject = {r.message["Subject"]: r for r in smtp_server.received}
    cancelled = by_subject["Registration cancelled: Seminar: Ysgol Haf, café"]
    cal, second, method = _invitation(cancelled)
    assert (method, str(cal["METHOD"])) == ("CANCEL", "CANCEL")
    [withdrawn] = cal.walk("VEVENT")
    assert str(withdrawn["UID"]) == str(entry["UID"])
    assert str(withdrawn["STATUS"]) == "CANCELLED"
    assert int(withdrawn["SEQUENCE"]) > int(entry["SEQUENCE"])
    promoted = by_subject["A place is yours: Seminar: Ysgol Haf, café"]
    assert _invitation(promoted)[2] == "REQUEST"
