"""Refusals about the hub's resources, each with a stable code."""

from __future__ import annotations

from events_app.core.errors import Conflict, InvalidInput, NotFound


class ResourceNotFound(NotFound):
    message = "There is no resource '{slug}' in the hub"


class AlreadyPublished(Conflict):
    code = "already_published"
    message = "'{title}' is already published"
    field = "status"


class NotPublished(Conflict):
    code = "not_published"
    message = "'{title}' is a draft already"
    field = "status"


class BadSearch(InvalidInput):
    code = "bad_search"
    message = "{what}: {why}"
