"""What the review inbox lists, found in each conversation's stored events, in the background.

Like the summaries (conversation_summaries.py), the inbox is folded from Rasa's events table by the console process,
never by a request: each refresh takes the conversations with events stored since the last one (looking
back LOOKBACK_IDS ids, as the summaries do) and finds their items again from all their events. Finding
is idempotent, so a conversation folded twice, or by two console processes, gives the same rows.
Dismissals live in their own table and outlast any fold.

Categories, most risky first (CATEGORIES):
- possible_miss: the broad screen (broad_screen.py) finds red-flag words in a patient message, but the
  assistant neither asked about a red flag nor gave the red-flag reply. Answers to the confirming
  question are left out: the question was already asked.
- possible_false_alarm: a red flag was raised (question or reply) on a message with no red-flag word at
  all (only the model suspected one), or the patient answered "no" to the confirming question it led to.
- fallback: the bot's fallback reply to the message (outcomes.FALLBACK_ACTIONS).
- low_confidence: the NLU's intent confidence below the console's threshold.
- no_assessment: the conversation's last patient message, when it has no assessment; listed once the
  conversation has been quiet for ENDED_AFTER_S (inbox.py), i.e. it ended that way.
- loop: the same question asked a second time in one session; the line is the second asking. A question
  is a response named utter_ask_* (the forms ask them from inside the form action, so no action of its
  own is stored, and markers cannot see them) or a custom action's message ending in a question mark.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, Row

from bot.console.broad_screen import red_flag_words
from bot.console.conversation_summaries import LOOKBACK_IDS, REFRESH_EVERY_S
from bot.console.database import events
from bot.console.outcomes import FALLBACK_ACTIONS, HIDDEN_GREETING, RED_FLAG_ACTION
from clinic.database.tables import inbox_items, inbox_state
from clinic.safety_check import ANSWER_SLOT

logger = logging.getLogger(__name__)

CATEGORIES = ("possible_miss", "possible_false_alarm", "fallback", "low_confidence", "no_assessment", "loop")
QUESTION_RESPONSE = "utter_ask_"
SESSION_START = "action_session_start"
CONVERSATIONS_PER_TRANSACTION = 200


def question_of(bot_event: dict[str, Any]) -> str | None:
    """Which question a bot message asks (its response name, or its words), None when it asks none."""
    response = str((bot_event.get("metadata") or {}).get("utter_action") or "")
    if response:
        return response if response.startswith(QUESTION_RESPONSE) else None
    text = (bot_event.get("text") or "").strip()
    return text if text.endswith("?") else None


@dataclass(frozen=True)
class Found:
    """One inbox line: the message (stored event) it points at, and why it is there."""

    event_id: int
    category: str
    at: float
    detail: str = ""


@dataclass
class PatientMessage:
    event_id: int
    at: float
    words: tuple[str, ...]  # red-flag concepts the broad screen found
    answers_check: bool  # an answer to the red-flag confirming question
    raised: bool = False  # the assistant asked about a red flag or gave the red-flag reply
    fallback: bool = False
    low: str = ""  # the intent and its confidence, when below the threshold


@dataclass
class Finder:
    """Walks one conversation's events in order, collecting what the inbox lists."""

    low_confidence: float
    found: dict[tuple[int, str], Found] = field(default_factory=dict)
    message: PatientMessage | None = None
    raiser: PatientMessage | None = None  # the latest message that raised a red flag
    checking: bool = False  # the red-flag confirming question is waiting for its answer
    asked: Counter[str] = field(default_factory=Counter)
    assessed: bool = False

    def add(self, message: PatientMessage | Row[Any], category: str, detail: str = "", at: float | None = None) -> None:
        key = (message.event_id if isinstance(message, PatientMessage) else message.id, category)
        self.found.setdefault(key, Found(key[0], category, at if at is not None else float(message.at), detail[:255]))

    def user(self, row: Row[Any], data: dict[str, Any]) -> None:
        text = data.get("text") or ""
        if text == HIDDEN_GREETING:
            return
        self.close_message()
        parse = data.get("parse_data") or {}
        screened = parse.get("red_flag") or {}
        words = () if text.lstrip().startswith("/") else red_flag_words(text)
        message = PatientMessage(
            row.id,
            float(row.timestamp or 0),
            words,
            answers_check=self.checking,
            raised=screened.get("tier", "none") != "none",
        )
        self.message = message
        intent = parse.get("intent") or {}
        confidence = intent.get("confidence")
        message.low = (
            f"{intent.get('name')} {confidence:.2f}"
            if confidence is not None and confidence < self.low_confidence
            else ""
        )
        if message.raised:
            self.raised(message)

    def raised(self, message: PatientMessage) -> None:
        message.raised = True
        if not message.words:
            self.add(message, "possible_false_alarm", "no red-flag word: only the model suspected one")
        self.raiser = message

    def action(self, name: str) -> None:
        if name == SESSION_START:
            self.asked.clear()
        elif name == RED_FLAG_ACTION and self.message and not self.message.answers_check:
            self.raised(self.message)
        elif name in FALLBACK_ACTIONS and self.message and not self.message.fallback:
            self.message.fallback = True
            self.add(self.message, "fallback", name)

    def bot(self, row: Row[Any], data: dict[str, Any]) -> None:
        question = question_of(data)
        if question:
            self.asked[question] += 1
            if self.asked[question] == 2:
                self.add(row, "loop", f"asked again: {question}", at=float(row.timestamp or 0))

    def slot(self, data: dict[str, Any]) -> None:
        name, value = data.get("name"), data.get("value")
        if name == "assessment" and value:
            self.assessed = True
        elif name == "requested_slot":
            self.checking = value == ANSWER_SLOT
        elif name == ANSWER_SLOT and value == "no" and self.raiser:
            self.add(self.raiser, "possible_false_alarm", "the patient answered no to the confirming question")

    def close_message(self) -> None:
        """What only the turn's end tells: whether the message raised a red flag or got a fallback reply."""
        message = self.message
        if message and message.words and not message.raised and not message.answers_check:
            self.add(message, "possible_miss", ", ".join(message.words))
        if message and message.low and not message.fallback:  # the fallback line says more
            self.add(message, "low_confidence", message.low)

    def finish(self) -> list[Found]:
        self.close_message()
        if self.message and not self.assessed:
            self.add(self.message, "no_assessment")
        return list(self.found.values())


