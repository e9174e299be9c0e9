"""Cross-origin access for the sites that embed the widget: exact configured origins, never a wildcard.

The app's own pages are same-origin and always allowed. A browser request from any other origin is
refused outright (403), not merely left unreadable, so another site can't write into the clinic's
conversations on a visitor's behalf.
"""

from __future__ import annotations

from sanic import Blueprint, HTTPResponse, Request
from sanic.response import empty, json


def own_origin(request: Request) -> str:
    return f"{request.scheme}://{request.host}"


def origin_allowed(request: Request, allowed: frozenset[str]) -> bool:
    """No Origin header (curl, server-to-server), our own pages, or an exactly listed site."""
    origin = request.headers.get("origin")
    return origin is None or origin == own_origin(request) or origin in allowed


def allow_cross_origin(bp: Blueprint, allowed: frozenset[str]) -> None:
    """Refuse unlisted origins, answer preflights, and label responses for listed ones."""

    @bp.on_request
    async def refuse_other_sites(request: Request) -> HTTPResponse | None:
        if origin_allowed(request, allowed):
            return None
        return json({"error": "This site may not use the clinic's assistant."}, status=403)

    @bp.on_response
    async def label_for_listed_sites(request: Request, response: HTTPResponse) -> None:
        origin = request.headers.get("origin")
        if origin in allowed:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Vary"] = "Origin"
            if request.method == "OPTIONS":
                response.headers["Access-Control-Allow-Methods"] = "GET, POST"
                response.headers["Access-Control-Allow-Headers"] = "Content-Type"
                response.headers["Access-Control-Max-Age"] = "600"


async def preflight(_request: Request) -> HTTPResponse:
    """OPTIONS answers for the browser; the headers come from the blueprint's response middleware."""
    return empty()
