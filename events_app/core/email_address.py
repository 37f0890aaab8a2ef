"""The one email-address rule: forms, the API, organiser accounts and the outbox all accept exactly the
addresses mail can be sent to (email-validator's rules, no DNS look-up), and store them in one form, so an
address a form took is never refused later by the outbox. Internationalised addresses (josé@exämple.org,
用户@例子.广告) are accepted: the sender carries them with SMTPUTF8."""

from __future__ import annotations

from functools import lru_cache

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, ValidatedEmail, validate_email

MAX_LENGTH = 254  # the longest address SMTP carries (RFC 5321 path limit, less the angle brackets)
NOT_AN_ADDRESS = "enter an email address we can send to, like name@example.org"
RESERVED_DOMAIN = (
    "enter a real email address: addresses ending in .invalid, .localhost, .test and the like receive no mail"
)
# Domains reserved by RFC 6761 and its kin (email-validator's list: arpa, invalid, local, localhost, onion, test). An
# erased delegate's address ends in .invalid: refusing these means no form brings an erased record back.
RESERVED = tuple(SPECIAL_USE_DOMAIN_NAMES)


class InvalidEmailAddress(ValueError):
    """Not an address mail can be sent to. The message is for people (the library's own text is not)."""

    def __init__(self, words: str = NOT_AN_ADDRESS) -> None:
        super().__init__(words)


def _reserved(text: str) -> bool:
    domain = text.strip().rpartition("@")[2].rstrip(".").lower()
    return any(domain == name or domain.endswith(f".{name}") for name in RESERVED)


@lru_cache(maxsize=4096)  # one address is checked when it is typed and again when its mail is sent; read only
def _validated(text: str) -> ValidatedEmail:
    if _reserved(text):
        raise InvalidEmailAddress(RESERVED_DOMAIN)
    try:
        return validate_email(text.strip(), check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError:
        raise InvalidEmailAddress() from None


def normalise_email(text: str) -> str:
    """The address as stored and compared: surrounding spaces dropped, Unicode in its composed form (NFC), the
    domain lower-case, and the whole address lower-case (the house treats addresses as case-insensitive).
    Raises InvalidEmailAddress for anything mail cannot be sent to."""
    return _validated(text).normalized.lower()


def comparable_email(text: str) -> str:
    """The form to look a typed address up by (sign-in, "email me my link"), without refusing it: an address
    that is not valid simply matches nothing."""
    try:
        return normalise_email(text)
    except InvalidEmailAddress:
        return text.strip().lower()


def delivery_address(address: str) -> str:
    """The address to write on a message: ASCII when the part before the @ is ASCII (an internationalised
    domain becomes its xn-- form, which any server carries); otherwise the UTF-8 address, which needs SMTPUTF8."""
    validated = _validated(address)
    return validated.ascii_email or validated.normalized


def needs_smtputf8(address: str) -> bool:
    return not address.isascii()
