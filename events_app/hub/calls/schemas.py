"""What calls take in and give out: the call, a submission (a proposal or an example), a review, a decision."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from events_app.core.schema import EmailAddress, Id, LongText, Name, Normalised, Slug
from events_app.programme.schemas import SessionKind

CallKind = Literal["sessions", "examples"]
CallStatus = Literal["draft", "open", "closed"]
SubmissionStatus = Literal["unconfirmed", "submitted", "accepted", "declined", "waiting"]
Decision = Literal["accept", "decline", "wait"]
Score = Annotated[int, Meta(ge=1, le=5, description="a whole number from 1 to 5")]
Title = Annotated[str, Meta(min_length=1, max_length=200)]
OrganisationText = Annotated[str, Meta(max_length=200)]
Answers = Annotated[dict[str, Any], Meta(max_length=50)]

KIND_LABELS: dict[str, str] = {"sessions": "Session proposals for an event", "examples": "Good-practice examples"}
STATUS_LABELS: dict[str, str] = {"draft": "Draft", "open": "Open", "closed": "Closed"}
SUBMISSION_LABELS: dict[str, str] = {
    "unconfirmed": "Email not yet confirmed",
    "submitted": "Submitted",
    "accepted": "Accepted",
    "declined": "Declined",
    "waiting": "Kept waiting",
}


class CallIn(msgspec.Struct, forbid_unknown_fields=True):
    """A call as organisers write it. Times may be naive: wall-clock in the event's zone (else Europe/London)."""

    title: Title
    kind: CallKind
    description: LongText = ""
    event_id: Id | None = None  # the event a session call fills (required for "sessions")
    status: CallStatus = "draft"
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    slug: Slug | None = None


class Call(msgspec.Struct):
    id: int
    slug: str
    kind: CallKind
    title: str
    description: str
    event_id: int | None
    event_slug: str | None
    event_title: str | None
    timezone: str
    status: CallStatus
    opens_at: datetime | None  # in the call's zone
    closes_at: datetime | None
    takes_submissions: bool  # open now: between its opening and closing times
    url: str


class SpeakerIn(Normalised, forbid_unknown_fields=True):
    name: Name
    email: EmailAddress
    organisation: OrganisationText = ""


Speakers = Annotated[list[SpeakerIn], Meta(max_length=6)]


class SubmissionIn(Normalised, forbid_unknown_fields=True):
    """A proposal or an example as its submitter sends it; `answers` are to the call's own questions."""

    name: Name
    email: EmailAddress
    title: Title
    summary: Annotated[str, Meta(min_length=1, max_length=5000)]
    organisation_name: OrganisationText = ""
    session_kind: SessionKind | None = None  # asked on a call for sessions
    speakers: Speakers = []
    answers: Answers = {}


class SubmissionSpeaker(msgspec.Struct):
    name: str
    email: str
    organisation: str


class Submission(msgspec.Struct):
    id: int
    call: str
    status: SubmissionStatus
    email: str
    name: str
    organisation_name: str
    title: str
    summary: str
    session_kind: str
    speakers: list[SubmissionSpeaker]
    answers: dict[str, str | list[str]]
    created_at: datetime
    updated_at: datetime
    decided_at: datetime | None
    session_id: int | None
    resource_id: int | None


class ReviewIn(msgspec.Struct, forbid_unknown_fields=True):
    score: Score
    comment: Annotated[str, Meta(max_length=5000)] = ""


class Review(msgspec.Struct):
    reviewer_id: int
    reviewer_name: str
    score: int
    comment: str
    updated_at: datetime


class Reviews(msgspec.Struct):
    """What a reviewer may see of a submission's reviews: their own, and the others' only once they gave theirs."""

    mine: Review | None
    others: list[Review]  # empty until `mine` is given
    count: int  # how many reviews there are, mine included (always shown)
    average: float | None  # of every score, once `mine` is given


class DecisionIn(msgspec.Struct, forbid_unknown_fields=True):
    decision: Decision


class SubmissionListed(msgspec.Struct):
    """A submission as the organisers' list shows it."""

    id: int
    status: SubmissionStatus
    name: str
    organisation_name: str
    title: str
    created_at: datetime
    reviews: int
    average: float | None  # only when the reader has reviewed it
