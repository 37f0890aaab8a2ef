from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from events_app.accounts.roles import Role
from events_app.accounts.scopes import Scope
from events_app.core.schema import AccountEmailAddress, Normalised

# The address is the sign-in name (Piccolo's BaseUser.username: 100 characters). Signing in takes what is typed
# (an address that is not valid matches no account); a new account's address follows the one email rule.
SignInEmail = Annotated[str, Meta(min_length=1, max_length=254)]
Password = Annotated[str, Meta(min_length=1, max_length=128)]
NewPassword = Annotated[str, Meta(min_length=12, max_length=128, description="at least 12 characters")]


class CurrentOrganiser(msgspec.Struct, frozen=True):
    """Who is signed in: kept on the connection as `request.user`."""

    user_id: int
    email: str
    name: str
    role: Role
    scope: Scope = msgspec.field(default_factory=Scope)  # what the account is limited to (accounts/scopes.py)


Slug = Annotated[str, Meta(min_length=1, max_length=120)]


class ScopeNames(msgspec.Struct, forbid_unknown_fields=True):
    """What an account is limited to, by slug: series, and regions (every series of the region). Both empty: not
    limited (sees every event)."""

    series: Annotated[list[Slug], Meta(max_length=200)] = []
    regions: Annotated[list[Slug], Meta(max_length=200)] = []


class Organiser(msgspec.Struct):
    id: int
    email: str
    name: str
    role: Role
    active: bool
    invite_pending: bool = False  # invited by email, and no password set yet (inactive until then)
    scope: ScopeNames = msgspec.field(default_factory=ScopeNames)


class SignIn(msgspec.Struct, forbid_unknown_fields=True):
    email: SignInEmail
    password: Password


class OrganiserCreate(Normalised, forbid_unknown_fields=True):
    email: AccountEmailAddress
    name: Annotated[str, Meta(min_length=1, max_length=200)]
    role: Role
    password: NewPassword


class OrganiserUpdate(msgspec.Struct, forbid_unknown_fields=True):
    role: Role | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET
    scope: ScopeNames | msgspec.UnsetType = msgspec.UNSET


class OrganiserInvite(Normalised, forbid_unknown_fields=True):
    """An account made by an admin for someone who sets their own password from the emailed link."""

    email: AccountEmailAddress
    name: Annotated[str, Meta(min_length=1, max_length=200)]
    role: Role


class PasswordChoice(msgspec.Struct, forbid_unknown_fields=True):
    """A new password typed twice on the set-password and reset-password pages."""

    password: NewPassword
    password_again: Annotated[str, Meta(max_length=128)]

    @staticmethod
    def rules_across_fields(values: Mapping[str, Any]) -> dict[str, str]:
        if isinstance(values.get("password"), str) and values.get("password") != values.get("password_again"):
            return {"password_again": "the two passwords are not the same"}
        return {}

    def __post_init__(self) -> None:
        if self.password != self.password_again:
            raise ValueError("The two passwords are not the same")
