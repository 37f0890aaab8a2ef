"""Reviewing submissions and deciding on them.

Several reviewers score each submission from 1 to 5 with a comment. A reviewer sees the others' scores and
comments only once they have given their own, so that no one is swayed. An organiser then accepts, declines or
keeps it waiting; the submitter is told by email, once per decision. An accepted proposal becomes a draft session
with its speakers in the event's timetable (programme.sessions, which organisers then schedule); an accepted example
becomes a draft hub resource (hub.services)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast, get_args

from piccolo.query.functions.aggregate import Avg, Count

from events_app.accounts.schemas import CurrentOrganiser
from events_app.core.database import write_transaction
from events_app.core.rows import Row, Values
from events_app.core.timezones import utc_now
from events_app.hub import services as hub
from events_app.hub.calls import notify, schemas, submissions
from events_app.hub.calls.errors import CannotDecide, NotYetConfirmed
from events_app.hub.calls.tables import Review, Submission
from events_app.mail import outbox
from events_app.programme import schemas as programme
from events_app.programme import sessions, speakers
from events_app.programme.events import event_row

DRAFT_LENGTH = timedelta(hours=1)
STATUS_OF = {"accept": "accepted", "decline": "declined", "wait": "waiting"}
DECIDABLE = ("submitted", "waiting")


def _review(row: Row) -> schemas.Review:
    return schemas.Review(
        reviewer_id=row["reviewer"],
        reviewer_name=row["reviewer_name"] or "",
        score=row["score"],
        comment=row["comment"],
        updated_at=row["updated_at"],
    )


async def reviews_for(submission_id: int, reviewer_id: int) -> schemas.Reviews:
    rows = (
        await Review.select(*Review.all_columns(), Review.reviewer.first_name.as_alias("reviewer_name"))
        .where(Review.submission == submission_id)
        .order_by(Review.id)
    )
    found = [_review(r) for r in rows]
    mine = next((r for r in found if r.reviewer_id == reviewer_id), None)
    if mine is None:
        return schemas.Reviews(mine=None, others=[], count=len(found), average=None)
    others = [r for r in found if r.reviewer_id != reviewer_id]
    return schemas.Reviews(mine=mine, others=others, count=len(found), average=sum(r.score for r in found) / len(found))


async def review(submission: schemas.Submission, data: schemas.ReviewIn, *, by: CurrentOrganiser) -> schemas.Reviews:
    """The reviewer's score and comment: a second review by the same reviewer replaces their first."""
    now = utc_now()
    key = f"{submission.id}:{by.user_id}"
    async with write_transaction():  # one statement: two saves at once by the same reviewer leave one review
        await Review.insert(
            Review(
                key=key,
                submission=submission.id,
                reviewer=by.user_id,
                score=data.score,
                comment=data.comment.strip(),
                created_at=now,
                updated_at=now,
            )
        ).on_conflict(target=Review.key, action="DO UPDATE", values=[Review.score, Review.comment, Review.updated_at])
    return await reviews_for(submission.id, by.user_id)


async def listed(call: schemas.Call, reviewer_id: int) -> list[schemas.SubmissionListed]:
    """The call's submissions, newest first, each with how many reviews it has; its average only where this
    reviewer has given theirs."""
    rows = (
        await Submission.select(
            Submission.id,
            Submission.status,
            Submission.name,
            Submission.organisation_name,
            Submission.title,
            Submission.created_at,
        )
        .where(Submission.call == call.id)
        .order_by(Submission.id, ascending=False)
    )
    ids = [r["id"] for r in rows] or [-1]
    stats = {
        r["submission"]: (int(r["n"]), float(r["average"]))
        for r in await Review.select(Review.submission, Count(Review.id, alias="n"), Avg(Review.score, alias="average"))
        .where(Review.submission.is_in(ids))
        .group_by(Review.submission)
    }
    mine = {
        r["submission"]
        for r in await Review.select(Review.submission).where(
            Review.submission.is_in(ids) & (Review.reviewer == reviewer_id)
        )
    }
    return [
        schemas.SubmissionListed(
            id=r["id"],
            status=r["status"],
            name=r["name"],
            organisation_name=r["organisation_name"],
            title=r["title"],
            created_at=r["created_at"],
            reviews=stats.get(r["id"], (0, 0.0))[0],
            average=stats[r["id"]][1] if r["id"] in mine and r["id"] in stats else None,
        )
        for r in rows
    ]


def _draft_times(starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    """Where a draft waits until it is scheduled: at the start of the event, an hour long (or the whole event, if
    shorter), with no room, so it clashes with nothing."""
    return starts_at, min(starts_at + DRAFT_LENGTH, ends_at)


async def _speaker_ids(submission: schemas.Submission) -> list[int]:
    """The proposal's speakers in order, found by contact email or name, else made (with the contact email)."""
    people = submission.speakers or [
        schemas.SubmissionSpeaker(
            name=submission.name, email=submission.email, organisation=submission.organisation_name
        )
    ]
    found: list[int] = []
    for person in people:
        speaker_id = await speakers.find_speaker(email=person.email, name=person.name)
        if speaker_id is None:
            made = await speakers.create_speaker(programme.SpeakerCreate(name=person.name, contact_email=person.email))
            speaker_id = made.id
        if speaker_id not in found:
            found.append(speaker_id)
    return found


async def _draft_session(call: schemas.Call, submission: schemas.Submission) -> int:
    assert call.event_slug is not None
    event = await event_row(call.event_slug, include_drafts=True)
    starts, ends = _draft_times(event.starts_at, event.ends_at)
    known = submission.session_kind in get_args(programme.SessionKind)
    kind = cast(programme.SessionKind, submission.session_kind) if known else "talk"
    made = await sessions.create_session(
        event.slug,
        programme.SessionCreate(
            title=submission.title,
            starts_at=starts,
            ends_at=ends,
            kind=kind,
            status="draft",
            description=submission.summary,
            speakers=[programme.SessionSpeakerIn(speaker_id=i) for i in await _speaker_ids(submission)],
        ),
    )
    return made.id


async def _draft_resource(submission: schemas.Submission) -> int:
    return await hub.create_resource(
        hub.ResourceInput(
            title=submission.title,
            summary=submission.summary[:1000],
            body=submission.summary,
            kind="case_study",
            year=utc_now().year,
        )
    )


async def decide(
    call: schemas.Call, submission_id: int, decision: schemas.Decision, *, by: CurrentOrganiser
) -> schemas.Submission:
    """Accept, decline or keep waiting, in one transaction with what it makes and the submitter's email."""
    async with write_transaction():
        current = await submissions.get_submission(call, submission_id)
        if current.status == "unconfirmed":
            raise NotYetConfirmed()
        if current.status not in DECIDABLE:
            raise CannotDecide(status=current.status)
        status = STATUS_OF[decision]
        values: Values = {"status": status, "decided_at": utc_now(), "decided_by": by.user_id}
        if status == "accepted" and call.kind == "sessions":
            values["session"] = await _draft_session(call, current)
        elif status == "accepted":
            values["resource"] = await _draft_resource(current)
        await Submission.update({**values, "updated_at": utc_now()}).where(Submission.id == submission_id)
        after = await submissions.get_submission(call, submission_id)
        await notify.decided(call, after)
    outbox.wake_sender()
    return after
