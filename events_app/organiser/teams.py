"""Organiser accounts by email: an admin invites someone (an inactive account and a link to set a password), and
anyone may ask for a password-reset link. The links themselves are accounts.links; this module writes the emails,
through the outbox, in the transaction that makes the link."""

from __future__ import annotations

from events_app.accounts import links, schemas, services
from events_app.core.database import write_transaction
from events_app.core.settings import current_settings
from events_app.core.timezones import utc_now
from events_app.mail import outbox
from events_app.mail.render import render

PATHS = {links.INVITE: "/organiser/set-password/", links.RESET: "/organiser/reset-password/"}
MAILS = {links.INVITE: "organiser_invite", links.RESET: "password_reset"}


def link_url(purpose: str, token: str) -> str:
    return f"{current_settings().base_url}{PATHS[purpose]}{token}"


async def _queue(purpose: str, link: links.LinkFor, *, by: schemas.CurrentOrganiser | None) -> None:
    mail = render(
        MAILS[purpose],
        {
            "recipient_name": link.name,
            "link_url": link_url(purpose, link.token),
            "valid_for": links.VALID_FOR[purpose],
            "role_label": link.role.label,
            "invited_by": by.name if by is not None else "",
            "email": link.email,
        },
    )
    # One reset email a minute per account at most, however often the form is sent.
    dedupe = f"password-reset:{link.user_id}:{utc_now():%Y%m%d%H%M}" if purpose == links.RESET else None
    await outbox.enqueue(
        to_email=link.email,
        to_name=link.name,
        mail=mail,
        created_by=by.user_id if by is not None else None,
        dedupe_key=dedupe,
    )


async def invite(data: schemas.OrganiserInvite, *, by: schemas.CurrentOrganiser) -> schemas.Organiser:
    """An inactive account with this role, and an email to its person with the link to set a password."""
    placeholder = await links.unusable_password()
    async with write_transaction():
        link = await links.create_invited(data, placeholder_password=placeholder)
        await _queue(links.INVITE, link, by=by)
    outbox.wake_sender()
    return await services.get_organiser(link.user_id)


async def invite_again(user_id: int, *, by: schemas.CurrentOrganiser) -> schemas.Organiser:
    async with write_transaction():
        link = await links.invitation_again(user_id)
        await _queue(links.INVITE, link, by=by)
    outbox.wake_sender()
    return await services.get_organiser(user_id)


async def request_password_reset(email: str) -> None:
    """Email a reset link if an active account has this address; say nothing either way."""
    link = await links.reset_link_for(email)
    if link is None:
        return
    async with write_transaction():
        await _queue(links.RESET, link, by=None)
    outbox.wake_sender()
