"""What an uploaded file is, found from its bytes (the filetype package) and checked against the kinds the site
takes; its name made safe for a Content-Disposition header. The name and type a browser sends are never
trusted: an HTML page renamed `.pdf` is HTML, and HTML and SVG (which run scripts) are never taken."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

import filetype  # type: ignore[import-untyped]


@dataclass(frozen=True, slots=True)
class Kind:
    content_type: str
    extension: str
    label: str
    inline: bool = False  # shown in the browser (PDF, images); everything else is downloaded


_OOXML = "application/vnd.openxmlformats-officedocument"
_ODF = "application/vnd.oasis.opendocument"
ALLOWED: dict[str, Kind] = {
    k.content_type: k
    for k in (
        Kind("application/pdf", "pdf", "PDF", inline=True),
        Kind("image/png", "png", "PNG image", inline=True),
        Kind("image/jpeg", "jpg", "JPEG image", inline=True),
        Kind("image/gif", "gif", "GIF image", inline=True),
        Kind("image/webp", "webp", "WebP image", inline=True),
        Kind(f"{_OOXML}.presentationml.presentation", "pptx", "PowerPoint slides"),
        Kind(f"{_OOXML}.wordprocessingml.document", "docx", "Word document"),
        Kind(f"{_OOXML}.spreadsheetml.sheet", "xlsx", "Excel spreadsheet"),
        Kind("application/vnd.ms-powerpoint", "ppt", "PowerPoint slides"),
        Kind("application/msword", "doc", "Word document"),
        Kind("application/vnd.ms-excel", "xls", "Excel spreadsheet"),
        Kind(f"{_ODF}.presentation", "odp", "OpenDocument slides"),
        Kind(f"{_ODF}.text", "odt", "OpenDocument text"),
        Kind(f"{_ODF}.spreadsheet", "ods", "OpenDocument spreadsheet"),
        Kind("text/plain", "txt", "plain text"),
    )
}
ACCEPTED = "PDF, PowerPoint, Word, Excel, OpenDocument, PNG, JPEG, GIF, WebP or plain text"
# Markup a browser might run if it ever guessed the type: never taken as plain text.
_MARKUP = re.compile(rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|\?xml|a\s|img\s|style)", re.I)


def kind_of(data: bytes) -> Kind | None:
    """The allowed kind these bytes are, or None (HTML, SVG, an archive, a program, an unknown format)."""
    head = data[:8192]
    guessed = filetype.guess(head)
    if guessed is not None:
        return ALLOWED.get(guessed.mime)
    return _plain_text(data)


def _plain_text(data: bytes) -> Kind | None:
    if not data or b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if _MARKUP.search(data[:65536]) or text.lstrip().startswith("<"):
        return None
    return ALLOWED["text/plain"]


_UNSAFE = re.compile(r"[^\w.\- ()]+")
NAME_LIMIT = 120


def safe_filename(sent: str, kind: Kind) -> str:
    """The last part of the sent name (no folders), letters, digits and a few marks only, with the extension
    of what the file really is: `../../etc/passwd.pdf` becomes `passwd.pdf`; `talk.pdf` that is PNG, `talk.png`."""
    name = re.split(r"[/\\]", unicodedata.normalize("NFKC", sent))[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = _UNSAFE.sub("-", stem).strip(" .-_")[:NAME_LIMIT] or "material"
    return f"{stem}.{kind.extension}"


def content_disposition(filename: str, *, inline: bool) -> str:
    """RFC 6266: a plain ASCII `filename` for old clients and the exact name in `filename*` (RFC 5987)."""
    fallback = filename.encode("ascii", "ignore").decode().replace('"', "").replace("\\", "") or "material"
    return f"{'inline' if inline else 'attachment'}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
