"""The one translation of validation errors into people's words, and the one email-address rule."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
import pytest

from events_app.core.email_address import InvalidEmailAddress, delivery_address, normalise_email
from events_app.core.schema import EmailAddress, Normalised, Slug
from events_app.core.validation import InvalidFields, check, plain_words


class Booking(Normalised, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=10)]
    email: EmailAddress
    kind: Literal["talk", "workshop"]
    slug: Slug = "x"
    places: Annotated[int, msgspec.Meta(ge=1, le=5)] = 1


def _errors(data: object) -> dict[str, str]:
    with pytest.raises(InvalidFields) as refused:
        check(data, Booking, {"name": "Your name"})
    return {e.field: e.message for e in refused.value.errors}


def test_every_wrong_field_is_named_at_once() -> None:
    assert _errors({"slug": "Not A Slug", "places": 9, "colour": "red"}) == {
        "name": "Your name: please fill this in",
        "email": "email: please fill this in",
        "kind": "kind: please fill this in",
        "slug": "slug: should be lower-case letters, digits and hyphens",
        "places": "places: should be at most 5",
        "colour": "colour: is not something this accepts; leave it out",
    }


def test_types_choices_lengths_and_addresses_in_plain_words() -> None:
    assert _errors({"name": "x" * 11, "email": "a..b@x.org", "kind": "party", "places": "two"}) == {
        "name": "Your name: please use at most 10 characters",
        "email": "email: enter an email address we can send to, like name@example.org",
        "kind": "kind: should be one of: talk, workshop",
        "places": "places: should be a whole number",
    }


@pytest.mark.parametrize(
    "message",
    [
        "Expected `str`, got `int`",
        "Expected `str` matching regex '^[a-z]+$'",
        "Expected `int | null`, got `str` - at `$.a[0]`",
        "Expected `array` of length <= 50",
        "Invalid RFC3339 encoded datetime",
        "Some message msgspec may add one day",
    ],
)
def test_no_message_shows_a_type_name_a_regex_or_the_library_s_text(message: str) -> None:
    words = plain_words(message)
    for jargon in ("`", "regex", "str", "int", "null", "$", "RFC3339", "msgspec", "array"):
        assert jargon not in words


def test_a_good_value_is_converted_and_its_address_normalised() -> None:
    booking = check({"name": "Siân", "email": " Siân@Exämple.ORG ", "kind": "talk"}, Booking)
    assert booking.email == "siân@exämple.org"


@pytest.mark.parametrize("address", ["x@example.org.", "a..b@x.org", "a(b)@x.org", "a b@x.org", "<a@x.org>", ""])
def test_addresses_mail_cannot_reach_are_refused(address: str) -> None:
    with pytest.raises(InvalidEmailAddress):
        normalise_email(address)
    with pytest.raises(InvalidEmailAddress):
        Booking(name="n", email=address, kind="talk")  # made in code, the same rule holds


def test_internationalised_addresses_are_kept_and_written_for_delivery() -> None:
    assert normalise_email("用户@例子.广告") == "用户@例子.广告"
    assert normalise_email("JOSÉ@EXÄMPLE.org") == "josé@exämple.org"
    assert delivery_address("jose@exämple.org") == "jose@xn--exmple-cua.org"  # ASCII: any server carries it
    assert delivery_address("josé@exämple.org") == "josé@exämple.org"  # needs SMTPUTF8
