"""The building blocks of the access matrix (tests/accounts/test_access_matrix.py): the status each role expects
and the request bodies. The organisers' workspace pages keep their rows in tests/accounts/matrix_*.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.seed import Seeded

ROLES = ("anonymous", "checkin", "organiser", "admin")
Expected = tuple[int, int, int, int]  # one status per role, in the order of ROLES


def public(status: int) -> Expected:
    return (status, status, status, status)


def checkin_api(status: int) -> Expected:
    return (401, status, status, status)


def organiser_api(status: int) -> Expected:
    return (401, 403, status, status)


def admin_api(status: int) -> Expected:
    return (401, 403, 403, status)


def checkin_page(status: int) -> Expected:
    return (303, status, status, status)


def organiser_page(status: int) -> Expected:
    return (303, 403, status, status)


Body = Callable[[Seeded], dict[str, Any]]


def json(body: dict[str, Any] | Callable[[Seeded], dict[str, Any]]) -> Body:
    return lambda s: {"json": body(s) if callable(body) else body}


def form(body: dict[str, Any] | Callable[[Seeded], dict[str, Any]]) -> Body:
    return lambda s: {"data": body(s) if callable(body) else body}
