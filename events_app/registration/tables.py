"""Registrations, session bookings, organisers' questions, and the record of every change."""

from piccolo.apps.user.tables import BaseUser
from piccolo.columns import JSON, Boolean, ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from events_app.people.tables import Delegate, Organisation, Region, StakeholderGroup
from events_app.programme.tables import Event, Session


class Registration(Table, tablename="registration"):
    """A delegate's place at an event. `status`: pending (awaiting approval), confirmed, waitlisted
    (with `waitlist_position` 1..n, no gaps), cancelled, declined. One per delegate and event.

    `name`, `organisation`/`organisation_name`, `stakeholder_group` and `region` are what was true (as typed)
    when the registration was made: every report reads these, so a later registration, a renamed
    organisation or an erasure never moves a past figure. `hold_expires_at` is set while a place waits for
    the owner of the address to confirm it by email (events that ask for it); the place is freed after it."""

    id: Serial
    event = ForeignKey(Event, null=False, on_delete=OnDelete.restrict, index=True)
    delegate = ForeignKey(Delegate, null=False, on_delete=OnDelete.restrict, index=True)
    status = Varchar(length=20, index=True)
    waitlist_position = Integer(null=True, default=None)
    access_needs = Text(default="")
    dietary_needs = Text(default="")
    answers = JSON(default="{}")
    created_at = Timestamptz()
    updated_at = Timestamptz()
    confirmed_at = Timestamptz(null=True, default=None)
    cancelled_at = Timestamptz(null=True, default=None)
    name = Varchar(length=200, default="")
    organisation = ForeignKey(Organisation, null=True, on_delete=OnDelete.set_null, index=True)
    organisation_name = Varchar(length=200, default="")
    stakeholder_group = ForeignKey(StakeholderGroup, null=True, on_delete=OnDelete.restrict, index=True)
    region = ForeignKey(Region, null=True, on_delete=OnDelete.set_null, index=True)
    hold_expires_at = Timestamptz(null=True, default=None)
    email_confirmed_at = Timestamptz(null=True, default=None)
    # The feedback form (its id) this registration has answered: the "one response per person" marker, kept
    # apart from the response so that an anonymous response holds nothing that leads back to the person.
    feedback_given_to = Integer(null=True, default=None)
    # How the place is taken at a hybrid event: in_person or online; each has its own capacity and waiting list
    # (`waitlist_position` numbers 1..n within the event and mode). In-person and online events: their mode.
    attendance_mode = Varchar(length=20, default="in_person")


class SessionBooking(Table, tablename="session_booking"):
    """A place in a session with a capacity of its own. `status`: requested (the registration is not
    confirmed yet), confirmed, waitlisted (with a position), cancelled."""

    id: Serial
    registration = ForeignKey(Registration, null=False, on_delete=OnDelete.cascade, index=True)
    session = ForeignKey(Session, null=False, on_delete=OnDelete.restrict, index=True)
    status = Varchar(length=20, index=True)
    waitlist_position = Integer(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class RegistrationChange(Table, tablename="registration_change"):
    """Who changed a registration, when, and what: never overwritten, never deleted."""

    id: Serial
    registration = ForeignKey(Registration, null=False, on_delete=OnDelete.cascade, index=True)
    at = Timestamptz()
    action = Varchar(length=40)
    detail = Text(default="")
    by_organiser = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    by_delegate = Boolean(default=False)


class EventQuestion(Table, tablename="event_question"):
    """An organiser's own question on an event's registration form."""

    id: Serial
    event = ForeignKey(Event, null=False, on_delete=OnDelete.cascade, index=True)
    position = Integer(default=0)
    label = Varchar(length=300)
    help_text = Varchar(length=500, default="")
    kind = Varchar(length=20)  # text, single, multiple
    options = JSON(default="[]")
    required = Boolean(default=False)
    retired_at = Timestamptz(null=True, default=None)  # retired (kept for its answers), not on the form any more
