"""Rendering pages (Jinja2, autoescape on) and the small request helpers every blueprint uses."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from datetime import datetime
from functools import lru_cache, wraps
from typing import Any, ParamSpec
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined
from sanic import HTTPResponse, Request
from sanic.response import html

from bot.console import bounds

P = ParamSpec("P")
SESSION_COOKIE = "console_session"
LOGIN_CSRF_COOKIE = "console_login_csrf"


def in_thread(handler: Callable[P, HTTPResponse]) -> Callable[P, Coroutine[Any, Any, HTTPResponse]]:
    """A route handler run in a worker thread: its database, argon2 and matplotlib calls block no other request."""

    @wraps(handler)
    async def run(*args: P.args, **kwargs: P.kwargs) -> HTTPResponse:
        return await asyncio.to_thread(handler, *args, **kwargs)

    return run


@lru_cache(maxsize=1)
def templates() -> Environment:
    # autoescape=True for every template: patient text is shown, never interpreted.
    environment = Environment(
        loader=PackageLoader("bot.console", "templates"), autoescape=True, undefined=StrictUndefined
    )
    environment.filters["pct"] = lambda value: "–" if value is None else f"{100 * value:.0f}%"
    return environment


def local_time(epoch: float | None, zone: ZoneInfo, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return "" if epoch is None else datetime.fromtimestamp(epoch, zone).strftime(fmt)


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTTPResponse:
    """A page with the signed-in user, their CSRF token and the clinic's clock available to it."""
    settings = request.app.ctx.settings
    user = getattr(request.ctx, "user", None)
    page = (
        templates()
        .get_template(template)
        .render(
            user=user,
            csrf_token=user.csrf_token if user else "",
            when=lambda epoch, fmt="%Y-%m-%d %H:%M": local_time(epoch, settings.zone, fmt),
            **context,
        )
    )
    return html(page, status=status)


def client_ip(request: Request) -> str:
    """The peer address; behind a proxy set sanic's PROXIES_COUNT/REAL_IP_HEADER so this is the client."""
    return str(request.remote_addr or request.ip or "")


def page_number(request: Request) -> int:
    """The ?page= number, 1 when missing or not a number (404 past any page there can be)."""
    return bounds.page_number(request.args.get("page", "1"))


def form_value(request: Request, name: str) -> str:
    value = request.form.get(name) if request.form else None
    return str(value or "").strip()


def set_cookie(request: Request, response: HTTPResponse, name: str, value: str, path: str = "/") -> None:
    """HttpOnly and SameSite=Strict always; Secure over HTTPS or when the settings say so."""
    response.cookies[name] = value
    cookie = response.cookies[name]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = path
    if request.app.ctx.settings.secure_cookies or request.scheme == "https":
        cookie["secure"] = True
