"""Organisers' own questions on an event's registration form, and checking the answers to them."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from events_app.accounts import scopes
from events_app.core.crud import changes_of, not_found
from events_app.core.database import read_rows, write_transaction
from events_app.core.errors import (
    ChoiceNeedsTwoOptions,
    DomainError,
    InvalidInput,
    OptionsNotTaken,
    OptionsRepeated,
    UnknownQuestion,
)
from events_app.core.ordering import moved
from events_app.core.rows import Row
from events_app.core.timezones import utc_now
from events_app.core.validation import FieldError, InvalidFields, errors_of
from events_app.programme.rows import EventRow
from events_app.registration import schemas
from events_app.registration.errors import (
    AnswerRequired,
    ChooseAtLeastOne,
    ChooseOneAnswer,
    NotOneOfTheAnswers,
    TextAnswerExpected,
)
from events_app.registration.tables import EventQuestion, Registration


def question_of_row(row: Row) -> schemas.Question:
    """A question as stored (an event's, or a call's: the same columns) as the services hand it on."""
    options = row["options"]
    return schemas.Question(
        id=row["id"],
        label=row["label"],
        kind=row["kind"],
        options=json.loads(options) if isinstance(options, str) else list(options),
        required=row["required"],
        help_text=row["help_text"],
        position=row["position"],
        retired_at=row["retired_at"],
    )


_QUESTIONS = (
    "SELECT id, label, kind, options, required, help_text, position, retired_at FROM event_question WHERE event = {}"
)
_NOT_RETIRED = " AND retired_at IS NULL"
_IN_ORDER = " ORDER BY position, id"


async def list_questions(event_id: int, *, include_retired: bool = False) -> list[schemas.Question]:
    """The questions on the event's form, in order; with `include_retired`, also those retired (after them, for
    the CSV export and the organisers' editor, which keep their answers)."""
    # Written out: every registration (every batch of a rush) reads the form's questions.
    rows = await read_rows(_QUESTIONS + ("" if include_retired else _NOT_RETIRED) + _IN_ORDER, event_id)
    questions = [question_of_row(r) for r in rows]
    return [q for q in questions if q.retired_at is None] + [q for q in questions if q.retired_at is not None]


async def question_of_event(event_id: int, question_id: int) -> schemas.Question:
    """One question of this event's form (404 for a question of another event, as for none)."""
    row = await EventQuestion.select().where((EventQuestion.id == question_id) & (EventQuestion.event == event_id))
    if not row:
        raise not_found("question", question_id)
    return question_of_row(row[0])


def _answers_of(value: object) -> dict[str, object]:
    loaded = json.loads(value) if isinstance(value, str) else value
    return loaded if isinstance(loaded, dict) else {}


async def answer_counts(event_id: int) -> dict[int, int]:
    """How many registrations answered each question of the event (any status: a cancelled one's answers are
    still in the export)."""
    counts: dict[int, int] = {}
    for row in await Registration.select(Registration.answers).where(Registration.event == event_id):
        for key, value in _answers_of(row["answers"]).items():
            if key.isdigit() and value not in (None, "", []):
                counts[int(key)] = counts.get(int(key), 0) + 1
    return counts


async def responses_count(event_id: int) -> int:
    """Registrations made through the form so far: a change to its questions is a change under their feet."""
    return int(await Registration.count().where(Registration.event == event_id))


def kept_answers(before: object, active: list[schemas.Question]) -> dict[str, str | list[str]]:
    """A registration's answers to questions no longer on the form (retired): they stay when the person changes
    the answers the form still asks."""
    asked = {str(q.id) for q in active}
    # Untyped on purpose: stored answers are checked text or lists of choices
    return {k: v for k, v in _answers_of(before).items() if k not in asked and isinstance(v, str | list)}


def check_options(kind: str, options: list[str]) -> list[str]:
    cleaned = [o.strip() for o in options]
    if kind == "text":
        if cleaned:
            raise OptionsNotTaken(kind="text")
        return []
    if len(cleaned) < 2:
        raise ChoiceNeedsTwoOptions()
    if len(set(cleaned)) != len(cleaned) or "" in cleaned:
        raise OptionsRepeated()
    return cleaned


async def add_question(event: EventRow, data: schemas.QuestionCreate) -> schemas.Question:
    options = check_options(data.kind, data.options)
    row = EventQuestion(
        event=event.id,
        label=data.label.strip(),
        kind=data.kind,
        options=json.dumps(options),
        required=data.required,
        help_text=data.help_text,
        position=data.position,
    )
    await row.save()
    return question_of_row((await EventQuestion.select().where(EventQuestion.id == row.id))[0])


async def _get_question(question_id: int) -> schemas.Question:
    query = scopes.where(EventQuestion.select(), scopes.active().owns(EventQuestion.event))
    rows = await query.where(EventQuestion.id == question_id)
    if not rows:
        raise not_found("question", question_id)
    return question_of_row(rows[0])


