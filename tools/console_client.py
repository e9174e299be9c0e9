"""An in-process HTTP client for the console (ASGI, no server, no port), for tests and the benchmark."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx2
from sanic import Sanic

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


@asynccontextmanager
async def console_client(app: Sanic, base_url: str = "http://console.test") -> AsyncIterator[httpx2.AsyncClient]:
    """Requests go straight into the app; cookies are kept between them like a browser keeps them."""
    # Test mode lets sanic's start-up code run for several apps in one process (as sanic-testing does).
    Sanic.test_mode = True
    if not app.state.is_started:
        await app._startup()  # finalizes routes and signals, as serving would
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url=base_url) as client:
        yield client


def csrf_token(page: str) -> str:
    """The CSRF token of the first form on a page."""
    found = CSRF_FIELD.search(page)
    if found is None:
        raise LookupError("no CSRF token on the page")
    return found.group(1)


async def log_in(client: httpx2.AsyncClient, username: str, password: str) -> httpx2.Response:
    """Logs in through the login form, as a person would; returns the answer to the POST."""
    form = await client.get("/login")
    return await client.post(
        "/login", data={"username": username, "password": password, "csrf_token": csrf_token(form.text), "next": "/"}
    )
