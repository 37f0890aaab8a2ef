"""Building feedback forms: from a ready-made template, a copy of another event's form, or the series'
template; questions added, changed, reordered or removed; a form kept as its series' template."""

from __future__ import annotations

import json
import secrets
from dataclasses import replace
from datetime import datetime

from piccolo.custom_types import Combinable

from events_app.accounts import scopes
from events_app.core.calendar_links import absolute
from events_app.core.crud import changes_of, not_found
from events_app.core.database import write_transaction
from events_app.core.errors import ChoiceNeedsTwoOptions, OptionsNotTaken, OptionsRepeated
from events_app.core.rows import Row
from events_app.core.timezones import to_utc, utc_now, zone
from events_app.feedback import schemas
from events_app.feedback.errors import (
    EventInNoSeries,
    FormCloseBeforeOpen,
    FormExists,
    SeriesHasNoTemplate,
    TooManyStartingPoints,
)
from events_app.feedback.rows import FormRow, QuestionDraft
from events_app.feedback.tables import FeedbackAnswer, FeedbackForm, FeedbackQuestion, FeedbackResponse
from events_app.feedback.templates import TEMPLATES
from events_app.programme.events import event_row
from events_app.programme.rows import EventRow
from events_app.programme.series import get_series
from events_app.programme.tables import Event, Series
from events_app.registration.tables import Registration


def open_path(open_token: str) -> str:
    return f"/feedback/open/{open_token}"


def _options(row: Row) -> list[str]:
    value = row["options"]
    return list(json.loads(value) if isinstance(value, str) else value or [])


def _question(row: Row) -> schemas.Question:
    return schemas.Question(
        id=row["id"],
        position=row["position"],
        kind=row["kind"],
        label=row["label"],
        help_text=row["help_text"],
        required=row["required"],
        options=_options(row),
        topic=row["topic"],
        retired_at=row["retired_at"],
    )


def is_open(form: FormRow, now: datetime | None = None) -> bool:
    now = now or utc_now()
    opens, closes = form.opens_at, form.closes_at
    return (opens is None or opens <= now) and (closes is None or now < closes)


async def questions_of(form_id: int, *, include_retired: bool = False) -> list[schemas.Question]:
    """The questions on the form, in order; with `include_retired`, also those retired (after them, for the
    results, the CSV exports and the organisers' editor, which keep their answers)."""
    where: Combinable = FeedbackQuestion.form == form_id
    if not include_retired:
        where = where & FeedbackQuestion.retired_at.is_null()
    rows = (
        await FeedbackQuestion.select().where(where).order_by(FeedbackQuestion.position).order_by(FeedbackQuestion.id)
    )
    questions = [_question(r) for r in rows]
    return [q for q in questions if q.retired_at is None] + [q for q in questions if q.retired_at is not None]


async def form_view(form: FormRow) -> schemas.Form:
    event_slug = None
    if form.event is not None:
        row = await Event.select(Event.slug).where(Event.id == form.event).first()
        event_slug = row["slug"] if row else None
    series_slug = None
    if form.series is not None:
        row = await Series.select(Series.slug).where(Series.id == form.series).first()
        series_slug = row["slug"] if row else None
    return schemas.Form(
        id=form.id,
        event=event_slug,
        series=series_slug,
        title=form.title,
        intro=form.intro,
        anonymous=form.anonymous,
        opens_at=form.opens_at,
        closes_at=form.closes_at,
        open_link=absolute(open_path(form.open_token)),
        is_open=is_open(form),
        questions=await questions_of(form.id),
        open_link_open=form.open_link_closed_at is None,
    )


def checked_question(question: schemas.QuestionIn | QuestionDraft) -> QuestionDraft:
    """A question's values, checked: choice questions need two or more different options; others none."""
    values = (
        question
        if isinstance(question, QuestionDraft)
        else QuestionDraft(
            kind=question.kind,
            label=question.label.strip(),
            help_text=question.help_text.strip(),
            required=question.required,
            options=[o.strip() for o in question.options],
            topic=question.topic,
        )
    )
    options = list(values.options)
    if values.kind in ("single", "multiple"):
        if len(options) < 2:
            raise ChoiceNeedsTwoOptions()
        if len(set(options)) != len(options) or "" in options:
            raise OptionsRepeated()
    elif options:
        kind = values.kind.replace("_", "/")
        raise OptionsNotTaken(kind=kind)
    return values


async def _add_questions(form_id: int, questions: list[QuestionDraft], start: int = 0) -> None:
    if not questions:
        return
    await FeedbackQuestion.insert(
        *[
            FeedbackQuestion(
                form=form_id,
                position=start + n,
                kind=q.kind,
                label=q.label,
                help_text=q.help_text,
                required=q.required,
                options=json.dumps(q.options),
                topic=q.topic,
            )
            for n, q in enumerate(questions)
        ]
    )


