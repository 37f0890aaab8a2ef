"""A small slide deck as a PDF (reportlab), for the demo's keynote materials."""

from __future__ import annotations

from io import BytesIO

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas


def slides_pdf(title: str, speaker: str) -> bytes:
    """A two-page slide deck: a title page and one page of points."""
    out = BytesIO()
    canvas = Canvas(out, pagesize=landscape(A4), invariant=True)
    canvas.setTitle(title)
    width, height = landscape(A4)
    canvas.setFont("Helvetica-Bold", 28)
    canvas.drawCentredString(width / 2, height / 2 + 20, title)
    canvas.setFont("Helvetica", 18)
    canvas.drawCentredString(width / 2, height / 2 - 20, speaker)
    canvas.showPage()
    canvas.setFont("Helvetica-Bold", 24)
    canvas.drawString(60, height - 80, "What collaboration adds")
    canvas.setFont("Helvetica", 16)
    points = ("Reach: schools and families no single partner meets", "Trust: shared aims, shared credit")
    for n, point in enumerate(points):
        canvas.drawString(80, height - 140 - n * 36, f"- {point}")
    canvas.showPage()
    canvas.save()
    return out.getvalue()
