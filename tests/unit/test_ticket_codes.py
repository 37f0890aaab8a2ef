"""Ticket codes without HTTP: signed with a key derived from SECRET_KEY, so another service's codes (or a
code whose ids were changed) are refused; the published public key is enough to check a code offline."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from events_app.tickets import codes


def _raw(code: str) -> bytes:
    data = code[len(codes.PREFIX) :]
    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))


@pytest.mark.parametrize(("event_id", "registration_id"), [(1, 1), (7, 1234), (2_147_483_647, 4_294_967_295)])
def test_every_id_pair_round_trips(event_id: int, registration_id: int) -> None:
    code = codes.issue(event_id, registration_id)
    assert len(code) <= codes.MAX_LENGTH
    assert codes.read(code) == codes.Ticket(event_id=event_id, registration_id=registration_id)
    assert codes.read(f"  {code}\n") == codes.read(code)  # as a scanner or a paste may deliver it


def test_the_same_ticket_always_gets_the_same_code() -> None:
    assert codes.issue(7, 1234) == codes.issue(7, 1234)
    assert codes.issue(7, 1234) != codes.issue(7, 1235)


def test_a_code_signed_under_another_secret_is_refused() -> None:
    other_service = codes._private_key("another-service-" + "x" * 40)
    body = _raw(codes.issue(7, 1234))[:9]
    forged = codes.PREFIX + base64.urlsafe_b64encode(body + other_service.sign(body)).rstrip(b"=").decode()
    with pytest.raises(codes.InvalidTicket, match="bad signature"):
        codes.read(forged)


def test_the_published_public_key_checks_codes_offline() -> None:
    raw_key = base64.urlsafe_b64decode(codes.public_key_b64() + "=")
    assert len(raw_key) == 32
    raw = _raw(codes.issue(7, 1234))
    Ed25519PublicKey.from_public_bytes(raw_key).verify(raw[9:], raw[:9])  # raises if it does not check


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("", "not a ticket code"),
        ("T1", "not a ticket code"),
        ("t1." + "A" * 97, "not a ticket code"),
        ("T1." + "A" * 300, "not a ticket code"),
        ("T1.A", "not base64"),
        ("T1." + "A" * 20, "wrong length"),
    ],
)
def test_garbled_codes_are_refused_with_the_reason(code: str, reason: str) -> None:
    with pytest.raises(codes.InvalidTicket, match=reason):
        codes.read(code)


def test_an_unknown_format_version_is_refused_even_when_signed() -> None:
    body = codes._BODY.pack(2, 7, 1234)
    signed = codes.PREFIX + base64.urlsafe_b64encode(body + codes.private_key().sign(body)).rstrip(b"=").decode()
    with pytest.raises(codes.InvalidTicket, match="unknown version"):
        codes.read(signed)
