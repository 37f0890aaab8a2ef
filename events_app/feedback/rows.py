"""Feedback's stored values as typed rows, and the checked values of a question or an answer before they
are written: what the feedback services pass each other instead of column dicts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from events_app.core.rows import Row
from events_app.feedback.schemas import QuestionKind

ResponseSource = Literal["link", "open"]  # the emailed link, or the open link


@dataclass(frozen=True, slots=True)
class FormRow:
    """An event's form (`event` set) or a series' template (`series` set); times in UTC."""

    id: int
    event: int | None
    series: int | None
    title: str
    intro: str
    anonymous: bool
    opens_at: datetime | None
    closes_at: datetime | None
    open_token: str
    created_at: datetime
    updated_at: datetime
    open_link_closed_at: datetime | None = None

    @classmethod
    def of(cls, row: Row) -> FormRow:
        return cls(**row)


@dataclass(frozen=True, slots=True)
class QuestionDraft:
    """A question's values, checked (`forms.checked_question`), ready to be written."""

    kind: QuestionKind
    label: str
    help_text: str
    required: bool
    options: list[str]
    topic: str


@dataclass(slots=True)
class AnswerDraft:
    """One checked answer, in the columns it is stored in: a number (rating, yes 1 / no 0), a text (free text
    or the chosen option) or the chosen options as a JSON list."""

    question: int
    number: int | None = None
    text: str = ""
    choices: str = "[]"


@dataclass(frozen=True, slots=True)
class ResponseRow:
    id: int
    form: int
    registration: int | None
    stakeholder_group: int
    respondent_key: str
    source: ResponseSource
    submitted_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: Row) -> ResponseRow:
        return cls(**row)


@dataclass(frozen=True, slots=True)
class LinkedRegistration:
    """The registration an emailed feedback link is for: whose answers they are."""

    id: int
    delegate: int
    stakeholder_group: int  # what the registration was made as (the delegate's group for older ones)
