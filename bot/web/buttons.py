"""Which slash messages the proxy passes on: only the payloads of buttons the bot offered.

Rasa reads a message that starts with "/" as an intent (and entities, and a confidence) chosen by the
sender. A button's payload is meant to, but typed text is not: "/describe_pain@1.0 my lips are blue"
would otherwise set its own intent after the red-flag screen. So the proxy remembers, per
conversation, the payloads of the buttons it showed, and strips the leading slash from anything else.
The memory is per web process and bounded: a conversation that moves to another process, or that is
forgotten, only loses the shortcut (its buttons' payloads then arrive as plain words).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

# The widget opens every conversation with this one.
OPENING_PAYLOADS = frozenset({"/greet"})


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
        """The message to forward: a payload this conversation was offered as it is, typed text unslashed."""
        if not message.lstrip().startswith("/"):
            return message
        if message.strip() in OPENING_PAYLOADS or message.strip() in self._offered.get(sender, ()):
            return message.strip()
        return message.lstrip().lstrip("/").lstrip() or message
