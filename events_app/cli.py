"""The `events-app` command: serve, migrate, demo, worker, retention, create-organiser, export, import."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import click

from events_app.core.settings import get_settings, settings_in_use

T = TypeVar("T")


def run_with_db(work: Callable[[], Awaitable[T]]) -> T:
    """Run one piece of async work with the database pool open (PostgreSQL) for its duration."""
    from events_app.core import database

    settings = get_settings()

    async def runner() -> T:
        with settings_in_use(settings):  # every service this command calls uses the settings it loaded
            await database.open_pool(settings)
            try:
                return await work()
            finally:
                await database.close_pool()

    return asyncio.run(runner())


@click.group()
@click.option("--verbose", is_flag=True, help="Log debug messages.")
def main(verbose: bool) -> None:
    """events_app: programme, registration and check-in for the network's events."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        get_settings()  # a setting that cannot work (a short secret key ...) stops every command, plainly
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Worker processes.")
@click.option("--reload", is_flag=True, help="Restart on code changes (development).")
def serve(host: str, port: int, workers: int, reload: bool) -> None:
    """Serve the application with uvicorn (put a reverse proxy with HTTPS in front in production)."""
    import uvicorn

    from events_app.core.settings import SERVED_URL, served_url

    # Without BASE_URL, links in mail name the address served here (the worker processes inherit it).
    os.environ[SERVED_URL] = served_url(host, port)
    get_settings.cache_clear()

    uvicorn.run(
        "events_app.app:create_served_app",
        factory=True,
        host=host,
        port=port,
        workers=None if reload else workers,
        reload=reload,
        proxy_headers=True,
        forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        log_level=get_settings().log_level.lower(),
    )


