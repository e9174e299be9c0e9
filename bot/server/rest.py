"""Rasa's REST channel, refusing what the web proxy refuses and reporting failures instead of answering `[]`.

Rasa's own channel answers `200 []` when anything inside fails (and logs the patient's text), and takes
any message, however long (one of 100,000 characters costs Rasa half a minute and gigabytes). This one,
listed in credentials.yml under its module path, keeps the same URL (/webhooks/rest/webhook).
Before anything is parsed, a body longer than any message within the limit could be is refused (413);
then the JSON, the sender and the message are checked, and the message is cleaned as the proxy cleans
it (bot/incoming.py); "/session_start" and "/back" are taken as words. A refusal is a 4xx with
`{"error": "..."}`. The channel answers 503 with a reason when the action server refuses connections (checked before the message
is handled, so the conversation keeps its state and the patient can simply retry) or the tracker
store is unavailable, and 500 when handling failed otherwise. bot/web/chat.py turns each into
a message the patient sees with a Retry button.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, HTTPResponse, Request, response

from bot.incoming import MAX_MESSAGE_CHARS, BadMessage, message_from
from bot.server.tracker_store import TrackerStoreUnavailable

logger = logging.getLogger(__name__)

# Rasa's own event loop can be busy for a moment under load: a connection it can't open in this time
# is given the benefit of the doubt (the action call itself then decides).
CONNECT_TIMEOUT_S = 3.0
# Rasa's own intents that start a session or rewind one without a word to the caller; no button of the
# assistant's sends them, so typed they are words (the NLU strips the slash of other typed intents).
SILENT_INTENTS = re.compile(r"\s*/(session_start|back)\b")
# Rasa's tracker stores keep the sender id in a 255-character column.
MAX_SENDER_CHARS = 255
# Room for the sender and metadata around the longest message, each character escaped as JSON may
# escape it (an emoji as two "\uXXXX", 12 bytes).
EXTRA_BODY_BYTES = 4096


def checked_request(body: bytes, max_chars: int) -> tuple[str, str]:
    """The sender and cleaned message of a request body Rasa may handle; BadMessage otherwise."""
    if len(body) > 12 * max_chars + EXTRA_BODY_BYTES:
        raise BadMessage(f"That message is too long; please keep it under {max_chars:,} characters.", status=413)
    try:
        request = json.loads(body)
    except ValueError:  # not JSON, or not UTF-8
        request = None
    if not isinstance(request, dict):
        raise BadMessage('Send JSON like {"sender": "<conversation id>", "message": "<text>"}.')
    sender = request.get("sender")
    if not (isinstance(sender, str) and sender.strip() and len(sender) <= MAX_SENDER_CHARS and sender.isprintable()):
        raise BadMessage(f"The sender must be a conversation id of 1 to {MAX_SENDER_CHARS} printable characters.")
    message = message_from(request.get("message"), max_chars)
    return sender, message.lstrip().lstrip("/") if SILENT_INTENTS.match(message) else message


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
    """The REST channel with bad requests refused and failures reported to the caller."""

    def __init__(self, max_message_chars: int = MAX_MESSAGE_CHARS) -> None:
        self.max_message_chars = max_message_chars

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("clinic_rest_webhook", __name__)

        @webhook.get("/")
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.post("/webhook")
        async def receive(request: Request) -> HTTPResponse:
            try:
                sender_id, text = checked_request(request.body, self.max_message_chars)
            except BadMessage as bad:
                return response.json({"error": bad.problem}, status=bad.status)
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
