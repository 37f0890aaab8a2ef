"""What organisers send to build forms, and what the forms and answers look like."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from events_app.core.schema import Position, Slug

QuestionKind = Literal["rating", "single", "multiple", "text", "yes_no"]
TemplateName = Literal["conference", "seminar", "forum_meeting"]
Label = Annotated[str, Meta(min_length=1, max_length=300)]
Help = Annotated[str, Meta(max_length=500)]
Option = Annotated[str, Meta(min_length=1, max_length=200)]
Options = Annotated[list[Option], Meta(max_length=20)]
Topic = Annotated[str, Meta(max_length=40, pattern=r"^[a-z_]*$")]


class QuestionIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: QuestionKind
    label: Label
    help_text: Help = ""
    required: bool = False
    options: Options = []
    topic: Topic = ""


class QuestionUpdate(msgspec.Struct, forbid_unknown_fields=True):
    label: Label | UnsetType = UNSET
    help_text: Help | UnsetType = UNSET
    required: bool | UnsetType = UNSET
    options: Options | UnsetType = UNSET
    position: Position | UnsetType = UNSET
    topic: Topic | UnsetType = UNSET


class FormCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new form for an event: from a ready-made template, a copy of another event's form or of the
    series' template, or empty; plus any questions of its own."""

    title: Annotated[str, Meta(min_length=1, max_length=200)] | None = None
    intro: Annotated[str, Meta(max_length=5000)] = ""
    anonymous: bool = False
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    template: TemplateName | None = None
    copy_from_event: Slug | None = None
    from_series_template: bool = False
    questions: Annotated[list[QuestionIn], Meta(max_length=50)] = []


class FormUpdate(msgspec.Struct, forbid_unknown_fields=True):
    title: Annotated[str, Meta(min_length=1, max_length=200)] | UnsetType = UNSET
    intro: Annotated[str, Meta(max_length=5000)] | UnsetType = UNSET
    anonymous: bool | UnsetType = UNSET
    opens_at: datetime | UnsetType | None = UNSET
    closes_at: datetime | UnsetType | None = UNSET
    open_link_open: bool | UnsetType = UNSET  # false: the open link takes no more answers


class Question(msgspec.Struct):
    id: int
    position: int
    kind: QuestionKind
    label: str
    help_text: str
    required: bool
    options: list[str]
    topic: str
    retired_at: datetime | None = None  # set: off the form, kept because people answered it


class AnswerRemoved(msgspec.Struct):
    """A written answer an organiser deleted: blanked, and out of the results and exports."""

    id: int
    message: str


class QuestionRemoved(msgspec.Struct):
    """What removing a question did: deleted (nobody had answered it) or retired (its answers stay in the
    results and the CSV exports; it leaves the form)."""

    id: int
    outcome: Literal["deleted", "retired"]
    answers: int
    message: str


class Form(msgspec.Struct):
    id: int
    event: str | None
    series: str | None
    title: str
    intro: str
    anonymous: bool
    opens_at: datetime | None
    closes_at: datetime | None
    open_link: str
    is_open: bool
    questions: list[Question]
    open_link_open: bool = True  # false: the organisers closed the open link


class SeriesTemplate(msgspec.Struct, forbid_unknown_fields=True):
    """Keep an event's form as its series' template (replacing any earlier one)."""

    event: Slug


Answer = (
    Annotated[int, Meta(ge=-1_000_000, le=1_000_000)]
    | bool
    | Annotated[str, Meta(max_length=5000)]
    | Annotated[list[Annotated[str, Meta(max_length=200)]], Meta(max_length=20)]
    | None
)


class ResponseIn(msgspec.Struct, forbid_unknown_fields=True):
    """Answers keyed by question id. `stakeholder_group` is asked on open links (people who did not
    register); from an emailed link it comes from the registration."""

    answers: Annotated[dict[str, Answer], Meta(max_length=60)]
    stakeholder_group: Slug | None = None


AnswerOut = int | bool | str | list[str] | None


class ResponseOut(msgspec.Struct):
    id: int
    form_id: int
    stakeholder_group: str
    submitted_at: datetime
    updated_at: datetime
    answers: dict[str, AnswerOut]
    editable_until: datetime | None
    message: str
    # An anonymous form's answers are tied to nobody: this random key, handed to the person who answered (and kept
    # by their browser as a cookie), is the only way to change them. None on named forms and open links.
    edit_key: str | None = None


# Results ----------------------------------------------------------------------------------------


class Tally(msgspec.Struct):
    """The answers to one question from one group (or everyone). `mean`: of ratings (1 to 5), or the share
    answering yes (0 to 1) for a yes/no question."""

    count: int
    mean: float | None
    distribution: dict[str, int]  # answer -> how many gave it
    texts: list[str]
    percent_yes: int | None = None  # a yes/no question's share of yes as people read it: 71 (%), not 0.71


class GroupTally(Tally, kw_only=True):
    group: str  # the stakeholder group's slug
    name: str


class QuestionResult(msgspec.Struct):
    id: int
    label: str
    kind: QuestionKind
    topic: str
    overall: Tally
    by_group: list[GroupTally]
    retired: bool = False  # off the form now; its answers are still counted here


class GroupRate(msgspec.Struct):
    """Responses over delegates who attended (in person or online, each person once), for one stakeholder group:
    `checked_in` came in person, `online` joined online, `attended` either way."""

    group: str
    name: str
    responses: int
    checked_in: int
    rate: float | None
    online: int = 0
    attended: int = 0


class ResultEvent(msgspec.Struct):
    slug: str
    title: str
    starts_at: datetime


class ResultForm(msgspec.Struct):
    id: int
    title: str
    anonymous: bool


class EventResults(msgspec.Struct):
    event: ResultEvent
    form: ResultForm
    responses: int
    checked_in: int
    rates: list[GroupRate]
    questions: list[QuestionResult]
    open_link_responses: int = 0  # answers from the open link (people who say which sector they are here for)
    includes_open_link: bool = True  # false: the figures above leave the open link's answers out
    online: int = 0  # joined online
    attended: int = 0  # in person or online, each person once: what the rate divides by


class SeriesName(msgspec.Struct):
    slug: str
    title: str


class SeriesEventResult(msgspec.Struct):
    event: ResultEvent
    responses: int
    checked_in: int
    rate: float | None
    means: dict[str, float | None]  # a rating question's wording -> its mean
    percent_yes: dict[str, int | None] = {}  # a yes/no question's wording -> its share of yes (71 for 71%)
    online: int = 0
    attended: int = 0  # in person or online: what the rate divides by


class SeriesResults(msgspec.Struct):
    series: SeriesName
    questions: list[str]  # the wordings in `means` and `percent_yes`, in the order first met
    events: list[SeriesEventResult]
    kinds: dict[str, QuestionKind] = {}  # each wording's kind: "rating" or "yes_no"


class EventName(msgspec.Struct):
    slug: str
    title: str


class GroupMix(msgspec.Struct):
    """One sector at an event: registered, came in person (`checked_in`), joined online, attended either way."""

    group: str
    name: str
    registered: int
    checked_in: int
    online: int = 0
    attended: int = 0


class SessionsTogether(msgspec.Struct):
    """Sessions where a university and a civil-society organisation (by their groups' sector roles) were in the room
    together."""

    sessions: int
    together: int
    titles: list[str]


class Collaboration(msgspec.Struct):
    event: EventName
    mix: list[GroupMix]
    sessions: SessionsTogether
    answers: list[QuestionResult]  # the questions on collaboration


class SeriesCollaboration(msgspec.Struct):
    series: SeriesName
    events: list[Collaboration]