@main.command()
def migrate() -> None:
    """Apply every Piccolo migration that has not run yet, and add the standard stakeholder groups that are
    missing (registration needs them). Safe to repeat."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from events_app.people.services import ensure_default_groups

    result = run_with_db(lambda: run_forwards(app_name="all", migration_id="all", fake=False))
    if not result.success:
        raise click.ClickException(f"Migrations failed: {result.message}")
    run_with_db(ensure_default_groups)
    click.echo("Database is up to date.")


@main.command()
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the database already has events.")
def demo(if_empty: bool) -> None:
    """Fill an empty database with a realistic programme and an admin account."""
    from events_app import demo as demo_data

    async def work() -> str | None:
        if await demo_data.has_events():
            return None
        return await demo_data.load()

    password = run_with_db(work)
    if password is None:
        if if_empty:
            click.echo("The database already has events; demo data not loaded.")
            return
        raise click.ClickException("The database already has events; `demo` only fills an empty database.")
    click.echo("Demo programme loaded.")
    click.echo(f"Admin account: {demo_data.ADMIN_EMAIL}")
    click.echo(f"Password (shown once, keep it): {password}")
    click.echo(
        "Sign in at /organiser/sign-in; the dashboard (/organiser) leads to the series, events, timetables, "
        "venues, speakers, organisations and stakeholder groups."
    )


@main.command()
@click.option("--until-empty", is_flag=True, help="Deliver what is due now, then exit (for cron or scripts).")
def worker(until_empty: bool) -> None:
    """Deliver the email outbox, queue reminders and feedback requests when they are due, and run the daily
    retention job (RETENTION_MONTHS). Any number of workers may run side by side; each message goes once."""
    import signal

    from events_app.mail import worker as mail_worker
    from events_app.programme.reactions import registry
    from events_app.reactions import register_reactions
    from events_app.registration import schedule
    from events_app.retention import services as retention

    settings = get_settings()
    register_reactions(registry)  # the same reactions as the service, should this process change the programme

    async def deliver_once() -> None:
        scheduled = await schedule.tick(settings.mail)
        if scheduled:
            click.echo(f"Queued {scheduled} scheduled messages (reminders, feedback requests).")
        retained = await retention.run_if_due(settings)
        if retained is not None and retained.anonymised:
            click.echo(f"Anonymised {len(retained.anonymised)} delegates with no activity (retention).")
        report = await mail_worker.deliver_due(settings.mail)
        click.echo(f"Sent {report.sent}, to retry {report.retried}, failed {report.failed}.")
        if report.server_unavailable:
            click.echo(f"Mail server unavailable: {report.errors[-1]}", err=True)

    async def deliver_forever() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        target = (
            f"{settings.mail.smtp_host}:{settings.mail.smtp_port}"
            if settings.mail.uses_smtp
            else (f".eml files in {settings.mail.outbox_dir}/")
        )
        click.echo(f"Delivering mail to {target}; Ctrl+C to stop.")
        await asyncio.gather(
            mail_worker.run(settings.mail, stop), schedule.run(settings.mail, stop), retention.run_daily(settings, stop)
        )

    run_with_db(deliver_once if until_empty else deliver_forever)


@main.command("retention")
@click.option(
    "--dry-run", "mode", flag_value="dry-run", help="List who would be anonymised (ids only); change nothing."
)
@click.option("--apply", "mode", flag_value="apply", help="Anonymise them, and print how many.")
def retention_command(mode: str | None) -> None:
    """Anonymise delegates with no activity for RETENTION_MONTHS (registrations for events that ended, or made or
    changed, within it). The scheduler does this daily; past reports keep their figures."""
    from events_app.programme.reactions import registry
    from events_app.reactions import register_reactions
    from events_app.retention import services as retention

    if mode is None:
        raise click.UsageError("Say --dry-run (list who, change nothing) or --apply (anonymise them).")
    months = get_settings().retention_months
    if months is None:
        click.echo("RETENTION_MONTHS is off: nobody is anonymised for want of activity.")
        return
    register_reactions(registry)  # erasure's steps in every domain (feedback detaches answers), as in the service
    report = run_with_db(lambda: retention.run(months, apply=mode == "apply", trigger="command"))
    since = f"{report.cutoff:%Y-%m-%d}"
    if report.applied:
        click.echo(f"Anonymised {len(report.anonymised)} delegates with no activity since {since} ({months} months).")
        return
    click.echo(f"{len(report.delegates)} delegates have had no activity since {since} ({months} months):")
    for delegate in report.delegates:
        click.echo(f"  delegate {delegate.delegate_id}: last activity {delegate.last_activity:%Y-%m-%d}")
    click.echo("Nothing changed (dry run); --apply anonymises them.")


@main.command("create-organiser")
@click.option("--email", required=True, help="Sign-in email address.")
@click.option("--name", required=True, help="Full name.")
@click.option(
    "--role",
    type=click.Choice(["admin", "organiser", "checkin"]),
    default="organiser",
    show_default=True,
    help="admin manages accounts; organiser edits the programme; checkin scans tickets.",
)
@click.option(
    "--password", help="At least 12 characters. Leave out to be asked, or to have one generated with --generate."
)
@click.option("--generate", is_flag=True, help="Generate a strong password and print it once.")
def create_organiser(email: str, name: str, role: str, password: str | None, generate: bool) -> None:
    """Create an organiser account."""
    from events_app.accounts import services
    from events_app.accounts.roles import Role
    from events_app.accounts.schemas import OrganiserCreate
    from events_app.core.errors import DomainError
    from events_app.core.validation import check

    if generate:
        password = secrets.token_urlsafe(15)
    elif password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    values = {"email": email, "name": name, "role": role, "password": password}
    labels = {"email": "--email", "name": "--name", "role": "--role", "password": "The password"}
    try:
        data = check(values, OrganiserCreate, labels)
        organiser = run_with_db(lambda: services.create_organiser(data))
    except DomainError as exc:
        raise click.ClickException(exc.detail) from exc
    click.echo(f"Created {Role(organiser.role).label} account for {organiser.email}.")
    if generate:
        click.echo(f"Password (shown once, keep it): {password}")


@main.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, allow_dash=True, path_type=Path))
def export_command(path: Path) -> None:
    """Write the whole database (all but sign-in sessions) to PATH, a gzip-compressed JSON Lines file; `-` writes
    to standard output. The file holds personal data: keep it safe."""
    from events_app import backup

    to_stdout = str(path) == "-"
    if to_stdout and sys.stdout.isatty():
        raise click.ClickException("The export is compressed binary: redirect standard output to a file or a pipe.")
    try:
        if to_stdout:
            summary = run_with_db(lambda: backup.export_database(sys.stdout.buffer))
        else:
            with backup.private_file(path) as stream:
                summary = run_with_db(lambda: backup.export_database(stream))
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    for line in backup.describe(summary, "Exported"):
        click.echo(line, err=to_stdout)


@main.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--replace", is_flag=True, help="Delete everything the database holds first (in the same transaction).")
def import_command(path: Path, replace: bool) -> None:
    """Load a file made by `export` into a migrated, empty database (run `events-app migrate` first), in one
    transaction: on any error nothing is written. Everyone signed in must sign in again."""
    from events_app import backup

    try:
        if str(path) == "-":
            summary = run_with_db(lambda: backup.import_database(sys.stdin.buffer, replace=replace))
        else:
            with path.open("rb") as stream:
                summary = run_with_db(lambda: backup.import_database(stream, replace=replace))
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    for line in backup.describe(summary, "Imported"):
        click.echo(line)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
