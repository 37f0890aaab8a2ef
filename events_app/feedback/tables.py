"""Feedback forms, their questions, and the responses given (each tied to a stakeholder group)."""

from piccolo.apps.user.tables import BaseUser
from piccolo.columns import JSON, Boolean, ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from events_app.people.tables import StakeholderGroup
from events_app.programme.tables import Event, Series
from events_app.registration.tables import Registration


class FeedbackForm(Table, tablename="feedback_form"):
    """An event's form (`event` set), or a series' template for its events (`series` set, `event` empty).
    `open_token` is the random part of the open link for people who did not register."""

    id: Serial
    event = ForeignKey(Event, null=True, on_delete=OnDelete.cascade, index=True)
    series = ForeignKey(Series, null=True, on_delete=OnDelete.cascade, index=True)
    title = Varchar(length=200)
    intro = Text(default="")
    anonymous = Boolean(default=False)
    opens_at = Timestamptz(null=True, default=None)
    closes_at = Timestamptz(null=True, default=None)
    open_token = Varchar(length=64, unique=True)
    open_link_closed_at = Timestamptz(null=True, default=None)  # set: the open link takes no more answers
    created_at = Timestamptz()
    updated_at = Timestamptz()


class FeedbackQuestion(Table, tablename="feedback_question"):
    """`kind`: rating (1 to 5), single, multiple, text, yes_no. `topic` marks questions the collaboration
    view reads (for example `collaboration`)."""

    id: Serial
    form = ForeignKey(FeedbackForm, null=False, on_delete=OnDelete.cascade, index=True)
    position = Integer(default=0)
    kind = Varchar(length=20)
    label = Varchar(length=300)
    help_text = Varchar(length=500, default="")
    required = Boolean(default=False)
    options = JSON(default="[]")
    topic = Varchar(length=40, default="")
    retired_at = Timestamptz(null=True, default=None)  # retired (kept for its answers), not on the form any more


class FeedbackResponse(Table, tablename="feedback_response"):
    """One person's answers to one form. `registration` is set on named forms only: empty for open links and
    anonymous forms. `respondent_key` is random (256 bits): on an anonymous form the delegate alone holds it
    (a cookie) to change their answers; who answered is marked on the registration (`feedback_given_to`),
    never here, so nothing in this row leads back to a person."""

    id: Serial
    form = ForeignKey(FeedbackForm, null=False, on_delete=OnDelete.cascade, index=True)
    registration = ForeignKey(Registration, null=True, on_delete=OnDelete.set_null, index=True)
    stakeholder_group = ForeignKey(StakeholderGroup, null=False, on_delete=OnDelete.restrict, index=True)
    respondent_key = Varchar(length=64, unique=True)
    source = Varchar(length=20)  # link, open
    submitted_at = Timestamptz()
    updated_at = Timestamptz()


class FeedbackAnswer(Table, tablename="feedback_answer"):
    id: Serial
    response = ForeignKey(FeedbackResponse, null=False, on_delete=OnDelete.cascade, index=True)
    question = ForeignKey(FeedbackQuestion, null=False, on_delete=OnDelete.cascade, index=True)
    number = Integer(null=True, default=None)  # a rating 1..5, or yes 1 / no 0
    text = Text(default="")  # free text, or the chosen option
    choices = JSON(default="[]")  # multiple choice
    removed_at = Timestamptz(null=True, default=None)  # a free-text answer an organiser deleted (text blanked)
    removed_by = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
