"""What a stakeholder group is, whatever it is called: the sector roles reports read, in one place.

Reports by sector (the collaboration view, the impact report) read a group's role, never its name or slug,
so an organiser renaming "Third sector organisation" to "Charity or community group" moves no figure."""

from typing import Literal, TypeGuard

SectorRole = Literal["university", "civil_society", "school_college", "funder", "policy", "employer", "other"]

SECTOR_ROLES: tuple[SectorRole, ...] = (
    "university",
    "civil_society",
    "school_college",
    "funder",
    "policy",
    "employer",
    "other",
)

SECTOR_LABELS: dict[SectorRole, str] = {
    "university": "University",
    "civil_society": "Civil society (charity, community group)",
    "school_college": "School or college",
    "funder": "Funder",
    "policy": "Policy",
    "employer": "Employer",
    "other": "Other",
}


def is_sector_role(value: object) -> TypeGuard[SectorRole]:
    """True when `value` is one of the roles (a stored or typed string)."""
    return isinstance(value, str) and value in SECTOR_ROLES


def sector_role(value: object) -> SectorRole:
    """The role a stored value names; anything unknown reads as "other" rather than failing a report."""
    return value if is_sector_role(value) else "other"
