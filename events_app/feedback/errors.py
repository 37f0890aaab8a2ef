"""Refusals about feedback forms and answers, each with a stable code."""

from __future__ import annotations

from events_app.core.errors import Conflict, DomainError, InvalidInput, NotFound


class FormClosed(DomainError):
    """Raised with the form's own dates ("This form opens on ...", "This form closed on ...")."""

    status_code = 410
    title = "Closed"
    code = "form_closed"
    message = "This form is closed."


class OpenLinkClosed(DomainError):
    status_code = 410
    title = "Closed"
    code = "open_link_closed"
    message = (
        "The organisers have closed this open feedback link. If you registered for the event, use the link in "
        "your email."
    )


class AnsweredFromThisBrowser(Conflict):
    code = "answered_from_this_browser"
    message = "Feedback has already been given from this browser. Thank you."


class AnsweredAlready(Conflict):
    code = "answered_already"
    message = (
        "You have answered this form already. Answers to an anonymous form are tied to nobody, so they can be "
        "changed only from the browser they were given in."
    )


class FormCloseBeforeOpen(InvalidInput):
    code = "form_closes_before_opening"
    message = "The form must close after it opens"
    field = "closes_at"


class TooManyStartingPoints(InvalidInput):
    code = "too_many_starting_points"
    message = "Start from one of: a template, another event's form, or the series template"
    field = "template"


class EventInNoSeries(InvalidInput):
    code = "event_in_no_series"
    message = "This event belongs to no series"
    field = "from_series_template"


class SeriesHasNoTemplate(InvalidInput):
    code = "series_has_no_template"
    message = "This event's series has no template yet"
    field = "from_series_template"


class FormExists(Conflict):
    code = "form_exists"
    message = "This event has a feedback form already: change it instead"


class NoSuchForm(NotFound):
    message = "This feedback form does not exist (any more)"


class FeedbackLinkInvalid(NotFound):
    message = "This feedback link is not valid. Use the link in your email, or ask the organisers."


class RatingOutOfRange(InvalidInput):
    code = "rating_out_of_range"
    message = "Choose a rating from 1 to 5 for: {label}"


class YesOrNoNeeded(InvalidInput):
    code = "yes_or_no_needed"
    message = "Answer yes or no to: {label}"


class NotAnAnswer(InvalidInput):
    code = "feedback_not_an_answer"
    message = "'{value}' is not one of the answers to: {label}"


class ChooseFromAnswers(InvalidInput):
    code = "choose_from_answers"
    message = "Choose from the answers given to: {label}"


class TextAnswerNeeded(InvalidInput):
    code = "text_answer_needed"
    message = "Write your answer to: {label}"


class FeedbackAnswerRequired(InvalidInput):
    code = "feedback_answer_required"
    message = "Please answer: {label}"


class SectorRequired(InvalidInput):
    code = "sector_required"
    message = "Please say which sector you are here for"
    field = "stakeholder_group"


class EventNotOverYet(Conflict):
    code = "event_not_over_yet"
    message = "This event has not ended yet: feedback requests go after it ends"


class NoOpenFeedbackForm(Conflict):
    code = "no_open_feedback_form"
    message = "This event has no feedback form open now, so there is nothing to ask for"
