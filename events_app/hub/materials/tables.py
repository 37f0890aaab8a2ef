"""Materials: a file in the store or a link, on an event, a session or a hub resource."""

from piccolo.apps.user.tables import BaseUser
from piccolo.columns import BigInt, ForeignKey, Integer, OnDelete, Serial, Timestamptz, Varchar
from piccolo.table import Table

from events_app.hub.tables import Resource
from events_app.programme.tables import Event, Session, Speaker


class Material(Table, tablename="material"):
    """Slides, documents, images (kind "file", kept in the store under `storage_key`) or a recording or page
    (kind "link", `url`). `visibility`: public, registered (delegates with a confirmed place) or organisers.
    Exactly one of event, session and resource is set."""

    id: Serial
    event = ForeignKey(Event, null=True, on_delete=OnDelete.cascade, index=True)
    session = ForeignKey(Session, null=True, on_delete=OnDelete.cascade, index=True)
    resource = ForeignKey(Resource, null=True, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=10)  # file, link
    title = Varchar(length=200)
    url = Varchar(length=1000, default="")
    storage_key = Varchar(length=200, default="")  # random, never derived from the uploaded name
    filename = Varchar(length=200, default="")  # the uploaded name made safe, for Content-Disposition
    content_type = Varchar(length=100, default="")  # as found from the content, not as sent
    size = BigInt(default=0)
    visibility = Varchar(length=20, default="public", index=True)
    position = Integer(default=0)
    added_by = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    added_by_speaker = ForeignKey(Speaker, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    updated_at = Timestamptz()
