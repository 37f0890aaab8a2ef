"""The editor of a call's own questions: the registration form's editor (its pages, kinds and rules), on a call."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery
from litestar.response import Template

from events_app.accounts.guards import requires_organiser
from events_app.core.errors import DomainError
from events_app.core.params import PathId
from events_app.core.validation import FieldError, check
from events_app.hub.calls import schemas, services
from events_app.hub.calls.dependencies import CALL, PathCall
from events_app.organiser.forms import form_values, with_notice
from events_app.organiser.pages_questions import NOT_CONFIRMED, _edit_page, _list_page
from events_app.organiser.question_forms import (
    MOVES,
    QUESTION_LABELS,
    REGISTRATION_KINDS,
    Editor,
    must_confirm,
    question_errors,
    question_values,
)
from events_app.registration import schemas as question_schemas


def _editor(call: schemas.Call) -> Editor:
    path = f"/organiser/calls/{call.slug}/questions"
    owner = f"/organiser/calls/{call.slug}/edit"
    return Editor("call's form", "submission", path, REGISTRATION_KINDS, topics=False, owner_path=owner)


class CallQuestionPages(Controller):
    path = "/organiser/calls/{slug:str}/questions"
    include_in_schema = False
    guards = [requires_organiser]
    dependencies = CALL

    async def _counts(self, call: schemas.Call) -> tuple[dict[int, int], int]:
        return await services.answer_counts(call.id), await services.responses_count(call.id)

    async def _list(self, call: schemas.Call, **kwargs: Any) -> Template:
        everything = await services.list_questions(call.id, include_retired=True)
        return _list_page(_editor(call), call, everything, await self._counts(call), **kwargs)  # type: ignore[arg-type]

    async def _edit(self, call: schemas.Call, question_id: int, **kwargs: Any) -> Template:
        question = await services.question_of_call(call.id, question_id)
        answered, responses = await self._counts(call)
        counts = (answered.get(question_id, 0), responses)
        return _edit_page(_editor(call), call, question, question_id, counts, **kwargs)  # type: ignore[arg-type]

    @get("/", name="organiser-call-questions")
    async def show(self, call: PathCall, notice: FromQuery[str | None] = None) -> Template:
        return await self._list(call, notice=notice)

    @post("/", status_code=303)
    async def add(self, request: Request[Any, Any, Any], call: PathCall) -> Response[Any]:
        form = await form_values(request)
        asked = await services.list_questions(call.id)
        values = question_values(form, adding=True, topics=False)
        values["position"] = max((q.position for q in asked), default=-1) + 1
        try:
            data = check(values, question_schemas.QuestionCreate, QUESTION_LABELS, strict=False)
            if must_confirm(form, await services.responses_count(call.id)):
                return await self._list(call, values=form, confirm=True)
            added = await services.add_question(call.id, data)
        except DomainError as exc:
            return await self._list(call, values=form, errors=question_errors(exc))
        return with_notice(_editor(call).path, f"'{added.label}' added at the end of the form")

    @get("/{question_id:int}/edit")
    async def edit(self, call: PathCall, question_id: PathId) -> Template:
        return await self._edit(call, question_id)

    @post("/{question_id:int}/edit", status_code=303)
    async def save(self, request: Request[Any, Any, Any], call: PathCall, question_id: PathId) -> Response[Any]:
        await services.question_of_call(call.id, question_id)
        form = await form_values(request)
        values = question_values(form, adding=False, topics=False)
        try:
            data = check(values, question_schemas.QuestionUpdate, QUESTION_LABELS, strict=False)
            if must_confirm(form, await services.responses_count(call.id)):
                return await self._edit(call, question_id, values=form, confirm=True)
            saved = await services.update_question(call.id, question_id, data)
        except DomainError as exc:
            return await self._edit(call, question_id, values=form, errors=question_errors(exc))
        return with_notice(_editor(call).path, f"'{saved.label}' saved")

    @post("/{question_id:int}/move", status_code=303)
    async def move(self, request: Request[Any, Any, Any], call: PathCall, question_id: PathId) -> Response[Any]:
        question = await services.question_of_call(call.id, question_id)
        step = MOVES.get((await form_values(request)).get("direction", ""))
        if step is None:
            return await self._list(call, errors=[FieldError(f"move-{question_id}", "Move: choose up or down")])
        await services.move_question(call.id, question_id, step)
        return with_notice(_editor(call).path, f"'{question.label}' moved {'up' if step < 0 else 'down'}")

    @post("/{question_id:int}/delete", status_code=303)
    async def remove(self, request: Request[Any, Any, Any], call: PathCall, question_id: PathId) -> Response[Any]:
        await services.question_of_call(call.id, question_id)
        if (await form_values(request)).get("confirmed") != "yes":
            return await self._edit(call, question_id, errors=[NOT_CONFIRMED])
        removed = await services.delete_question(call.id, question_id)
        return with_notice(_editor(call).path, removed.message)
