"""What the two question editors (registration form, feedback form) share: the posted question as values a
schema checks, a stored question as the form shows it, the kinds each form offers, and the step that asks
before a form people have already answered is changed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from events_app.core.errors import DomainError, NotFound
from events_app.core.validation import FieldError, errors_of

QUESTION_FIELDS = ("label", "kind", "options", "required", "help_text", "topic")
QUESTION_LABELS = {
    "label": "Question",
    "kind": "Kind of answer",
    "options": "Choices",
    "required": "Required",
    "help_text": "Help text",
    "topic": "About working together",
}
MOVES = {"up": -1, "down": 1}
REGISTRATION_KINDS = (
    ("text", "Text answer"),
    ("single", "One choice from a list"),
    ("multiple", "Any number of choices from a list"),
)
FEEDBACK_KINDS = (
    ("rating", "Rating from 1 to 5"),
    ("yes_no", "Yes or no"),
    ("text", "Text answer"),
    ("single", "One choice from a list"),
    ("multiple", "Any number of choices from a list"),
)
COLLABORATION = "collaboration"  # the topic the collaboration view reads


class StoredQuestion(Protocol):
    @property
    def label(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def options(self) -> list[str]: ...
    @property
    def required(self) -> bool: ...
    @property
    def help_text(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Editor:
    """Which form an editor changes, in the words and addresses its pages use."""

    form_name: str  # "registration form"
    answered_by: str  # "registration" / "response": one of what people have given through it
    path: str  # /organiser/events/{slug}/questions
    kinds: tuple[tuple[str, str], ...]
    topics: bool  # the feedback form marks questions about working together
    owner_path: str = ""  # the page of what the form belongs to (a call's); empty: the event's edit page

    def question_path(self, question_id: int, action: str) -> str:
        return f"{self.path}/{question_id}/{action}"


def question_values(form: Mapping[str, str], *, adding: bool, topics: bool) -> dict[str, object]:
    """The posted question as a schema takes it: choices one per line, 'required' ticked or not. The kind is
    chosen when a question is added (answers already given are of that kind)."""
    values: dict[str, object] = {
        "label": form.get("label", ""),
        "help_text": form.get("help_text", ""),
        "required": form.get("required") == "yes",
        "options": [line.strip() for line in form.get("options", "").splitlines() if line.strip()],
    }
    if adding:
        values["kind"] = form.get("kind", "")
        if topics:
            values["topic"] = COLLABORATION if form.get("topic") == "yes" else ""
    return values


def shown_values(question: StoredQuestion) -> dict[str, str]:
    """A stored question as its edit form shows it."""
    return {
        "label": question.label,
        "kind": question.kind,
        "options": "\n".join(question.options),
        "required": "yes" if question.required else "",
        "help_text": question.help_text,
    }


def must_confirm(form: Mapping[str, str], responses: int) -> bool:
    """A form people have already answered is changed only once the organiser has seen the warning and said so."""
    return responses > 0 and form.get("confirmed") != "yes"


def question_errors(exc: DomainError) -> list[FieldError]:
    """A refusal's wrong fields by the inputs of the question form (`options[2]` is the choices box); one about
    no input is shown by the button. Not found is left to the 404 page."""
    if isinstance(exc, NotFound):
        raise exc
    found = []
    for error in errors_of(exc):
        field = error.field.split(".", 1)[0].split("[", 1)[0]
        found.append(FieldError(field if field in QUESTION_FIELDS else "submit", error.message))
    return found
