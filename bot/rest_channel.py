"""Rasa's REST channel with the web proxy's checks, so Rasa's own port takes no message the proxy would refuse.

Registered in credentials.yml by module path. It keeps the name "rest", so the URL stays
`/webhooks/rest/webhook`. Before anything is parsed, a body longer than any message within the limit
could be is refused (413); then the JSON, the sender and the message are checked, and the message is
cleaned as the proxy cleans it (bot/incoming.py); "/session_start" and "/back" are taken as words.
A refusal is a 4xx with `{"error": "..."}`: Rasa's own channel would answer a missing or non-text
message with an empty 200, which a caller reads as silence, and a long message would cost Rasa
seconds and gigabytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, HTTPResponse, Request, response

from bot.incoming import MAX_MESSAGE_CHARS, BadMessage, message_from

# Rasa's own intents that start a session or rewind one without a word to the caller; no button of the
# assistant's sends them, so typed they are words (the NLU strips the slash of other typed intents).
SILENT_INTENTS = re.compile(r"\s*/(session_start|back)\b")
# Rasa's tracker stores keep the sender id in a 255-character column.
MAX_SENDER_CHARS = 255
# Room for the sender and metadata around the longest message, each character escaped as JSON may
# escape it (an emoji as two "\uXXXX", 12 bytes).
EXTRA_BODY_BYTES = 4096


def checked_message(body: bytes, max_chars: int) -> str:
    """The cleaned message of a request body Rasa may handle; BadMessage otherwise."""
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
    return message.lstrip().lstrip("/") if SILENT_INTENTS.match(message) else message


class CheckedRestInput(RestInput):
    """The REST channel, refusing what the web proxy refuses, before Rasa parses anything."""

    def __init__(self, max_message_chars: int = MAX_MESSAGE_CHARS) -> None:
        self.max_message_chars = max_message_chars

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        channel = super().blueprint(on_new_message)

        @channel.middleware("request")
        async def refuse_unusable(request: Request) -> HTTPResponse | None:
            if request.method != "POST":
                return None
            try:
                request.ctx.message = checked_message(request.body, self.max_message_chars)
            except BadMessage as bad:
                return response.json({"error": bad.problem}, status=bad.status)
            return None

        return channel

    def _extract_message(self, req: Request) -> str:
        message: str = req.ctx.message
        return message
