"""The record of badges printed: one row per badge printed (a reprint is a row too), never overwritten."""

from piccolo.apps.user.tables import BaseUser
from piccolo.columns import ForeignKey, OnDelete, Serial, Timestamptz, Varchar
from piccolo.table import Table

from events_app.registration.tables import Registration


class BadgePrint(Table, tablename="badge_print"):
    """A registration's badge printed: when, by whom, on which layout. "Not yet printed" is no row."""

    id: Serial
    registration = ForeignKey(Registration, null=False, on_delete=OnDelete.cascade, index=True)
    printed_at = Timestamptz()
    by = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    layout = Varchar(length=40, default="")
