"""The widget's only way to the assistant: `POST /api/chat`, forwarded to Rasa's REST channel.

Rasa stays on loopback and needs no CORS. The proxy checks the conversation id (a random UUID4,
122 random bits, so one patient can't guess another's) and the message's length, and cleans it
(bot/incoming.py), before anything reaches Rasa. It passes back only text and buttons, and turns an
unreachable Rasa, or one that could not handle the message (an error status from bot/server/rest.py,
or no reply at all), into a clear error the widget can offer to retry: a message is never answered
with silence. A typed message that starts with "/" is not passed on as Rasa's intent syntax unless
it is the payload of a button offered in that conversation (bot/web/buttons.py).
Message text is never logged: it is health data.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import aiohttp
from sanic import Blueprint, HTTPResponse, Request, Sanic
from sanic.exceptions import InvalidUsage
from sanic.response import json

from bot.incoming import BadMessage, message_from
from bot.web.buttons import OfferedButtons
from bot.web.cors import allow_cross_origin, preflight
from bot.web.web_settings import WebSettings

logger = logging.getLogger(__name__)

UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
UNREACHABLE = "The assistant can't be reached right now. Your message was not sent; please try again."


def chat_blueprint(settings: WebSettings) -> Blueprint:
    bp = Blueprint("chat", url_prefix="/api")
    offered = OfferedButtons()
    allow_cross_origin(bp, settings.allowed_origins)
    bp.add_route(preflight, "/chat", methods=["OPTIONS"], name="chat_preflight")
    bp.add_route(preflight, "/config", methods=["OPTIONS"], name="config_preflight")

    @bp.listener("before_server_start")
    async def open_rasa_client(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        app.ctx.rasa = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=settings.rasa_timeout_s))

    @bp.listener("after_server_stop")
    async def close_rasa_client(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        await app.ctx.rasa.close()

    @bp.get("/config")
    async def widget_config(_request: Request) -> HTTPResponse:
        """The clinic's details for the widget's header and privacy notice, from config/clinic.yml."""
        clinic = settings.clinic
        return json(
            {
                "clinicName": clinic.name,
                "phone": clinic.phone,
                "retentionDays": clinic.retention_days,
                "maxMessageChars": settings.max_message_chars,
            }
        )

    @bp.post("/chat")
    async def chat(request: Request) -> HTTPResponse:
        try:
            sender, message = read_chat_request(request, settings.max_message_chars)
        except BadMessage as bad:
            return json({"error": bad.problem}, status=bad.status)
        try:
            replies = await ask_rasa(
                request.app.ctx.rasa, settings.rasa_webhook, sender, offered.as_sent(sender, message)
            )
        except asyncio.TimeoutError:
            logger.warning("Rasa did not answer within %.0f s", settings.rasa_timeout_s)
            return json({"error": UNREACHABLE}, status=504)
        except (aiohttp.ClientError, ValueError) as error:
            logger.warning("Rasa unreachable or answered badly: %s", type(error).__name__)
            return json({"error": UNREACHABLE}, status=502)
        except NotHandled as failed:
            logger.warning("Rasa did not handle a message: %s", failed)
            return json({"error": settings.try_again}, status=503)
        shaped = for_widget(replies)
        if not shaped:
            logger.warning("Rasa answered a message with nothing to show")
            return json({"error": settings.try_again}, status=503)
        offered.remember(sender, (b["payload"] for reply in shaped for b in reply["buttons"]))
        return json({"messages": shaped})

    return bp


def read_chat_request(request: Request, max_chars: int) -> tuple[str, str]:
    """(sender, cleaned message) of a usable request; BadMessage otherwise."""
    try:
        body = request.json
    except InvalidUsage:
        body = None
    if not isinstance(body, dict):
        raise BadMessage('Send JSON like {"sender": "<conversation id>", "message": "<text>"}.')
    sender = body.get("sender")
    if not isinstance(sender, str) or not UUID4.fullmatch(sender):
        raise BadMessage("The conversation id must be a random UUID (version 4).")
    return sender, message_from(body.get("message"), max_chars)


class NotHandled(Exception):
    """Rasa answered, but with an error: the message was not (fully) handled."""


async def ask_rasa(session: aiohttp.ClientSession, url: str, sender: str, message: str) -> Any:
    async with session.post(url, json={"sender": sender, "message": message}) as response:
        if response.status != 200:
            raise NotHandled(f"Rasa answered {response.status}")
        return await response.json()


def for_widget(replies: Any) -> list[dict[str, Any]]:
    """Only what the widget renders: text and buttons (title, payload); anything else is dropped."""
    shaped: list[dict[str, Any]] = []
    for reply in replies if isinstance(replies, list) else []:
        if not isinstance(reply, dict):
            continue
        text = reply.get("text") if isinstance(reply.get("text"), str) else ""
        buttons = [
            {"title": b["title"], "payload": b["payload"]}
            for b in reply.get("buttons") or []
            if isinstance(b, dict) and isinstance(b.get("title"), str) and isinstance(b.get("payload"), str)
        ]
        if text or buttons:
            shaped.append({"text": text, "buttons": buttons})
    return shaped
