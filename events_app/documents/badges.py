"""Name badges as a PDF: layouts for A4 sheets of common badge and label sizes and one badge per page; on each
badge the name (large, shrunk and wrapped to fit), the organisation, the sector as words on a band of the
sector's colour (never the colour alone), the event, and the ticket's QR code, drawn as vectors."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from events_app.documents.drawing import draw_lines, draw_qr, fit
from events_app.documents.fonts import fonts


@dataclass(frozen=True, slots=True)
class Layout:
    """Badges of `badge` size (points) in a grid of columns x rows, centred on a page of `page` size with the
    given gaps between badges. `cut`: plain paper cut by hand, so the badges' edges are drawn."""

    key: str
    label: str
    page: tuple[float, float]
    badge: tuple[float, float]
    columns: int
    rows: int
    gap: tuple[float, float] = (0.0, 0.0)
    cut: bool = False

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def positions(self) -> list[tuple[float, float]]:
        """Each badge's lower left corner, left to right and top to bottom."""
        (page_w, page_h), (w, h), (gap_x, gap_y) = self.page, self.badge, self.gap
        left = (page_w - self.columns * w - (self.columns - 1) * gap_x) / 2
        top = page_h - (page_h - self.rows * h - (self.rows - 1) * gap_y) / 2
        return [
            (left + column * (w + gap_x), top - (row + 1) * h - row * gap_y)
            for row in range(self.rows)
            for column in range(self.columns)
        ]


A6_LANDSCAPE = (148 * mm, 105 * mm)
LAYOUTS: dict[str, Layout] = {
    layout.key: layout
    for layout in (
        Layout(
            "86x55-8",
            "86 × 55 mm badges, 8 per A4 sheet (2 across, 4 down; Avery L7418 and similar)",
            A4,
            (86 * mm, 55 * mm),
            2,
            4,
            gap=(10 * mm, 10 * mm),
        ),
        Layout(
            "90x54-10",
            "90 × 54 mm, business-card size, 10 per A4 sheet (2 across, 5 down)",
            A4,
            (90 * mm, 54 * mm),
            2,
            5,
        ),
        Layout(
            "a6-4", "A6 (148 × 105 mm), 4 per A4 sheet, cut in quarters", landscape(A4), A6_LANDSCAPE, 2, 2, cut=True
        ),
        Layout("a6-1", "A6 (148 × 105 mm), one badge per page", A6_LANDSCAPE, A6_LANDSCAPE, 1, 1),
        Layout("a4-1", "A4 landscape (297 × 210 mm), one badge per page", landscape(A4), landscape(A4), 1, 1),
    )
}
DEFAULT_LAYOUT = "86x55-8"

# The band's colour by the sector's role (people.tables.StakeholderGroup.sector_role) and the colour of the words
# on it: each pair has a contrast of 4.5:1 or more. The words say the sector; the colour only helps at a glance.
SECTOR_COLOURS: dict[str, tuple[str, str]] = {
    "university": ("#1f4e99", "#ffffff"),
    "civil_society": ("#1b6e34", "#ffffff"),
    "school_college": ("#f2b33d", "#000000"),
    "funder": ("#6a3d9a", "#ffffff"),
    "policy": ("#a4262c", "#ffffff"),
    "employer": ("#006f7a", "#ffffff"),
    "other": ("#595959", "#ffffff"),
}


@dataclass(frozen=True, slots=True)
class Badge:
    name: str
    organisation: str
    sector: str  # the stakeholder group's name, as words on the band
    sector_role: str  # its colour
    ticket: str  # the ticket code, drawn as its QR code
    event_title: str


def _draw_badge(canvas: Canvas, badge: Badge, x: float, y: float, w: float, h: float, *, cut: bool) -> None:
    font = fonts()
    pad = min(w, h) * 0.06
    band = h * 0.2
    fill, ink = SECTOR_COLOURS.get(badge.sector_role, SECTOR_COLOURS["other"])
    canvas.saveState()
    if cut:
        canvas.setStrokeColorRGB(0.75, 0.75, 0.75)
        canvas.setLineWidth(0.5)
        canvas.rect(x, y, w, h, stroke=1, fill=0)
    canvas.setFillColor(HexColor(fill))
    canvas.rect(x, y + h - band, w, band, stroke=0, fill=1)
    canvas.setFillColor(HexColor(ink))
    sector = fit(badge.sector or "Delegate", font.bold, width=w - 2 * pad, largest=band * 0.5, smallest=5, max_lines=1)
    canvas.setFont(font.bold, sector.size)
    canvas.drawString(x + pad, y + h - band / 2 - sector.size * 0.35, sector.lines[0])

    body_top = y + h - band
    qr_size = min(body_top - y, w * 0.42)
    draw_qr(canvas, badge.ticket, x + w - qr_size, y, qr_size)  # its quiet zone is the margin

    canvas.setFillColorRGB(0, 0, 0)
    text_width = w - qr_size - pad
    name = fit(badge.name, font.bold, width=text_width, largest=h * 0.15, smallest=h * 0.05, max_lines=3)
    below = draw_lines(canvas, name, font.bold, x + pad, body_top - pad * 0.8, leading=1.1)
    if badge.organisation:
        organisation = fit(
            badge.organisation, font.regular, width=text_width, largest=h * 0.075, smallest=h * 0.04, max_lines=2
        )
        draw_lines(canvas, organisation, font.regular, x + pad, below - pad * 0.4)
    event = fit(badge.event_title, font.regular, width=text_width, largest=h * 0.045, smallest=h * 0.035, max_lines=1)
    canvas.setFillColorRGB(0.25, 0.25, 0.25)
    canvas.setFont(font.regular, event.size)
    canvas.drawString(x + pad, y + pad * 0.8, event.lines[0])
    canvas.restoreState()


def badges_pdf(badges: Sequence[Badge], layout: Layout, *, title: str, empty_message: str = "") -> bytes:
    """The badges in order, `layout.per_page` to a page; with none, one page that says so (`empty_message`)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=layout.page, pageCompression=1)
    canvas.setTitle(title)
    canvas.setSubject("Name badges")
    if not badges:
        font = fonts()
        canvas.setFont(font.regular, 12)
        text = fit(
            empty_message or "No badges to print.",
            font.regular,
            width=layout.page[0] - 40,
            largest=12,
            smallest=12,
            max_lines=6,
        )
        draw_lines(canvas, text, font.regular, 20, layout.page[1] - 20)
        canvas.showPage()
    positions = layout.positions()
    for start in range(0, len(badges), layout.per_page):
        for badge, (x, y) in zip(badges[start : start + layout.per_page], positions, strict=False):
            _draw_badge(canvas, badge, x, y, *layout.badge, cut=layout.cut)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
