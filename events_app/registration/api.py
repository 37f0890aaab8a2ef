"""Registration as JSON: delegates register and manage their own (by the signed link's token);
organisers list, count, export, approve, cancel, promote and ask the form's questions."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, delete, get, patch, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from events_app.accounts.guards import current_organiser, requires_organiser
from events_app.accounts.roles import Role
from events_app.core import calendar_links
from events_app.core.api import ApiController
from events_app.core.csv_export import csv_response
from events_app.core.params import Limit, Offset, PathId, QueryId
from events_app.core.schema import Page
from events_app.people import feeds
from events_app.programme.dependencies import EVENT, REMEMBERED_EVENT, PathEvent
from events_app.programme.rows import EventRow
from events_app.registration import (
    attendance_switch,
    messages,
    my_changes,
    opening,
    organiser_changes,
    questions,
    register,
    reports,
    schemas,
    scoped,
    views,
)
from events_app.registration.places import DELEGATE, Actor

ALREADY_REGISTERED = {
    200: ResponseSpec(schemas.RegistrationResult, description="Already registered: only the status is given")
}
CHECK_INBOX = {
    202: ResponseSpec(
        schemas.RegistrationReceived,
        description="Registered without signing in: 'check your inbox', the same whether or not the address was "
        "known and whatever its state (no status, position, id or ticket)",
        examples=[Example(summary="Check your inbox", value={"message": register.CHECK_INBOX})],
    ),
    **{
        code: ResponseSpec(
            schemas.RegistrationResult,
            description=f"Organisers (signed in, with rights on the event): {words}",
        )
        for code, words in ((201, "the registration"), (200, "already registered: only the status is given"))
    },
}
GroupSlug = Annotated[str | None, QueryParameter(description="stakeholder group slug", max_length=80)]
Search = Annotated[str | None, QueryParameter(description="part of a name or email", max_length=200)]


def _sender_name(request: Request[Any, Any, Any]) -> str:
    organiser = current_organiser(request)
    return (organiser.name or "The organisers") if organiser else "The organisers"


async def _sees_registrations(request: Request[Any, Any, Any], event: EventRow) -> bool:
    """Whether the caller may read this event's registrations anyway: an organiser whose scope holds the event."""
    organiser = current_organiser(request)
    return (
        organiser is not None
        and organiser.role.allows(Role.organiser)
        and await organiser.scope.allows_event_id(event.id)
    )


def organiser_actor(request: Request[Any, Any, Any]) -> Actor:
    organiser = current_organiser(request)
    assert organiser is not None  # the guard ran first
    return Actor(organiser_id=organiser.user_id)


