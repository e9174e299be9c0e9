"""Conversations held with the real assistant for the review inbox's tests (stored_events.py keeps what it stored).

Each script is chosen for what the assistant really does with it (see the comments); the tests check the
inbox against the stored events, and test_stored_events.py that the assistant still does it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bot.console.console_settings import ConsoleSettings
from bot.console.conversation_summaries import refresh
from bot.console.database import events, open_database
from bot.console.inbox_fold import refresh_inbox
from tools import held_conversations as held
from tools.servers import NO_SIGNS

MISS = "my mum had cancer, my upper back aches after coughing"  # someone else's cancer: the screen raises nothing
FALSE_ALARM = "my chest feels funny"  # a vague sign: the confirming question, answered "no"
LOOP_QUESTION = "utter_ask_pain_location"  # after the safety check, not understood: the pain question asked again
OTHER_TOPIC = "what's the weather like tomorrow?"  # out_of_scope: the redirect, a fallback the console missed
LOW = "hello thank you"  # read as thanks, with a confidence of about 0.57 (the console flags below 0.6)
SCRIPTS: dict[str, tuple[str, ...]] = {
    "inbox-miss": (MISS,),
    "inbox-false-alarm": (FALSE_ALARM, "no"),  # then the safety check, without that sign
    "inbox-loop": ("my back hurts", *NO_SIGNS, "blorf", "???"),  # no English word: not understood, by rule
    "inbox-other-topic": (OTHER_TOPIC,),
    "inbox-low": (LOW,),
    "inbox-emergency": ("crushing pressure in my chest",),  # assessed at once: never "ended without an assessment"
    "inbox-ongoing": ("hello",),  # still going: not ended yet
}
# Moved this far back, a conversation has ended (the inbox waits an hour).
AGED_S = 2 * 3600.0


def held_for_inbox(path: Path) -> Path:
    """The tracker database of the held scripts made ready for the inbox: every conversation but the ongoing one
    ended, summaries and inbox folded."""
    engine = open_database(f"sqlite:///{path}")
    with engine.begin() as connection:
        for name in SCRIPTS:
            if name != "inbox-ongoing":
                held.move(connection, name, name, -AGED_S)
    refresh(engine)
    refresh_inbox(engine, ConsoleSettings(database_url="").low_confidence)
    engine.dispose()
    return path


def stored(path: Path, conversation_id: str, kind: str) -> list[tuple[int, dict[str, Any]]]:
    """The conversation's stored events of one kind ("user", "bot"), with their ids, in order."""
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(events.c.id, events.c.data)
            .where(events.c.sender_id == conversation_id, events.c.type_name == kind)
            .order_by(events.c.id)
        ).all()
    engine.dispose()
    return [(row.id, json.loads(row.data)) for row in rows]


def said_at(path: Path, conversation_id: str, text: str) -> int:
    """The event id of the patient's message with these words."""
    return next(i for i, event in stored(path, conversation_id, "user") if event.get("text") == text)
