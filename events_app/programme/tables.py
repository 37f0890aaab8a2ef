"""The programme: series, venues and rooms, events, tracks, sessions and speakers."""

from piccolo.columns import (
    Boolean,
    DoublePrecision,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from events_app.people.tables import Organisation, Region


class Series(Table, tablename="series"):
    """A named run of events (the seminar series, the national forum, a community of practice)."""

    id: Serial
    slug = Varchar(length=120, unique=True)
    title = Varchar(length=200)
    description = Text(default="")
    region = ForeignKey(Region, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Venue(Table, tablename="venue"):
    id: Serial
    name = Varchar(length=200)
    address = Text(default="")
    city = Varchar(length=120, default="")
    postcode = Varchar(length=20, default="")
    latitude = DoublePrecision(null=True, default=None)
    longitude = DoublePrecision(null=True, default=None)
    accessibility = Text(default="")
    created_at = Timestamptz()


class Room(Table, tablename="room"):
    id: Serial
    venue = ForeignKey(Venue, null=False, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=120)
    capacity = Integer(null=True, default=None)
    accessibility = Text(default="")


class Event(Table, tablename="event"):
    """One conference, seminar, forum meeting or community-of-practice meeting. Times in UTC."""

    id: Serial
    slug = Varchar(length=120, unique=True)
    title = Varchar(length=200)
    kind = Varchar(length=40, index=True)
    status = Varchar(length=20, default="draft", index=True)
    summary = Varchar(length=500, default="")
    description = Text(default="")
    timezone = Varchar(length=64, default="Europe/London")
    starts_at = Timestamptz(index=True)
    ends_at = Timestamptz()
    venue = ForeignKey(Venue, null=True, on_delete=OnDelete.restrict, index=True)
    # The meeting's address (online and hybrid events): only those registered reach it, through /join/{token}.
    online_url = Varchar(length=500, default="")
    attendance_mode = Varchar(length=20, default="in_person")  # in_person, online, hybrid
    # Hybrid events: places online (null: unlimited), with a waiting list of their own; `capacity` is the room's.
    online_capacity = Integer(null=True, default=None)
    series = ForeignKey(Series, null=True, on_delete=OnDelete.restrict, index=True)
    capacity = Integer(null=True, default=None)
    waitlist_enabled = Boolean(default=True)
    requires_approval = Boolean(default=False)
    registration_opens_at = Timestamptz(null=True, default=None)
    registration_closes_at = Timestamptz(null=True, default=None)
    sequence = Integer(default=0)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    published_at = Timestamptz(null=True, default=None)
    cancelled_at = Timestamptz(null=True, default=None)
    # Per-event mail settings (null: the site's REMINDERS_BEFORE / FEEDBACK_REQUEST_AFTER). Reminders: durations
    # before the start like "1d,1h", "" for none. Feedback requests: minutes after the end.
    reminder_offsets = Varchar(length=60, null=True, default=None)
    feedback_after = Integer(null=True, default=None)
    email_note = Text(default="")  # added to confirmation and reminder emails: access, parking, what to bring
    confirm_email_hours = Integer(null=True, default=None)  # places held this long for the address's owner to confirm
    check_out = Boolean(default=False)  # the door records exits and lets people back in (people inside now)
    certificates_enabled = Boolean(default=False)  # delegates who attended download a certificate of attendance


class Track(Table, tablename="track"):
    id: Serial
    event = ForeignKey(Event, null=False, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=120)
    description = Text(default="")
    position = Integer(default=0)


class Speaker(Table, tablename="speaker"):
    id: Serial
    slug = Varchar(length=120, unique=True)
    name = Varchar(length=200)
    job_title = Varchar(length=200, default="")
    organisation = ForeignKey(Organisation, null=True, on_delete=OnDelete.set_null, index=True)
    bio = Text(default="")
    # For the organisers only: never on a public page, feed or public API answer.
    contact_email = Varchar(length=254, default="")
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Session(Table, tablename="event_session"):
    """A slot in an event's timetable; a workshop may have a capacity of its own."""

    id: Serial
    event = ForeignKey(Event, null=False, on_delete=OnDelete.cascade, index=True)
    title = Varchar(length=200)
    kind = Varchar(length=20, default="talk")
    status = Varchar(length=20, default="scheduled")
    description = Text(default="")
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    room = ForeignKey(Room, null=True, on_delete=OnDelete.set_null, index=True)
    track = ForeignKey(Track, null=True, on_delete=OnDelete.set_null, index=True)
    capacity = Integer(null=True, default=None)
    sequence = Integer(default=0)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    join_url = Varchar(length=500, default="")  # a session's own meeting address (a parallel online workshop)


class SessionSpeaker(Table, tablename="session_speaker"):
    """Who presents a session, in the order they are listed."""

    id: Serial
    session = ForeignKey(Session, null=False, on_delete=OnDelete.cascade, index=True)
    speaker = ForeignKey(Speaker, null=False, on_delete=OnDelete.cascade, index=True)
    position = Integer(default=0)
    role = Varchar(length=20, default="speaker")
