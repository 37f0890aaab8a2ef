"""Results for organisers and funders: each question overall and by stakeholder group, response rates by
group (responses over delegates who attended, in person or online), free text by group; across a series over
time; and the collaboration view (which sectors came, which sessions brought universities and civil-society
organisations into one room, and what people said about working together).

Every figure by group reads the group a registration was made as (`Registration.stakeholder_group`), never the
delegate's record of today, and "who came together" reads each group's sector role, never its name or slug:
so neither a later registration nor a renamed group moves a past figure."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

from events_app.checkin.attended import present_at_sessions, who_attended
from events_app.core.rows import Row
from events_app.feedback import forms, schemas
from events_app.feedback.schemas import Question
from events_app.feedback.tables import FeedbackAnswer, FeedbackForm, FeedbackResponse
from events_app.people.sectors import SectorRole, sector_role
from events_app.people.tables import StakeholderGroup
from events_app.programme.rows import EventRow
from events_app.programme.series import get_series
from events_app.programme.tables import Event, Session
from events_app.registration.tables import Registration, SessionBooking

# A session "brought them together" when people of both these sectors were in it.
TOGETHER: frozenset[SectorRole] = frozenset({"university", "civil_society"})


@dataclass
class Tally:
    """The answers to one question from one group (or everyone)."""

    count: int = 0
    total: int = 0
    distribution: dict[str, int] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)

    @property
    def mean(self) -> float | None:
        return round(self.total / self.count, 2) if self.count else None

    @property
    def percent_yes(self) -> int | None:
        """A yes/no question's share of yes as people read it (71, meaning 71%), not the raw mean 0.71."""
        return percent(self.distribution["yes"], self.count) if "yes" in self.distribution and self.count else None

    def out(self) -> schemas.Tally:
        return schemas.Tally(
            count=self.count,
            mean=self.mean,
            distribution=self.distribution,
            texts=self.texts,
            percent_yes=self.percent_yes,
        )

    def by(self, group: Group) -> schemas.GroupTally:
        return schemas.GroupTally(
            group=group.slug,
            name=group.name,
            count=self.count,
            mean=self.mean,
            distribution=self.distribution,
            texts=self.texts,
            percent_yes=self.percent_yes,
        )


def percent(part: float, whole: float) -> int:
    """71 for 0.71: shares are shown to people as whole percentages."""
    return round(100 * part / whole)


@dataclass(frozen=True, slots=True)
class Group:
    id: int
    slug: str
    name: str


def _empty_distribution(question: Question) -> dict[str, int]:
    if question.kind == "rating":
        return {str(n): 0 for n in range(1, 6)}
    if question.kind == "yes_no":
        return {"yes": 0, "no": 0}
    if question.kind in ("single", "multiple"):
        return dict.fromkeys(question.options, 0)
    return {}


def _add(tally: Tally, question: Question, answer: Row) -> None:
    tally.count += 1
    if question.kind == "rating":
        tally.total += answer["number"]
        tally.distribution[str(answer["number"])] += 1
    elif question.kind == "yes_no":
        tally.total += answer["number"]
        tally.distribution["yes" if answer["number"] else "no"] += 1
    elif question.kind == "single":
        tally.distribution[answer["text"]] = tally.distribution.get(answer["text"], 0) + 1
    elif question.kind == "multiple":
        chosen = json.loads(answer["choices"]) if isinstance(answer["choices"], str) else answer["choices"]
        for option in chosen:
            tally.distribution[option] = tally.distribution.get(option, 0) + 1
    else:
        tally.texts.append(answer["text"])


async def groups() -> list[Group]:
    return [
        Group(**g)
        for g in await StakeholderGroup.select(StakeholderGroup.id, StakeholderGroup.slug, StakeholderGroup.name)
        .order_by(StakeholderGroup.position)
        .order_by(StakeholderGroup.name)
    ]


async def _group_of(registration_ids: list[int]) -> dict[int, int]:
    """registration id -> the stakeholder group id the registration was made as."""
    if not registration_ids:
        return {}
    rows = await Registration.select(Registration.id, Registration.stakeholder_group).where(
        Registration.id.is_in(list(set(registration_ids)))
    )
    return {r["id"]: r["stakeholder_group"] for r in rows}


