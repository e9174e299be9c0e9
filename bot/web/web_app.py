"""The web app factory: pages, widget files and the chat proxy, each a blueprint."""

from __future__ import annotations

from sanic import HTTPResponse, Request, Sanic
from sanic.response import text

from bot.web.chat import chat_blueprint
from bot.web.pages import pages_blueprint
from bot.web.web_settings import WebSettings
from bot.web.widget import widget_blueprint


def create_app(settings: WebSettings) -> Sanic:
    """A new app with everything it needs from `settings` (one per process outside tests)."""
    app = Sanic("frontier_web")
    app.config.ACCESS_LOG = False  # nothing about patients belongs in a log
    app.blueprint(pages_blueprint(settings))
    app.blueprint(widget_blueprint())
    app.blueprint(chat_blueprint(settings))

    @app.get("/health")
    async def health(_request: Request) -> HTTPResponse:
        """For the launcher and monitoring: the web app is up (Rasa's health is its own)."""
        return text("ok")

    @app.on_response
    async def baseline_headers(_request: Request, response: HTTPResponse) -> None:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")

    return app
