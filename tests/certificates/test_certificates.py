"""Certificates of attendance as delegates and anyone checking one meet them: offered only where the organisers
turned them on and only to people who attended; the PDF names the person, the event, its date, hours and
sessions, and carries a verification address (as words and as a QR code) whose page says the certificate is
genuine, and refuses one whose code was altered; an erased person's certificate cannot be verified."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from litestar.testing import AsyncTestClient

from events_app.core.settings import current_settings
from tests.builders import DAY, make_event, make_session
from tests.conftest import Accounts
from tests.pdfs import page_image, read_one_qr, words
from tests.registration.conftest import manage_token, register

HTML = {"accept": "text/html"}


async def _check_in(
    client: AsyncTestClient[Any], slug: str, registration_id: int, session_id: int | None = None
) -> int:
    """An organiser checks the person in (the event is in 2030: outside its days only an organiser may)."""
    body: dict[str, Any] = {"override": True, "session_id": session_id}
    response = await client.post(f"/api/events/{slug}/check-in/registrations/{registration_id}", json=body)
    assert response.status_code == 200 and response.json()["result"] == "checked_in", response.text
    return int(response.json()["check_in_id"])


async def test_a_delegate_who_attended_downloads_a_certificate_anyone_can_verify(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    from events_app.people.services import ensure_default_groups

    run(ensure_default_groups)
    event = await make_event(
        client, title="National Conference 2030", starts_at=f"{DAY}T09:00:00", ends_at=f"{DAY}T17:00:00"
    )
    slug = event["slug"]
    keynote = await make_session(
        client, slug, title="Keynote: why access matters", starts_at=f"{DAY}T09:30:00", ends_at=f"{DAY}T10:30:00"
    )
    workshop = await make_session(
        client,
        slug,
        title="Workshop: mentoring that works",
        kind="workshop",
        capacity=10,
        starts_at=f"{DAY}T11:00:00",
        ends_at=f"{DAY}T12:30:00",
    )
    zoe = (
        await register(
            client, slug, "zoe", name="Zoë Ní Bhriain", email="zoe@example.org", session_ids=[workshop["id"]]
        )
    )["registration"]["id"]
    lukasz = (
        await register(
            client, slug, "lukasz", name="Łukasz Wiśniewski", email="lukasz@example.org", session_ids=[workshop["id"]]
        )
    )["registration"]["id"]
    absent = (await register(client, slug, "absent", name="Abe Sent", email="abe@example.org"))["registration"]["id"]
    undone = (await register(client, slug, "undone", name="Una Done", email="una@example.org"))["registration"]["id"]
    tokens = {
        email: manage_token(run, email)
        for email in ("zoe@example.org", "lukasz@example.org", "abe@example.org", "una@example.org")
    }

    await _check_in(client, slug, zoe)
    await _check_in(client, slug, zoe, keynote["id"])  # Zoë was checked in at the keynote's door
    await _check_in(client, slug, lukasz)  # Łukasz only at the event's door: his booked workshop counts
    taken_back = await _check_in(client, slug, undone)
    assert (await client.post(f"/api/check-ins/{taken_back}/undo")).status_code == 204

    def certificate_url(email: str, registration_id: int) -> str:
        return f"/my/{tokens[email]}/registrations/{registration_id}/certificate.pdf"

    # Certificates are off until the organisers turn them on: no link, and the address says why.
    mine = await client.get(f"/my/{tokens['zoe@example.org']}")
    assert "certificate.pdf" not in mine.text
    off = await client.get(certificate_url("zoe@example.org", zoe), headers=HTML)
    assert off.status_code == 404 and "National Conference 2030 does not offer certificates of attendance" in off.text

    settings_page = await client.get(f"/organiser/events/{slug}/settings")
    assert "Offer certificates of attendance" in settings_page.text
    saved = await client.post(
        f"/organiser/events/{slug}/settings",
        data={"reminders": "site", "feedback": "site", "email_note": "", "certificates_enabled": "yes"},
        headers={"x-csrftoken": client.cookies.get("csrftoken") or ""},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    settings_page = await client.get(f"/organiser/events/{slug}/settings")
    assert re.search(r'<input type="checkbox" id="certificates_enabled"[^>]* checked>', settings_page.text)
    client.cookies.clear()  # the delegates are nobody's organisers

    mine = await client.get(f"/my/{tokens['zoe@example.org']}")
    assert certificate_url("zoe@example.org", zoe) in mine.text and "Certificate of attendance (PDF)" in mine.text
    for email, registration_id in (("abe@example.org", absent), ("una@example.org", undone)):
        assert "certificate.pdf" not in (await client.get(f"/my/{tokens[email]}")).text
        refused = await client.get(certificate_url(email, registration_id), headers=HTML)
        assert refused.status_code == 403, email
        assert "there is no record of you attending National Conference 2030" in refused.text
    # Someone else's registration through Zoë's link is not found.
    assert (
        await client.get(f"/my/{tokens['zoe@example.org']}/registrations/{lukasz}/certificate.pdf")
    ).status_code == 404

    pdf = await client.get(certificate_url("zoe@example.org", zoe))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["cache-control"] == "no-store"
    [text] = words(pdf.content)
    for part in (
        "HE STEM Access Network",
        "Certificate of attendance",
        "Zoë Ní Bhriain",
        "National Conference 2030",
        "on Wednesday 12 June 2030",
        "Hours of attendance: 1",
        "Keynote: why access matters",
    ):
        assert part in text, part
    assert "Workshop: mentoring that works" not in text  # she was checked in at the keynote only
    verify_url = read_one_qr(page_image(pdf.content, dpi=150))
    base = current_settings().base_url
    assert verify_url.startswith(f"{base}/certificates/C1.") and verify_url in text
    path = verify_url.removeprefix(base)

    lukasz_pdf = words((await client.get(certificate_url("lukasz@example.org", lukasz))).content)[0]
    assert "Łukasz Wiśniewski" in lukasz_pdf and "Hours of attendance: 8" in lukasz_pdf  # the event's length
    assert "Workshop: mentoring that works" in lukasz_pdf  # booked, with a place, and no session check-ins

    genuine = await client.get(path)
    assert genuine.status_code == 200 and "This certificate is genuine" in genuine.text
    assert (
        "<strong>Zoë Ní Bhriain</strong> attended <strong>National Conference 2030</strong> on Wednesday 12 June 2030"
        in genuine.text
    )
    code = path.rsplit("/", 1)[1]
    middle = len(code) // 2
    altered = code[:middle] + ("A" if code[middle] != "A" else "B") + code[middle + 1 :]
    for wrong in (altered, code[:-2], "C1.made-up", "nothing"):
        refused = await client.get(f"/certificates/{wrong}")
        assert refused.status_code == 404 and "This certificate is not genuine" in refused.text, wrong
        assert "Zoë" not in refused.text

    # The event is renamed: the old certificate was issued here, but what it says is no longer the record.
    await organiser.sign_in("organiser")
    assert (
        await client.patch(f"/api/events/{slug}", json={"title": "National Conference 2030 (Leeds)"})
    ).status_code == 200
    changed = await client.get(path)
    assert changed.status_code == 200 and "its details have changed since" in changed.text
    assert "National Conference 2030 (Leeds)" in changed.text

    # Zoë erases her details: her certificate can no longer say whose it is.
    client.cookies.clear()
    erased = await client.post(f"/api/my/{tokens['zoe@example.org']}/erase")
    assert erased.status_code == 204, erased.text
    gone = await client.get(path)
    assert gone.status_code == 410 and "This certificate cannot be verified" in gone.text and "Zoë" not in gone.text
