"""A delegate's "happy to be contacted": the one way to change it (with a record of when and how), and the signed
unsubscribe link that network mailings carry, which works without signing in.

Consent governs network mailings only (events_app/mailings); mail about one's own registrations (confirmations,
reminders, changes) goes whatever it says."""

from __future__ import annotations

from typing import Literal

from events_app.core import tokens
from events_app.core.database import write_transaction
from events_app.core.settings import current_settings
from events_app.core.timezones import utc_now
from events_app.people.errors import UnsubscribeLinkInvalid
from events_app.people.tables import ConsentChange, Delegate

UNSUBSCRIBE = "unsubscribe"
# A mailing may sit in an inbox for years; the link lasts until the person is anonymised (RETENTION_MONTHS).
UNSUBSCRIBE_MAX_AGE = 10 * 366 * 24 * 3600

Via = Literal["unsubscribe_link", "one_click", "my_page", "organiser"]


def unsubscribe_token(delegate_id: int) -> str:
    """Signed with SECRET_KEY (HMAC, 160 bits) for this purpose only: it opens nothing else."""
    return tokens.sign(UNSUBSCRIBE, delegate_id)


def unsubscribe_url(delegate_id: int) -> str:
    return f"{current_settings().base_url}/unsubscribe/{unsubscribe_token(delegate_id)}"


async def delegate_of_unsubscribe(token: str) -> int:
    """The delegate an unsubscribe link is for; a forged or altered link, or one of an erased person, is a 404."""
    try:
        delegate_id = tokens.unsign(UNSUBSCRIBE, token, max_age_seconds=UNSUBSCRIBE_MAX_AGE)
    except tokens.InvalidToken:
        raise UnsubscribeLinkInvalid() from None
    if not isinstance(delegate_id, int) or isinstance(delegate_id, bool):
        raise UnsubscribeLinkInvalid()
    found = await Delegate.exists().where((Delegate.id == delegate_id) & Delegate.erased_at.is_null())
    if not found:
        raise UnsubscribeLinkInvalid()
    return delegate_id


async def consents(delegate_id: int) -> bool:
    row = await Delegate.select(Delegate.consent_to_contact).where(Delegate.id == delegate_id).first()
    return bool(row and row["consent_to_contact"])


async def set_consent(delegate_id: int, consent: bool, via: Via) -> bool:
    """Change the delegate's consent and record when and how; returns whether it changed (the same answer twice,
    such as a second click on "unsubscribe", records nothing)."""
    async with write_transaction():
        row = (
            await Delegate.select(Delegate.consent_to_contact, Delegate.erased_at)
            .where(Delegate.id == delegate_id)
            .first()
        )
        if row is None or row["erased_at"] is not None or bool(row["consent_to_contact"]) == consent:
            return False
        now = utc_now()
        await Delegate.update({Delegate.consent_to_contact: consent, Delegate.updated_at: now}).where(
            Delegate.id == delegate_id
        )
        await ConsentChange.insert(ConsentChange(delegate=delegate_id, at=now, consent=consent, via=via))
    return True


async def unsubscribe(token: str, via: Via = "unsubscribe_link") -> None:
    """Consent withdrawn through a mailing's link: no sign-in, the signed link is the key."""
    await set_consent(await delegate_of_unsubscribe(token), False, via)