def _times(event: EventRow, opens: datetime | None, closes: datetime | None) -> tuple[datetime | None, datetime | None]:
    tz = zone(event.timezone)
    opens_utc = to_utc(opens, tz, field="opens_at") if opens else None
    closes_utc = to_utc(closes, tz, field="closes_at") if closes else None
    if opens_utc and closes_utc and closes_utc <= opens_utc:
        raise FormCloseBeforeOpen()
    return opens_utc, closes_utc


async def _form_row(**where: int | None) -> FormRow | None:
    query = FeedbackForm.select()
    for column, value in where.items():
        query = query.where(FeedbackForm._meta.get_column_by_name(column) == value)
    row = await query.first()
    return FormRow.of(row) if row else None


async def event_form_row(event_slug: str) -> tuple[EventRow, FormRow]:
    event = await event_row(event_slug, include_drafts=True)
    return event, await form_of(event)


async def form_of(event: EventRow) -> FormRow:
    """The feedback form of an event already read (404 when it has none)."""
    form = await _form_row(event=event.id)
    if form is None:
        raise not_found("feedback form for", event.slug)
    return form


async def create_form(event_slug: str, data: schemas.FormCreate) -> schemas.Form:
    event = await event_row(event_slug, include_drafts=True)
    sources = [data.template is not None, data.copy_from_event is not None, data.from_series_template]
    if sum(sources) > 1:
        raise TooManyStartingPoints()
    opens, closes = _times(event, data.opens_at, data.closes_at)
    title, intro, anonymous = data.title, data.intro, data.anonymous
    questions: list[QuestionDraft] = []
    if data.template is not None:
        template_title, template_questions = TEMPLATES[data.template]
        title = title or template_title
        questions = [checked_question(q) for q in template_questions]
    elif data.copy_from_event is not None:
        _, source = await event_form_row(data.copy_from_event)
        questions = [draft_of(q) for q in await questions_of(source.id)]
        title, intro, anonymous = title or source.title, intro or source.intro, anonymous or source.anonymous
    elif data.from_series_template:
        if event.series is None:
            raise EventInNoSeries()
        template = await _form_row(series=event.series)
        if template is None:
            raise SeriesHasNoTemplate()
        questions = [draft_of(q) for q in await questions_of(template.id)]
        title = title or template.title
        intro, anonymous = intro or template.intro, anonymous or template.anonymous
    questions += [checked_question(q) for q in data.questions]
    now = utc_now()
    async with write_transaction():
        if await _form_row(event=event.id) is not None:
            raise FormExists()
        inserted = await FeedbackForm.insert(
            FeedbackForm(
                event=event.id,
                title=title or f"Feedback: {event.title}",
                intro=intro,
                anonymous=anonymous,
                opens_at=opens,
                closes_at=closes,
                open_token=secrets.token_urlsafe(16),
                created_at=now,
                updated_at=now,
            )
        ).returning(FeedbackForm.id)
        form_id = inserted[0]["id"]
        await _add_questions(form_id, questions)
    form = await _form_row(id=form_id)
    assert form is not None
    return await form_view(form)


def draft_of(question: schemas.Question) -> QuestionDraft:
    """A stored question's values, to copy it to another form."""
    return QuestionDraft(
        kind=question.kind,
        label=question.label,
        help_text=question.help_text,
        required=question.required,
        options=list(question.options),
        topic=question.topic,
    )


async def get_form(event_slug: str) -> schemas.Form:
    _, form = await event_form_row(event_slug)
    return await form_view(form)


async def update_form(event_slug: str, data: schemas.FormUpdate) -> schemas.Form:
    event, form = await event_form_row(event_slug)
    changes = changes_of(data)
    tz = zone(event.timezone)
    for field in ("opens_at", "closes_at"):
        if changes.get(field) is not None:
            changes[field] = to_utc(changes[field], tz, field=field)
    opens, closes = changes.get("opens_at", form.opens_at), changes.get("closes_at", form.closes_at)
    if opens and closes and closes <= opens:
        raise FormCloseBeforeOpen()
    now = utc_now()
    if "open_link_open" in changes:
        wanted = changes.pop("open_link_open")
        if wanted != (form.open_link_closed_at is None):
            changes["open_link_closed_at"] = None if wanted else now
    changes["updated_at"] = now
    async with write_transaction():
        await FeedbackForm.update(changes).where(FeedbackForm.id == form.id)
        if changes.get("anonymous") is True and not form.anonymous:
            await detach_responses(form.id)
    return await get_form(event_slug)


