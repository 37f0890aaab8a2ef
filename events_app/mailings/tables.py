"""Network mailings: an organiser's message to past delegates across events, one row per mailing sent."""

from piccolo.apps.user.tables import BaseUser
from piccolo.columns import JSON, ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class Mailing(Table, tablename="mailing"):
    """What was sent, to whom (the filters, as chosen, and the sender's scope), by whom and when, and how many it
    reached. `key` is made when the organiser previews: sending twice with one key (a double click) sends once."""

    id: Serial
    key = Varchar(length=64, unique=True)
    subject = Varchar(length=200)
    body = Text()
    filters = JSON(default="{}")
    scope = JSON(default="{}")
    created_by = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    created_by_name = Varchar(length=200, default="")
    created_at = Timestamptz()
    recipients = Integer(default=0)
    left_out = Integer(default=0)
