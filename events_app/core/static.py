"""The site's own files (events_app/static), each under a name that carries a hash of its content, so a phone
that has one keeps it for a year and downloads nothing again until the file changes (then its name changes).

Pages name files through the `static_url('site.css')` template function: `/static/site.3f2a9c1b7e.css`, served
with `Cache-Control: public, max-age=31536000, immutable`. The plain name (`/static/site.css`) still works, with a
short cache: what a script loads by a fixed path (the scanner's QR decoder in vendor/zxing-wasm) and links held
from before. Both carry an ETag, and a request that presents it (If-None-Match) gets a 304 with no body.

The files are read once, when the app is made: only names found then are served (nothing else on disk can be
asked for), and a changed file is seen on the next start."""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import brotli
from litestar import Request, Response, Router, get, head
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from events_app.core.compression import MINIMUM_SIZE, chosen_encoding, compressible

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"  # plain names: a changed file is picked up within five minutes
_TYPES = {".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".md": "text/plain"}


@dataclass(frozen=True, slots=True)
class StaticFile:
    content: bytes
    media_type: str
    etag: str  # quoted, as the header carries it
    hashed_name: str


class StaticFiles:
    """The files under `folder`, by their plain and their hashed names."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.by_name: dict[str, StaticFile] = {}
        self.by_hashed_name: dict[str, StaticFile] = {}
        self._compressed: dict[tuple[str, str], bytes] = {}
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            name = path.relative_to(folder).as_posix()
            content = path.read_bytes()
            digest = hashlib.sha256(content).hexdigest()[:12]
            plain = PurePosixPath(name)
            hashed = str(plain.with_name(f"{plain.stem}.{digest}{plain.suffix}"))
            media_type = _TYPES.get(plain.suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
            file = StaticFile(content, media_type, f'"{digest}"', hashed)
            self.by_name[name] = file
            self.by_hashed_name[hashed] = file

    def url(self, name: str) -> str:
        """The URL of a file under its hashed name (the template function `static_url`)."""
        file = self.by_name.get(name)
        if file is None:
            raise LookupError(f"No static file named {name!r} in {self.folder}")
        return f"/static/{file.hashed_name}"

    def compressed(self, file: StaticFile, encoding: str) -> bytes:
        """The file compressed once per process (harder than a page: it is kept), not once per request."""
        key = (file.hashed_name, encoding)
        if key not in self._compressed:
            if encoding == "br":
                self._compressed[key] = brotli.compress(file.content, quality=8)
            else:
                self._compressed[key] = gzip.compress(file.content, compresslevel=9, mtime=0)
        return self._compressed[key]

    def find(self, name: str) -> tuple[StaticFile, str]:
        """The file asked for and how long it may be kept."""
        if (file := self.by_hashed_name.get(name)) is not None:
            return file, IMMUTABLE
        if (file := self.by_name.get(name)) is not None:
            return file, SHORT
        raise NotFoundException("There is no such file.")


def etag_matches(if_none_match: str, etag: str) -> bool:
    """If-None-Match compares weakly (RFC 9110 13.1.2): W/"x" matches "x". Compressed answers carry weak ETags
    (core/compression.py), and a client sends back the one it was given."""
    asked = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return if_none_match.strip() == "*" or etag.removeprefix("W/") in asked


def _not_modified(request: Request[Any, Any, Any], etag: str) -> bool:
    return etag_matches(request.headers.get("if-none-match", ""), etag)


def static_router(files: StaticFiles) -> Router:
    """GET and HEAD /static/{name}."""

    @get("/{name:path}", include_in_schema=False, sync_to_thread=False)
    def static_file(request: Request[Any, Any, Any], name: FromPath[str]) -> Response[bytes]:
        file, cache_control = files.find(name.lstrip("/"))
        headers = {"ETag": file.etag, "Cache-Control": cache_control}
        encoding = None
        if compressible(file.media_type) and len(file.content) >= MINIMUM_SIZE:
            headers["Vary"] = "Accept-Encoding"
            encoding = chosen_encoding(request.headers)
        if encoding is not None:
            headers["ETag"] = f"W/{file.etag}"  # the same file, in other bytes: a weak validator
        if _not_modified(request, file.etag):
            return Response(b"", status_code=304, headers=headers, media_type=file.media_type)
        if encoding is None:
            return Response(file.content, headers=headers, media_type=file.media_type)
        headers["Content-Encoding"] = encoding
        return Response(files.compressed(file, encoding), headers=headers, media_type=file.media_type)

    @head("/{name:path}", include_in_schema=False, sync_to_thread=False)
    def static_file_head(request: Request[Any, Any, Any], name: FromPath[str]) -> Response[None]:
        file, cache_control = files.find(name.lstrip("/"))
        headers = {"ETag": file.etag, "Cache-Control": cache_control, "Content-Length": str(len(file.content))}
        return Response(None, headers=headers, media_type=file.media_type)

    return Router(path="/static", route_handlers=[static_file, static_file_head])
