"""Organiser accounts: creating them, signing in and out, and finding who a session cookie belongs to."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from datetime import datetime, timedelta

import msgspec
from piccolo.apps.user.tables import BaseUser
from piccolo_api.session_auth.tables import SessionsBase

from events_app.accounts import schemas, scope_rows, throttle
from events_app.accounts.errors import AccountExists, NoSuchAccount, OwnRoleLocked, SignInFailed
from events_app.accounts.roles import Role
from events_app.accounts.tables import Organiser
from events_app.core.database import write_transaction
from events_app.core.email_address import comparable_email
from events_app.core.rows import Row
from events_app.core.schema import person_name
from events_app.core.stores import Remembered

SESSION_COOKIE = "id"  # kept as it was: a change would sign everyone out
# Sent with every sign-out: the browser deletes what this site kept on the device (the scanner's offline list
# of registrations, scans not yet sent), so the next person at the door's phone finds none of it.
FORGET_THE_DEVICE = {"Clear-Site-Data": '"storage"'}


_COLUMNS = (
    Organiser.user.id.as_alias("user_id"),
    Organiser.user.email.as_alias("email"),
    Organiser.user.first_name.as_alias("name"),
    Organiser.user.active.as_alias("active"),
    Organiser.role,
    Organiser.invite_pending,
)


def _organiser(row: Row) -> schemas.Organiser:
    return schemas.Organiser(
        id=row["user_id"],
        email=row["email"],
        name=row["name"],
        role=Role(row["role"]),
        active=row["active"],
        invite_pending=row["invite_pending"],
    )


async def create_organiser(data: schemas.OrganiserCreate) -> schemas.Organiser:
    email = data.email.strip().lower()
    name = person_name(data.name)
    if await BaseUser.exists().where(BaseUser.username == email):
        raise AccountExists(email=email)
    password = await asyncio.to_thread(BaseUser.hash_password, data.password)
    async with write_transaction():
        user = BaseUser(  # type: ignore[no-untyped-call]
            username=email,
            email=email,
            first_name=name,
            active=True,
            admin=data.role.allows(Role.organiser),
            superuser=data.role is Role.admin,
        )
        user.password = password
        await user.save()
        await Organiser(user=user.id, role=data.role.value).save()
    return await get_organiser(user.id)


async def get_organiser(user_id: int) -> schemas.Organiser:
    row = await Organiser.select(*_COLUMNS).where(Organiser.user == user_id).first()
    if row is None:
        raise NoSuchAccount(id=user_id)
    organiser = _organiser(row)
    organiser.scope = (await scope_rows.scope_names([user_id]))[user_id]
    return organiser


async def list_organisers() -> list[schemas.Organiser]:
    rows = await Organiser.select(*_COLUMNS).order_by(Organiser.user.email)
    organisers = [_organiser(r) for r in rows]
    scopes = await scope_rows.scope_names([o.id for o in organisers])
    for organiser in organisers:
        organiser.scope = scopes[organiser.id]
    return organisers


async def update_organiser(
    user_id: int, data: schemas.OrganiserUpdate, *, by: schemas.CurrentOrganiser
) -> schemas.Organiser:
    current = await get_organiser(user_id)
    lowers_own = isinstance(data.role, Role) and data.role is not current.role
    if user_id == by.user_id and (lowers_own or data.active is False):
        raise OwnRoleLocked()
    async with write_transaction():
        if isinstance(data.role, Role):
            await Organiser.update({Organiser.role: data.role.value}).where(Organiser.user == user_id)
            await BaseUser.update(
                {BaseUser.admin: data.role.allows(Role.organiser), BaseUser.superuser: data.role is Role.admin}
            ).where(BaseUser.id == user_id)
        if isinstance(data.active, bool):
            await BaseUser.update({BaseUser.active: data.active}).where(BaseUser.id == user_id)
            if not data.active:
                await SessionsBase.delete().where(SessionsBase.user_id == user_id)
                # Every invitation and reset link sent before stops working; a pending invitation is withdrawn.
                await Organiser.update(
                    {Organiser.link_version: Organiser.link_version + 1, Organiser.invite_pending: False}
                ).where(Organiser.user == user_id)
            else:  # active by an admin's word: no longer waiting for an invitation (a reset link sets a password)
                await Organiser.update({Organiser.invite_pending: False}).where(Organiser.user == user_id)
        if isinstance(data.scope, schemas.ScopeNames):
            await scope_rows.set_scope(user_id, data.scope, by=by)
    await forget_sessions()  # after the write: a role, scope or deactivation takes effect at once everywhere
    return await get_organiser(current.id)


async def _check_password(email: str, password: str) -> int | None:
    """The user id when the password matches; hashing runs off the event loop, also for unknown emails."""
    row = await BaseUser.select(BaseUser.id, BaseUser.password).where(BaseUser.username == email).first()
    if row is None:
        await asyncio.to_thread(BaseUser.hash_password, password)
        return None
    _, iterations, salt, _ = BaseUser.split_stored_password(row["password"])
    candidate = await asyncio.to_thread(BaseUser.hash_password, password, salt, int(iterations))
    return int(row["id"]) if hmac.compare_digest(candidate, row["password"]) else None


async def sign_in(email: str, password: str, *, session_hours: int) -> tuple[str, schemas.CurrentOrganiser]:
    """A new session token for a matching, active organiser. The message never says which part was wrong; an
    address with too many recent failures is refused before its password is looked at (accounts.throttle)."""
    typed = comparable_email(email)
    await throttle.check(typed)
    user_id = await _check_password(typed, password)
    organiser = await current_organiser_for_user(user_id) if user_id is not None else None
    if organiser is None:
        await throttle.record_failure(typed)
        raise SignInFailed()
    await throttle.forget_failures(typed)
    return await start_session(organiser, session_hours=session_hours), organiser


async def start_session(organiser: schemas.CurrentOrganiser, *, session_hours: int) -> str:
    """A new session token for an active organiser (after signing in, or setting a password from a link)."""
    now = datetime.now()  # noqa: DTZ005 - SessionsBase stores naive local times
    session = await SessionsBase.create_session(
        user_id=organiser.user_id,
        expiry_date=now + timedelta(hours=session_hours),
        max_expiry_date=now + timedelta(days=7),
    )
    await BaseUser.update({BaseUser.last_login: now}).where(BaseUser.id == organiser.user_id)
    return str(session.token)


async def current_organiser_for_user(user_id: int) -> schemas.CurrentOrganiser | None:
    row = await Organiser.select(*_COLUMNS).where(Organiser.user == user_id).first()
    if row is None or not row["active"]:
        return None
    return schemas.CurrentOrganiser(
        user_id=row["user_id"],
        email=row["email"],
        name=row["name"],
        role=Role(row["role"]),
        scope=await scope_rows.scope_of(row["user_id"]),
    )


# Who a session token belongs to, remembered briefly: a door scanner sends a request a second, and each
# lookup costs three queries (and sometimes a write to extend the session). Signing out or changing an account
# forgets every remembered session at once, in every process when they share Redis (REDIS_URL, core/stores.py);
# with memory stores, other processes notice within SESSION_CACHE_SECONDS.
SESSION_CACHE_SECONDS = 10.0
_sessions = Remembered("sessions", SESSION_CACHE_SECONDS)
_REMEMBERED = msgspec.msgpack.Encoder()
_RECALLED: msgspec.msgpack.Decoder[schemas.CurrentOrganiser | None] = msgspec.msgpack.Decoder(
    schemas.CurrentOrganiser | None
)


async def forget_sessions() -> None:
    """After a sign-out or a change to an account is written: no process uses what it remembered before."""
    await _sessions.forget_all()


def _session_key(token: str) -> str:
    """Stored under a hash of the token, so the cookie itself is never written to a shared store."""
    return hashlib.sha256(token.encode()).hexdigest()


async def organiser_for_token(token: str) -> schemas.CurrentOrganiser | None:
    if not token or len(token) > 100:
        return None
    key = _session_key(token)
    generation = await _sessions.generation()  # before the database is read: see core/stores.py
    remembered = await _sessions.get(generation, key)
    if remembered is not None:
        return _RECALLED.decode(remembered)
    user_id = await SessionsBase.get_user_id(token, increase_expiry=timedelta(minutes=30))
    organiser = None if user_id is None else await current_organiser_for_user(user_id)
    await _sessions.set(generation, key, _REMEMBERED.encode(organiser))
    return organiser


async def sign_out(token: str) -> None:
    await SessionsBase.remove_session(token)
    await forget_sessions()
