"""Refusals about stakeholder groups, organisations and regions, each with a stable code."""

from __future__ import annotations

from events_app.core.errors import Conflict, InUse, InvalidInput, NotFound


class GroupNameTaken(Conflict):
    code = "group_name_taken"
    message = "A stakeholder group called '{name}' already exists"
    field = "name"


class GroupInUse(InUse):
    message = "Organisations belong to '{group}'; move them to another group first"
    field = "slug"


class UnknownStakeholderGroup(InvalidInput):
    code = "unknown_stakeholder_group"
    message = "There is no stakeholder group '{slug}'"
    field = "stakeholder_group"


class UnknownRegion(InvalidInput):
    code = "region_not_listed"
    message = "There is no region '{slug}': choose one from the list, or leave it empty"
    field = "region"


class UnsubscribeLinkInvalid(NotFound):
    message = "This unsubscribe link is not valid: check that the whole address from the email was copied"
