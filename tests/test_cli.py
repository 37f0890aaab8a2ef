"""The events-app command against the test database: demo, create-organiser, migrate."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

pytestmark = pytest.mark.slow


def events_app(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "events_app.cli", *args],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
        check=False,
    )


async def test_demo_fills_an_empty_database_with_a_realistic_programme(client: AsyncTestClient[Any]) -> None:
    result = events_app("demo")
    assert result.returncode == 0, result.stderr
    password = re.search(r"Password \(shown once, keep it\): (\S+)", result.stdout)
    assert password, result.stdout
    assert "admin@example.org" in result.stdout

    events = (await client.get("/api/events", params={"limit": 100})).json()["items"]
    kinds = [e["kind"] for e in events]
    assert kinds.count("conference") == 1
    assert kinds.count("seminar") == 7  # six to come, and one three weeks ago with check-ins and feedback
    assert kinds.count("forum_meeting") == 2
    assert kinds.count("community_meeting") == 5
    assert all(e["status"] == "published" for e in events)
    past = (await client.get("/api/events", params={"when": "past"})).json()["items"]
    assert [e["slug"] for e in past] == ["seminar-community-partners"]

    conference = next(e for e in events if e["kind"] == "conference")
    assert conference["venue"]["city"] == "London"
    detail = (await client.get(f"/api/events/{conference['slug']}")).json()
    assert len(detail["tracks"]) == 2
    workshops = [s for s in detail["sessions"] if s["kind"] == "workshop"]
    assert len(workshops) == 2
    assert all(w["capacity"] for w in workshops)
    assert sum(1 for s in detail["sessions"] if s["kind"] == "keynote") >= 2
    parallel = {s["track"]["name"] for s in detail["sessions"] if s["track"]}
    assert len(parallel) == 2

    speakers = (await client.get("/api/speakers", params={"limit": 100})).json()
    assert 12 <= speakers["total"] <= 20
    groups = [g["name"] for g in (await client.get("/api/stakeholder-groups")).json()]
    assert groups == [
        "Higher education institution",
        "Third-sector organisation",
        "School or college",
        "Funder",
        "Policymaker",
        "Employer",
        "Student",
        "Other",
    ]
    organisations = (await client.get("/api/organisations", params={"limit": 100})).json()
    assert 18 <= organisations["total"] <= 25
    assert len((await client.get("/api/regions")).json()) == 5
    communities = [s for s in (await client.get("/api/series")).json() if s["region"]]
    assert len(communities) == 5

    signed_in = await client.post(
        "/api/auth/sign-in", json={"email": "admin@example.org", "password": password.group(1)}
    )
    assert signed_in.status_code == 200
    assert signed_in.json()["role"] == "admin"

    again = events_app("demo")
    assert again.returncode != 0
    assert "only fills an empty database" in again.stderr
    tolerant = events_app("demo", "--if-empty")
    assert tolerant.returncode == 0
    assert "already has events" in tolerant.stdout


async def test_create_organiser_and_sign_in(client: AsyncTestClient[Any]) -> None:
    result = events_app(
        "create-organiser", "--email", "desk@example.org", "--name", "Desk", "--role", "checkin", "--generate"
    )
    assert result.returncode == 0, result.stderr
    password = re.search(r"Password \(shown once, keep it\): (\S+)", result.stdout)
    assert password
    response = await client.post("/api/auth/sign-in", json={"email": "desk@example.org", "password": password.group(1)})
    assert response.json()["role"] == "checkin"

    weak = events_app("create-organiser", "--email", "x@example.org", "--name", "X", "--password", "short")
    assert weak.returncode != 0
    assert "password" in weak.stderr
    duplicate = events_app("create-organiser", "--email", "desk@example.org", "--name", "Desk", "--generate")
    assert duplicate.returncode != 0
    assert "already exists" in duplicate.stderr


def test_migrate_is_safe_to_repeat() -> None:
    result = events_app("migrate")
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


async def test_health_and_openapi(client: AsyncTestClient[Any]) -> None:
    health = await client.get("/healthz")
    assert health.json() == {"status": "ok", "database": "ok"}
    schema = (await client.get("/schema/openapi.json")).json()
    assert "/api/events" in schema["paths"]
    assert "/api/events/{slug}/sessions" in schema["paths"]
