"""An organiser attaches a file and a link to a hub resource on its materials page: the public resource page
shows the public ones and never the organisers-only ones; "registered delegates" is refused in plain words (a
resource has no event); deleting the resource removes its stored file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.testing import AsyncTestClient

from tests.conftest import Accounts
from tests.hub.test_material_deletion import PDF, _kept, _keys


async def _post(client: AsyncTestClient[Any], path: str, data: dict[str, str], **extra: Any) -> Any:
    await client.get("/organiser/sign-in")
    headers = {"x-csrftoken": client.cookies["csrftoken"], "accept": "text/html"}
    return await client.post(path, data=data, headers=headers, follow_redirects=False, **extra)


async def test_an_organiser_attaches_materials_to_a_resource_and_deleting_it_removes_the_file(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    made = await client.post("/api/resources", json={"title": "Family maths evenings", "themes": ["family-learning"]})
    slug = made.json()["slug"]
    assert (await client.post(f"/api/resources/{slug}/publish")).status_code == 200
    base = f"/organiser/resources/{slug}/materials"
    assert f'href="{base}"' in (await client.get(f"/organiser/resources/{slug}/edit")).text

    pdf = {"file": ("evening-handout.pdf", PDF, "application/pdf")}
    added = await _post(client, f"{base}/files", {"title": "Evening handout", "visibility": "public"}, files=pdf)
    assert added.status_code == 303, added.text
    link = {"title": "Planning notes", "url": "https://example.org/notes", "visibility": "organisers"}
    assert (await _post(client, f"{base}/links", link)).status_code == 303
    refused = await _post(client, f"{base}/links", {**link, "title": "For delegates", "visibility": "registered"})
    assert refused.status_code == 400
    assert "a hub resource belongs to no event" in refused.text

    page = (await client.get(base)).text
    assert "Evening handout" in page and "Planning notes" in page and "For delegates" not in page
    client.cookies.clear()
    public = (await client.get(f"/resources/{slug}")).text
    assert "Evening handout" in public
    assert "Planning notes" not in public

    await organiser.sign_in("organiser")
    key = run(_keys)["Evening handout"]
    assert run(_kept, [key]) == [True]
    assert (await client.delete(f"/api/resources/{slug}")).status_code == 204
    assert run(_kept, [key]) == [False]
