"""Organiser accounts: a Piccolo BaseUser (hashed password) plus a role; and failed sign-ins, for the throttle."""

from piccolo.apps.user.tables import BaseUser
from piccolo.columns import Boolean, ForeignKey, Integer, OnDelete, Serial, Timestamptz, Varchar
from piccolo.table import Table

from events_app.people.tables import Region
from events_app.programme.tables import Series


class Organiser(Table, tablename="organiser"):
    """`link_version` is part of every invitation and password-reset link; raising it (when a link is used, or
    the account is deactivated) makes every earlier link stop working. `invite_pending`: invited, and no
    password set yet (the account is inactive until the invitation is taken up)."""

    id: Serial
    user = ForeignKey(BaseUser, null=False, unique=True, on_delete=OnDelete.cascade)
    role = Varchar(length=20, default="organiser")
    created_at = Timestamptz()
    link_version = Integer(default=1)
    invite_pending = Boolean(default=False)
    invited_at = Timestamptz(null=True, default=None)


class SignInFailure(Table, tablename="sign_in_failure"):
    """One refused sign-in, by a keyed hash of the address typed (never the address itself, which may be a
    password typed in the wrong box), so an address with no account is throttled exactly like one with."""

    id: Serial
    account_key = Varchar(length=64, index=True)
    failed_at = Timestamptz(index=True)


class OrganiserScope(Table, tablename="organiser_scope"):
    """One series or one region an account is limited to (exactly one of the two is set). An account with no rows
    here is not limited. The rule that reads these rows is accounts/scopes.py."""

    id: Serial
    organiser = ForeignKey(Organiser, null=False, on_delete=OnDelete.cascade, index=True)
    # Restrict, not cascade: removing an account's last scope row would silently widen it to everything.
    series = ForeignKey(Series, null=True, default=None, on_delete=OnDelete.restrict)
    region = ForeignKey(Region, null=True, default=None, on_delete=OnDelete.restrict)
