"""Feedback forms for organisers (build, copy, keep as a series template) and answers from delegates."""

from __future__ import annotations

from litestar import Response, delete, get, patch, post
from litestar.params import FromPath, JSONBody

from events_app.accounts.guards import requires_organiser
from events_app.core.api import ApiController, problems
from events_app.core.csv_export import csv_response
from events_app.core.params import PathId
from events_app.feedback import exports, forms, responses, results, schemas
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

    @patch("/", summary="Change the form's title, introduction, anonymity or open and close times")
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
    async def form(self, token: FromPath[str]) -> dict[str, object]:
        form, _, _ = await responses.from_link(token)
        return {"form": await forms.form_view(form), "answers": await responses.existing_answers(token)}

    @post(
        "/{token:str}",
        status_code=200,
        summary="Answer (or change the answers) from an emailed link",
        responses=problems(410),
    )
    async def answer(self, token: FromPath[str], data: JSONBody[schemas.ResponseIn]) -> schemas.ResponseOut:
        return await responses.submit_linked(token, data)

    @post(
        "/open/{open_token:str}",
        status_code=201,
        summary="Answer from the open link, naming your sector",
        responses=problems(410),
    )
    async def answer_open(self, open_token: FromPath[str], data: JSONBody[schemas.ResponseIn]) -> schemas.ResponseOut:
        return await responses.submit_open(open_token, data)


class FeedbackResultsController(ApiController):
    path = "/api"
    tags = ["feedback"]
    guards = [requires_organiser]
    dependencies = EVENT  # for the handlers about one event

    @get(
        "/events/{slug:str}/feedback/results", summary="Each question overall and by stakeholder group; response rates"
    )
    async def event_results(self, event: PathEvent) -> schemas.EventResults:
        return await results.event_results(event)

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
