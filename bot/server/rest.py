"""Rasa's REST channel, telling the caller when a message could not be handled instead of answering `[]`.

Rasa's own channel answers `200 []` when anything inside fails (and logs the patient's text). This one,
listed in credentials.yml under its module path, keeps the same URL (/webhooks/rest/webhook) and
answers 503 with a reason when the action server refuses connections (checked before the message
is handled, so the conversation keeps its state and the patient can simply retry) or the tracker
store is unavailable, and 500 when handling failed otherwise. bot/web/chat.py turns each into
a message the patient sees with a Retry button.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, HTTPResponse, Request, response

from bot.server.tracker_store import TrackerStoreUnavailable

logger = logging.getLogger(__name__)

# Rasa's own event loop can be busy for a moment under load: a connection it can't open in this time
# is given the benefit of the doubt (the action call itself then decides).
CONNECT_TIMEOUT_S = 3.0


async def action_server_down(webhook_url: str) -> str | None:
    """Why the action server behind `webhook_url` can't be reached now; None when it accepts connections.

    A connection, not a health request: the kernel accepts it even while the action server is busy,
    so a loaded server is never taken for a dead one, and a dead one (refused) is known at once.
    """
    address = urlsplit(webhook_url)
    try:
        _, writer = await asyncio.wait_for(
            asyncio.open_connection(address.hostname, address.port or 80), CONNECT_TIMEOUT_S
        )
    except asyncio.TimeoutError:
        return None
    except OSError as error:
        return f"the action server is not answering ({type(error).__name__})"
    writer.close()
    return None


class ClinicRestInput(RestInput):
    """The REST channel with failures reported to the caller."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("clinic_rest_webhook", __name__)

        @webhook.get("/")
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.post("/webhook")
        async def receive(request: Request) -> HTTPResponse:
            sender_id = await self._extract_sender(request)
            text = self._extract_message(request)
            endpoint = request.app.ctx.agent.action_endpoint
            problem = await action_server_down(endpoint.url) if endpoint else None
            if problem:
                logger.error("A message was not handled: %s", problem)
                return response.json({"error": problem}, status=503)
            collector = CollectingOutputChannel()
            message = UserMessage(
                text,
                collector,
                sender_id,
                input_channel=self._extract_input_channel(request),
                metadata=self.get_metadata(request),
            )
            try:
                await on_new_message(message)
            except TrackerStoreUnavailable:
                return response.json({"error": "the conversation could not be stored"}, status=503)
            except Exception:
                logger.exception("A message could not be handled")
                return response.json({"error": "the message could not be handled"}, status=500)
            return response.json(collector.messages)

        return webhook
