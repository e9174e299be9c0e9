"""The widget's own files, served by the web app so no page needs a CDN or a framework.

`no-cache` makes browsers revalidate (cheap, via Last-Modified), so a fix reaches every site that
embeds the widget on its next page view.
"""

from __future__ import annotations

from pathlib import Path

from sanic import Blueprint, HTTPResponse, Request

WIDGET_FILES = Path(__file__).resolve().parent / "static" / "widget"


def widget_blueprint() -> Blueprint:
    bp = Blueprint("widget")
    bp.static("/widget", str(WIDGET_FILES), name="files")

    @bp.on_response
    async def revalidate(_request: Request, response: HTTPResponse) -> None:
        response.headers["Cache-Control"] = "no-cache"

    return bp
