"""The web app served in-process on a free loopback port, and a stand-in for Rasa's REST channel.

sanic-testing can't be installed beside rasa's pins (its httpx needs an older h11), so the app runs
on a real socket: what the tests see is what a browser would. Sanic's test mode is what lets several
apps live in one process (it is what sanic-testing switches on).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web
from sanic import Sanic

from bot.web.web_app import create_app
from bot.web.web_settings import WebSettings
from tools.servers import free_port

RasaHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@asynccontextmanager
async def serving(settings: WebSettings) -> AsyncIterator[tuple[str, aiohttp.ClientSession]]:
    """The web app listening on 127.0.0.1; yields its base URL and an HTTP client."""
    Sanic.test_mode = True
    app = create_app(settings)
    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    assert server is not None
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        async with aiohttp.ClientSession() as client:
            yield f"http://127.0.0.1:{port}", client
    finally:
        await server.before_stop()
        await server.close()
        await server.after_stop()


@asynccontextmanager
async def fake_rasa(handler: RasaHandler) -> AsyncIterator[str]:
    """Rasa's REST webhook answered by `handler`; yields the URL the web app is told Rasa is at."""
    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


def replying(replies: list[dict[str, Any]], received: list[dict[str, Any]]) -> RasaHandler:
    """A Rasa that records what it was sent and answers `replies`."""

    async def handle(request: web.Request) -> web.StreamResponse:
        received.append(await request.json())
        return web.json_response(replies)

    return handle


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Mapping[str, str]
    body: Any  # parsed JSON, or the text of anything else


async def call(client: aiohttp.ClientSession, method: str, url: str, **kwargs: Any) -> Reply:
    """One request, read whole: status, headers and body, so tests assert on plain values."""
    async with client.request(method, url, **kwargs) as response:
        body = await response.json() if response.content_type == "application/json" else await response.text()
        return Reply(response.status, response.headers, body)


def settings(rasa_url: str = "http://127.0.0.1:9", **overrides: Any) -> WebSettings:
    """The web app's settings, pointing at a Rasa that is not there unless a test says where."""
    return WebSettings(rasa_url=rasa_url, **overrides)
