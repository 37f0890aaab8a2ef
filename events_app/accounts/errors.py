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


class SignInThrottled(DomainError):
    status_code = 429
    title = "Too many requests"
    code = "sign_in_locked"
    message = (
        "Too many failed sign-ins with this email address: try again in {wait}. "
        "If you have forgotten your password, ask for a new one"
    )
    field = "email"


class LinkNotValid(DomainError):
    status_code = 404
    title = "Not found"
    code = "link_not_valid"
    message = "This link does not work: it has been used already, has expired, or was replaced. Ask for a new one"
    field = "token"


class NotInvited(Conflict):
    code = "not_invited"
    message = "This account is not waiting for an invitation: it has a password already, or was deactivated"


class UnknownScopeNames(DomainError):
    status_code = 400
    code = "unknown_scope"
    message = "There is no {what} called {names}: pick from the list"
    field = "scope"


class ScopeTooWide(DomainError):
    status_code = 403
    title = "Outside your scope"
    code = "scope_too_wide"
    message = "You can give only series and regions of your own scope, and cannot change your own scope"
    field = "scope"


class OutsideScope(DomainError):
    status_code = 403
    title = "Outside your scope"
    code = "outside_scope"
    message = "Your account is limited to some series or regions: pick a series of your own scope"
    field = "series_id"


class DelegateOutsideScope(DomainError):
    status_code = 403
    title = "Outside your scope"
    code = "delegate_outside_scope"
    message = (
        "This person has also registered for events outside your scope: ask an organiser who sees every event to "
        "do this"
    )
