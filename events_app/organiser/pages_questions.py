"""The editors of an event's own questions: on its registration form and on its feedback form. Add, change,
move up or down, remove (a question people answered is retired, its answers kept); a form people have already
answered asks before a change is saved."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery
from litestar.response import Template

from events_app.accounts.guards import requires_organiser
from events_app.core.errors import DomainError
from events_app.core.params import PathId
from events_app.core.validation import FieldError, check
from events_app.feedback import editing, forms
from events_app.feedback import schemas as feedback_schemas
from events_app.organiser.forms import form_values, with_notice
from events_app.organiser.places_forms import error_context
from events_app.organiser.question_forms import (
    FEEDBACK_KINDS,
    MOVES,
    QUESTION_LABELS,
    REGISTRATION_KINDS,
    Editor,
    StoredQuestion,
    must_confirm,
    question_errors,
    question_values,
    shown_values,
)
from events_app.programme.dependencies import EVENT, PathEvent
from events_app.programme.rows import EventRow
from events_app.registration import questions
from events_app.registration import schemas as registration_schemas


def _registration_editor(event: EventRow) -> Editor:
    path = f"/organiser/events/{event.slug}/questions"
    return Editor("registration form", "registration", path, REGISTRATION_KINDS, topics=False)


def _feedback_editor(event: EventRow) -> Editor:
    path = f"/organiser/events/{event.slug}/feedback-questions"
    return Editor("feedback form", "response", path, FEEDBACK_KINDS, topics=True)


NOT_CONFIRMED = FieldError("delete-submit", "Press 'Yes, remove this question' to confirm: nothing has changed yet")


def _removal_confirmed(form: Mapping[str, str]) -> bool:
    """Removing is the second step of the remove box, which says what becomes of the answers."""
    return form.get("confirmed") == "yes"


def _moved(form: Mapping[str, str]) -> int | None:
    return MOVES.get(form.get("direction", ""))


def _list_page(
    editor: Editor,
    event: EventRow,
    everything: Sequence[StoredQuestion],
    counts: tuple[dict[int, int], int],
    *,
    values: Mapping[str, str] | None = None,
    errors: list[FieldError] | None = None,
    notice: str | None = None,
    confirm: bool = False,
    has_form: bool = True,
) -> Template:
    answers, responses = counts
    return Template(
        "organiser/questions.html",
        context={
            "editor": editor,
            "event": event,
            "questions": [q for q in everything if getattr(q, "retired_at", None) is None],
            "retired": [q for q in everything if getattr(q, "retired_at", None) is not None],
            "answers": answers,
            "responses": responses,
            "kind_names": dict(editor.kinds),
            "values": values or {"kind": editor.kinds[0][0]},
            "notice": notice,
            "confirm": confirm,
            "has_form": has_form,
            **error_context(errors or []),
        },
        status_code=400 if errors else 200,
    )


def _edit_page(
    editor: Editor,
    event: EventRow,
    question: StoredQuestion,
    question_id: int,
    counts: tuple[int, int],
    *,
    values: Mapping[str, str] | None = None,
    errors: list[FieldError] | None = None,
    confirm: bool = False,
) -> Template:
    answered, responses = counts
    return Template(
        "organiser/question_edit.html",
        context={
            "editor": editor,
            "event": event,
            "question": question,
            "question_id": question_id,
            "kind_names": dict(editor.kinds),
            "answered": answered,
            "responses": responses,
            "values": values if values is not None else shown_values(question),
            "confirm": confirm,
            **error_context(errors or []),
        },
        status_code=400 if errors else 200,
    )


class RegistrationQuestionPages(Controller):
    path = "/organiser/events/{slug:str}/questions"
    include_in_schema = False
    guards = [requires_organiser]
    dependencies = EVENT

    async def _counts(self, event: EventRow) -> tuple[dict[int, int], int]:
        return await questions.answer_counts(event.id), await questions.responses_count(event.id)

    async def _list(self, event: EventRow, **kwargs: Any) -> Template:
        everything = await questions.list_questions(event.id, include_retired=True)
        return _list_page(_registration_editor(event), event, everything, await self._counts(event), **kwargs)

    @get("/", name="organiser-questions")
    async def show(self, event: PathEvent, notice: FromQuery[str | None] = None) -> Template:
        return await self._list(event, notice=notice)

    @post("/", status_code=303)
    async def add(self, request: Request[Any, Any, Any], event: PathEvent) -> Response[Any]:
        form = await form_values(request)
        asked = await questions.list_questions(event.id)
        values = question_values(form, adding=True, topics=False)
        values["position"] = max((q.position for q in asked), default=-1) + 1
        try:
            data = check(values, registration_schemas.QuestionCreate, QUESTION_LABELS, strict=False)
            if must_confirm(form, await questions.responses_count(event.id)):
                return await self._list(event, values=form, confirm=True)
            added = await questions.add_question(event, data)
        except DomainError as exc:
            return await self._list(event, values=form, errors=question_errors(exc))
        return with_notice(_registration_editor(event).path, f"'{added.label}' added at the end of the form")

    async def _edit(self, event: EventRow, question_id: int, **kwargs: Any) -> Template:
        question = await questions.question_of_event(event.id, question_id)
        answered, responses = await self._counts(event)
        counts = (answered.get(question_id, 0), responses)
        return _edit_page(_registration_editor(event), event, question, question_id, counts, **kwargs)

    @get("/{question_id:int}/edit", name="organiser-question")
    async def edit(self, event: PathEvent, question_id: PathId) -> Template:
        return await self._edit(event, question_id)

    @post("/{question_id:int}/edit", status_code=303)
    async def save(self, request: Request[Any, Any, Any], event: PathEvent, question_id: PathId) -> Response[Any]:
        await questions.question_of_event(event.id, question_id)
        form = await form_values(request)
        values = question_values(form, adding=False, topics=False)
        try:
            data = check(values, registration_schemas.QuestionUpdate, QUESTION_LABELS, strict=False)
            if must_confirm(form, await questions.responses_count(event.id)):
                return await self._edit(event, question_id, values=form, confirm=True)
            saved = await questions.update_question(question_id, data)
        except DomainError as exc:
            return await self._edit(event, question_id, values=form, errors=question_errors(exc))
        return with_notice(_registration_editor(event).path, f"'{saved.label}' saved")

    @post("/{question_id:int}/move", status_code=303)
    async def move(self, request: Request[Any, Any, Any], event: PathEvent, question_id: PathId) -> Response[Any]:
        question = await questions.question_of_event(event.id, question_id)
        step = _moved(await form_values(request))
        if step is None:
            return await self._list(event, errors=[FieldError(f"move-{question_id}", "Move: choose up or down")])
        await questions.move_question(event.id, question_id, step)
        direction = "up" if step < 0 else "down"
        return with_notice(_registration_editor(event).path, f"'{question.label}' moved {direction}")

    @post("/{question_id:int}/delete", status_code=303)
    async def remove(self, request: Request[Any, Any, Any], event: PathEvent, question_id: PathId) -> Response[Any]:
        await questions.question_of_event(event.id, question_id)
        if not _removal_confirmed(await form_values(request)):
            return await self._edit(event, question_id, errors=[NOT_CONFIRMED])
        removed = await questions.delete_question(question_id)
        return with_notice(_registration_editor(event).path, removed.message)


class FeedbackQuestionPages(Controller):
    path = "/organiser/events/{slug:str}/feedback-questions"
    include_in_schema = False
    guards = [requires_organiser]
    dependencies = EVENT

    async def _list(self, event: EventRow, **kwargs: Any) -> Template:
        editor = _feedback_editor(event)
        form = await editing.form_or_none(event)
        if form is None:
            return _list_page(editor, event, [], ({}, 0), has_form=False, **kwargs)
        everything = await forms.questions_of(form.id, include_retired=True)
        counts = (await editing.answer_counts(form), await editing.responses_count(form))
        return _list_page(editor, event, everything, counts, **kwargs)

    @get("/", name="organiser-feedback-questions")
    async def show(self, event: PathEvent, notice: FromQuery[str | None] = None) -> Template:
        return await self._list(event, notice=notice)

    @post("/", status_code=303)
    async def add(self, request: Request[Any, Any, Any], event: PathEvent) -> Response[Any]:
        feedback_form = await forms.form_of(event)
        form = await form_values(request)
        values = question_values(form, adding=True, topics=True)
        try:
            data = check(values, feedback_schemas.QuestionIn, QUESTION_LABELS, strict=False)
            forms.checked_question(data)
            if must_confirm(form, await editing.responses_count(feedback_form)):
                return await self._list(event, values=form, confirm=True)
            added = await forms.add_question(event.slug, data)
        except DomainError as exc:
            return await self._list(event, values=form, errors=question_errors(exc))
        return with_notice(_feedback_editor(event).path, f"'{added.label}' added at the end of the form")

    async def _edit(self, event: EventRow, question_id: int, **kwargs: Any) -> Template:
        form = await forms.form_of(event)
        question = await editing.question_of_form(form, question_id)
        counts = ((await editing.answer_counts(form)).get(question_id, 0), await editing.responses_count(form))
        return _edit_page(_feedback_editor(event), event, question, question_id, counts, **kwargs)

    @get("/{question_id:int}/edit", name="organiser-feedback-question")
    async def edit(self, event: PathEvent, question_id: PathId) -> Template:
        return await self._edit(event, question_id)

    @post("/{question_id:int}/edit", status_code=303)
    async def save(self, request: Request[Any, Any, Any], event: PathEvent, question_id: PathId) -> Response[Any]:
        feedback_form = await forms.form_of(event)
        await editing.question_of_form(feedback_form, question_id)
        form = await form_values(request)
        values = question_values(form, adding=False, topics=True)
        try:
            data = check(values, feedback_schemas.QuestionUpdate, QUESTION_LABELS, strict=False)
            if must_confirm(form, await editing.responses_count(feedback_form)):
                return await self._edit(event, question_id, values=form, confirm=True)
            saved = await forms.update_question(question_id, data)
        except DomainError as exc:
            return await self._edit(event, question_id, values=form, errors=question_errors(exc))
        return with_notice(_feedback_editor(event).path, f"'{saved.label}' saved")

    @post("/{question_id:int}/move", status_code=303)
    async def move(self, request: Request[Any, Any, Any], event: PathEvent, question_id: PathId) -> Response[Any]:
        feedback_form = await forms.form_of(event)
        question = await editing.question_of_form(feedback_form, question_id)
        step = _moved(await form_values(request))
        if step is None:
            return await self._list(event, errors=[FieldError(f"move-{question_id}", "Move: choose up or down")])
        await editing.move_question(feedback_form, question_id, step)
        direction = "up" if step < 0 else "down"
        return with_notice(_feedback_editor(event).path, f"'{question.label}' moved {direction}")

    @post("/{question_id:int}/delete", status_code=303)
    async def remove(self, request: Request[Any, Any, Any], event: PathEvent, question_id: PathId) -> Response[Any]:
        await editing.question_of_form(await forms.form_of(event), question_id)
        if not _removal_confirmed(await form_values(request)):
            return await self._edit(event, question_id, errors=[NOT_CONFIRMED])
        removed = await forms.delete_question(question_id)
        return with_notice(_feedback_editor(event).path, removed.message)
