"""Ticket codes: a registration and its event, signed with Ed25519.

`T1.` + base64url(version, event id, registration id, 64-byte signature): about 100 characters, a QR code
of version 6 at error correction M. The key pair is derived from SECRET_KEY (HKDF), so every process of
the service signs and checks alike; the public key can be handed to scanners, which then check codes
with no network. A forged, altered or truncated code is refused here, before any database lookup."""

from __future__ import annotations

import base64
import binascii
import struct
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from events_app.core import tokens
from events_app.core.settings import current_settings

PREFIX = "T1."
_BODY = struct.Struct(">BII")  # format version, event id, registration id
_SIGNATURE = 64
MAX_LENGTH = 200


class InvalidTicket(Exception):
    """Not a ticket this service issued: forged, altered, truncated or garbled."""


@dataclass(frozen=True, slots=True)
class Ticket:
    event_id: int
    registration_id: int


@lru_cache(maxsize=4)
def _private_key(secret: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(tokens.derived_key(secret, b"events_app ticket signing", b"ed25519"))


def private_key() -> Ed25519PrivateKey:
    return _private_key(current_settings().secret_key)


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def public_key_b64() -> str:
    """The raw 32-byte public key, base64url: what an offline scanner needs to check codes."""
    raw = public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def issue(event_id: int, registration_id: int) -> str:
    body = _BODY.pack(1, event_id, registration_id)
    signature = private_key().sign(body)
    return PREFIX + base64.urlsafe_b64encode(body + signature).rstrip(b"=").decode()


def read(code: str) -> Ticket:
    """The ticket a code stands for, or InvalidTicket."""
    code = code.strip()
    if not code.startswith(PREFIX) or len(code) > MAX_LENGTH:
        raise InvalidTicket("not a ticket code")
    data = code[len(PREFIX) :]
    try:
        raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    except (binascii.Error, ValueError) as exc:
        raise InvalidTicket("not base64") from exc
    if len(raw) != _BODY.size + _SIGNATURE:
        raise InvalidTicket("wrong length")
    body, signature = raw[: _BODY.size], raw[_BODY.size :]
    try:
        public_key().verify(signature, body)
    except InvalidSignature as exc:
        raise InvalidTicket("bad signature") from exc
    version, event_id, registration_id = _BODY.unpack(body)
    if version != 1:
        raise InvalidTicket("unknown version")
    return Ticket(event_id=event_id, registration_id=registration_id)
