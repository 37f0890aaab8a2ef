"""Organiser roles, from least to most trusted."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    checkin = "checkin"
    organiser = "organiser"
    admin = "admin"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    @property
    def label(self) -> str:
        return _LABELS[self]

    def allows(self, minimum: Role) -> bool:
        return self.rank >= minimum.rank


_RANKS = {Role.checkin: 1, Role.organiser: 2, Role.admin: 3}
_LABELS = {Role.checkin: "check-in staff", Role.organiser: "organiser", Role.admin: "admin"}
