"""Refusals at the door, each with a stable code (a scan's own outcomes are results, not errors)."""

from __future__ import annotations

from events_app.core.errors import Conflict, InvalidInput, NotFound


class AlreadyUndone(Conflict):
    code = "already_undone"
    message = "This check-in was undone already"


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
