"""Refusals about materials, each with a stable code and a sentence that names the field."""

from __future__ import annotations

from events_app.core.errors import DomainError, InvalidInput, NotFound
from events_app.hub.materials.content import ACCEPTED


class FileTypeRefused(InvalidInput):
    status_code = 400
    code = "material_type_refused"
    message = (
        "File: this file is not one the site takes (it is checked by its content, not its name). "
        f"Upload a {ACCEPTED} file; web pages and SVG images are never taken"
    )
    field = "file"


class FileMissing(InvalidInput):
    status_code = 400
    code = "material_file_missing"
    message = "File: choose a file to upload"
    field = "file"


class FileTooLarge(DomainError):
    status_code = 413
    title = "File too large"
    code = "material_too_large"
    message = "File: this file is {size}; files can be at most {limit}. Make it smaller, or add a link to it instead"
    field = "file"


class RegisteredWithoutEvent(InvalidInput):
    status_code = 400
    code = "material_registered_without_event"
    message = (
        "Who can see it: a hub resource belongs to no event, so it has no registered delegates. "
        "Choose Everyone or Organisers only"
    )
    field = "visibility"


class MaterialNotFound(NotFound):
    """Anything the asker may not see is this too: a material's existence is never revealed."""

    code = "material_not_found"
    message = "There is no such material"


class SpeakerLinkInvalid(DomainError):
    status_code = 404
    title = "Link not valid"
    code = "speaker_link_invalid"
    message = "This link to add materials has expired or is not valid. Ask the organisers to send you a new one"


class SpeakerWithoutEmail(InvalidInput):
    status_code = 400
    code = "speaker_without_email"
    message = "Speaker: {name} has no contact email. Add one on the speaker's page first"
    field = "speaker_id"


class SpeakerNotAtEvent(InvalidInput):
    status_code = 400
    code = "speaker_not_at_event"
    message = "Speaker: this speaker has no session at this event"
    field = "speaker_id"