class EventRegistrationController(ApiController):
    """An event's registrations: anyone registers; organisers (guarded per handler) read and add."""

    path = "/api/events/{slug:str}"
    tags = ["registration"]
    dependencies = EVENT

    @post(
        "/registrations",
        status_code=202,
        summary="Register for an event: 'check your inbox' (202); organisers get the registration (201 or 200)",
        responses=CHECK_INBOX,
        dependencies=REMEMBERED_EVENT,
    )
    async def register(
        self, request: Request[Any, Any, Any], event: PathEvent, data: JSONBody[schemas.RegistrationCreate]
    ) -> Response[schemas.RegistrationResult | schemas.RegistrationReceived]:
        result = await register.register(event, data)
        if await _sees_registrations(request, event):
            return Response(result, status_code=201 if result.created else 200)
        return Response(schemas.RegistrationReceived(message=register.CHECK_INBOX), status_code=202)

    @get("/registration", summary="Whether the event takes registrations now, and what its Register button says")
    async def registration_state(self, event: PathEvent) -> schemas.RegistrationState:
        return await opening.registration_state_of(event)

    @get("/questions", summary="The organisers' own questions on an event's registration form")
    async def list_questions(self, event: PathEvent) -> list[schemas.Question]:
        return await questions.list_questions(event.id)

    @get("/registrations", guards=[requires_organiser], summary="Who registered, with filters")
    async def list_registrations(
        self,
        event: PathEvent,
        status: FromQuery[schemas.RegistrationStatus | None] = None,
        group: GroupSlug = None,
        organisation: QueryId = None,
        session: QueryId = None,
        q: Search = None,
        limit: Limit = 50,
        offset: Offset = 0,
        attendance_mode: FromQuery[schemas.AttendanceMode | None] = None,
    ) -> Page[schemas.Registration]:
        filters = reports.RegistrationFilters(status, group, organisation, session, q, attendance_mode)
        return await reports.list_registrations(event, filters, limit=limit, offset=offset)

    @get("/registrations/counts", guards=[requires_organiser], summary="Counts by status and by stakeholder group")
    async def counts(self, event: PathEvent) -> schemas.RegistrationCounts:
        return await reports.counts(event)

    @get(
        "/registrations.csv",
        guards=[requires_organiser],
        summary="Registrations as CSV (UTF-8 with BOM, for Excel)",
        media_type="text/csv",
    )
    async def export(
        self,
        event: PathEvent,
        status: FromQuery[schemas.RegistrationStatus | None] = None,
        group: GroupSlug = None,
        organisation: QueryId = None,
        session: QueryId = None,
        attendance_mode: FromQuery[schemas.AttendanceMode | None] = None,
    ) -> Response[bytes]:
        filename, body = await reports.export_csv(
            event, reports.RegistrationFilters(status, group, organisation, session, attendance_mode=attendance_mode)
        )
        return csv_response(body, filename)

    @post(
        "/registrations/manual",
        guards=[requires_organiser],
        status_code=201,
        summary="Add a registration by hand (capacity rules apply)",
        responses=ALREADY_REGISTERED,
    )
    async def add(
        self, request: Request[Any, Any, Any], event: PathEvent, data: JSONBody[schemas.RegistrationCreate]
    ) -> Response[schemas.RegistrationResult]:
        result = await register.register(event, data, actor=organiser_actor(request))
        return Response(result, status_code=201 if result.created else 200)

    @post("/messages/preview", guards=[requires_organiser], status_code=200, summary="Preview a message to registrants")
    async def preview_message(
        self, request: Request[Any, Any, Any], event: PathEvent, data: JSONBody[messages.OrganiserMessage]
    ) -> messages.MessagePreview:
        return await messages.preview(event, data, _sender_name(request))

    @post("/messages", guards=[requires_organiser], status_code=202, summary="Send a message to registrants")
    async def send_message(
        self, request: Request[Any, Any, Any], event: PathEvent, data: JSONBody[messages.OrganiserMessage]
    ) -> messages.MessageSent:
        organiser = current_organiser(request)
        assert organiser is not None
        return await messages.send(event, data, _sender_name(request), organiser.user_id)

    @post("/questions", guards=[requires_organiser], status_code=201, summary="Add a question to the registration form")
    async def add_question(self, event: PathEvent, data: JSONBody[schemas.QuestionCreate]) -> schemas.Question:
        return await questions.add_question(event, data)


class ManageController(ApiController):
    """The delegate's own registrations, opened by the token of the emailed link (no password)."""

    path = "/api/my"
    tags = ["registration"]

    @post(
        "/link", status_code=202, summary="Email me the link to my registrations (the answer never says if any exist)"
    )
    async def request_link(self, data: JSONBody[schemas.ManageLinkRequest]) -> dict[str, str]:
        await my_changes.request_manage_link(data.email)
        return {"message": "If this address has registrations, a link to manage them is on its way."}

    @get("/{token:str}", summary="My registrations")
    async def mine(self, token: FromPath[str]) -> list[schemas.Registration]:
        delegate = await my_changes.delegate_from_token(token)
        return await my_changes.my_registrations(delegate.id)

    @patch("/{token:str}/registrations/{registration_id:int}", summary="Change my sessions, needs or answers")
    async def update(
        self, token: FromPath[str], registration_id: PathId, data: JSONBody[schemas.RegistrationUpdate]
    ) -> schemas.Registration:
        delegate = await my_changes.delegate_from_token(token)
        return await my_changes.update_my_registration(delegate.id, registration_id, data)

    @post("/{token:str}/registrations/{registration_id:int}/cancel", status_code=200, summary="Cancel my registration")
    async def cancel(self, token: FromPath[str], registration_id: PathId) -> schemas.Registration:
        delegate = await my_changes.delegate_from_token(token)
        return await my_changes.cancel_my_registration(delegate.id, registration_id)

    @post(
        "/{token:str}/registrations/{registration_id:int}/attendance",
        status_code=200,
        summary="Attend a hybrid event the other way (in person or online), under the same capacity rules",
    )
    async def switch_attendance(
        self, token: FromPath[str], registration_id: PathId, data: JSONBody[schemas.ModeSwitch]
    ) -> schemas.Registration:
        delegate = await my_changes.delegate_from_token(token)
        return await attendance_switch.switch_attendance_mode(delegate.id, registration_id, data.attendance_mode)

    @post(
        "/{token:str}/erase",
        status_code=204,
        summary="Erase my personal data (places to come are freed; past ones stay as anonymous counts)",
    )
    async def erase(self, token: FromPath[str]) -> None:
        delegate = await my_changes.delegate_from_token(token)
        await my_changes.erase_delegate(delegate.id, DELEGATE)


