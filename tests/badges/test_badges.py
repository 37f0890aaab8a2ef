"""Name badges as organisers and door staff get them: the PDF's words are the registration's (as registered, not
as the delegate's record says today), its QR codes decode to the exact tickets, each layout puts its number of
badges on a page, the sector's band has its colour and its words, and "not yet printed" leaves out what was
printed (downloaded with print=1, or recorded with the page's button)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.testing import AsyncTestClient

from events_app.documents.badges import LAYOUTS, SECTOR_COLOURS
from events_app.people.tables import StakeholderGroup
from events_app.tickets import codes
from tests.builders import make_event
from tests.conftest import Accounts
from tests.pdfs import crop, page_image, qr_codes, read_one_qr, words
from tests.registration.conftest import HEI, TSO, register

PEOPLE = [
    ("Zoë Ní Bhriain", "Trinity College Dublin", HEI),
    ("Łukasz Wiśniewski-Montgomery", "Fundacja Nauki dla Wszystkich", TSO),
    ("Ann Li", "University of Testing", HEI),
]
DPI = 200


async def _sector_roles() -> None:
    """The groups' roles as the migration sets them on a real database (the tests' groups are made bare)."""
    for slug, role in ((HEI, "university"), (TSO, "civil_society")):
        await StakeholderGroup.update({StakeholderGroup.sector_role: role}).where(StakeholderGroup.slug == slug)


async def _world(client: AsyncTestClient[Any], run: Callable[..., Any]) -> dict[str, Any]:
    from events_app.people.services import ensure_default_groups

    run(ensure_default_groups)
    run(_sector_roles)
    event = await make_event(client, title="National Conference 2030")
    other = await make_event(client, title="Regional Meeting", kind="community_meeting")
    ids = {}
    for name, organisation, group in PEOPLE:
        email = f"{name.split()[0].lower()}@example.org"
        made = await register(
            client, event["slug"], name, name=name, email=email, organisation_name=organisation, stakeholder_group=group
        )
        ids[name] = made["registration"]["id"]
    # Zoë moves to another university and registers elsewhere: her badge here keeps what she registered with.
    await register(
        client,
        other["slug"],
        "z2",
        name="Zoe Bhriain",
        email="zoë@example.org".replace("ë", "e"),
        organisation_name="Dublin City University",
    )
    cancelled = await register(client, event["slug"], "gone", name="Cara Gone")
    response = await client.post(f"/api/registrations/{cancelled['registration']['id']}/cancel", json={"reason": "Ill"})
    assert response.status_code == 200, response.text
    elsewhere = await register(client, other["slug"], "x", name="Xavier Elsewhere")
    return {
        "event": event,
        "ids": ids,
        "cancelled": cancelled["registration"]["id"],
        "elsewhere": elsewhere["registration"]["id"],
    }


async def test_badges_carry_what_people_registered_as_and_their_tickets_decode(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    w = await _world(client, run)
    slug, event_id, ids = w["event"]["slug"], w["event"]["id"], w["ids"]
    by_name = sorted(PEOPLE, key=lambda p: p[0].casefold())

    response = await client.get(f"/organiser/events/{slug}/badges.pdf?layout=86x55-8&which=all")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    [text] = words(response.content)
    for name, organisation, _ in PEOPLE:
        assert name in text and organisation in text
    assert "Dublin City University" not in text and "Cara Gone" not in text and "Xavier" not in text
    assert text.count("Higher education institution") == 2 and text.count("Third-sector organisation") == 1
    assert text.count("National Conference 2030") == 3

    layout = LAYOUTS["86x55-8"]
    image = page_image(response.content, dpi=DPI)
    page_height = layout.page[1]
    for (name, _, group), (x, y) in zip(by_name, layout.positions(), strict=False):
        badge = crop(image, (x, y, *layout.badge), page_height, DPI)
        assert read_one_qr(badge) == codes.issue(event_id, ids[name]), name
        band = badge.getpixel((badge.width // 2, 3))  # the top of the band: its colour
        expected = SECTOR_COLOURS["university" if group == HEI else "civil_society"][0]
        assert band == tuple(int(expected[i : i + 2], 16) for i in (1, 3, 5)), name

    for key, layout in LAYOUTS.items():
        response = await client.get(f"/organiser/events/{slug}/badges.pdf", params={"layout": key, "which": "all"})
        pages = words(response.content)
        assert len(pages) == -(-3 // layout.per_page), key
        first = qr_codes(page_image(response.content, dpi=150 if layout.per_page > 1 else 72))
        assert len(first) == min(3, layout.per_page), key
        assert set(first) <= {codes.issue(event_id, i) for i in ids.values()}

    # The scanner's link after a check-in: one person's badge, by their registration's number.
    one = await client.get(f"/organiser/events/{slug}/badges.pdf?registration={ids['Ann Li']}&layout=a6-1")
    assert words(one.content) == ["Higher education institution Ann Li University of Testing National Conference 2030 "]
    assert read_one_qr(page_image(one.content, dpi=100)) == codes.issue(event_id, ids["Ann Li"])
    for wrong, status, says in [
        (w["cancelled"], 404, f"Registration {w['cancelled']} has no badge for this event"),
        (w["elsewhere"], 404, "only confirmed places at this event have one"),
        ("abc", 422, "Registration number: please give the number of one registration"),
    ]:
        refused = await client.get(
            f"/organiser/events/{slug}/badges.pdf?registration={wrong}", headers={"accept": "text/html"}
        )
        assert refused.status_code == status and says in refused.text, refused.text
    refused = await client.get(f"/organiser/events/{slug}/badges.pdf?layout=A5", headers={"accept": "text/html"})
    assert refused.status_code == 422 and "Layout: please choose one of the badge sizes listed" in refused.text


async def test_not_yet_printed_leaves_out_what_was_printed_and_door_staff_print_one(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    w = await _world(client, run)
    slug, ids = w["event"]["slug"], w["ids"]
    page = await client.get(f"/organiser/events/{slug}/badges")
    assert page.status_code == 200 and "3 confirmed places: 0 badges printed, 3 not yet printed" in page.text
    assert "3 badges on 1 page" in page.text  # not yet printed, 8 a sheet: the page's first choices

    printed = await client.get(f"/organiser/events/{slug}/badges.pdf?which=not_printed&print=1")
    assert len(words(printed.content)[0].split("National Conference 2030")) == 4  # three badges
    again = await client.get(f"/organiser/events/{slug}/badges.pdf?which=not_printed")
    assert (
        "No badges to print: every confirmed place at National Conference 2030 has its badge printed"
        in words(again.content)[0]
    )
    assert qr_codes(page_image(again.content, dpi=72)) == []

    late = await register(client, slug, "late", name="Dee Late")
    page = await client.get(f"/organiser/events/{slug}/badges?which=not_printed&layout=a6-4")
    assert "4 confirmed places: 3 badges printed, 1 not yet printed" in page.text and "1 badge on 1 page" in page.text
    assert "Dee Late" in page.text and "Ann Li" not in page.text
    only_late = await client.get(f"/organiser/events/{slug}/badges.pdf?which=not_printed")
    assert "Dee Late" in words(only_late.content)[0] and "Ann Li" not in words(only_late.content)[0]

    csrf = client.cookies.get("csrftoken") or ""
    marked = await client.post(
        f"/organiser/events/{slug}/badges/printed",
        data={"ids": f"{late['registration']['id']},{w['elsewhere']},999999", "layout": "a6-4"},
        headers={"x-csrftoken": csrf},
        follow_redirects=True,
    )
    assert "1 badge recorded as printed." in marked.text  # another event's and an unknown number are passed over
    assert "Nothing to print: every confirmed place has its badge printed" in marked.text

    await organiser.sign_in("checkin")
    assert (await client.get(f"/organiser/events/{slug}/badges")).status_code == 403
    reprint = await client.get(f"/organiser/events/{slug}/badges.pdf?registration={ids['Zoë Ní Bhriain']}&print=1")
    assert reprint.status_code == 200 and "Zoë Ní Bhriain Trinity College Dublin" in words(reprint.content)[0]
    page_for_refusal = await client.get(
        f"/organiser/events/{slug}/badges.pdf?registration=abc", headers={"accept": "text/html"}
    )
    assert page_for_refusal.status_code == 422
