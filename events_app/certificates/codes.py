"""Verification codes of certificates: a registration and a digest of what its certificate says, signed.

`C1.` + base64url(version, registration id, 16-byte content digest, 16-byte HMAC-SHA256 tag): 53 characters.
The HMAC key is derived from SECRET_KEY (HKDF, its own purpose), so a code cannot be made or altered without
the site's key (128-bit tag); the digest lets the verification page tell a certificate whose words were
changed from the one the site issued."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct
from collections.abc import Sequence
from dataclasses import dataclass

from events_app.core import tokens
from events_app.core.settings import current_settings

PREFIX = "C1."
_BODY = struct.Struct(">BI16s")  # format version, registration id, content digest
_TAG = 16
MAX_LENGTH = 100


class InvalidCode(Exception):
    """Not a code this site issued: made up, altered, truncated or signed with another key."""


@dataclass(frozen=True, slots=True)
class Code:
    registration_id: int
    digest: bytes


def _tag(body: bytes) -> bytes:
    key = tokens.derived_key(current_settings().secret_key, b"events_app certificate signing", b"hmac")
    return hmac.new(key, body, hashlib.sha256).digest()[:_TAG]


def digest(words: Sequence[str]) -> bytes:
    """What a certificate says, in 16 bytes: every line of it, in order."""
    return hashlib.sha256("\x1f".join(words).encode()).digest()[:16]


def issue(registration_id: int, content: bytes) -> str:
    body = _BODY.pack(1, registration_id, content)
    return PREFIX + base64.urlsafe_b64encode(body + _tag(body)).rstrip(b"=").decode()


def read(code: str) -> Code:
    if not code.startswith(PREFIX) or len(code) > MAX_LENGTH:
        raise InvalidCode("not a certificate code")
    data = code[len(PREFIX) :]
    try:
        raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    except (binascii.Error, ValueError) as exc:
        raise InvalidCode("not base64") from exc
    if len(raw) != _BODY.size + _TAG:
        raise InvalidCode("wrong length")
    body, tag = raw[: _BODY.size], raw[_BODY.size :]
    if not hmac.compare_digest(tag, _tag(body)):
        raise InvalidCode("bad signature")
    version, registration_id, content = _BODY.unpack(body)
    if version != 1:
        raise InvalidCode("unknown version")
    return Code(registration_id=registration_id, digest=content)
