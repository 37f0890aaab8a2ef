"""The public impact page's switch: one row per change (on or off, when, by whom), never overwritten; the
latest row is the page's state. No row: off."""

from piccolo.apps.user.tables import BaseUser
from piccolo.columns import Boolean, ForeignKey, OnDelete, Serial, Timestamptz
from piccolo.table import Table


class PublicImpactSwitch(Table, tablename="public_impact_switch"):
    id: Serial
    public = Boolean(default=False)
    at = Timestamptz(index=True)
    by = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
