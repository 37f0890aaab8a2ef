"""Retention: delegates with no activity for RETENTION_MONTHS (default 36) are anonymised, by a daily job of the
scheduler and by `events-app retention --dry-run | --apply`.

Activity is a registration for an event that ended within the period, or a registration created or changed within
it (and, for a record with no registration, its own creation). Anonymising goes through the one erasure there is
(registration.my_changes.erase_delegate): the person's name, address and answers go; their registrations stay with
the group, organisation and region they were made as, so every past report reads the same figures afterwards.
Each run is recorded (retention_run) with the delegate ids it anonymised, and each registration's history says why."""

from __future__ import annotations

import asyncio
import calendar
import contextlib
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from events_app.core.settings import Settings
from events_app.core.timezones import utc_now
from events_app.people.tables import Delegate
from events_app.registration import places
from events_app.registration.my_changes import erase_delegate
from events_app.registration.tables import Registration
from events_app.retention.tables import RetentionRun

logger = logging.getLogger(__name__)

Trigger = Literal["scheduler", "command"]
RETENTION = places.SYSTEM  # anonymised by the system; the history's "retention" entry says why
DAILY = timedelta(hours=23)  # a little under a day, so a job checked hourly runs once each day
CHECK_EVERY_SECONDS = 3600.0


@dataclass(frozen=True, slots=True)
class Inactive:
    delegate_id: int
    last_activity: datetime


@dataclass(frozen=True, slots=True)
class RetentionReport:
    months: int
    cutoff: datetime
    delegates: list[Inactive]  # past the period when the run began
    applied: bool
    anonymised: list[int] = field(default_factory=list)  # by this run (others may have erased some first)


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (31 March less one month is 28 or 29 February)."""
    years, month_index = divmod(moment.month - 1 - months, 12)
    year, month = moment.year + years, month_index + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


async def inactive_delegates(months: int, now: datetime | None = None) -> tuple[datetime, list[Inactive]]:
    """The cut-off, and every delegate not yet erased whose last activity is before it (oldest first)."""
    cutoff = months_before(now or utc_now(), months)
    last: dict[int, datetime] = {
        row["id"]: row["created_at"]
        for row in await Delegate.select(Delegate.id, Delegate.created_at).where(Delegate.erased_at.is_null())
    }
    rows = await Registration.select(
        Registration.delegate,
        Registration.created_at,
        Registration.updated_at,
        Registration.event.ends_at.as_alias("ends_at"),
    ).where(Registration.delegate.erased_at.is_null())
    for row in rows:
        delegate_id = row["delegate"]
        latest = max(row["created_at"], row["updated_at"], row["ends_at"])
        if delegate_id in last and latest > last[delegate_id]:
            last[delegate_id] = latest
    inactive = [Inactive(delegate_id, at) for delegate_id, at in last.items() if at < cutoff]
    return cutoff, sorted(inactive, key=lambda d: (d.last_activity, d.delegate_id))


async def _anonymise(delegate_id: int, months: int) -> bool:
    """Erase one delegate and say why in each registration's history; False when someone else (another worker's
    run, the person themselves) erased them first."""
    if await Delegate.exists().where((Delegate.id == delegate_id) & Delegate.erased_at.is_not_null()):
        return False
    await erase_delegate(delegate_id, RETENTION)
    registrations = await Registration.select(Registration.id).where(Registration.delegate == delegate_id)
    for registration in registrations:
        await places.record(
            registration["id"], "retention", f"anonymised after {months} months without activity", RETENTION
        )
    return True


async def run(months: int, *, apply: bool, trigger: Trigger, now: datetime | None = None) -> RetentionReport:
    """Find the delegates past the period; with `apply`, anonymise each and record the run."""
    started = utc_now()
    cutoff, inactive = await inactive_delegates(months, now)
    if not apply:
        return RetentionReport(months, cutoff, inactive, applied=False)
    run_row = await RetentionRun.insert(
        RetentionRun(trigger=trigger, started_at=started, months=months, cutoff=cutoff)
    ).returning(RetentionRun.id)
    done: list[int] = []
    for delegate in inactive:
        if await _anonymise(delegate.delegate_id, months):
            done.append(delegate.delegate_id)
    await RetentionRun.update(
        {
            RetentionRun.finished_at: utc_now(),
            RetentionRun.anonymised: len(done),
            RetentionRun.delegate_ids: json.dumps(done),
        }
    ).where(RetentionRun.id == run_row[0]["id"])
    return RetentionReport(months, cutoff, inactive, applied=True, anonymised=done)


async def run_if_due(settings: Settings, now: datetime | None = None) -> RetentionReport | None:
    """The scheduler's daily job: run unless retention is off or the scheduler ran it within the last day."""
    if settings.retention_months is None:
        return None
    now = now or utc_now()
    recent = await RetentionRun.exists().where(
        (RetentionRun.trigger == "scheduler") & (RetentionRun.started_at > now - DAILY)
    )
    if recent:
        return None
    return await run(settings.retention_months, apply=True, trigger="scheduler", now=now)


async def run_daily(settings: Settings, stop: asyncio.Event) -> None:
    """Check once an hour, run once a day, until stopped (beside the mail sender, in `serve` and `worker`)."""
    while not stop.is_set():
        try:
            report = await run_if_due(settings)
            if report is not None and report.delegates:
                logger.info(
                    "Retention: anonymised %s delegates inactive since %s", len(report.delegates), report.cutoff
                )
        except Exception:
            logger.exception("Retention: unexpected error; trying again in an hour")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=CHECK_EVERY_SECONDS)
