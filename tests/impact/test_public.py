"""The public impact page: off (404) until an organiser turns it on; totals only, no names, every figure under 5
withheld, and a second figure withheld where the first could be worked out from the total."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from events_app.impact import periods
from events_app.impact.public import suppress
from tests.conftest import Accounts
from tests.impact.season import build


def table_rows(html: str, caption: str) -> dict[str, list[str]]:
    """The rows of the table with this caption: label -> its cells' text."""
    table = html.split(f"<caption>{caption}</caption>", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', table)
    return {label: re.findall(r"<td>([^<]*)</td>", cells) for label, cells in rows}


async def _switch(client: AsyncTestClient[Any], on: bool) -> Any:
    await client.get("/organiser/impact")
    token = client.cookies.get("csrftoken")
    assert token
    return await client.post(
        "/organiser/impact/public",
        data={"public": "on" if on else "off"},
        headers={"x-csrftoken": token, "accept": "text/html"},
        follow_redirects=False,
    )


async def test_the_public_page_shows_totals_with_small_figures_withheld(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # "Today" is the season's last day, so the page's 12 months are the season's academic year.
    monkeypatch.setattr("events_app.impact.services.today", lambda: date(2025, 7, 31))
    world = await build(client, run)
    assert (await client.get("/impact")).status_code == 404
    assert "It is <strong>off</strong>" in (await client.get("/organiser/impact")).text

    switched = await _switch(client, True)
    assert switched.status_code == 303
    assert switched.headers["location"].startswith("/organiser/impact?notice=")
    assert "It is <strong>on</strong>" in (await client.get("/organiser/impact")).text

    client.cookies.clear()  # the public, not signed in
    page = await client.get("/impact")
    assert page.status_code == 200
    html = page.text
    assert "From 1 August 2024 to 31 July 2025, the network held <strong>10</strong> events" in html
    # Totals (worked out in test_report.py): 285 registrations, 189 attended, 93 people, 8 organisations.
    sectors = table_rows(html, "Registrations, attendance, people and organisations by sector")
    regions = table_rows(html, "Registrations, attendance, people and organisations by region")
    assert sectors["All"] == ["285", "189", "93", "8"]
    # People by sector 40, 36, 10, 3, 4, 0, 0: four under 5, so no total gives one away. Organisations 2, 3, 1,
    # 1, 1, 0, 0: all under 5, the total 8 shown.
    few = "fewer than 5"
    assert sectors == {
        "University": ["140", "93", "40", few],
        "Civil society (charity, community group)": ["116", "72", "36", few],
        "School or college": ["15", "10", "10", few],
        "Funder": ["7", "7", few, few],
        "Policy": ["7", "7", few, few],
        "Employer": [few, few, few, few],
        "Other": [few, few, few, few],
        "All": ["285", "189", "93", "8"],
    }
    # People by region 45, 35, 3, 10 of 93: Wales's 3 alone withheld would be 93 - 45 - 35 - 10, so the next
    # smallest (Not known, 10) is withheld too. Organisations 3, 2, 1, 2: all under 5.
    assert regions == {
        "North East": ["150", "114", "45", few],
        "South West": ["115", "55", "35", few],
        "Wales": ["7", "7", few, few],
        "Not known": ["13", "13", few, few],
        "All": ["285", "189", "93", "8"],
    }
    for name in world.names:
        assert name not in html
    assert "Uni North" not in html and "Village Hall" not in html  # no organisation's name either

    # Turned off: not found again, for everyone.
    await organiser.sign_in("organiser")
    assert (await _switch(client, False)).status_code == 303
    client.cookies.clear()
    assert (await client.get("/impact")).status_code == 404


async def test_an_account_limited_to_some_events_cannot_publish_the_network(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any]
) -> None:
    from events_app.accounts import services
    from events_app.people.tables import Region

    await accounts.sign_in("admin")
    run(lambda: Region.insert(Region(slug="north", name="North East")).run())
    email = accounts.create("organiser", "limited@example.org")
    user_id = next(o.id for o in run(services.list_organisers) if o.email == email)
    response = await client.patch(f"/api/organisers/{user_id}", json={"scope": {"regions": ["north"]}})
    assert response.status_code == 200, response.text
    client.cookies.clear()
    signed = await client.post("/api/auth/sign-in", json={"email": email, "password": "correct horse battery staple"})
    assert signed.status_code == 200
    assert (await _switch(client, True)).status_code == 403
    client.cookies.clear()
    assert (await client.get("/impact")).status_code == 404


def test_suppression_withholds_small_figures_and_one_more_where_a_total_would_give_one_away() -> None:
    assert suppress([40, 36, 10, 3, 4, 0, 0], 93) == ([40, 36, 10, None, None, None, None], 93)
    assert suppress([45, 35, 3, 10], 93) == ([45, 35, None, None], 93)
    assert suppress([12, 9, 7], 28) == ([12, 9, 7], 28)
    assert suppress([4], 4) == ([None], None)  # a total under 5 is withheld, and so is all it is made of
    assert suppress([20, 2], 22) == ([None, None], 22)


def test_ranges_and_terms_in_uk_days() -> None:
    assert periods.last_twelve_months(date(2026, 12, 6)) == (date(2025, 12, 7), date(2026, 12, 6))
    assert periods.last_twelve_months(date(2028, 2, 29)) == (date(2027, 3, 1), date(2028, 2, 29))
    assert periods.academic_year(date(2026, 7, 31)) == (date(2025, 8, 1), date(2026, 7, 31))
    assert periods.academic_year(date(2026, 8, 1)) == (date(2026, 8, 1), date(2027, 7, 31))
    terms = periods.buckets(date(2024, 8, 1), date(2025, 7, 31), "term")
    assert [(b.label, b.first, b.last) for b in terms] == [
        ("Summer term 2024", date(2024, 4, 1), date(2024, 8, 31)),
        ("Autumn term 2024", date(2024, 9, 1), date(2024, 12, 31)),
        ("Spring term 2025", date(2025, 1, 1), date(2025, 3, 31)),
        ("Summer term 2025", date(2025, 4, 1), date(2025, 8, 31)),
    ]
    first, after = periods.utc_bounds(date(2025, 7, 1), date(2025, 7, 31))
    assert (first.isoformat(), after.isoformat()) == ("2025-06-30T23:00:00+00:00", "2025-07-31T23:00:00+00:00")