async def detach_responses(form_id: int) -> None:
    """A form made anonymous keeps no person on the answers already given: each response loses its registration
    and gets a new random key (the registrations stay marked as having answered, so nobody answers twice)."""
    linked = await FeedbackResponse.select(FeedbackResponse.id, FeedbackResponse.registration).where(
        (FeedbackResponse.form == form_id) & FeedbackResponse.registration.is_not_null()
    )
    if not linked:
        return
    await Registration.update({Registration.feedback_given_to: form_id}).where(
        Registration.id.is_in([r["registration"] for r in linked])
    )
    for response in linked:
        await FeedbackResponse.update(
            {FeedbackResponse.registration: None, FeedbackResponse.respondent_key: secrets.token_hex(32)}
        ).where(FeedbackResponse.id == response["id"])


async def add_question(event_slug: str, data: schemas.QuestionIn) -> schemas.Question:
    _, form = await event_form_row(event_slug)
    values = checked_question(data)
    existing = await questions_of(form.id)
    await _add_questions(form.id, [values], start=(max((q.position for q in existing), default=-1) + 1))
    return (await questions_of(form.id))[-1]


def _forms_in_scope() -> Combinable | None:
    """Forms of the events of the request's scope, and templates of its series (None: all forms)."""
    scope = scopes.active()
    of_event, of_series = scope.owns(FeedbackForm.event), scope.series_filter()
    if of_event is None or of_series is None:
        return None
    return FeedbackForm.series.is_in(Series.select(Series.id).where(of_series)) | of_event


async def _get_question(question_id: int) -> schemas.Question:
    query = FeedbackQuestion.select()
    if (forms := _forms_in_scope()) is not None:
        query = query.where(FeedbackQuestion.form.is_in(FeedbackForm.select(FeedbackForm.id).where(forms)))
    row = await query.where(FeedbackQuestion.id == question_id).first()
    if row is None:
        raise not_found("question", question_id)
    return _question(row)


async def update_question(question_id: int, data: schemas.QuestionUpdate) -> schemas.Question:
    current = await _get_question(question_id)
    changes = changes_of(data)
    wording = {k: v for k, v in changes.items() if k in QuestionDraft.__dataclass_fields__}
    merged = checked_question(replace(draft_of(current), **wording))
    if "options" in changes:
        changes["options"] = json.dumps(merged.options)
    if changes:
        await FeedbackQuestion.update(changes).where(FeedbackQuestion.id == question_id)
    return await _get_question(question_id)


async def delete_question(question_id: int) -> schemas.QuestionRemoved:
    """Remove a question from the form: deleted when nobody answered it; retired when someone did, so that their
    answers stay in the results and the CSV exports."""
    async with write_transaction():
        await _get_question(question_id)
        answers = await FeedbackAnswer.count().where(FeedbackAnswer.question == question_id)
        if answers:
            now = utc_now()
            await FeedbackQuestion.update({FeedbackQuestion.retired_at: now}).where(FeedbackQuestion.id == question_id)
            people = "1 person" if answers == 1 else f"{answers} people"
            message = f"The question is off the form. {people} answered it: their answers stay in the results."
            return schemas.QuestionRemoved(id=question_id, outcome="retired", answers=answers, message=message)
        await FeedbackQuestion.delete().where(FeedbackQuestion.id == question_id)
    return schemas.QuestionRemoved(id=question_id, outcome="deleted", answers=0, message="The question is deleted.")


async def keep_as_series_template(series_slug: str, event_slug: str) -> schemas.Form:
    """Copy an event's form (its questions and settings, not its times) to be its series' template."""
    series = await get_series(series_slug)
    _, source = await event_form_row(event_slug)
    questions = [draft_of(q) for q in await questions_of(source.id)]
    now = utc_now()
    async with write_transaction():
        await FeedbackForm.delete().where(FeedbackForm.series == series.id)
        inserted = await FeedbackForm.insert(
            FeedbackForm(
                series=series.id,
                title=source.title,
                intro=source.intro,
                anonymous=source.anonymous,
                open_token=secrets.token_urlsafe(16),
                created_at=now,
                updated_at=now,
            )
        ).returning(FeedbackForm.id)
        await _add_questions(inserted[0]["id"], questions)
    form = await _form_row(id=inserted[0]["id"])
    assert form is not None
    return await form_view(form)


async def has_form(event_id: int) -> bool:
    """Whether the event has a feedback form yet (the results page offers to create one when not)."""
    return bool(await FeedbackForm.exists().where(FeedbackForm.event == event_id))
