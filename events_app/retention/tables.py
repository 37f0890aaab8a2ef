"""The record of each retention run: when, by what, the cut-off, and which delegates it anonymised."""

from piccolo.columns import JSON, Integer, Serial, Timestamptz, Varchar
from piccolo.table import Table


class RetentionRun(Table, tablename="retention_run"):
    """One run of the retention rule (`trigger`: scheduler or command). `delegate_ids` names the records it
    anonymised (ids only: the people themselves are gone)."""

    id: Serial
    trigger = Varchar(length=20)
    started_at = Timestamptz()
    finished_at = Timestamptz(null=True, default=None)
    months = Integer()
    cutoff = Timestamptz()
    anonymised = Integer(default=0)
    delegate_ids = JSON(default="[]")
