"""A certificate of attendance as a PDF (A4 landscape): who attended what, when, for how many hours, the
sessions they attended, the network's name, and the address where anyone can check it, as words and as a
QR code."""

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

MOST_SESSIONS_LISTED = 12


@dataclass(frozen=True, slots=True)
class Certificate:
    name: str
    event_title: str
    dates: str  # in the event's zone, in words: "Wednesday 12 June 2030"
    hours: str  # "7.5"
    sessions: Sequence[str]  # titles, in the order they took place
    network: str
    verify_url: str


def certificate_pdf(certificate: Certificate) -> bytes:
    font = fonts()
    width, height = landscape(A4)
    margin = 18 * mm
    inner = width - 2 * margin
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), pageCompression=1)
    canvas.setTitle(f"Certificate of attendance: {certificate.name}, {certificate.event_title}")
    canvas.setAuthor(certificate.network)
    canvas.setSubject("Certificate of attendance")

    canvas.setStrokeColor(HexColor("#1f4e99"))
    canvas.setLineWidth(3)
    canvas.rect(margin / 2, margin / 2, width - margin, height - margin, stroke=1, fill=0)

    canvas.setFillColor(HexColor("#1f4e99"))
    canvas.setFont(font.bold, 14)
    canvas.drawCentredString(width / 2, height - margin - 14, certificate.network)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(font.bold, 30)
    canvas.drawCentredString(width / 2, height - margin - 58, "Certificate of attendance")
    canvas.setFont(font.regular, 13)
    canvas.drawCentredString(width / 2, height - margin - 88, "This is to certify that")

    y = height - margin - 100
    name = fit(certificate.name, font.bold, width=inner, largest=28, smallest=14, max_lines=2)
    for line in name.lines:
        y -= name.size * 1.15
        canvas.setFont(font.bold, name.size)
        canvas.drawCentredString(width / 2, y, line)
    y -= 24
    canvas.setFont(font.regular, 13)
    canvas.drawCentredString(width / 2, y, "attended")
    event = fit(certificate.event_title, font.bold, width=inner, largest=20, smallest=12, max_lines=2)
    for line in event.lines:
        y -= event.size * 1.2
        canvas.setFont(font.bold, event.size)
        canvas.drawCentredString(width / 2, y, line)
    y -= 22
    canvas.setFont(font.regular, 13)
    canvas.drawCentredString(width / 2, y, f"on {certificate.dates}")
    y -= 18
    canvas.drawCentredString(width / 2, y, f"Hours of attendance: {certificate.hours}")

    qr_size = 38 * mm
    text_width = inner - qr_size - 6 * mm
    _sessions(canvas, certificate.sessions, margin, y - 30, text_width)
    draw_qr(canvas, certificate.verify_url, width - margin - qr_size, margin, qr_size)
    canvas.setFont(font.regular, 9)
    check = fit(
        f"Check that this certificate is genuine at {certificate.verify_url}",
        font.regular,
        width=text_width,
        largest=9,
        smallest=7,
        max_lines=2,
    )
    draw_lines(canvas, check, font.regular, margin, margin + 2 + check.size * 2.3)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _sessions(canvas: Canvas, sessions: Sequence[str], left: float, top: float, width: float) -> None:
    """The sessions attended, in one column, or two when there are many; at most MOST_SESSIONS_LISTED."""
    if not sessions:
        return
    font = fonts()
    canvas.setFont(font.bold, 11)
    canvas.drawString(left, top, "Sessions attended")
    listed = list(sessions[:MOST_SESSIONS_LISTED])
    more = len(sessions) - len(listed)
    lines = [f"• {title}" for title in listed] + ([f"and {more} more"] if more else [])
    columns = 2 if len(lines) > 6 else 1
    column_width = width / columns
    rows = -(-len(lines) // columns)
    for index, line in enumerate(lines):
        column, row = divmod(index, rows)
        fitted = fit(line, font.regular, width=column_width - 4 * mm, largest=10, smallest=8, max_lines=1)
        canvas.setFont(font.regular, fitted.size)
        canvas.drawString(left + column * column_width, top - 14 * (row + 1), fitted.lines[0])
