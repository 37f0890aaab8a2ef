"""Refusals of the programme (events, sessions, tracks, venues, rooms, series), each with a stable code."""

from __future__ import annotations

from events_app.core.errors import Conflict, InUse, InvalidInput


class EventEndsBeforeStart(InvalidInput):
    code = "event_ends_before_start"
    message = "The event must end after it starts"
    field = "ends_at"


class RegistrationClosesBeforeOpening(InvalidInput):
    code = "registration_closes_before_opening"
    message = "Registration must close after it opens"
    field = "registration_closes_at"


class RegistrationClosesAfterEvent(InvalidInput):
    code = "registration_closes_after_event"
    message = "Registration must close by the end of the event"
    field = "registration_closes_at"


class PublishedEventNeedsPlace(InvalidInput):
    code = "published_event_needs_place"
    message = "A published event needs a venue, unless it is held online only"
    field = "venue_id"


class InPersonEventHasMeeting(InvalidInput):
    code = "in_person_event_has_meeting"
    message = "An in-person event has no online meeting: choose online or hybrid, or clear the meeting address"
    field = "online_url"


class OnlineEventHasVenue(InvalidInput):
    code = "online_event_has_venue"
    message = "An online event has no venue: choose hybrid, or clear the venue"
    field = "venue_id"


class SessionsOutsideNewTimes(InvalidInput):
    code = "sessions_outside_new_times"
    message = (
        "{count} session(s) would fall outside the event's new times: move them first, or move the start and the "
        "end by the same amount to take the timetable with the event"
    )


class SessionsInVenueRooms(Conflict):
    code = "sessions_in_venue_rooms"
    message = "{count} session(s) are in rooms of the current venue; clear their rooms first"
    field = "venue_id"


class TrackNameTaken(Conflict):
    code = "track_name_taken"
    message = "This event already has a track called '{name}'"
    field = "name"


class SessionEndsBeforeStart(InvalidInput):
    code = "session_ends_before_start"
    message = "The session must end after it starts"
    field = "ends_at"


class SessionStartsBeforeEvent(InvalidInput):
    code = "session_starts_before_event"
    message = "The session starts before the event does (the event runs {window})"
    field = "starts_at"


class SessionEndsAfterEvent(InvalidInput):
    code = "session_ends_after_event"
    message = "The session ends after the event does (the event runs {window})"
    field = "ends_at"


class UnknownTrack(InvalidInput):
    code = "unknown_track"
    message = "There is no track {track} in this event"
    field = "track_id"


class RoomNotAtVenue(InvalidInput):
    code = "room_not_at_venue"
    message = "Room {room} is not at this event's venue"
    field = "room_id"


class CapacityOverRoom(InvalidInput):
    code = "capacity_over_room"
    message = "{room} holds {capacity}; the capacity cannot be more"
    field = "capacity"


class RoomClash(Conflict):
    code = "room_clash"
    message = "{room} is already booked for '{title}' from {starts} to {ends}"
    field = "room_id"
    session_id: int | None = None  # the session already there, so a page can link to it


class SpeakerListedTwice(InvalidInput):
    code = "speaker_listed_twice"
    message = "A speaker is listed twice"
    field = "speakers"


class UnknownSpeaker(InvalidInput):
    code = "unknown_speaker"
    message = "There is no speaker with id {id}"
    field = "speakers"


class SeriesInUse(InUse):
    message = "'{title}' still has events; move or delete them first"
    field = "slug"


class RoomNamesRepeated(Conflict):
    code = "room_names_repeated"
    message = "Two rooms have the same name"
    field = "rooms"


class VenueInUse(InUse):
    message = "Events are held at {venue}; move them first"
    field = "venue_id"


class RoomNameTaken(Conflict):
    code = "room_name_taken"
    message = "This venue already has a room called '{name}'"
    field = "name"


class RoomInUse(InUse):
    message = "Sessions are timetabled in {room}; move them first"
    field = "room_id"


class RoomSmallerThanSession(Conflict):
    code = "room_smaller_than_session"
    message = "'{title}' in {room} takes {capacity} people; give it fewer places or another room first"
    field = "capacity"


class SessionNotAtEvent(Conflict):
    """Checked by check-in and by session booking, which name their own field."""

    code = "session_not_at_event"
    message = "There is no session {id} at this event"