def find(rows: Iterable[Row[Any]], low_confidence: float) -> list[Found]:
    """The inbox items of one conversation, from its stored events (rows of the events table) in id order."""
    finder = Finder(low_confidence)
    for row in rows:
        data = json.loads(row.data)
        if row.type_name == "user":
            finder.user(row, data)
        elif row.type_name == "action":
            finder.action(row.action_name or "")
        elif row.type_name == "bot":
            finder.bot(row, data)
        elif row.type_name == "slot":
            finder.slot(data)
    return finder.finish()


def refresh_inbox(engine: Engine, low_confidence: float) -> int:
    """Finds the items of every conversation with events stored since the last refresh; returns how many conversations."""
    with engine.connect() as connection:
        done = connection.execute(sa.select(inbox_state.c.last_event_id)).scalar_one()
        newest = connection.execute(sa.select(sa.func.max(events.c.id))).scalar_one_or_none() or 0
        touched = sorted(
            connection.execute(
                sa.select(events.c.sender_id).where(events.c.id > max(done - LOOKBACK_IDS, 0)).distinct()
            ).scalars()
        )
    if newest <= done:
        return 0
    for start in range(0, len(touched), CONVERSATIONS_PER_TRANSACTION):
        fold(engine, touched[start : start + CONVERSATIONS_PER_TRANSACTION], low_confidence)
    with engine.begin() as connection:
        connection.execute(
            inbox_state.update().where(inbox_state.c.last_event_id < newest).values(last_event_id=newest)
        )
    return len(touched)


def fold(engine: Engine, conversation_ids: Sequence[str], low_confidence: float) -> None:
    """Finds these conversations' items again and replaces their rows (read first, then one short write)."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(
                events.c.id, events.c.sender_id, events.c.type_name, events.c.timestamp,
                events.c.action_name, events.c.data,
            )
            .where(events.c.sender_id.in_(conversation_ids))
            .order_by(events.c.sender_id, events.c.id)
        ).all()  # fmt: skip
    found = {
        sender: find(conversation, low_confidence) for sender, conversation in groupby(rows, lambda r: r.sender_id)
    }
    with engine.begin() as connection:
        connection.execute(inbox_items.delete().where(inbox_items.c.conversation_id.in_(conversation_ids)))
        new = [
            {"conversation_id": sender, "event_id": f.event_id, "category": f.category, "at": f.at, "detail": f.detail}
            for sender, items in found.items()
            for f in items
        ]
        if new:
            connection.execute(inbox_items.insert(), new)


def inbox_pending(engine: Engine) -> bool:
    """Whether events were stored beyond those folded into the inbox (a cheap read)."""
    with engine.connect() as connection:
        newest = connection.execute(sa.select(sa.func.max(events.c.id))).scalar_one_or_none() or 0
        done = connection.execute(sa.select(inbox_state.c.last_event_id)).scalar_one()
    return bool(newest > done)


async def keep_inbox_fresh(engine: Engine, low_confidence: float, every_s: float = REFRESH_EVERY_S) -> None:
    """Folds new events into the inbox from start-up on, in a worker thread; never ends."""
    while True:
        try:
            if await asyncio.to_thread(inbox_pending, engine):
                await asyncio.to_thread(refresh_inbox, engine, low_confidence)
        except sa.exc.SQLAlchemyError:
            logger.exception("The review inbox could not be refreshed; trying again shortly")
        await asyncio.sleep(every_s)
