"""Calls, their questions, submissions and reviews."""

from piccolo.apps.user.tables import BaseUser
from piccolo.columns import JSON, Boolean, ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from events_app.hub.tables import Resource
from events_app.people.tables import Organisation, Region, StakeholderGroup
from events_app.programme.tables import Event, Session


class Call(Table, tablename="call"):
    """An open call: for session proposals for an event (`kind` "sessions", `event` set) or for good-practice
    examples for the hub (`kind` "examples"). `status`: draft, open (between opens_at and closes_at), closed."""

    id: Serial
    slug = Varchar(length=120, unique=True)
    kind = Varchar(length=20)  # sessions, examples
    title = Varchar(length=200)
    description = Text(default="")
    event = ForeignKey(Event, null=True, on_delete=OnDelete.restrict, index=True)
    status = Varchar(length=20, default="draft", index=True)
    opens_at = Timestamptz(null=True, default=None)
    closes_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class CallQuestion(Table, tablename="call_question"):
    """The organiser's own question on a call's form (the question kinds of registration)."""

    id: Serial
    call = ForeignKey(Call, null=False, on_delete=OnDelete.cascade, index=True)
    position = Integer(default=0)
    label = Varchar(length=300)
    help_text = Varchar(length=500, default="")
    kind = Varchar(length=20)  # text, single, multiple
    options = JSON(default="[]")
    required = Boolean(default=False)
    retired_at = Timestamptz(null=True, default=None)


class Submission(Table, tablename="call_submission"):
    """A proposal or example. `status`: unconfirmed (email not yet confirmed), submitted, accepted, declined,
    waiting (kept for later). `speakers`: [{"name", "email", "organisation"}] in order."""

    id: Serial
    call = ForeignKey(Call, null=False, on_delete=OnDelete.restrict, index=True)
    status = Varchar(length=20, default="unconfirmed", index=True)
    email = Varchar(length=254)
    name = Varchar(length=200)
    organisation = ForeignKey(Organisation, null=True, on_delete=OnDelete.set_null)
    organisation_name = Varchar(length=200, default="")
    stakeholder_group = ForeignKey(StakeholderGroup, null=True, on_delete=OnDelete.set_null)
    region = ForeignKey(Region, null=True, on_delete=OnDelete.set_null)
    title = Varchar(length=200)
    summary = Text(default="")
    session_kind = Varchar(length=20, default="")  # for session proposals: talk, workshop, panel ...
    speakers = JSON(default="[]")
    answers = JSON(default="{}")
    email_confirmed_at = Timestamptz(null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)
    decided_by = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    session = ForeignKey(Session, null=True, on_delete=OnDelete.set_null)  # the draft session it became
    resource = ForeignKey(Resource, null=True, on_delete=OnDelete.set_null)  # the draft hub resource it became
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Review(Table, tablename="call_review"):
    """A reviewer's score (1 to 5) and comment on a submission; one per reviewer and submission (`key`)."""

    id: Serial
    key = Varchar(length=40, unique=True)  # "<submission id>:<reviewer id>"
    submission = ForeignKey(Submission, null=False, on_delete=OnDelete.cascade, index=True)
    reviewer = ForeignKey(BaseUser, null=False, on_delete=OnDelete.cascade, index=True)
    score = Integer()
    comment = Text(default="")
    created_at = Timestamptz()
    updated_at = Timestamptz()
