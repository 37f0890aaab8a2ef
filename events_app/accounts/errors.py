"""Refusals about organiser accounts and signing in, each with a stable code."""

from __future__ import annotations

from events_app.core.errors import Conflict, DomainError, NotFound


class SignInFailed(DomainError):
    status_code = 400
    title = "Sign-in failed"
    code = "sign_in_failed"
    message = "The email address or password is not right, or the account is not active"
    field = "email"


class AccountExists(Conflict):
    code = "account_exists"
    message = "An account for {email} already exists"
    field = "email"


class NoSuchAccount(NotFound):
    message = "There is no organiser account {id}"


class OwnRoleLocked(Conflict):
    code = "own_role_locked"
    message = "You cannot lower your own role or deactivate yourself"
    field = "role"
