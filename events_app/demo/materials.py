"""The demo's materials: the opening keynote's slides (a small PDF made here) and a link to its recording,
added through the materials' services as an organiser would add them."""

from __future__ import annotations

from events_app.demo.slides import slides_pdf
from events_app.hub.materials import services as materials
from events_app.hub.materials.schemas import MaterialLinkCreate
from events_app.programme.tables import Event, Session

KEYNOTE_PREFIX = "Opening keynote"


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
