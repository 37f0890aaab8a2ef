"""The outbox: every message is a row written in the transaction of the change that causes it."""

from piccolo.apps.user.tables import BaseUser
from piccolo.columns import Bytea, ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from events_app.programme.tables import Event


class OutboxMessage(Table, tablename="outbox_message"):
    """One message to one person. `status`: queued, sending (leased by a worker), sent, failed."""

    id: Serial
    message_id = Varchar(length=255, unique=True)
    kind = Varchar(length=60, index=True)
    to_email = Varchar(length=320)
    to_name = Varchar(length=200, default="")
    subject = Varchar(length=500)
    text_body = Text()
    html_body = Text(default="")
    status = Varchar(length=20, default="queued", index=True)
    attempts = Integer(default=0)
    send_after = Timestamptz(index=True)
    lease_until = Timestamptz(null=True, default=None)
    last_error = Text(default="")
    smtp_response = Text(default="")
    dedupe_key = Varchar(length=200, null=True, default=None, unique=True)
    event = ForeignKey(Event, null=True, on_delete=OnDelete.set_null, index=True)
    created_by = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    sent_at = Timestamptz(null=True, default=None)
    failed_at = Timestamptz(null=True, default=None)
    # A network mailing's unsubscribe address: sent as List-Unsubscribe (with one-click, RFC 8058); else empty.
    list_unsubscribe = Varchar(length=500, default="")
    # Set when the recipient's data was erased: the row stays as a count (kind, status, times), with no
    # address, name, subject or body, and its .eml file and attachments are gone.
    erased_at = Timestamptz(null=True, default=None)


class OutboxAttachment(Table, tablename="outbox_attachment"):
    id: Serial
    message = ForeignKey(OutboxMessage, null=False, on_delete=OnDelete.cascade, index=True)
    position = Integer(default=0)
    filename = Varchar(length=200)
    content_type = Varchar(length=200)
    content = Bytea()  # empty where the file is drawn when the message is sent, from `made_from`
    made_from = Text(default="")  # what the file is drawn from: mail/recipes.py
