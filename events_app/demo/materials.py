"""The demo's materials: the opening keynote's slides (a small PDF made here) and a link to its recording,
added through the materials' services as an organiser would add them."""

from __future__ import annotations

from io import BytesIO

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from events_app.hub.materials import services as materials
from events_app.hub.materials.schemas import MaterialLinkCreate
from events_app.programme.tables import Event, Session

KEYNOTE_PREFIX = "Opening keynote"


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


async def keynote_materials() -> None:
    """Public slides and a public recording link on the conference's opening keynote."""
    event = await Event.select(Event.id).where(Event.kind == "conference").order_by(Event.id).first()
    if event is None:
        return
    keynote = await (
        Session.select(Session.id, Session.title)
        .where((Session.event == event["id"]) & Session.title.like(f"{KEYNOTE_PREFIX}%"))
        .first()
    )
    if keynote is None:
        return
    target = await materials.session_target(keynote["id"])
    await materials.add_file(
        target,
        {"title": "Keynote slides", "visibility": "public"},
        upload_name="opening-keynote-slides.pdf",
        data=slides_pdf(keynote["title"], "Professor Amara Okafor"),
    )
    await materials.add_link(
        target,
        MaterialLinkCreate(
            title="Recording of the keynote", url="https://video.example.org/national-conference/opening-keynote"
        ),
    )
