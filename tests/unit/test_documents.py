"""The pure parts of badges and certificates: text fitted to a box, the layouts' grids, a certificate's dates
and hours, and verification codes that refuse any alteration."""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from events_app.certificates import codes
from events_app.certificates.services import dates_in_words, event_length, hours_in_words
from events_app.documents.badges import LAYOUTS
from events_app.documents.drawing import ELLIPSIS, fit
from events_app.documents.fonts import fonts
from tests.builders import event_row_value


def test_a_name_shrinks_then_wraps_and_is_cut_only_when_nothing_else_fits() -> None:
    bold = fonts().bold
    short = fit("Ann Li", bold, width=150, largest=24, smallest=8, max_lines=3)
    assert (short.size, short.lines) == (24, ["Ann Li"])
    long = fit("Łukasz Wiśniewski-Montgomery-Smythe", bold, width=150, largest=24, smallest=8, max_lines=3)
    assert 8 < long.size < 24 and len(long.lines) > 1
    assert all(stringWidth(line, bold, long.size) <= 150 for line in long.lines)
    assert "".join(long.lines).replace(" ", "") == "ŁukaszWiśniewski-Montgomery-Smythe"  # broken after hyphens only
    endless = fit("x" * 400, bold, width=150, largest=24, smallest=8, max_lines=2)
    assert endless.size == 8 and len(endless.lines) == 2 and endless.lines[-1].endswith(ELLIPSIS)


@pytest.mark.parametrize(("key", "per_page"), [("86x55-8", 8), ("90x54-10", 10), ("a6-4", 4), ("a6-1", 1), ("a4-1", 1)])
def test_each_layout_puts_its_badges_on_the_page_without_overlap(key: str, per_page: int) -> None:
    layout = LAYOUTS[key]
    positions = layout.positions()
    assert layout.per_page == len(positions) == per_page
    w, h = layout.badge
    for x, y in positions:
        assert x >= 0 and x + w <= layout.page[0] + 0.01 and y >= 0 and y + h <= layout.page[1] + 0.01
    boxes = [(x, y, x + w, y + h) for x, y in positions]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] + 0.01 or b[2] <= a[0] + 0.01 or a[3] <= b[1] + 0.01 or b[3] <= a[1] + 0.01


def test_dates_and_hours_are_in_the_event_zone() -> None:
    one_day = event_row_value(
        starts_at=datetime(2030, 6, 12, 8, tzinfo=UTC), ends_at=datetime(2030, 6, 12, 15, 30, tzinfo=UTC)
    )
    assert dates_in_words(one_day) == "Wednesday 12 June 2030"
    assert hours_in_words(event_length(one_day)) == "7.5"
    # 09:00 to 17:00 on three days, in London: 8 hours a day, not 56
    three_days = event_row_value(
        starts_at=datetime(2030, 6, 30, 8, tzinfo=UTC), ends_at=datetime(2030, 7, 2, 16, tzinfo=UTC)
    )
    assert dates_in_words(three_days) == "30 June to 2 July 2030"
    assert hours_in_words(event_length(three_days)) == "24"
    # 23:30 UTC on 31 December is still 31 December in London; in Auckland it is New Year's Day, lunchtime
    new_year = event_row_value(
        starts_at=datetime(2030, 12, 31, 23, 30, tzinfo=UTC), ends_at=datetime(2031, 1, 1, 1, 0, tzinfo=UTC)
    )
    assert dates_in_words(new_year) == "31 December 2030 to 1 January 2031"
    assert hours_in_words(event_length(new_year)) == "1.5"
    assert dates_in_words(replace(new_year, timezone="Pacific/Auckland")) == "Wednesday 1 January 2031"


def test_verification_codes_round_trip_and_any_change_is_refused() -> None:
    digest = codes.digest(["7", "Zoë Ní Bhriain", "National Conference"])
    code = codes.issue(7, digest)
    assert code.startswith("C1.") and len(code) == 53
    assert codes.read(code) == codes.Code(registration_id=7, digest=digest)
    raw = bytearray(base64.urlsafe_b64decode(code[3:] + "=" * (-len(code[3:]) % 4)))
    for position in (1, 4, 6, 20, 30):  # the registration, the digest, the tag
        altered = bytearray(raw)
        altered[position] ^= 1
        with pytest.raises(codes.InvalidCode):
            codes.read("C1." + base64.urlsafe_b64encode(bytes(altered)).rstrip(b"=").decode())
    for bad in (code[:-1], code + "A", "C2." + code[3:], "T1." + code[3:], "C1.!!", "", "C1." + "A" * 200):
        with pytest.raises(codes.InvalidCode):
            codes.read(bad)
    assert codes.digest(["7", "Zoe Ni Bhriain", "National Conference"]) != digest
