"""What the organisers' editor of a feedback form needs beside forms.py: an event's question by id, how many
people answered each question and the form, and moving a question up or down the form."""

from __future__ import annotations

from piccolo.query.functions.aggregate import Count

from events_app.core.crud import not_found
from events_app.core.database import write_transaction
from events_app.core.ordering import moved
from events_app.feedback import forms, schemas
from events_app.feedback.rows import FormRow
from events_app.feedback.tables import FeedbackAnswer, FeedbackForm, FeedbackQuestion, FeedbackResponse
from events_app.programme.rows import EventRow


async def form_or_none(event: EventRow) -> FormRow | None:
    """The event's feedback form, or None while it has none (the editor then points to making one)."""
    row = await FeedbackForm.select().where(FeedbackForm.event == event.id).first()
    return FormRow.of(row) if row else None


async def question_of_form(form: FormRow, question_id: int) -> schemas.Question:
    """One question of this form, retired or not (404 for a question of another form, as for none)."""
    for question in await forms.questions_of(form.id, include_retired=True):
        if question.id == question_id:
            return question
    raise not_found("question", question_id)


async def answer_counts(form: FormRow) -> dict[int, int]:
    """How many people answered each question of the form."""
    rows = (
        await FeedbackAnswer.select(FeedbackAnswer.question, Count(FeedbackAnswer.id, alias="n"))
        .where(FeedbackAnswer.response.form == form.id)
        .group_by(FeedbackAnswer.question)
    )
    return {int(r["question"]): int(r["n"]) for r in rows}


async def responses_count(form: FormRow) -> int:
    """Responses given so far: a change to the questions is a change under their feet."""
    return int(await FeedbackResponse.count().where(FeedbackResponse.form == form.id))


async def move_question(form: FormRow, question_id: int, step: int) -> None:
    """Move a question one place up (-1) or down (1) the form; the first stays first, the last last. The form's
    questions are numbered afresh 0, 1, 2 ... so that equal positions cannot hide a move."""
    async with write_transaction():
        order = moved([q.id for q in await forms.questions_of(form.id)], question_id, step)
        if order is None:
            raise not_found("question", question_id)
        for position, each in enumerate(order):
            await FeedbackQuestion.update({FeedbackQuestion.position: position}).where(FeedbackQuestion.id == each)