class RegistrationController(ApiController):
    path = "/api/registrations"
    tags = ["registration"]
    guards = [requires_organiser]

    @get("/{registration_id:int}", summary="One registration")
    async def get_registration(self, registration_id: PathId) -> schemas.Registration:
        return await views.registration(registration_id)

    @get("/{registration_id:int}/history", summary="Every change to a registration: what, when, by whom")
    async def history(self, registration_id: PathId) -> list[schemas.RegistrationChange]:
        await views.registration(registration_id)
        return await views.history(registration_id)

    @post("/{registration_id:int}/cancel", status_code=200, summary="Cancel a registration (the delegate is told)")
    async def cancel(
        self, request: Request[Any, Any, Any], registration_id: PathId, data: JSONBody[schemas.CancelRequest]
    ) -> schemas.Registration:
        return await organiser_changes.cancel(registration_id, organiser_actor(request), data.reason)

    @post("/{registration_id:int}/promote", status_code=200, summary="Give someone on the waiting list a place now")
    async def promote(self, request: Request[Any, Any, Any], registration_id: PathId) -> schemas.Registration:
        return await organiser_changes.promote_by_hand(registration_id, organiser_actor(request))

    @post("/{registration_id:int}/move", status_code=200, summary="Move someone within the waiting list")
    async def move(
        self, request: Request[Any, Any, Any], registration_id: PathId, data: JSONBody[schemas.WaitlistMove]
    ) -> schemas.Registration:
        return await organiser_changes.move_in_waitlist(registration_id, data.position, organiser_actor(request))

    @post("/approve", status_code=200, summary="Approve pending registrations (each takes a place or waits)")
    async def approve(
        self, request: Request[Any, Any, Any], data: JSONBody[schemas.RegistrationIds]
    ) -> schemas.BulkResult:
        return await organiser_changes.approve(data.ids, organiser_actor(request))

    @post("/decline", status_code=200, summary="Decline pending registrations")
    async def decline(
        self, request: Request[Any, Any, Any], data: JSONBody[schemas.RegistrationIds]
    ) -> schemas.BulkResult:
        return await organiser_changes.decline(data.ids, organiser_actor(request))


class QuestionController(ApiController):
    path = "/api/questions"
    tags = ["registration"]
    guards = [requires_organiser]

    @patch("/{question_id:int}", summary="Change a registration question")
    async def update(self, question_id: PathId, data: JSONBody[schemas.QuestionUpdate]) -> schemas.Question:
        return await questions.update_question(question_id, data)

    @delete(
        "/{question_id:int}",
        status_code=200,
        summary="Remove a registration question",
        description="A question nobody has answered is deleted. A question with answers is retired instead "
        "(`outcome`: `retired`): it leaves the registration form, and its answers stay on the registrations and "
        "in the CSV export.",
    )
    async def remove(self, question_id: PathId) -> schemas.QuestionRemoved:
        return await questions.delete_question(question_id)


class DelegateController(ApiController):
    path = "/api/delegates"
    tags = ["registration"]
    guards = [requires_organiser]

    @get("/{delegate_id:int}/export", summary="Everything held about one delegate")
    async def export(self, delegate_id: PathId) -> Response[schemas.DelegateExport]:
        data = await reports.export_delegate(delegate_id)
        return Response(
            data,
            headers={
                "Content-Disposition": f'attachment; filename="delegate-{delegate_id}.json"',
                "Cache-Control": "no-store",
            },
        )

    @post("/{delegate_id:int}/calendar-token", status_code=200, summary="Turn over a delegate's calendar feed address")
    async def turn_over_feed(self, delegate_id: PathId) -> dict[str, str]:
        """The old address stops working at once (404); the delegate's manage page shows the new one."""
        token = await scoped.turn_over_feed(delegate_id)
        return {"feed_url": calendar_links.absolute(feeds.feed_path(token))}

    @post("/{delegate_id:int}/erase", status_code=204, summary="Erase a delegate's personal data on their request")
    async def erase(self, request: Request[Any, Any, Any], delegate_id: PathId) -> None:
        await my_changes.erase_delegate(delegate_id, organiser_actor(request))
