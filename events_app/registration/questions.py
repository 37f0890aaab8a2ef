"""Organisers' own questions on an event's registration form, and checking the answers to them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from events_app.core.crud import changes_of, not_found
from events_app.core.errors import (
    ChoiceNeedsTwoOptions,
    DomainError,
    InvalidInput,
    OptionsNotTaken,
    OptionsRepeated,
    UnknownQuestion,
)
from events_app.core.rows import Row
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
from events_app.registration.tables import EventQuestion


def _question(row: Row) -> schemas.Question:
    options = row["options"]
    return schemas.Question(
        id=row["id"],
        label=row["label"],
        kind=row["kind"],
        options=json.loads(options) if isinstance(options, str) else list(options),
        required=row["required"],
        help_text=row["help_text"],
        position=row["position"],
    )


async def list_questions(event_id: int) -> list[schemas.Question]:
    rows = await (
        EventQuestion.select()
        .where(EventQuestion.event == event_id)
        .order_by(EventQuestion.position)
        .order_by(EventQuestion.id)
    )
    return [_question(r) for r in rows]


def _check_options(kind: str, options: list[str]) -> list[str]:
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
    options = _check_options(data.kind, data.options)
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
    return _question((await EventQuestion.select().where(EventQuestion.id == row.id))[0])


async def _get_question(question_id: int) -> schemas.Question:
    rows = await EventQuestion.select().where(EventQuestion.id == question_id)
    if not rows:
        raise not_found("question", question_id)
    return _question(rows[0])


async def update_question(question_id: int, data: schemas.QuestionUpdate) -> schemas.Question:
    current = await _get_question(question_id)
    changes = changes_of(data)
    if "options" in changes:
        changes["options"] = json.dumps(_check_options(current.kind, changes["options"]))
    if changes:
        await EventQuestion.update(changes).where(EventQuestion.id == question_id)
    return await _get_question(question_id)


async def delete_question(question_id: int) -> None:
    await _get_question(question_id)
    await EventQuestion.delete().where(EventQuestion.id == question_id)


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