async def _roles() -> dict[int, SectorRole]:
    """stakeholder group id -> its sector role."""
    rows = await StakeholderGroup.select(StakeholderGroup.id, StakeholderGroup.sector_role)
    return {r["id"]: sector_role(r["sector_role"]) for r in rows}


@dataclass
class Came:
    """Who attended, for one stakeholder group: in person, online, and either way (a person who did both once)."""

    in_person: int = 0
    online: int = 0
    either: int = 0


async def _attended_by_group(event_id: int) -> dict[int, Came]:
    attended = await who_attended(event_id)
    group_of = await _group_of(list(attended.either))
    found: dict[int, Came] = defaultdict(Came)
    for registration_id in attended.either:
        came = found[group_of[registration_id]]
        came.in_person += registration_id in attended.in_person
        came.online += registration_id in attended.online
        came.either += 1
    return dict(found)


async def _registered_by_group(event_id: int) -> dict[int, int]:
    rows = await Registration.select(Registration.stakeholder_group).where(
        (Registration.event == event_id) & (Registration.status == "confirmed")
    )
    found: dict[int, int] = defaultdict(int)
    for r in rows:
        found[r["stakeholder_group"]] += 1
    return dict(found)


async def event_results(event: EventRow, *, include_open_link: bool = True) -> schemas.EventResults:
    """The results; without `include_open_link`, only the answers of people who registered (the emailed link)."""
    form = await forms.form_of(event)
    questions = await forms.questions_of(form.id, include_retired=True)
    all_groups = await groups()
    every = await FeedbackResponse.select(
        FeedbackResponse.id, FeedbackResponse.stakeholder_group, FeedbackResponse.source
    ).where(FeedbackResponse.form == form.id)
    responses = [r for r in every if include_open_link or r["source"] != "open"]
    group_of = {r["id"]: r["stakeholder_group"] for r in responses}
    answers = (
        await FeedbackAnswer.select().where(
            FeedbackAnswer.response.is_in(list(group_of)) & FeedbackAnswer.removed_at.is_null()
        )
        if group_of
        else []
    )
    overall = {q.id: Tally(distribution=_empty_distribution(q)) for q in questions}
    by_group: dict[int, dict[int, Tally]] = {
        q.id: {g.id: Tally(distribution=_empty_distribution(q)) for g in all_groups} for q in questions
    }
    by_id = {q.id: q for q in questions}
    for answer in answers:
        question = by_id.get(answer["question"])
        if question is None:
            continue
        _add(overall[question.id], question, answer)
        _add(by_group[question.id][group_of[answer["response"]]], question, answer)
    attended = await _attended_by_group(event.id)
    responded: dict[int, int] = defaultdict(int)
    for group_id in group_of.values():
        responded[group_id] += 1
    rates = []
    for g in all_groups:
        came = attended.get(g.id, Came())
        rates.append(
            schemas.GroupRate(
                group=g.slug,
                name=g.name,
                responses=responded.get(g.id, 0),
                checked_in=came.in_person,
                rate=round(responded.get(g.id, 0) / came.either, 3) if came.either else None,
                online=came.online,
                attended=came.either,
            )
        )
    return schemas.EventResults(
        event=schemas.ResultEvent(slug=event.slug, title=event.title, starts_at=event.starts_at),
        form=schemas.ResultForm(id=form.id, title=form.title, anonymous=form.anonymous),
        responses=len(group_of),
        checked_in=sum(c.in_person for c in attended.values()),
        rates=rates,
        questions=[
            schemas.QuestionResult(
                id=q.id,
                label=q.label,
                kind=q.kind,
                topic=q.topic,
                overall=overall[q.id].out(),
                by_group=[by_group[q.id][g.id].by(g) for g in all_groups],
                retired=q.retired_at is not None,
            )
            for q in questions
        ],
        open_link_responses=sum(1 for r in every if r["source"] == "open"),
        includes_open_link=include_open_link,
        online=sum(c.online for c in attended.values()),
        attended=sum(c.either for c in attended.values()),
    )


