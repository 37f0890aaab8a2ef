"""Answers sent compressed (brotli where the client takes it, else gzip), light on a cheap phone's connection:
pages, JSON, calendar and Atom feeds, CSV, scripts, style sheets and the QR decoder's WebAssembly. Not what is
compressed already (the ticket's PNG, PDFs), not a partial answer (206), nor anything below MINIMUM_SIZE (a door
scan's answer: compressing it costs more time than it saves).

BREACH (guessing a secret in a compressed page from its length, by making the victim's browser send many requests
that reflect the attacker's input next to the secret): a request the browser says came from another site
(Sec-Fetch-Site: cross-site or same-site) is answered uncompressed. Those are the only requests an attacker can
make a victim's browser send in bulk; the person's own clicks on this site (same-origin) and typed or bookmarked
addresses (none) are compressed. The cookies are SameSite=Lax too, so another site's requests in the background
carry no session and no CSRF cookie, and so no secret of the person to guess (a page there gets a fresh token)."""

from __future__ import annotations

from litestar.config.compression import CompressionConfig
from litestar.datastructures import Headers, MutableScopeHeaders
from litestar.enums import CompressionEncoding
from litestar.middleware.compression import CompressionMiddleware
from litestar.types import Message, Receive, Scope, Send

MINIMUM_SIZE = 1024
COMPRESSIBLE_TYPES = frozenset(
    {
        "application/json",
        "application/javascript",
        "application/xml",
        "application/wasm",
        "application/vnd.oai.openapi",  # the API's schema in YAML (and +json, as every JSON and XML kind)
    }
)


def compressible(media_type: str) -> bool:
    media_type = media_type.split(";", 1)[0].strip().lower()
    return media_type.startswith("text/") or media_type.endswith(("+json", "+xml")) or media_type in COMPRESSIBLE_TYPES


def _accepted(accept_encoding: str) -> set[str]:
    """The codings a client takes (q=0 refuses one)."""
    taken = set()
    for part in accept_encoding.lower().split(","):
        coding, _, params = part.strip().partition(";")
        quality = params.strip().removeprefix("q=").strip() if params.strip().startswith("q=") else "1"
        try:
            if float(quality) > 0:
                taken.add(coding.strip())
        except ValueError:
            continue
    return taken


def chosen_encoding(headers: Headers) -> str | None:
    """brotli, gzip or None (nothing accepted, or a request from another site: see the module's docstring)."""
    if headers.get("sec-fetch-site", "same-origin") in {"cross-site", "same-site"}:
        return None
    taken = _accepted(headers.get("accept-encoding", ""))
    if CompressionEncoding.BROTLI in taken:
        return CompressionEncoding.BROTLI
    if CompressionEncoding.GZIP in taken:
        return CompressionEncoding.GZIP
    return None


class SelectiveCompression(CompressionMiddleware):
    """Litestar's compression, for the answers worth compressing; each of them says Vary: Accept-Encoding."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        encoding = chosen_encoding(Headers.from_scope(scope))
        compressing = None if encoding is None else self.create_compression_send_wrapper(send, encoding, scope)
        decided: Send | None = None

        async def choose(message: Message) -> None:
            nonlocal decided
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                worth_it = (
                    compressible(headers.get("content-type") or "")
                    and "content-encoding" not in headers
                    and message["status"] not in {204, 206, 304}
                )
                if worth_it and compressing is not None:
                    decided = compressing  # it adds Vary when it compresses (not below MINIMUM_SIZE: no variants)
                    etag = headers.get("etag")
                    if etag and not etag.startswith("W/"):
                        headers["etag"] = f"W/{etag}"  # the same file, in other bytes: a weak validator
                else:
                    if worth_it:
                        headers.extend_header_value("vary", "Accept-Encoding")
                    decided = send
            await (decided or send)(message)

        await self.app(scope, receive, choose)


def compression_config() -> CompressionConfig:
    return CompressionConfig(
        backend="brotli",
        brotli_quality=5,  # about gzip's speed, smaller
        brotli_gzip_fallback=True,
        gzip_compress_level=6,
        minimum_size=MINIMUM_SIZE,
        middleware_class=SelectiveCompression,
    )
