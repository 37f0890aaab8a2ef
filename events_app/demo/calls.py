"""The demo's call: next year's conference (a draft) asks for workshops, and two proposals have come in (their
addresses confirmed), ready to review and decide. Everything through the services, as the pages do it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from events_app.accounts.schemas import CurrentOrganiser, Organiser
from events_app.core import tokens
from events_app.core.timezones import utc_now
from events_app.hub.calls import notify, reviews, schemas, services, submissions
from events_app.hub.calls.tables import Submission
from events_app.programme import events
from events_app.programme import schemas as s
from events_app.registration import schemas as question_schemas

PROPOSALS = (
    (
        "Priya Natarajan",
        "priya.natarajan@example.org",
        "Northfield University",
        "Mentoring that lasts: three years of pairing undergraduates with Year 10 pupils",
        "How a small peer-mentoring scheme kept going after its funding "
        "ended, and what the schools changed because of it.",
        "Teachers and school leaders",
    ),
    (
        "Tom Adeyemi",
        "tom.adeyemi@example.org",
        "Science for All Trust",
        "Open labs on Saturday mornings",
        "A hands-on workshop on running family science sessions in a university lab, with the risk assessment we use.",
        "Outreach staff in universities",
    ),
)


async def call_for_workshops(today: date) -> str:
    """Make next year's conference (a draft), its open call for workshops and two confirmed proposals."""
    year = (today + timedelta(days=70)).year + 1  # the year after the demo's conference (eight weeks ahead)
    event = await events.create_event(
        s.EventCreate(
            title=f"National Conference {year}",
            slug=f"national-conference-{year}",
            kind="conference",
            starts_at=datetime(year, 6, 10, 9, 0),
            ends_at=datetime(year, 6, 10, 17, 0),
        )
    )
    now = utc_now()
    call = await services.create_call(
        schemas.CallIn(
            title=f"Call for workshops: National Conference {year}",
            kind="sessions",
            event_id=event.id,
            status="open",
            opens_at=now - timedelta(days=7),
            closes_at=now + timedelta(days=42),
            description="Run a 60-minute workshop at next year's conference: share what works in widening access "
            "to STEM, with the people who can use it.",
        )
    )
    question = await services.add_question(
        call.id,
        question_schemas.QuestionCreate(
            label="Who is it for?",
            kind="single",
            options=["Teachers and school leaders", "Outreach staff in universities", "Everyone"],
            required=True,
        ),
    )
    for name, email, organisation, title, summary, audience in PROPOSALS:
        await submissions.submit(
            call,
            schemas.SubmissionIn(
                name=name,
                email=email,
                organisation_name=organisation,
                title=title,
                summary=summary,
                session_kind="workshop",
                answers={str(question.id): audience},
            ),
        )
    for row in await Submission.select(Submission.id).where(Submission.call == call.id):
        await submissions.confirm(call, tokens.sign(notify.CONFIRM, row["id"]))
    return call.slug


async def first_review(call_slug: str, admin: Organiser) -> None:
    """The demo admin has scored the first proposal, so the review pages show how reviewing looks (the second
    proposal waits for its first review)."""
    call = await services.get_call(call_slug, public=False)
    first = await Submission.select(Submission.id).where(Submission.call == call.id).order_by(Submission.id).first()
    if first is None:
        return
    reviewer = CurrentOrganiser(user_id=admin.id, email=admin.email, name=admin.name, role=admin.role)
    await reviews.review(
        await submissions.get_submission(call, first["id"]),
        schemas.ReviewIn(score=4, comment="Practical and well aimed at teachers; ask for the evaluation plan."),
        by=reviewer,
    )
