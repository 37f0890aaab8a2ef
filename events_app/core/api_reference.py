"""The API reference at /schema: Swagger UI served from this site (events_app/static/vendor/swagger-ui), started
by a script file, so the page loads nothing from another host and keeps the site's Content-Security-Policy.
Litestar's own viewers load their scripts from CDNs and start them with inline script."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from litestar import Request
from litestar.openapi.plugins import OpenAPIRenderPlugin

SWAGGER_UI = "vendor/swagger-ui"


class ApiReference(OpenAPIRenderPlugin):
    """Swagger UI at /schema and /schema/swagger, reading /schema/openapi.json. `static_url` names the site's
    files under their hashed names (core/static.py)."""

    def __init__(self, static_url: Callable[[str], str]) -> None:
        super().__init__(path=["/", "/swagger"], favicon="", style="")
        self.static_url = static_url

    # Untyped on purpose: the OpenAPI document, as Litestar's plugin interface gives it
    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        title = escape(str(openapi_schema["info"]["title"]))
        spec_url = escape(self.get_openapi_json_route(request))
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{self.static_url(f"{SWAGGER_UI}/swagger-ui.css")}">
</head>
<body>
<main id="api-reference" data-spec-url="{spec_url}"></main>
<script src="{self.static_url(f"{SWAGGER_UI}/swagger-ui-bundle.js")}"></script>
<script src="{self.static_url("api-reference.js")}"></script>
</body>
</html>
""".encode()