async def series_results(series_slug: str) -> schemas.SeriesResults:
    """Each event of the series with a form, in date order: responses, rate, and the mean of every rating
    question (matched by its wording), so a funder can read the trend."""
    series = await get_series(series_slug)
    events = await Event.select().where(Event.series == series.id).order_by(Event.starts_at)
    rows: list[schemas.SeriesEventResult] = []
    labels: list[str] = []
    kinds: dict[str, schemas.QuestionKind] = {}
    for e in events:
        if not await FeedbackForm.exists().where(FeedbackForm.event == e["id"]):
            continue
        result = await event_results(EventRow.of(e))
        means = {q.label: q.overall.mean for q in result.questions if q.kind == "rating"}
        yes = {q.label: q.overall.percent_yes for q in result.questions if q.kind == "yes_no"}
        labels += [label for label in [*means, *yes] if label not in labels]
        kinds.update({label: "rating" for label in means})  # noqa: C420 - typed as a QuestionKind
        kinds.update({label: "yes_no" for label in yes})  # noqa: C420
        rows.append(
            schemas.SeriesEventResult(
                event=result.event,
                responses=result.responses,
                checked_in=result.checked_in,
                rate=round(result.responses / result.attended, 3) if result.attended else None,
                means=means,
                percent_yes=yes,
                online=result.online,
                attended=result.attended,
            )
        )
    return schemas.SeriesResults(
        series=schemas.SeriesName(slug=series.slug, title=series.title), questions=labels, events=rows, kinds=kinds
    )


async def _sessions_together(event_id: int) -> schemas.SessionsTogether:
    """Sessions where a university and a civil-society organisation were both in the room (people of groups
    whose sector roles are university and civil_society): by who was present (checked in at the session's door or
    joined it online), or by confirmed places where the session has no such record."""
    role_of = await _roles()
    sessions = await Session.select(Session.id, Session.title).where(
        (Session.event == event_id) & (Session.kind != "break")
    )
    present_ids = await present_at_sessions(event_id)
    places = await SessionBooking.select(SessionBooking.session, SessionBooking.registration).where(
        SessionBooking.session.is_in([s["id"] for s in sessions] or [0]) & (SessionBooking.status == "confirmed")
    )
    group_of = await _group_of([r["registration"] for r in places] + [i for ids in present_ids.values() for i in ids])

    def role(registration_id: int) -> SectorRole:
        return role_of.get(group_of.get(registration_id) or 0, "other")

    present = {session: {role(i) for i in ids} for session, ids in present_ids.items()}
    booked: dict[int, set[SectorRole]] = defaultdict(set)
    for row in places:
        booked[row["session"]].add(role(row["registration"]))
    in_the_room = {s["id"]: present.get(s["id"]) or booked.get(s["id"]) or set() for s in sessions}
    together = [s["title"] for s in sessions if in_the_room[s["id"]].issuperset(TOGETHER)]
    return schemas.SessionsTogether(sessions=len(sessions), together=len(together), titles=together)


async def collaboration(event: EventRow) -> schemas.Collaboration:
    all_groups = await groups()
    registered, attended = await _registered_by_group(event.id), await _attended_by_group(event.id)
    answers: list[schemas.QuestionResult] = []
    if await FeedbackForm.exists().where(FeedbackForm.event == event.id):
        answers = [q for q in (await event_results(event)).questions if q.topic == "collaboration"]
    return schemas.Collaboration(
        event=schemas.EventName(slug=event.slug, title=event.title),
        mix=[
            schemas.GroupMix(
                group=g.slug,
                name=g.name,
                registered=registered.get(g.id, 0),
                checked_in=attended.get(g.id, Came()).in_person,
                online=attended.get(g.id, Came()).online,
                attended=attended.get(g.id, Came()).either,
            )
            for g in all_groups
        ],
        sessions=await _sessions_together(event.id),
        answers=answers,
    )


async def series_collaboration(series_slug: str) -> schemas.SeriesCollaboration:
    series = await get_series(series_slug)
    events = await Event.select().where(Event.series == series.id).order_by(Event.starts_at)
    return schemas.SeriesCollaboration(
        series=schemas.SeriesName(slug=series.slug, title=series.title),
        events=[await collaboration(EventRow.of(e)) for e in events],
    )
