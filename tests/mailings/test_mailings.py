"""Network mailings (issue 17, part 6): only people who are happy to be contacted and not erased receive them, by
region, sector, series and dates read from their registrations; the preview counts who is left out; a double click
sends once; the unsubscribe link works without signing in (and one-click, RFC 8058); operational mail still goes;
an account limited to a series reaches only people from its events."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from litestar.testing import AsyncTestClient

from events_app.core.settings import get_settings
from events_app.mail.message import OutgoingMail, build_email
from events_app.mail.tables import OutboxMessage
from events_app.mailings.tables import Mailing
from events_app.people.services import ensure_default_groups
from events_app.people.tables import ConsentChange, Delegate, Region, StakeholderGroup
from events_app.programme.events import event_row
from events_app.registration import schedule
from tests.builders import make_event
from tests.conftest import PASSWORD, Accounts
from tests.registration.conftest import HEI, TSO, manage_token, register

HTML = {"accept": "text/html"}
UNSUBSCRIBE = re.compile(r"(/unsubscribe/[A-Za-z0-9_.\-]+)")


async def _world(client: AsyncTestClient[Any], run: Callable[..., Any]) -> dict[str, Any]:
    """Two series, two regions; ann (university, north west, series A) and dan (charity, London, both series) and
    bob (charity, London, series B) are happy to be contacted; cat (university, series A) is not; eve was, and is
    erased."""
    run(ensure_default_groups)

    async def regions() -> dict[str, int]:
        # The default groups' roles (on an empty database ensure_default_groups may leave them "other").
        for slug, role in ((HEI, "university"), (TSO, "civil_society")):
            await StakeholderGroup.update({StakeholderGroup.sector_role: role}).where(StakeholderGroup.slug == slug)
        await Region.insert(Region(slug="north-west", name="North West"), Region(slug="london", name="London"))
        return {r["slug"]: r["id"] for r in await Region.select(Region.id, Region.slug)}

    region = run(regions)
    groups = {g["slug"]: g["id"] for g in (await client.get("/api/stakeholder-groups")).json()}
    uni = (
        await client.post(
            "/api/organisations",
            json={
                "name": "University of the North",
                "stakeholder_group_id": groups[HEI],
                "region_id": region["north-west"],
            },
        )
    ).json()
    charity = (
        await client.post(
            "/api/organisations",
            json={"name": "London Learning Trust", "stakeholder_group_id": groups[TSO], "region_id": region["london"]},
        )
    ).json()
    series_a = (await client.post("/api/series", json={"title": "Seminar series"})).json()
    series_b = (await client.post("/api/series", json={"title": "National forum"})).json()
    june = await make_event(
        client, title="June seminar", capacity=20, series_id=series_a["id"], starts_at="2030-06-12T09:00:00"
    )
    september = await make_event(
        client,
        title="September forum",
        kind="forum_meeting",
        capacity=20,
        series_id=series_b["id"],
        starts_at="2030-09-04T09:00:00",
        ends_at="2030-09-04T17:00:00",
    )
    people = {
        "ann": ([june], uni, True),
        "cat": ([june], uni, False),
        "dan": ([june, september], charity, True),
        "bob": ([september], charity, True),
        "eve": ([september], uni, True),
    }
    for name, (events, organisation, consent) in people.items():
        for event in events:
            await register(
                client,
                event["slug"],
                name,
                name=name.title(),
                email=f"{name}@example.org",
                organisation_id=organisation["id"],
                organisation_name=organisation["name"],
                stakeholder_group=HEI if organisation is uni else TSO,
                consent_to_contact=consent,
            )
    eve = next(d["id"] for d in run(lambda: Delegate.select(Delegate.id).where(Delegate.email == "eve@example.org")))
    assert (await client.post(f"/api/delegates/{eve}/erase")).status_code in (200, 204)
    return {"june": june, "september": september, "series_a": series_a, "series_b": series_b}


async def _preview(client: AsyncTestClient[Any], **filters: Any) -> tuple[int, int]:
    body = {"subject": "Our year", "body": "What the network did.", "filters": filters}
    response = await client.post("/api/mailings/preview", json=body)
    assert response.status_code == 200, response.text
    return response.json()["recipients"], response.json()["left_out"]


async def _csrf(client: AsyncTestClient[Any], path: str) -> str:
    page = await client.get(path, headers=HTML)
    assert page.status_code == 200, page.text
    token = client.cookies.get("csrftoken")
    assert token
    return token


def _outbox(run: Callable[..., Any], kind: str) -> list[dict[str, Any]]:
    return run(lambda: OutboxMessage.select().where(OutboxMessage.kind == kind).order_by(OutboxMessage.to_email))  # type: ignore[no-any-return]


def _consent(run: Callable[..., Any], email: str) -> tuple[bool, list[tuple[bool, str]]]:
    async def read() -> tuple[bool, list[tuple[bool, str]]]:
        row = await Delegate.select(Delegate.id, Delegate.consent_to_contact).where(Delegate.email == email).first()
        assert row is not None
        changes = await ConsentChange.select().where(ConsentChange.delegate == row["id"]).order_by(ConsentChange.id)
        return row["consent_to_contact"], [(c["consent"], c["via"]) for c in changes]

    return run(read)  # type: ignore[no-any-return]


async def test_a_mailing_reaches_only_those_who_consented_once_and_they_can_leave_without_signing_in(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    world = await _world(client, run)

    # Who matches, read from the registrations as made; eve is erased and counted nowhere.
    assert await _preview(client) == (3, 1)  # ann, bob, dan; cat left out
    assert await _preview(client, regions=["north-west"]) == (1, 1)  # ann; cat
    assert await _preview(client, sectors=["civil_society"]) == (2, 0)  # bob, dan
    assert await _preview(client, groups=[HEI]) == (1, 1)
    assert await _preview(client, series=[world["series_b"]["slug"]]) == (2, 0)  # bob, dan (eve erased)
    assert await _preview(client, to_date="2030-06-30") == (2, 1)  # the June seminar: ann, dan; cat
    assert await _preview(client, from_date="2030-07-01", sectors=["university"]) == (0, 0)
    unknown = await client.post(
        "/api/mailings/preview", json={"subject": "S", "body": "B", "filters": {"regions": ["atlantis"]}}
    )
    assert (unknown.status_code, unknown.json()["field"]) == (400, "filters.regions")
    assert "There is no region 'atlantis'" in unknown.json()["detail"]
    reversed_dates = await client.post(
        "/api/mailings/preview",
        json={"subject": "S", "body": "B", "filters": {"from_date": "2030-07-01", "to_date": "2030-06-01"}},
    )
    assert (reversed_dates.status_code, reversed_dates.json()["field"]) == (422, "filters.to_date")

    # The page: preview first (counts, the text), then send; the second click of "Send" sends nothing more.
    csrf = await _csrf(client, "/organiser/mailings/new")
    form = {"_csrf_token": csrf, "subject": "The network's year", "body": "Thank you for coming.\n\nSee you soon."}
    previewed = await client.post("/organiser/mailings/new", data={**form, "action": "preview"}, headers=HTML)
    assert previewed.status_code == 200, previewed.text
    assert "<strong>3</strong> people will get this; <strong>1</strong> person who match is left out" in previewed.text
    assert "Send to 3 people" in previewed.text
    key = re.search(r'name="key" value="([0-9a-f]{32})"', previewed.text)
    assert key
    assert _outbox(run, "network_mailing") == []  # a preview sends nothing
    for _ in range(2):
        sent = await client.post(
            "/organiser/mailings/new",
            data={**form, "action": "send", "key": key.group(1)},
            headers=HTML,
            follow_redirects=False,
        )
        assert sent.status_code == 303, sent.text
    mailed = _outbox(run, "network_mailing")
    assert [m["to_email"] for m in mailed] == ["ann@example.org", "bob@example.org", "dan@example.org"]
    listing = await client.get("/organiser/mailings", headers=HTML)
    assert "The network&#39;s year" in listing.text or "The network's year" in listing.text
    assert "Everyone who registered for any event" in listing.text and "3 people" in listing.text
    assert "1 left out" in listing.text
    assert len(run(lambda: Mailing.select(Mailing.id))) == 1
    assert (await client.get("/api/mailings")).json()[0]["recipients"] == 3
    dashboard = await client.get("/organiser", headers=HTML)
    assert 'href="/organiser/mailings"' in dashboard.text

    # Each message carries the person's own link, in the body and as List-Unsubscribe with one-click.
    ann = mailed[0]
    link = UNSUBSCRIBE.search(ann["text_body"])
    assert link and link.group(1) in ann["html_body"]
    assert ann["list_unsubscribe"].endswith(link.group(1))
    email = build_email(OutgoingMail.of({k: ann[k] for k in OutgoingMail.__slots__}), [], get_settings().mail)
    assert email["List-Unsubscribe"] == f"<{ann['list_unsubscribe']}>"
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Dear Ann," in ann["text_body"]

    # Unsubscribing needs no sign-in: GET shows a button and changes nothing, POST unsubscribes, with a record.
    client.cookies.clear()
    page = await client.get(link.group(1), headers=HTML)
    assert page.status_code == 200 and "Stop these emails" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert _consent(run, "ann@example.org") == (True, [])
    done = await client.post(link.group(1), headers=HTML)
    assert done.status_code == 200 and "you will get no more emails" in done.text
    assert _consent(run, "ann@example.org") == (False, [(False, "unsubscribe_link")])
    again = await client.post(link.group(1), headers=HTML)
    assert again.status_code == 200 and _consent(run, "ann@example.org")[1] == [(False, "unsubscribe_link")]
    bob_link = UNSUBSCRIBE.search(mailed[1]["text_body"])
    assert bob_link
    one_click = await client.post(bob_link.group(1), data={"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200
    assert _consent(run, "bob@example.org") == (False, [(False, "one_click")])
    forged = await client.get(link.group(1)[:-3] + "xyz", headers=HTML)
    assert forged.status_code == 404

    await organiser.sign_in("organiser")
    assert await _preview(client) == (1, 3)  # dan only now

    # Operational mail about one's own registration goes whatever consent says: a confirmation, then reminders.
    october = await make_event(
        client, title="October seminar", capacity=20, starts_at="2030-10-09T09:00:00", ends_at="2030-10-09T12:00:00"
    )
    await register(client, october["slug"], "ann", name="Ann", email="ann@example.org", stakeholder_group=HEI)
    assert [m["kind"] for m in _outbox(run, "registration_confirmed") if m["to_email"] == "ann@example.org"]
    june = run(lambda: event_row(world["june"]["slug"], include_drafts=True))
    queued = run(schedule.queue_reminders, get_settings().mail, june.starts_at - timedelta(minutes=30))
    assert queued >= 1
    assert "ann@example.org" in {m["to_email"] for m in _outbox(run, "reminder")}

    # The delegate's own page changes consent too, with a record of how.
    token = manage_token(run, "ann@example.org")
    csrf = await _csrf(client, f"/my/{token}")
    mine = await client.get(f"/my/{token}", headers=HTML)
    assert 'id="consent_to_contact"' in mine.text and 'value="yes" checked' not in mine.text
    saved = await client.post(
        f"/my/{token}/consent",
        data={"_csrf_token": csrf, "consent_to_contact": "yes"},
        headers=HTML,
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert _consent(run, "ann@example.org") == (True, [(False, "unsubscribe_link"), (True, "my_page")])


async def test_an_account_limited_to_a_series_writes_only_to_people_from_its_events(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any]
) -> None:
    from events_app.accounts import services

    await accounts.sign_in("admin")
    world = await _world(client, run)
    sent_by_admin = await client.post("/api/mailings", json={"subject": "All of you", "body": "Hello."})
    assert sent_by_admin.status_code == 202 and sent_by_admin.json()["queued"] == 3

    email = accounts.create("organiser")
    user_id = next(o.id for o in run(services.list_organisers) if o.email == email)
    limited = await client.patch(f"/api/organisers/{user_id}", json={"scope": {"series": [world["series_a"]["slug"]]}})
    assert limited.status_code == 200, limited.text
    client.cookies.clear()
    signed_in = await client.post("/api/auth/sign-in", json={"email": email, "password": PASSWORD})
    assert signed_in.status_code == 200

    assert await _preview(client) == (2, 1)  # ann and dan from the June seminar; cat left out; not bob
    assert await _preview(client, series=[world["series_b"]["slug"]]) == (0, 0)  # outside its scope: nobody
    assert (await client.get("/api/mailings")).json() == []  # the admin's mailing reached people outside
    sent = await client.post("/api/mailings", json={"subject": "Seminar news", "body": "Next term."})
    assert sent.status_code == 202 and sent.json()["queued"] == 2
    assert [m["subject"] for m in (await client.get("/api/mailings")).json()] == ["Seminar news"]
    page = await client.get("/organiser/mailings", headers=HTML)
    assert "Seminar news" in page.text and "All of you" not in page.text
    to = {m["to_email"] for m in _outbox(run, "network_mailing") if m["subject"] == "Seminar news"}
    assert to == {"ann@example.org", "dan@example.org"}
