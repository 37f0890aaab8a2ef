"""Check-ins: one row per check-in, never deleted; an undo is recorded on the row."""

from piccolo.apps.user.tables import BaseUser
from piccolo.columns import ForeignKey, OnDelete, Serial, Timestamptz, Varchar
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
