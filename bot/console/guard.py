"""One gate in front of every route: signed in, allowed by role, CSRF token checked.

It is middleware, not a decorator per handler, so a new route is guarded without anyone
remembering to: only the routes named in PUBLIC_ROUTES are open, only to what they show.
"""

from __future__ import annotations

import asyncio
import hmac
import time
from urllib.parse import quote

from sanic import HTTPResponse, Request, Sanic
from sanic.response import redirect, text
from sqlalchemy.engine import Engine

from bot.console.console_settings import ConsoleSettings
from bot.console.sessions import SessionUser, load_session
from bot.console.web import LOGIN_CSRF_COOKIE, SESSION_COOKIE, form_value, render

# Route names without the app's prefix: the login form and the stylesheet it needs.
PUBLIC_ROUTES = frozenset({"auth.login_page", "auth.login", "static"})
ADMIN_BLUEPRINTS = frozenset({"admin", "audit", "learning"})
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SECURITY_HEADERS = {
    # No script at all: the console is plain HTML forms.
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # Patient data must not linger in a shared computer's browser cache.
    "Cache-Control": "no-store",
}


def route_name(request: Request) -> str:
    """e.g. "conversations.transcript" for the transcript route of app "frontier_console"."""
    return request.route.name.split(".", 1)[1] if request.route else ""


def same_token(sent: str, expected: str) -> bool:
    return bool(sent and expected) and hmac.compare_digest(sent.encode(), expected.encode())


def signed_in(engine: Engine, token: str, settings: ConsoleSettings) -> SessionUser | None:
    with engine.begin() as connection:
        return load_session(connection, token, time.time(), settings.idle_s, settings.max_s)


def install_guard(app: Sanic) -> None:
    @app.on_request
    async def guard(request: Request) -> HTTPResponse | None:
        settings = request.app.ctx.settings
        token = request.cookies.get(SESSION_COOKIE)
        request.ctx.user = (
            await asyncio.to_thread(signed_in, request.app.ctx.engine, token, settings) if token else None
        )
        name = route_name(request)
        user = request.ctx.user
        if name in PUBLIC_ROUTES:
            if request.method in STATE_CHANGING and not same_token(
                form_value(request, "csrf_token"), request.cookies.get(LOGIN_CSRF_COOKIE, "")
            ):
                return text("The form had expired. Reload the login page and try again.", status=403)
            return None
        if user is None:
            if request.method in ("GET", "HEAD"):
                return redirect(f"/login?next={quote(request.path, safe='/')}")
            return text("Sign in first.", status=401)
        if name.split(".", 1)[0] in ADMIN_BLUEPRINTS and not user.is_admin:
            return render(request, "error.html", status=403, message="This page is for admins only.")
        if request.method in STATE_CHANGING and not same_token(form_value(request, "csrf_token"), user.csrf_token):
            return render(
                request,
                "error.html",
                status=403,
                message="The form had expired. Go back, reload the page and try again.",
            )
        return None

    @app.on_response
    async def security_headers(_request: Request, response: HTTPResponse) -> None:
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)
