"""Signed tokens for links sent to people (manage my registration, feedback ...): itsdangerous, keyed by
SECRET_KEY with a salt per purpose, so a token made for one purpose never opens another."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from events_app.core.settings import current_settings


@lru_cache(maxsize=8)
def derived_key(secret: str, salt: bytes, info: bytes) -> bytes:
    """32 bytes derived from a secret (SECRET_KEY) for one use (HKDF-SHA256): a ticket's signing seed, a
    certificate's MAC key. Another salt gives an unrelated key, so one use's key never opens another."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(secret.encode())


class InvalidToken(Exception):
    """Forged, altered, expired or made for another purpose."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_settings().secret_key, salt=f"events_app:{purpose}")


def sign(purpose: str, value: Any) -> str:
    return _serializer(purpose).dumps(value)


def unsign(purpose: str, token: str, *, max_age_seconds: int) -> Any:
    if not token or len(token) > 500:
        raise InvalidToken("missing or too long")
    try:
        return _serializer(purpose).loads(token, max_age=max_age_seconds)
    except SignatureExpired as exc:
        raise InvalidToken("expired") from exc
    except BadSignature as exc:
        raise InvalidToken("bad signature") from exc
