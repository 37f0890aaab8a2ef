"""Feedback forms for organisers (build, copy, keep as a series template) and answers from delegates."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter

from events_app.accounts.guards import current_organiser, requires_organiser
from events_app.core.api import ApiController, problems
from events_app.core.csv_export import csv_response
from events_app.core.params import PathId
from events_app.feedback import cookies, exports, forms, moderation, responses, results, schemas
from events_app.programme.dependencies import EVENT, PathEvent


class EventFeedbackFormController(ApiController):
    path = "/api/events/{slug:str}/feedback-form"
    tags = ["feedback"]
    guards = [requires_organiser]

    @post("/", summary="Make the event's feedback form (from a template, a copy, or the series template)")
    async def create(self, slug: FromPath[str], data: JSONBody[schemas.FormCreate]) -> schemas.Form:
        return await forms.create_form(slug, data)

    @get("/", summary="The event's feedback form with its questions and open link")
    async def get_form(self, slug: FromPath[str]) -> schemas.Form:
        return await forms.get_form(slug)

    @patch(
        "/",
        summary="Change the form's title, introduction, anonymity, open and close times, or close the open link",
        description="Making a form anonymous detaches the answers already given from their registrations.",
    )
    async def update(self, slug: FromPath[str], data: JSONBody[schemas.FormUpdate]) -> schemas.Form:
        return await forms.update_form(slug, data)

    @post("/questions", summary="Add a question")
    async def add_question(self, slug: FromPath[str], data: JSONBody[schemas.QuestionIn]) -> schemas.Question:
        return await forms.add_question(slug, data)


class FeedbackQuestionController(ApiController):
    path = "/api/feedback-questions"
    tags = ["feedback"]
    guards = [requires_organiser]

    @patch("/{question_id:int}", summary="Change a question")
    async def update(self, question_id: PathId, data: JSONBody[schemas.QuestionUpdate]) -> schemas.Question:
        return await forms.update_question(question_id, data)

    @delete(
        "/{question_id:int}",
        status_code=200,
        summary="Remove a question",
        description="A question nobody has answered is deleted. A question with answers is retired instead "
        "(`outcome`: `retired`): it leaves the feedback form, and its answers stay in the results and the CSV "
        "exports.",
    )
    async def remove(self, question_id: PathId) -> schemas.QuestionRemoved:
        return await forms.delete_question(question_id)


class SeriesFeedbackTemplateController(ApiController):
    path = "/api/series/{slug:str}/feedback-template"
    tags = ["feedback"]
    guards = [requires_organiser]

    @post("/", summary="Keep an event's form as the series' template for its next events")
    async def keep(self, slug: FromPath[str], data: JSONBody[schemas.SeriesTemplate]) -> schemas.Form:
        return await forms.keep_as_series_template(slug, data.event)


class FeedbackAnswerController(ApiController):
    """Delegates answer with the link from their email; people who did not register, with the open link."""

    path = "/api/feedback"
    tags = ["feedback"]

    @get("/{token:str}", summary="The form behind an emailed link, and the answers already given")
    async def form(self, request: Request[Any, Any, Any], token: FromPath[str]) -> dict[str, object]:
        form, _, _ = await responses.from_link(token)
        answers = await responses.existing_answers(token, cookies.edit_key(request, form.id))
        return {"form": await forms.form_view(form), "answers": answers}

    @post(
        "/{token:str}",
        status_code=200,
        summary="Answer (or change the answers) from an emailed link",
        description="On an anonymous form the answers are tied to nobody: the answer carries `edit_key` (also set "
        "as a cookie), the only way to change them later.",
        responses=problems(409, 410),
    )
    async def answer(
        self, request: Request[Any, Any, Any], token: FromPath[str], data: JSONBody[schemas.ResponseIn]
    ) -> Response[schemas.ResponseOut]:
        form, _, _ = await responses.from_link(token)
        saved = await responses.submit_linked(token, data, cookies.edit_key(request, form.id))
        return Response(saved, status_code=200, cookies=cookies.after_linked(request, saved))

    @post(
        "/open/{open_token:str}",
        status_code=201,
        summary="Answer from the open link, naming your sector",
        description="One answer per browser (a cookie marks it); refused once the organisers close the open link.",
        responses=problems(409, 410),
    )
    async def answer_open(
        self, request: Request[Any, Any, Any], open_token: FromPath[str], data: JSONBody[schemas.ResponseIn]
    ) -> Response[schemas.ResponseOut]:
        form, _ = await responses.from_open_link(open_token)
        saved = await responses.submit_open(open_token, data, cookies.browser_mark(request, form.id))
        return Response(saved, status_code=201, cookies=cookies.after_open(request, saved))


class FeedbackResultsController(ApiController):
    path = "/api"
    tags = ["feedback"]
    guards = [requires_organiser]
    dependencies = EVENT  # for the handlers about one event

    @get(
        "/events/{slug:str}/feedback/results", summary="Each question overall and by stakeholder group; response rates"
    )
    async def event_results(
        self,
        event: PathEvent,
        include_open_link: Annotated[
            bool, QueryParameter(description="false: leave out the answers given through the open link")
        ] = True,
    ) -> schemas.EventResults:
        return await results.event_results(event, include_open_link=include_open_link)

    @delete(
        "/events/{slug:str}/feedback/answers/{answer_id:int}",
        status_code=200,
        summary="Delete a written answer",
        description="For free text that names a person or should not be kept: the answer is blanked, recorded as "
        "deleted (when, by whom) and leaves the results and the CSV exports.",
    )
    async def remove_answer(
        self, request: Request[Any, Any, Any], event: PathEvent, answer_id: PathId
    ) -> schemas.AnswerRemoved:
        organiser = current_organiser(request)
        return await moderation.remove_text_answer(event, answer_id, organiser.user_id if organiser else None)

    @get("/events/{slug:str}/feedback/responses.csv", summary="Raw responses as CSV (no names)", media_type="text/csv")
    async def responses_csv(self, event: PathEvent) -> Response[bytes]:
        return csv_response(await exports.responses_csv(event), f"feedback-{event.slug}.csv")

    @get("/events/{slug:str}/feedback/summary.csv", summary="The results by group as CSV", media_type="text/csv")
    async def summary_csv(self, event: PathEvent) -> Response[bytes]:
        return csv_response(await exports.summary_csv(event), f"feedback-summary-{event.slug}.csv")

    @get(
        "/events/{slug:str}/collaboration", summary="Sectors registered and present, sessions that mixed them, answers"
    )
    async def event_collaboration(self, event: PathEvent) -> schemas.Collaboration:
        return await results.collaboration(event)

    @get("/series/{slug:str}/feedback/results", summary="A series over time: responses, rates, mean ratings")
    async def series_results(self, slug: FromPath[str]) -> schemas.SeriesResults:
        return await results.series_results(slug)

    @get("/series/{slug:str}/collaboration", summary="The collaboration view for each event of a series")
    async def series_collaboration(self, slug: FromPath[str]) -> schemas.SeriesCollaboration:
        return await results.series_collaboration(slug)
