"""A speaker's private contact email through the API: checked as every address is, kept for organisers, and in no
answer the public gets."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from tests.builders import make_event, make_session
from tests.conftest import Accounts


async def test_the_contact_email_is_for_organisers_only(client: AsyncTestClient[Any], accounts: Accounts) -> None:
    await accounts.sign_in("organiser")
    refused = await client.post("/api/speakers", json={"name": "Ada", "contact_email": "ada at example"})
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {
            "field": "contact_email",
            "message": "contact_email: enter an email address we can send to, like name@example.org",
        }
    ]
    created = await client.post("/api/speakers", json={"name": "Ada", "contact_email": "Ada@Example.ORG"})
    assert (created.status_code, created.json()["contact_email"]) == (201, "ada@example.org")
    changed = await client.patch("/api/speakers/ada", json={"bio": "Engineer"})
    assert changed.json()["contact_email"] == "ada@example.org"
    cleared = await client.patch("/api/speakers/ada", json={"contact_email": ""})
    assert cleared.json()["contact_email"] == ""
    await client.patch("/api/speakers/ada", json={"contact_email": "ada@example.org"})
    event = await make_event(client)
    await make_session(client, event["slug"], speakers=[{"speaker_id": created.json()["id"]}])

    for role in ("anonymous", "checkin"):
        await accounts.sign_in(role)
        for path in ("/api/speakers", "/api/speakers/ada", f"/api/events/{event['slug']}/sessions"):
            answer = await client.get(path)
            assert answer.status_code == 200 and "Ada" in answer.text
            assert "ada@example.org" not in answer.text, (role, path)
        assert (await client.get("/api/speakers/ada/private")).status_code in (401, 403)
    await accounts.sign_in("organiser")
    assert (await client.get("/api/speakers/ada/private")).json()["contact_email"] == "ada@example.org"
