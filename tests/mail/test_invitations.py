"""Confirmation emails carry the event as an invitation (METHOD:REQUEST), cancellations withdraw it
(METHOD:CANCEL); delivered through a real SMTP server and read back by two iCalendar parsers."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote_plus

import icalendar
import vobject
from litestar.testing import AsyncTestClient

from events_app.core.settings import MailSettings
from events_app.people.services import ensure_default_groups
from tests.builders import make_event, make_venue
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


SAME = ("LOCATION", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE", "STATUS", "DESCRIPTION", "URL", "GEO")


def _same(invited: Any, listed: Any) -> dict[str, tuple[str | None, str | None]]:
    """The properties in which an emailed VEVENT and a feed's VEVENT of the same UID differ (none, we hope).
    Without BASE_URL a feed's links name the address it was asked at (the test client's), and mail names the
    address the service serves at: the links' origin is the one difference allowed."""

    def text(entry: Any, name: str) -> str | None:
        value = entry.get(name)
        if value is None:
            return None
        written = value.to_ical()
        written = written.decode() if isinstance(written, bytes) else str(written)
        return written.replace("http://testserver.local", "http://127.0.0.1:8000")

    pairs = {name: (text(invited, name), text(listed, name)) for name in SAME}
    return {name: pair for name, pair in pairs.items() if pair[0] != pair[1]}


async def test_invitations_and_every_feed_say_the_same_place_and_time(
    client: AsyncTestClient[Any],
    organiser: Accounts,
    run: Callable[..., Any],
    smtp_server: SmtpServer,
    mail_settings: MailSettings,
) -> None:
    """A calendar that took the event from the email must show the same place after its feed refreshes:
    the town included, and that a hybrid event is also online (its meeting address in none of them)."""
    run(ensure_default_groups)
    venue = await make_venue(client)
    series = (await client.post("/api/series", json={"title": "Seminar series"})).json()
    event = await make_event(
        client, kind="seminar", venue_id=venue["id"], series_id=series["id"], attendance_mode="hybrid"
    )
    label = "Kingsgate Centre, 1 Kingsgate Square, London, WC1H 0AA and online"  # never the meeting's address
    booked = await register(client, event["slug"], 1, attendance_mode="in_person")
    deliver(run, mail_settings)
    [confirmed] = [r for r in smtp_server.received if r.message["Subject"].startswith("You're booked")]
    [invited] = _invitation(confirmed)[0].walk("VEVENT")
    assert str(invited["LOCATION"]) == label
    text = confirmed.message.get_body(preferencelist=("plain",))
    assert text is not None and f"Where: {label}" in text.get_content()

    await organiser.sign_in("anonymous")
    page = (await client.get(f"/events/{event['slug']}")).text
    assert f"<address>{label}</address>" in page
    assert "location=" + quote_plus(label) in html.unescape(page)  # its "Add to Google Calendar" link
    manage = (await client.get(f"/my/{manage_token(run, 'delegate1@example.org')}")).text
    personal = re.search(r'href="(/calendar/[A-Za-z0-9_\-]+\.ics)\?download=1"', manage)
    assert personal, "the manage page links to the delegate's own feed"
    feeds = ["/calendar.ics", f"/events/{event['slug']}/calendar.ics", f"/series/{series['slug']}/calendar.ics"]
    feeds.append(personal.group(1))

    async def fetch(path: str) -> bytes:
        response = await client.get(path)
        assert response.status_code == 200, path
        return response.content

    for path in feeds:
        [entry] = [
            e for e in icalendar.Calendar.from_ical(await fetch(path)).walk("VEVENT") if e["UID"] == invited["UID"]
        ]
        assert _same(invited, entry) == {}, path

    # The delegate gives up their place: the withdrawal and their own feed agree on it too.
    token = manage_token(run, "delegate1@example.org")
    await client.post(f"/api/my/{token}/registrations/{booked['registration']['id']}/cancel")
    deliver(run, mail_settings)
    [cancelled] = [r for r in smtp_server.received if r.message["Subject"].startswith("Registration cancelled")]
    [withdrawn] = _invitation(cancelled)[0].walk("VEVENT")
    [entry] = [
        e
        for e in icalendar.Calendar.from_ical(await fetch(personal.group(1))).walk("VEVENT")
        if e["UID"] == invited["UID"]
    ]
    assert str(withdrawn["STATUS"]) == "CANCELLED"
    assert _same(withdrawn, entry) == {}
