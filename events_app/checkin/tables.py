"""Check-ins: one row per check-in, never deleted; an undo is recorded on the row."""

from piccolo.apps.user.tables import BaseUser
from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Timestamptz, Varchar
from piccolo.table import Table

from events_app.programme.tables import Event, Session
from events_app.registration.tables import Registration


class CheckIn(Table, tablename="check_in"):
    """A delegate let in at the door of the event (`session` empty) or of a workshop. `client_id` is the
    scanner's own id for the scan, so a scan synced twice counts once."""

    id: Serial
    event = ForeignKey(Event, null=False, on_delete=OnDelete.restrict, index=True)
    registration = ForeignKey(Registration, null=False, on_delete=OnDelete.cascade, index=True)
    session = ForeignKey(Session, null=True, on_delete=OnDelete.restrict, index=True)
    at = Timestamptz(index=True)
    by = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    method = Varchar(length=20, default="scan")  # scan, search, offline
    client_id = Varchar(length=64, null=True, default=None, unique=True)
    undone_at = Timestamptz(null=True, default=None)
    undone_by = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)


class RefusedScan(Table, tablename="refused_scan"):
    """A scan the door did not let through (an invalid code, a ticket for another event, a place not confirmed,
    the wrong door, a second scan of someone inside), kept so the door's whole story is on record. `door` is the
    door's name when the scan was made; `registration` is empty when the code named nobody of this event."""

    id: Serial
    event = ForeignKey(Event, null=False, on_delete=OnDelete.cascade, index=True)
    registration = ForeignKey(Registration, null=True, on_delete=OnDelete.set_null, index=True)
    session = ForeignKey(Session, null=True, on_delete=OnDelete.set_null)
    door = Varchar(length=200, default="")
    reason = Varchar(length=30)  # the answer's code: invalid, other_event, not_confirmed, not_booked ...
    at = Timestamptz(index=True)
    by = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    method = Varchar(length=20, default="scan")  # scan, search, offline
    client_id = Varchar(length=64, null=True, default=None, unique=True)


class DoorMovement(Table, tablename="door_movement"):
    """Where an event records check-out: a delegate already checked in going out ("out") or back in ("in") at
    the door of the event (`session` empty) or of a workshop. The first entry stays the check-in row."""

    id: Serial
    event = ForeignKey(Event, null=False, on_delete=OnDelete.restrict, index=True)
    registration = ForeignKey(Registration, null=False, on_delete=OnDelete.cascade, index=True)
    session = ForeignKey(Session, null=True, on_delete=OnDelete.restrict)
    direction = Varchar(length=3)  # out, in
    at = Timestamptz(index=True)
    by = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    method = Varchar(length=20, default="scan")
    client_id = Varchar(length=64, null=True, default=None, unique=True)


class OnlineAttendance(Table, tablename="online_attendance"):
    """A registered delegate who joined an online or hybrid event (`session` empty) or a session with its own
    join link, through their own /join/{token} link or as recorded from a meeting platform's attendance export.
    One row per registration and event or session (`key`): joins are counted, first and last times kept."""

    id: Serial
    key = Varchar(length=40, unique=True)  # "<registration id>:<session id or 0>"
    event = ForeignKey(Event, null=False, on_delete=OnDelete.restrict, index=True)
    registration = ForeignKey(Registration, null=False, on_delete=OnDelete.cascade, index=True)
    session = ForeignKey(Session, null=True, on_delete=OnDelete.restrict, index=True)
    first_joined_at = Timestamptz()
    last_joined_at = Timestamptz()
    joins = Integer(default=1)
    source = Varchar(length=20, default="link")  # link, import
    minutes = Integer(null=True, default=None)  # from a platform's export, where it gives a duration
    by = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)  # the organiser who imported it
