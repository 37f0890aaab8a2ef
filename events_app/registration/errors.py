"""Refusals of registration (taking part, places, waiting lists, questions, tickets), each with a stable code."""

from __future__ import annotations

from events_app.core.errors import Conflict, DomainError, InvalidInput, NotFound


class EventIsCancelled(Conflict):
    code = "event_cancelled"
    message = "This event is cancelled, so it takes no registrations"


class EventIsPast(Conflict):
    code = "event_past"
    message = "This event has already taken place"


class RegistrationNotOpenYet(Conflict):
    code = "not_open_yet"
    message = "Registration for this event opens on {when}"


class RegistrationClosed(Conflict):
    code = "closed"
    message = "Registration for this event has closed"


class RegistrationsLocked(EventIsPast):
    message = "This event has already taken place, so its registrations can no longer change"


class OrganisationRequired(InvalidInput):
    code = "organisation_required"
    message = "Choose your organisation from the list, or type its name"
    field = "organisation_name"


class NotActive(Conflict):
    code = "not_active"
    message = "This registration is already {status}"


class OnlyPendingApproved(Conflict):
    code = "only_pending_approved"
    message = "Only a pending registration can be approved; this one is {status}"


class OnlyPendingDeclined(Conflict):
    code = "only_pending_declined"
    message = "Only a pending registration can be declined; this one is {status}"


class OnlyWaitlistedPromoted(Conflict):
    code = "only_waitlisted_promoted"
    message = "Only someone on the waiting list can be promoted; this registration is {status}"


class NotOnWaitlist(Conflict):
    code = "not_on_waitlist"
    message = "This registration is {status}, not on the waiting list"
    field = "position"


class WaitlistNumberNeeded(DomainError):
    code = "waitlist_number_needed"
    message = "Give a waiting list number of 1 or more"
    field = "position"


class UnknownAction(DomainError):
    code = "unknown_action"
    message = "Unknown action '{action}'"


class ManageLinkInvalid(NotFound):
    message = "This link is not valid any more. Ask for a new one on the 'My registrations' page."


class ConfirmationLinkInvalid(NotFound):
    message = "This confirmation link is not valid any more: the details are in your email"


class TicketLinkInvalid(NotFound):
    message = "This ticket link is not valid any more: your ticket is in your confirmation email"


class NoTicket(NotFound):
    message = "There is no ticket for this registration: only a confirmed place has one"


class NotConfirmedByEmail(NotFound):
    message = "There is no ticket yet: confirm your place with the link in the email we sent, and the ticket follows"


class HoldLapsed(Conflict):
    code = "hold_lapsed"
    message = (
        "This place was not confirmed in time, so it went to the next person waiting. You can register again if "
        "the event still takes registrations"
    )


class EventFull(Conflict):
    code = "event_full"
    message = "Sorry, this event is full and has no waiting list"


class SessionNeedsNoBooking(Conflict):
    code = "session_needs_no_booking"
    message = "'{title}' needs no booking: everyone can attend"
    field = "session_ids"


class SessionIsCancelled(Conflict):
    code = "session_cancelled"
    message = "'{title}' is cancelled"
    field = "session_ids"


class SessionClash(Conflict):
    code = "session_clash"
    message = "'{earlier}' and '{later}' are at the same time: choose one"
    field = "session_ids"


class SessionFull(Conflict):
    code = "session_full"
    message = "Sorry, '{title}' is full and has no waiting list"
    field = "session_ids"


class TextAnswerExpected(InvalidInput):
    code = "text_answer_expected"
    message = "'{label}' takes a text answer"


class AnswerRequired(InvalidInput):
    code = "answer_required"
    message = "Please answer '{label}'"


class ChooseOneAnswer(InvalidInput):
    code = "choose_one_answer"
    message = "Choose one answer to '{label}'"


class NotOneOfTheAnswers(InvalidInput):
    code = "not_one_of_the_answers"
    message = "'{value}' is not one of the answers to '{label}'"


class ChooseAtLeastOne(InvalidInput):
    code = "choose_at_least_one"
    message = "Please choose at least one answer to '{label}'"


class ModeFull(Conflict):
    code = "mode_full"
    message = "Sorry, there are no {mode} places left and no waiting list: you can choose to attend {other}"
    field = "attendance_mode"


class AttendanceModeNeeded(InvalidInput):
    code = "attendance_mode_needed"
    message = "How will you attend: choose in person or online"
    field = "attendance_mode"


class AttendanceModeNotOffered(InvalidInput):
    code = "attendance_mode_not_offered"
    message = "How will you attend: this event is {offered} only"
    field = "attendance_mode"


class NotHybrid(Conflict):
    code = "not_hybrid"
    message = "How will you attend: this event is {offered} only, so there is nothing to switch"
    field = "attendance_mode"


class AlreadyThatMode(Conflict):
    code = "already_that_mode"
    message = "How will you attend: you already attend {mode}"
    field = "attendance_mode"


class SwitchFull(Conflict):
    code = "switch_full"
    message = (
        "There are no {mode} places free at the moment, so nothing has changed: you keep your place {current}. "
        "Try again later, or cancel your place and register again to join the {mode} waiting list"
    )
    field = "attendance_mode"


class ModeStillHeld(Conflict):
    code = "mode_still_held"
    message = (
        "How the event is attended: {count} {people} {hold} a place or {wait} for one {mode}, so the event stays "
        "hybrid until they have switched to {other} (from their own page) or their registrations are cancelled"
    )
    field = "attendance_mode"
