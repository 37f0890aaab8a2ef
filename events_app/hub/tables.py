"""Hub resources and what they link to."""

from piccolo.columns import JSON, ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from events_app.people.tables import Organisation, Region
from events_app.programme.tables import Event, Session, Speaker


class Resource(Table, tablename="resource"):
    """A resource or case study in the hub. `status`: draft (organisers only) or published (public)."""

    id: Serial
    slug = Varchar(length=120, unique=True)
    kind = Varchar(length=20, default="resource")  # resource, case_study
    title = Varchar(length=200)
    summary = Varchar(length=1000, default="")
    body = Text(default="")
    themes = JSON(default="[]")  # theme slugs
    sectors = JSON(default="[]")  # sector roles (people.sectors) involved
    region = ForeignKey(Region, null=True, on_delete=OnDelete.set_null, index=True)
    year = Integer(null=True, default=None)
    status = Varchar(length=20, default="draft", index=True)
    published_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class ResourceOrganisation(Table, tablename="resource_organisation"):
    id: Serial
    resource = ForeignKey(Resource, null=False, on_delete=OnDelete.cascade, index=True)
    organisation = ForeignKey(Organisation, null=False, on_delete=OnDelete.restrict, index=True)
    position = Integer(default=0)


class ResourceLink(Table, tablename="resource_link"):
    """Where a resource was presented: an event, a session or a speaker (exactly one is set)."""

    id: Serial
    resource = ForeignKey(Resource, null=False, on_delete=OnDelete.cascade, index=True)
    event = ForeignKey(Event, null=True, on_delete=OnDelete.cascade, index=True)
    session = ForeignKey(Session, null=True, on_delete=OnDelete.cascade, index=True)
    speaker = ForeignKey(Speaker, null=True, on_delete=OnDelete.cascade, index=True)
