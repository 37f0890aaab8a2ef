"""Refusals of certificates of attendance, each with a stable code and words for the delegate."""

from __future__ import annotations

from events_app.core.errors import DomainError, NotFound


class CertificatesOff(NotFound):
    code = "certificates_off"
    message = "{event} does not offer certificates of attendance: the organisers have not turned them on"


class NotAttended(DomainError):
    status_code = 403
    title = "No certificate"
    code = "not_attended"
    message = (
        "There is no certificate because there is no record of you attending {event}: certificates are for "
        "people checked in at the event. If you were there, please ask the organisers"
    )
