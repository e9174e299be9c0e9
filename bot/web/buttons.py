"""Which slash messages the proxy passes on: only the payloads of buttons the bot offered.

Rasa reads a message that starts with "/" as an intent (and entities, and a confidence) chosen by the
sender. A button's payload is meant to, but typed text is not: "/describe_pain@1.0 my lips are blue"
would otherwise set its own intent after the red-flag screen. So the proxy remembers, per
conversation, the payloads of the buttons it showed, and strips the leading slash from any other message
that names one of the assistant's intents. A slash before any other name is left as typed: Rasa reads such a
line as plain text, while without its slash "/EXTERNAL_reminder" became words the NLU read as "stop", which
ended the conversation.
The memory is per web process and bounded: a conversation that moves to another process, or that is
forgotten, only loses the shortcut (its buttons' payloads then arrive as plain words).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import yaml
from rasa.shared.core.constants import DEFAULT_INTENTS

DOMAIN = Path(__file__).resolve().parent.parent.parent / "domain.yml"
# The widget opens every conversation with this one.
OPENING_PAYLOADS = frozenset({"/greet"})


@cache
def assistant_intents(domain: Path = DOMAIN) -> frozenset[str]:
    """Every intent Rasa's slash syntax can set: domain.yml's and Rasa's own (restart, session_start, ...)."""
    listed = yaml.safe_load(domain.read_text(encoding="utf-8")).get("intents") or []
    return frozenset(DEFAULT_INTENTS) | {str(next(iter(i))) if isinstance(i, dict) else str(i) for i in listed}


def names_an_intent(message: str) -> bool:
    """Whether Rasa would read the message as an intent: the name between "/" and any "@" or "{" is one of them."""
    name = message.strip()[1:].split("{", 1)[0].split("@", 1)[0].strip()
    return name in assistant_intents()


class OfferedButtons:
    """The button payloads offered in each recent conversation (least recently used forgotten first)."""

    def __init__(self, max_conversations: int = 10_000) -> None:
        self.max_conversations = max_conversations
        self._offered: OrderedDict[str, set[str]] = OrderedDict()

    def remember(self, sender: str, payloads: Iterable[str]) -> None:
        offered = self._offered.setdefault(sender, set())
        offered.update(payloads)
        self._offered.move_to_end(sender)
        while len(self._offered) > self.max_conversations:
            self._offered.popitem(last=False)

    def as_sent(self, sender: str, message: str) -> str:
        """The message to forward: a payload this conversation was offered as it is, typed text naming an intent
        unslashed, any other typed text as typed."""
        if not message.lstrip().startswith("/"):
            return message
        if message.strip() in OPENING_PAYLOADS or message.strip() in self._offered.get(sender, ()):
            return message.strip()
        if not names_an_intent(message):
            return message
        return message.lstrip().lstrip("/").lstrip() or message
