"""Check-out and re-entry, where an event turns them on: a delegate already checked in goes out and comes back
in; the latest movement at a door says whether they are inside now. The first entry stays the check-in row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from events_app.checkin.schemas import CheckInMethod, Direction
from events_app.checkin.tables import DoorMovement


async def last_movement(registration_id: int, session_id: int | None) -> dict[str, Any] | None:
    """The latest exit or return of a delegate at a door (None: in since the check-in, or never out)."""
    row: dict[str, Any] | None = (
        await DoorMovement.select(DoorMovement.direction, DoorMovement.at, DoorMovement.by)
        .where(
            (DoorMovement.registration == registration_id)
            & (DoorMovement.session == session_id if session_id is not None else DoorMovement.session.is_null())
        )
        .order_by(DoorMovement.at, ascending=False)
        .order_by(DoorMovement.id, ascending=False)
        .first()
    )
    return row


async def is_out(registration_id: int, session_id: int | None) -> bool:
    last = await last_movement(registration_id, session_id)
    return last is not None and last["direction"] == "out"


async def record_movement(
    event_id: int,
    registration_id: int,
    session_id: int | None,
    direction: Direction,
    at: datetime,
    staff_id: int | None,
    method: CheckInMethod,
    client_id: str | None,
) -> None:
    movement = DoorMovement(
        event=event_id,
        registration=registration_id,
        session=session_id,
        direction=direction,
        at=at,
        by=staff_id,
        method=method,
        client_id=client_id,
    )
    inserted = await DoorMovement.insert(movement).on_conflict(action="DO NOTHING").returning(DoorMovement.id)
    if not inserted:  # the scanner's id was used for another scan: this one is recorded on its own
        movement.client_id = None
        await DoorMovement.insert(movement)
