"""Organiser accounts: a Piccolo BaseUser (hashed password) plus a role."""

from piccolo.apps.user.tables import BaseUser
from piccolo.columns import ForeignKey, OnDelete, Serial, Timestamptz, Varchar
from piccolo.table import Table


class Organiser(Table, tablename="organiser"):
    id: Serial
    user = ForeignKey(BaseUser, null=False, unique=True, on_delete=OnDelete.cascade)
    role = Varchar(length=20, default="organiser")
    created_at = Timestamptz()
