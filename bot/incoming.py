"""What the assistant accepts as a patient's message, whichever way it comes (the web proxy or Rasa's port).

Text from outside is cleaned before anything reads or stores it, because what it stores is read again
by the NLU, the staff console and its CSV exports:
- control characters (C0 but tab and newline, DEL, C1) become a space: a NUL breaks Python's csv writer
  and ends SQLite's view of a string, so words after it could not be searched; a space keeps words apart;
- lone surrogates (JSON allows "\\ud800") become U+FFFD: they can't be encoded as UTF-8, and spaCy,
  the database and every page would fail on them;
- bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069, the "Trojan Source" characters)
  are removed: they only reorder how text is drawn, so a message could show staff something other than what
  it says. Arabic or Hebrew needs none of them (the Unicode bidi algorithm orders them by itself); the
  left-to-right and right-to-left marks (U+200E, U+200F, U+061C), which only nudge it, are kept, as are
  zero-width joiners (emoji sequences, Persian).
"""

from __future__ import annotations

import re
from typing import Any

# The longest message either door forwards: a longer one costs Rasa seconds and a lot of memory.
MAX_MESSAGE_CHARS = 2000

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")


class BadMessage(Exception):
    """A request the assistant won't take, with the HTTP status and a reason in plain words."""

    def __init__(self, problem: str, status: int = 400) -> None:
        super().__init__(problem)
        self.problem = problem
        self.status = status


def clean_text(text: str) -> str:
    """The text safe to process, store, search, show and export (see the module's docstring)."""
    # UTF-16 round trip: a proper surrogate pair becomes its character, a lone surrogate U+FFFD.
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return _BIDI_CONTROL.sub("", _CONTROL.sub(" ", text))


def message_from(value: Any, max_chars: int) -> str:
    """The cleaned message of a request's "message" field; BadMessage when it isn't a usable one."""
    if not isinstance(value, str):
        raise BadMessage("Type a message first.")
    if len(value) > max_chars:
        raise BadMessage(
            f"That message is {len(value):,} characters long; please keep it under {max_chars:,}.", status=413
        )
    message = clean_text(value)
    if not message.strip():
        raise BadMessage("Type a message first.")
    return message
