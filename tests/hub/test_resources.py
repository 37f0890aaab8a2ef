"""The hub (issue 21, part 2): resources searched by words and filters on both engines, their public page and
feed, drafts kept from the public, and refusals that name each wrong field."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from litestar.testing import AsyncTestClient

from tests.builders import make_event, make_session, make_speaker
from tests.conftest import Accounts

SOUTH_WEST_MENTORING = "Mentoring schemes run with charities in the South West"
ATOM = "{http://www.w3.org/2005/Atom}"


def _regions(run: Callable[..., Any]) -> None:
    from events_app.people.tables import Region

    async def add() -> None:
        await Region.insert(Region(slug="south-west", name="South West"), Region(slug="north-west", name="North West"))

    run(add)


async def _resource(client: AsyncTestClient[Any], publish: bool = True, **body: Any) -> dict[str, Any]:
    response = await client.post("/api/resources", json=body)
    assert response.status_code == 201, response.text
    if publish:
        published = await client.post(f"/api/resources/{response.json()['slug']}/publish")
        assert published.status_code == 200, published.text
        return published.json()  # type: ignore[no-any-return]
    return response.json()  # type: ignore[no-any-return]


async def _library(client: AsyncTestClient[Any]) -> dict[str, Any]:
    """A small hub: the South West mentoring case study, resources that share some of its words, and a draft."""
    group = (
        await client.post("/api/stakeholder-groups", json={"name": "Charities", "sector_role": "civil_society"})
    ).json()
    charity = (
        await client.post("/api/organisations", json={"name": "Coast STEM Clubs", "stakeholder_group_id": group["id"]})
    ).json()
    event = await make_event(client, title="South West community meeting")
    speaker = await make_speaker(client, "Dr Tomos Griffiths")
    session = await make_session(
        client, event["slug"], title="Mentors and charities", speakers=[{"speaker_id": speaker["id"]}]
    )
    case_study = await _resource(
        client,
        title=SOUTH_WEST_MENTORING,
        kind="case_study",
        summary="Undergraduate mentors with pupils in coastal schools, run with a charity.",
        body="The charity recruits the schools; the university trains its mentors.",
        themes=["mentoring", "charity-partnerships"],
        sectors=["university", "civil_society"],
        region="south-west",
        year=2026,
        organisations=[charity["slug"]],
        events=[event["slug"]],
        sessions=[session["id"]],
        speakers=[speaker["slug"]],
    )
    await _resource(
        client,
        title="A mentor for every first-year physics student",
        summary="Peer mentoring at a university in the North West.",
        themes=["mentoring"],
        sectors=["university"],
        region="north-west",
        year=2025,
    )
    await _resource(
        client,
        title="Summer schools in the South West",
        body="Residential weeks; charities help recruit.",
        themes=["summer-schools"],
        sectors=["university", "civil_society"],
        region="south-west",
        year=2026,
    )
    await _resource(
        client, publish=False, title="Draft: mentoring charities south west plans", themes=["mentoring"], year=2026
    )
    return case_study


async def _titles(client: AsyncTestClient[Any], **params: Any) -> list[str]:
    response = await client.get("/api/resources", params=params)
    assert response.status_code == 200, response.text
    return [item["title"] for item in response.json()["items"]]


async def test_search_finds_by_words_with_ranking_stemming_and_each_filter(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    _regions(run)
    await _library(client)
    client.cookies.clear()  # the public's search from here on

    # The visitor's own words find the case study first; the draft, which has most of them, never.
    found = await _titles(client, q="mentoring schemes run with charities in the South West")
    assert found == [SOUTH_WEST_MENTORING]
    # Stemming: "mentoring" finds "mentor" and "mentors", "charity" finds "charities"; the resource with the word
    # in its title comes before the one with it only in its text.
    assert set(await _titles(client, q="mentoring")) == {
        SOUTH_WEST_MENTORING,
        "A mentor for every first-year physics student",
    }
    assert await _titles(client, q="charity") == [SOUTH_WEST_MENTORING, "Summer schools in the South West"]
    assert await _titles(client, q='"south west" -summer') == [SOUTH_WEST_MENTORING]
    # Each filter alone, then with words.
    assert set(await _titles(client, theme="mentoring")) == {
        SOUTH_WEST_MENTORING,
        "A mentor for every first-year physics student",
    }
    assert set(await _titles(client, sector="civil_society")) == {
        SOUTH_WEST_MENTORING,
        "Summer schools in the South West",
    }
    assert set(await _titles(client, region="south-west")) == {SOUTH_WEST_MENTORING, "Summer schools in the South West"}
    assert await _titles(client, year=2025) == ["A mentor for every first-year physics student"]
    assert await _titles(client, kind="case_study") == [SOUTH_WEST_MENTORING]
    combined = {"q": "mentoring", "theme": "mentoring", "sector": "civil_society", "region": "south-west", "year": 2026}
    assert await _titles(client, **combined) == [SOUTH_WEST_MENTORING]
    assert await _titles(client, q="mentoring", region="north-west") == [
        "A mentor for every first-year physics student"
    ]
    # The counts beside each choice: other filters applied, not its own; drafts not counted.
    facets = (await client.get("/api/resources", params={"region": "south-west"})).json()["facets"]
    assert {f["value"]: f["count"] for f in facets["themes"]}["mentoring"] == 1
    assert {f["value"]: f["count"] for f in facets["regions"]} == {"north-west": 1, "south-west": 2}
    # Pagination: newest first without words.
    page = (await client.get("/api/resources", params={"limit": 2, "offset": 2})).json()
    assert page["total"] == 3
    assert len(page["items"]) == 1
    # Only stop words: no word filter, everything published.
    assert len(await _titles(client, q="the and of")) == 3

    # The same search on the page, without JavaScript: a GET form.
    html = (await client.get("/resources", params={"q": "mentoring schemes run with charities in the South West"})).text
    assert SOUTH_WEST_MENTORING in html
    assert "1 resource for this search" in html
    html = (await client.get("/resources", params={"theme": "mentoring", "region": "south-west"})).text
    assert SOUTH_WEST_MENTORING in html
    assert "A mentor for every" not in html
    assert '<option value="south-west" selected>South West (1)</option>' in html


async def test_drafts_stay_private_until_published_and_leave_again(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    draft = await _resource(
        client, publish=False, title="Family learning with a maths charity", themes=["family-learning"]
    )
    slug = draft["slug"]
    assert draft["status"] == "draft"
    assert (await client.get(f"/api/resources/{slug}")).status_code == 200  # organisers see drafts
    assert "Family learning" in (await client.get("/organiser/resources")).text
    client.cookies.clear()
    assert (await client.get(f"/resources/{slug}")).status_code == 404
    assert (await client.get(f"/api/resources/{slug}")).status_code == 404
    assert await _titles(client, q="family maths", drafts="true") == []
    await organiser.sign_in("organiser")
    assert (await client.post(f"/api/resources/{slug}/publish")).status_code == 200
    assert (await client.post(f"/api/resources/{slug}/publish")).json()["code"] == "already_published"
    client.cookies.clear()
    assert await _titles(client, q="family maths") == ["Family learning with a maths charity"]
    await organiser.sign_in("organiser")
    assert (await client.post(f"/api/resources/{slug}/unpublish")).status_code == 200
    client.cookies.clear()
    assert await _titles(client, q="family") == []
    await organiser.sign_in("organiser")
    assert (await client.delete(f"/api/resources/{slug}")).status_code == 204
    assert await _titles(client, q="family", drafts="true") == []


async def test_resource_page_shows_its_organisations_and_where_it_was_presented_and_the_feed_lists_it(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    _regions(run)
    case_study = await _resource(client, title="Older resource", summary="First <in> the hub & older")
    case_study = await _library(client)
    draft_event = await make_event(client, title="Planning day", status="draft")
    changed = await client.patch(
        f"/api/resources/{case_study['slug']}",
        json={"events": [*(e["slug"] for e in case_study["events"]), draft_event["slug"]]},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["summary"] == case_study["summary"]  # fields not sent stay
    client.cookies.clear()
    page = await client.get(f"/resources/{case_study['slug']}")
    assert page.status_code == 200
    html = page.text
    for text in (
        "Coast STEM Clubs",
        "South West",
        "Case study",
        "Mentoring",
        "Civil society (charity, community group)",
        'href="/events/south-west-community-meeting"',
        "“Mentors and charities”",
        'href="/speakers/dr-tomos-griffiths"',
    ):
        assert text in html, text
    assert "Planning day" not in html  # a draft event is not shown to the public
    assert "@media print" in (await client.get("/static/hub.css")).text
    assert 'href="/resources"' in html  # the site's navigation

    feed = await client.get("/resources/feed.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)  # noqa: S314 (our own feed)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert len(titles) == 4
    assert "Draft: mentoring charities south west plans" not in titles
    assert titles[-1] == "Older resource"  # newest first
    assert entries[-1].findtext(f"{ATOM}summary") == "First <in> the hub & older"
    assert all(e.findtext(f"{ATOM}id", "").startswith("http") for e in entries)


async def test_bad_input_names_every_wrong_field_and_writes_nothing(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    response = await client.post(
        "/api/resources",
        json={
            "title": "   ",
            "themes": ["knitting"],
            "region": "atlantis",
            "organisations": ["nobody-at-all"],
            "sessions": [999_999],
        },
    )
    assert response.status_code == 422, response.text
    fields = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(fields) == {"region", "organisations", "sessions"}
    assert "no organisation 'nobody-at-all'" in fields["organisations"]
    response = await client.post("/api/resources", json={"title": "   ", "themes": ["knitting"]})
    assert {e["field"] for e in response.json()["errors"]} == {"title", "themes"}
    assert (await client.post("/api/resources", json={"title": "x", "year": 1200})).status_code == 400
    assert (await client.get("/api/resources", params={"theme": "knitting"})).json()["field"] == "theme"
    assert (await client.get("/api/resources", params={"drafts": "true"})).json()["total"] == 0  # nothing written

    # The organiser's form: every wrong field next to its input, names picked from lists, nothing saved.
    csrf = (await client.get("/organiser/resources/new")).cookies.get("csrftoken") or client.cookies.get("csrftoken")
    form = {
        "title": "",
        "kind": "resource",
        "year": "20x6",
        "themes": ["knitting"],
        "organisations": ["Unheard-of Trust"],
        "_csrf_token": csrf,
    }
    page = await client.post("/organiser/resources/new", data=form, headers={"accept": "text/html"})
    assert page.status_code == 400
    for message in (
        "Title: please fill this in",
        "Year: four digits, like 2026",
        "Themes: &#39;knitting&#39; is not one of the hub&#39;s themes",
        "Organisations: there is no organisation called &#39;Unheard-of Trust&#39;",
    ):
        assert message in page.text, message
    form = {"title": "Teacher CPD evenings", "kind": "resource", "themes": ["teacher-cpd"], "_csrf_token": csrf}
    saved = await client.post("/organiser/resources/new", data=form, follow_redirects=False)
    assert saved.status_code == 303
    assert saved.headers["location"].startswith("/organiser/resources/teacher-cpd-evenings/edit")