async def update_question(question_id: int, data: schemas.QuestionUpdate) -> schemas.Question:
    current = await _get_question(question_id)
    changes = changes_of(data)
    if "options" in changes:
        changes["options"] = json.dumps(check_options(current.kind, changes["options"]))
    if changes:
        await EventQuestion.update(changes).where(EventQuestion.id == question_id)
    return await _get_question(question_id)


async def delete_question(question_id: int) -> schemas.QuestionRemoved:
    """Remove a question from the form: deleted when nobody answered it; retired when someone did, so that their
    answers stay in the registrations and the CSV export."""
    async with write_transaction():
        query = scopes.where(EventQuestion.select(EventQuestion.event), scopes.active().owns(EventQuestion.event))
        row = await query.where(EventQuestion.id == question_id).first()
        if row is None:
            raise not_found("question", question_id)
        answers = (await answer_counts(row["event"])).get(question_id, 0)
        if answers:
            await EventQuestion.update({EventQuestion.retired_at: utc_now()}).where(EventQuestion.id == question_id)
            return schemas.QuestionRemoved(
                id=question_id, outcome="retired", answers=answers, message=_retired_message(answers)
            )
        await EventQuestion.delete().where(EventQuestion.id == question_id)
    return schemas.QuestionRemoved(id=question_id, outcome="deleted", answers=0, message="The question is deleted.")


def _retired_message(answers: int) -> str:
    people = "1 person" if answers == 1 else f"{answers} people"
    return f"The question is off the form. {people} answered it: their answers stay in the results and exports."


async def move_question(event_id: int, question_id: int, step: int) -> None:
    """Move a question one place up (-1) or down (1) the form; the first stays first, the last last. The form's
    questions are numbered afresh 0, 1, 2 ... so that equal positions cannot hide a move."""
    async with write_transaction():
        order = moved([q.id for q in await list_questions(event_id)], question_id, step)
        if order is None:
            raise not_found("question", question_id)
        for position, each in enumerate(order):
            await EventQuestion.update({EventQuestion.position: position}).where(EventQuestion.id == each)


def _text(question: schemas.Question, value: Any, field: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TextAnswerExpected(label=question.label, field=field)
    text = (value or "").strip()
    if question.required and not text:
        raise AnswerRequired(label=question.label, field=field)
    return text or None


def _single(question: schemas.Question, value: Any, field: str) -> str | None:
    if isinstance(value, list):
        raise ChooseOneAnswer(label=question.label, field=field)
    if not value:
        if question.required:
            raise AnswerRequired(label=question.label, field=field)
        return None
    if value not in question.options:
        raise NotOneOfTheAnswers(value=value, label=question.label, field=field)
    return str(value)


def _multiple(question: schemas.Question, value: Any, field: str) -> list[str] | None:
    chosen = [c for c in ([value] if isinstance(value, str) else list(value or [])) if c]
    if question.required and not chosen:
        raise ChooseAtLeastOne(label=question.label, field=field)
    for choice in chosen:
        if choice not in question.options:
            raise NotOneOfTheAnswers(value=choice, label=question.label, field=field)
    return list(dict.fromkeys(chosen)) or None


_CHECKS = {"text": _text, "single": _single, "multiple": _multiple}


def checked_answers(questions: list[schemas.Question], answers: Mapping[str, object]) -> dict[str, str | list[str]]:
    """Answers keyed by question id, each checked against its question; every wrong answer is named at once
    (as `answers.<id>`), so a person fixes them all in one go. One wrong answer keeps its own code."""
    known = {str(q.id): q for q in questions}
    refusals: list[InvalidInput] = [
        UnknownQuestion(key=key, field=f"answers.{key}") for key in answers if key not in known
    ]
    result: dict[str, str | list[str]] = {}
    for key, question in known.items():
        try:
            checked = _CHECKS[question.kind](question, answers.get(key), f"answers.{key}")
        except InvalidInput as exc:
            refusals.append(exc)
            continue
        if checked is not None:
            result[key] = checked
    if len(refusals) == 1:
        raise refusals[0]
    if refusals:
        errors = [FieldError(r.field or "answers", r.detail) for r in refusals]
        raise InvalidFields(errors, status_code=InvalidInput.status_code)
    return result


# Untyped on purpose: answers as sent, before they are checked (text or lists of choices, keyed by question id)
def answer_errors(questions: list[schemas.Question], answers: dict[str, Any]) -> list[FieldError]:
    """Every wrong answer (none when all are right): for a form to show beside its other wrong fields."""
    try:
        checked_answers(questions, answers)
    except DomainError as exc:
        return errors_of(exc)
    return []


def answers_from_form(
    form: Any, questions: Sequence[schemas.Question], text: Callable[[str, int], str]
) -> dict[str, Any]:
    """A posted form's answers by question id, as the pages of registration and of calls read them: a
    'multiple' question's ticked options (30 at most), another's text as the caller's `text` reads a field."""
    answers: dict[str, Any] = {}
    for q in questions:
        key = f"q{q.id}"
        if q.kind == "multiple":
            chosen = [str(v)[:200] for v in form.getall(key, [])][:30]
            if chosen:
                answers[str(q.id)] = chosen
        elif form.get(key):
            answers[str(q.id)] = text(key, 2000)
    return answers
