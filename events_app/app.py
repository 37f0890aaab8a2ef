"""create_app(): the Litestar application, wired by one plugin in small steps."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from litestar import Litestar, MediaType, Response, get
from litestar.config.app import AppConfig
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.logging import LoggingConfig
from litestar.middleware.base import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import YamlRenderPlugin
from litestar.plugins import InitPluginProtocol
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig
from litestar.types import ASGIApp, Receive, Scope, Send

from events_app.accounts.api import AuthController, OrganiserController
from events_app.accounts.guards import OrganiserSessionMiddleware
from events_app.accounts.pages import AccountPages
from events_app.badges.pages import BadgePages
from events_app.calendar.feeds import FeedMaterials
from events_app.calendar.pages import CalendarFeeds
from events_app.certificates import services as certificates
from events_app.certificates.pages import CertificatePages
from events_app.checkin.api import AttendanceController, CheckInController, CheckInUndoController
from events_app.checkin.pages import CheckInPages
from events_app.checkin.pages_join import JoinPages
from events_app.checkin.pages_online import OnlineAttendancePages
from events_app.core import calendar_links, database, logs, stores, templating
from events_app.core.api import refuse_nul_characters
from events_app.core.api_reference import ApiReference
from events_app.core.compression import compression_config
from events_app.core.errors import error_handler
from events_app.core.request import BodyCheckedRequest
from events_app.core.security import api_write_guard, rate_limit_middleware, security_headers_hook
from events_app.core.settings import Settings, get_settings, settings_in_use
from events_app.core.static import StaticFiles, static_router
from events_app.feedback.api import (
    EventFeedbackFormController,
    FeedbackAnswerController,
    FeedbackQuestionController,
    FeedbackResultsController,
    SeriesFeedbackTemplateController,
)
from events_app.feedback.pages import FeedbackPages, FeedbackResultPages
from events_app.feedback.pages_requests import FeedbackRequestPages
from events_app.hub.api import ResourceController, ResourceThemeController
from events_app.hub.calls.pages import CallPages
from events_app.hub.calls.pages_organiser import OrganiserCallOfPages, OrganiserCallPages
from events_app.hub.calls.pages_questions import CallQuestionPages
from events_app.hub.materials import pages as material_pages
from events_app.hub.materials import pages_resources as resource_material_pages
from events_app.hub.materials import services as materials
from events_app.hub.materials.api import EventMaterialController, MaterialController, SessionMaterialController
from events_app.hub.pages import HubPages
from events_app.hub.pages_organiser import OrganiserResourcePages
from events_app.impact.api import ImpactController
from events_app.impact.pages import ImpactPages
from events_app.mail import worker as mail_worker
from events_app.mail.api import OutboxController
from events_app.mail.pages import OutboxPages
from events_app.mailings.api import MailingController
from events_app.mailings.pages import OrganiserMailingPages, UnsubscribePages
from events_app.organiser.pages_accounts import OrganiserAccountPages
from events_app.organiser.pages_dashboard import OrganiserDashboard
from events_app.organiser.pages_events import OrganiserEventPages
from events_app.organiser.pages_passwords import PasswordPages
from events_app.organiser.pages_people import OrganiserPeoplePages
from events_app.organiser.pages_places import OrganiserPlacePages
from events_app.organiser.pages_questions import FeedbackQuestionPages, RegistrationQuestionPages
from events_app.organiser.pages_scopes import OrganiserScopePages
from events_app.organiser.pages_season import OrganiserSeasonPages
from events_app.organiser.pages_settings import OrganiserSettingsPages
from events_app.organiser.pages_timetable import MaterialCounts, OrganiserTimetablePages
from events_app.people.api import OrganisationController, RegionController, StakeholderGroupController
from events_app.programme.api import (
    EventController,
    RoomController,
    SeriesController,
    SessionController,
    SpeakerController,
    TrackController,
    VenueController,
)
from events_app.programme.availability import PlacesTaken
from events_app.programme.page_cache import PublicPages
from events_app.programme.pages import ProgrammePages, PublicMaterials
from events_app.programme.reactions import registry as reactions_registry
from events_app.reactions import register_reactions
from events_app.registration import attendance
from events_app.registration import schedule as mail_schedule
from events_app.registration.api import (
    DelegateController,
    EventRegistrationController,
    ManageController,
    QuestionController,
    RegistrationController,
)
from events_app.registration.pages_delegate import CertificatesReady, DelegateMaterials, RegistrationPages
from events_app.registration.pages_organiser import OrganiserRegistrationPages
from events_app.registration.pages_owner import OwnerPages
from events_app.retention import services as retention
from events_app.season.api import SeasonController

logger = logging.getLogger(__name__)
PACKAGE = Path(__file__).resolve().parent
UNAUTHENTICATED_PATHS = ["^/static/", "^/healthz$", "^/schema"]
# Forms without the CSRF token: the JSON API (core.security guards it) and reading pages. Litestar searches
# anywhere in the path, so each is anchored: /organiser/events/static-electricity/... or an event whose slug is
# "api" still need the token.
# /unsubscribe/{token}: the signed link is the key, and mail programs' one-click POST (RFC 8058) carries no token.
# Calendar feeds (.ics) take no form: no CSRF cookie on them either, so a shared cache may keep them.
CSRF_EXEMPT_PATHS = ["^/api/", "^/schema(?:/|$)", "^/healthz$", "^/static/", "^/unsubscribe/", r"\.ics$"]


@get("/healthz", include_in_schema=False, media_type=MediaType.JSON)
async def healthz() -> Response[dict[str, str]]:
    """200 when the database answers, 503 when it does not."""
    try:
        await database.ping()
    except Exception:
        logger.exception("Health check: the database did not answer")
        return Response({"status": "unavailable", "database": "error"}, status_code=503)
    return Response({"status": "ok", "database": "ok"})


def provide_settings(state: State) -> Settings:
    """The settings create_app was given, for handlers that take a `settings` parameter."""
    settings: Settings = state.settings
    return settings


def _settings_middleware(settings: Settings) -> Any:
    """Everything a request runs (services, emails, templates) uses the settings this app was created with."""

    def middleware(app: ASGIApp) -> ASGIApp:
        async def with_settings(scope: Scope, receive: Receive, send: Send) -> None:
            with settings_in_use(settings):
                await app(scope, receive, send)

        return with_settings

    return middleware


def _places_taken() -> PlacesTaken:
    return attendance.places_taken


def _certificates_ready() -> CertificatesReady:
    return certificates.downloadable


async def _public_materials(event_id: int) -> object:
    return await materials.event_materials(event_id, "public")


def _public_pages() -> Callable[[], PublicMaterials]:
    pages = PublicPages(_public_materials, materials.FEED_MATERIALS.event_version)  # one per app: its own cache

    def provide() -> PublicMaterials:
        return pages

    return provide


def _delegate_materials() -> DelegateMaterials:
    return materials.delegate_materials


def _feed_materials() -> FeedMaterials:
    return materials.FEED_MATERIALS


def _material_counts() -> MaterialCounts:
    return materials.material_counts


class EventsAppCore(InitPluginProtocol):
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.static_files = StaticFiles(PACKAGE / "static")  # read once: names carry hashes of the content

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        self._configure_settings(app_config)
        self._configure_routes(app_config)
        self._configure_security(app_config)
        self._configure_templates(app_config)
        self._configure_errors(app_config)
        self._configure_lifespan(app_config)
        # Registration's reactions to programme changes (cancel, tell, promote): wired here, not by imports.
        register_reactions(reactions_registry)
        self._configure_dependencies(app_config)
        self._configure_links(app_config)
        app_config.openapi_config = OpenAPIConfig(
            title="events_app API",
            version="0.1.0",
            path="/schema",
            description="Programme, people, accounts and the email outbox.",
            # Swagger UI from this site's own files (no CDN), at /schema and /schema/swagger; the schema itself
            # at /schema/openapi.json (added by Litestar) and /schema/openapi.yaml.
            render_plugins=[ApiReference(self.static_files.url), YamlRenderPlugin()],
        )
        app_config.logging_config = LoggingConfig(
            root={"level": self.settings.log_level, "handlers": ["queue_listener"]},
            log_exceptions="debug",
        )
        logs.redact_tokens_in_log_records()  # the access log and the app's own never show people's tokens
        return app_config

    def _configure_settings(self, app_config: AppConfig) -> None:
        app_config.state = State({**app_config.state, "settings": self.settings})
        app_config.dependencies["settings"] = Provide(provide_settings, sync_to_thread=False)
        app_config.middleware.insert(0, _settings_middleware(self.settings))

    def _configure_dependencies(self, app_config: AppConfig) -> None:
        """What a lower domain's pages need from a higher one, handed down here: the programme's event page
        shows the Register button by the count of places that registration keeps."""
        app_config.dependencies["places_taken"] = Provide(_places_taken, sync_to_thread=False)
        # The delegate's page links to the certificates of the events they attended (certificates/).
        app_config.dependencies["certificates_ready"] = Provide(_certificates_ready, sync_to_thread=False)
        # The event page and the delegate's page show materials, which the hub keeps (hub/materials).
        app_config.dependencies["public_materials"] = Provide(_public_pages(), sync_to_thread=False)
        app_config.dependencies["delegate_materials"] = Provide(_delegate_materials, sync_to_thread=False)
        # The event's feed and the delegate's own feed attach the materials they may open.
        app_config.dependencies["feed_materials"] = Provide(_feed_materials, sync_to_thread=False)
        # The organisers' timetable links each session to its materials, with a count.
        app_config.dependencies["material_counts"] = Provide(_material_counts, sync_to_thread=False)

    def _configure_routes(self, app_config: AppConfig) -> None:
        app_config.route_handlers.extend(
            [
                healthz,
                static_router(self.static_files),
                ProgrammePages,
                AccountPages,
                OrganiserDashboard,
                OrganiserEventPages,
                OrganiserTimetablePages,
                OrganiserPlacePages,
                OrganiserPeoplePages,
                OrganiserAccountPages,
                PasswordPages,
                OrganiserSettingsPages,
                RegistrationQuestionPages,
                FeedbackQuestionPages,
                OrganiserScopePages,
                AuthController,
                OrganiserController,
                EventController,
                SessionController,
                TrackController,
                SpeakerController,
                SeriesController,
                VenueController,
                RoomController,
                StakeholderGroupController,
                RegionController,
                OrganisationController,
                OutboxController,
                OutboxPages,
                EventRegistrationController,
                ManageController,
                RegistrationController,
                QuestionController,
                DelegateController,
                RegistrationPages,
                OwnerPages,
                OrganiserRegistrationPages,
                BadgePages,
                CertificatePages,
                CalendarFeeds,
                CheckInController,
                CheckInUndoController,
                AttendanceController,
                CheckInPages,
                JoinPages,
                OnlineAttendancePages,
                EventFeedbackFormController,
                FeedbackQuestionController,
                SeriesFeedbackTemplateController,
                FeedbackAnswerController,
                FeedbackPages,
                FeedbackResultsController,
                FeedbackResultPages,
                FeedbackRequestPages,
                SeasonController,
                OrganiserSeasonPages,
                ImpactController,
                ImpactPages,
                CallPages,
                OrganiserCallPages,
                OrganiserCallOfPages,
                CallQuestionPages,
                MailingController,
                OrganiserMailingPages,
                UnsubscribePages,
                material_pages.MaterialFiles,
                material_pages.OrganiserMaterialPages,
                material_pages.SpeakerMaterialPages,
                *material_pages.upload_controllers(self.settings.materials.upload_body_bytes),
                resource_material_pages.OrganiserResourceMaterialPages,
                resource_material_pages.upload_controller(self.settings.materials.upload_body_bytes),
                EventMaterialController,
                SessionMaterialController,
                MaterialController,
                ResourceController,
                ResourceThemeController,
                HubPages,
                OrganiserResourcePages,
            ]
        )

    def _configure_security(self, app_config: AppConfig) -> None:
        # Forms carry a CSRF token (csrf_config below); the API, which takes JSON, refuses other sites' pages.
        app_config.middleware.append(api_write_guard)
        app_config.middleware.extend(rate_limit_middleware(self.settings))
        app_config.middleware.append(DefineMiddleware(OrganiserSessionMiddleware, exclude=UNAUTHENTICATED_PATHS))
        app_config.before_send.append(security_headers_hook(self.settings))
        # Compressed answers (brotli or gzip) for what is worth it; see core/compression.py on BREACH.
        app_config.compression_config = compression_config()
        # Every page and API handler: text with U+0000 (PostgreSQL cannot store it) is a 400 naming the field.
        app_config.before_request = refuse_nul_characters
        # A body its parsers cannot take (JSON nested too deeply, a form that is not text) is a 400, not a 500.
        app_config.request_class = BodyCheckedRequest
        app_config.csrf_config = CSRFConfig(
            secret=self.settings.secret_key,
            cookie_secure=self.settings.cookie_secure,
            cookie_samesite="lax",
            cookie_httponly=True,
            exclude=CSRF_EXEMPT_PATHS,
        )

    def _configure_templates(self, app_config: AppConfig) -> None:
        static_files = self.static_files

        def configure(engine: JinjaTemplateEngine) -> None:
            templating.configure(engine)
            engine.engine.globals["static_url"] = static_files.url

        app_config.template_config = TemplateConfig(
            directory=PACKAGE / "templates", engine=JinjaTemplateEngine, engine_callback=configure
        )

    def _configure_errors(self, app_config: AppConfig) -> None:
        app_config.exception_handlers[Exception] = error_handler

    def _configure_links(self, app_config: AppConfig) -> None:
        # Without BASE_URL, links in pages and feeds name the address the request came to (mail does not).
        if self.settings.links_follow_requests:
            app_config.middleware.insert(0, calendar_links.follow_request_address)

    def _configure_lifespan(self, app_config: AppConfig) -> None:
        settings = self.settings

        @asynccontextmanager
        async def database_pool(_: Litestar) -> AsyncIterator[None]:
            with settings_in_use(settings):  # and for the background tasks started after this one
                await database.open_pool(settings)
                try:
                    yield
                finally:
                    await database.close_pool()
                    await stores.close_stores(settings)

        app_config.lifespan.append(database_pool)
        if settings.mail.worker_in_app:
            app_config.lifespan.append(_mail_sender(settings))


def _mail_sender(settings: Settings) -> Any:
    """Deliver the outbox, queue scheduled mail (reminders, feedback requests) and run the daily retention job
    from inside the service; `events-app worker` does the same as a process of its own."""

    @asynccontextmanager
    async def mail_sender(app: Litestar) -> AsyncIterator[None]:
        stop = asyncio.Event()
        tasks = [
            asyncio.create_task(mail_worker.run(settings.mail, stop), name="mail-sender"),
            asyncio.create_task(mail_schedule.run(settings.mail, stop), name="mail-schedule"),
            asyncio.create_task(retention.run_daily(settings, stop), name="retention"),
        ]
        try:
            yield
        finally:
            stop.set()
            late = (await asyncio.wait(tasks, timeout=settings.mail.smtp_timeout + 5))[1]
            for task in late:
                logger.warning("%s did not stop in time; leased messages will be retried", task.get_name())
                task.cancel()

    return mail_sender


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or get_settings()
    # Litestar takes the body limit only here (a plugin's AppConfig change is not read back).
    return Litestar(plugins=[EventsAppCore(settings)], request_max_body_size=settings.max_body_bytes)


def create_served_app() -> Litestar:
    """The application as `events-app serve` runs it: `create_app`, with what it made at start-up (some 180,000
    objects: routes, templates, schemas) frozen out of the cyclic garbage collector's way once it has started.
    Otherwise every full collection walks them all, about 130 ms in which no request is answered: the slowest
    check-ins and registrations of a rush were those (issue 20). Tests build many apps in one process and keep
    `create_app`, whose garbage is then collected as usual."""
    app = create_app()
    app.on_startup.append(_freeze_what_start_up_made)
    return app


def _freeze_what_start_up_made() -> None:
    gc.collect()
    gc.freeze()
