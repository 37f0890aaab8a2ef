"""Refusals at the door, each with a stable code (a scan's own outcomes are results, not errors)."""

from __future__ import annotations

from events_app.core.errors import Conflict, DomainError, InvalidInput, NotFound


class AlreadyUndone(Conflict):
    code = "already_undone"
    message = "This check-in was undone already"


# A delegate's own join link (/join/{token}) refused: a page in plain words, never the meeting's address ---------


class JoinRefused(DomainError):
    """Why a join link does not lead to the meeting."""

    status_code = 403
    title = "This join link does not open the meeting"
    code = "join_refused"
    message = "This join link does not lead to the meeting"


class JoinLinkInvalid(JoinRefused):
    status_code = 404
    title = "This join link is not valid"
    code = "join_link_invalid"
    message = (
        "This link does not lead to a meeting. Check that you copied the whole link from your email or your "
        "registration page, or ask for your registration page again at /my."
    )


class JoinPlaceGone(JoinRefused):
    status_code = 410
    title = "This join link no longer works"
    code = "join_place_gone"
    message = "Your registration for {title} is {state}, so its join link no longer works."


class JoinPlaceNotConfirmed(JoinRefused):
    code = "join_place_not_confirmed"
    message = (
        "Your place at {title} is not confirmed yet ({state}). Your join link works once it is: "
        "we will email you when that happens."
    )


class JoinNotOnline(JoinRefused):
    code = "join_not_online"
    message = "Your place at {title} is in person, so there is no online meeting for you to join."


class JoinNoSessionPlace(JoinRefused):
    code = "join_no_session_place"
    message = "This session needs a place of its own, and you do not hold one. Book it on your registration page."


class JoinEventCancelled(JoinRefused):
    status_code = 410
    title = "This meeting is cancelled"
    code = "join_event_cancelled"
    message = "{title} is cancelled, so there is no meeting to join."


class NoSuchSessionHere(NotFound):
    code = "no_such_session_here"
    message = "{event} has no session {session}"
    field = "session_id"


class AttendanceFileMissing(InvalidInput):
    status_code = 400
    code = "attendance_file_missing"
    message = "Choose the meeting platform's attendance file (CSV) to upload, or paste its text"
    field = "file"


class AttendanceFileUnreadable(InvalidInput):
    status_code = 400
    code = "attendance_file_unreadable"
    message = "The attendance file could not be read as a CSV file: {why}"
    field = "file"


class AttendanceColumnsMissing(InvalidInput):
    status_code = 400
    code = "attendance_columns_missing"
    message = (
        "The attendance file has no row naming an email column and a join time column (such as 'Email' and "
        "'Join time', or 'User Email' and 'Join Time'); its first row is: {found}"
    )
    field = "file"
