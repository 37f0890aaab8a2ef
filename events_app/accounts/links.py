"""Invitation and password-reset links for organiser accounts: signed (core.tokens, a purpose each), expiring
(an invitation after 7 days, a reset after an hour) and single-use: each carries the account's `link_version`,
which rises when a link is used or the account is deactivated, so every earlier link stops working."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass

from piccolo.apps.user.tables import BaseUser
from piccolo_api.session_auth.tables import SessionsBase

from events_app.accounts import schemas, services, throttle
from events_app.accounts.errors import AccountExists, LinkNotValid, NotInvited
from events_app.accounts.roles import Role
from events_app.accounts.tables import Organiser
from events_app.core import tokens
from events_app.core.database import write_transaction
from events_app.core.email_address import comparable_email
from events_app.core.schema import person_name
from events_app.core.timezones import utc_now

INVITE = "organiser-invite"
RESET = "organiser-reset"
MAX_AGE_SECONDS = {INVITE: 7 * 24 * 3600, RESET: 3600}
VALID_FOR = {INVITE: "7 days", RESET: "1 hour"}


@dataclass(frozen=True, slots=True)
class LinkFor:
    """Whom a link was made for, and the token to put in it."""

    user_id: int
    email: str
    name: str
    role: Role
    token: str


def _token(purpose: str, user_id: int, version: int) -> str:
    return tokens.sign(purpose, [user_id, version])


async def unusable_password() -> str:
    """A stored password nobody knows, for an invited account until its person sets one (hashed off the loop)."""
    return await asyncio.to_thread(BaseUser.hash_password, secrets.token_urlsafe(32))


async def create_invited(data: schemas.OrganiserInvite, *, placeholder_password: str) -> LinkFor:
    """An inactive account waiting for its person to set a password, and the invitation link's token. Call inside
    the transaction that queues the invitation email."""
    email = data.email.strip().lower()
    if await BaseUser.exists().where(BaseUser.username == email):
        raise AccountExists(email=email)
    async with write_transaction():
        user = BaseUser(  # type: ignore[no-untyped-call]
            username=email,
            email=email,
            first_name=person_name(data.name),
            active=False,
            admin=data.role.allows(Role.organiser),
            superuser=data.role is Role.admin,
        )
        user.password = placeholder_password
        await user.save()
        await Organiser(
            user=user.id, role=data.role.value, invite_pending=True, invited_at=utc_now(), link_version=1
        ).save()
    return LinkFor(user.id, email, person_name(data.name), data.role, _token(INVITE, user.id, 1))


async def _account(user_id: int) -> tuple[schemas.Organiser, int]:
    organiser = await services.get_organiser(user_id)
    row = await Organiser.select(Organiser.link_version).where(Organiser.user == user_id).first()
    assert row is not None
    return organiser, int(row["link_version"])


async def invitation_again(user_id: int) -> LinkFor:
    """A fresh invitation link for an account still waiting for its password (earlier ones keep working until
    one is used or they expire)."""
    organiser, version = await _account(user_id)
    if not organiser.invite_pending:
        raise NotInvited()
    await Organiser.update({Organiser.invited_at: utc_now()}).where(Organiser.user == user_id)
    return LinkFor(organiser.id, organiser.email, organiser.name, organiser.role, _token(INVITE, organiser.id, version))


async def reset_link_for(email: str) -> LinkFor | None:
    """A reset link for the active account with this address; None when there is none (say nothing of it)."""
    row = await (
        Organiser.select(Organiser.user.id.as_alias("user_id"), Organiser.user.active.as_alias("active"))
        .where(Organiser.user.username == comparable_email(email))
        .first()
    )
    if row is None or not row["active"]:
        return None
    organiser, version = await _account(int(row["user_id"]))
    return LinkFor(organiser.id, organiser.email, organiser.name, organiser.role, _token(RESET, organiser.id, version))


def _fits(purpose: str, organiser: schemas.Organiser) -> bool:
    if purpose == INVITE:
        return organiser.invite_pending and not organiser.active
    return organiser.active and not organiser.invite_pending


async def holder(purpose: str, token: str) -> tuple[schemas.Organiser, int]:
    """The account a link opens and the version it carries, or LinkNotValid (forged, expired, used, replaced,
    or the account no longer in the state the link was for)."""
    try:
        value = tokens.unsign(purpose, token, max_age_seconds=MAX_AGE_SECONDS[purpose])
        user_id, version = int(value[0]), int(value[1])
    except (tokens.InvalidToken, TypeError, ValueError, IndexError, KeyError) as exc:
        raise LinkNotValid() from exc
    row = await Organiser.select(Organiser.link_version).where(Organiser.user == user_id).first()
    if row is None or int(row["link_version"]) != version:
        raise LinkNotValid()
    organiser = await services.get_organiser(user_id)
    if not _fits(purpose, organiser):
        raise LinkNotValid()
    return organiser, version


async def set_password(purpose: str, token: str, data: schemas.PasswordChoice) -> schemas.CurrentOrganiser:
    """Use a link: the new password is stored, the account is active, every other session of it ends and the link
    (with every other one sent before) stops working. Two uses at once: one wins, the other is refused."""
    organiser, version = await holder(purpose, token)
    hashed = await asyncio.to_thread(BaseUser.hash_password, data.password)
    async with write_transaction():
        used = await (
            Organiser.update({Organiser.link_version: version + 1, Organiser.invite_pending: False})
            .where((Organiser.user == organiser.id) & (Organiser.link_version == version))
            .returning(Organiser.id)
        )
        if not used:
            raise LinkNotValid()
        await BaseUser.update({BaseUser.password: hashed, BaseUser.active: True}).where(BaseUser.id == organiser.id)
        await SessionsBase.delete().where(SessionsBase.user_id == organiser.id)
    await services.forget_sessions()  # the account's other sessions end at once, in every process
    await throttle.forget_failures(organiser.email)
    signed_in = await services.current_organiser_for_user(organiser.id)
    assert signed_in is not None
    return signed_in
