"""One summary row per conversation, folded incrementally from Rasa's events table.

Listing 10,000 conversations by replaying their events on every page view is far too slow, so
each refresh folds only the events stored since the last one. Event ids grow with every insert;
one conversation's events are written in order (Rasa locks a conversation while it handles a
message), but two conversations' transactions may commit out of id order on PostgreSQL. So each
refresh looks back LOOKBACK_IDS ids and skips, per conversation, the events already folded.

Refreshing is a write and takes seconds on a big store, so no request does it: `keep_fresh` runs in
the console process, off the event loop, when new events have been stored.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, Row

from bot.console.database import events
from bot.console.outcomes import (
    BOOKING_OFFER_ACTION,
    BOOKING_SAVE_ACTION,
    FALLBACK_ACTIONS,
    HIDDEN_GREETING,
    RED_FLAG_ACTION,
)
from bot.incoming import clean_text
from clinic.database.tables import conversations, refresh_state

logger = logging.getLogger(__name__)

LOOKBACK_IDS = 1000
# Events folded per transaction: short transactions leave the write lock to the console's own writes.
BATCH_SIZE = 5_000
REFRESH_EVERY_S = 2.0
FIRST_MESSAGE_CHARS = 500


@dataclass
class Summary:
    """What the conversation list shows about one conversation."""

    conversation_id: str
    started_at: float
    last_event_at: float
    last_event_id: int = 0
    first_message: str | None = None
    turns: int = 0
    assessment: str | None = None
    red_flag: bool = False
    booking_offered: bool = False
    booking_requested: bool = False
    booking_completed: bool = False
    fallbacks: int = 0
    search_text: str = ""

    def fold(self, event: Row[Any]) -> None:
        """Adds one stored event (a row of the events table) to the summary."""
        self.last_event_id = event.id
        when = event.timestamp or self.last_event_at
        self.started_at = min(self.started_at, when)
        self.last_event_at = max(self.last_event_at, when)
        if event.type_name == "user":
            text = json.loads(event.data).get("text") or ""
            if text == HIDDEN_GREETING:
                return
            text = clean_text(text)  # stored before the doors cleaned it: PostgreSQL takes no NUL in text
            self.turns += 1
            self.first_message = self.first_message or text[:FIRST_MESSAGE_CHARS] or None
            self.search_text += text.lower() + "\n"
        elif event.type_name == "action":
            self.red_flag |= event.action_name == RED_FLAG_ACTION
            self.booking_offered |= event.action_name == BOOKING_OFFER_ACTION
            self.booking_completed |= event.action_name == BOOKING_SAVE_ACTION
            self.fallbacks += event.action_name in FALLBACK_ACTIONS
        elif event.type_name == "slot":
            data = json.loads(event.data)
            if data.get("name") == "assessment" and data.get("value"):
                self.assessment = str(data["value"])
            elif data.get("name") == "booking_requested" and data.get("value") is True:
                self.booking_requested = True


def refresh(engine: Engine) -> int:
    """Folds the events stored since the last refresh into the summaries; returns how many."""
    folded = 0
    lookback = LOOKBACK_IDS
    while True:
        with engine.begin() as connection:
            done = connection.execute(sa.select(refresh_state.c.last_event_id)).scalar_one()
            rows = connection.execute(
                sa.select(
                    events.c.id,
                    events.c.sender_id,
                    events.c.type_name,
                    events.c.timestamp,
                    events.c.intent_name,
                    events.c.action_name,
                    events.c.data,
                )
                .where(events.c.id > max(done - lookback, 0))
                .order_by(events.c.id)
                .limit(BATCH_SIZE)
            ).all()
            new, changed, count = fold_batch(connection, rows)
            # Only now a write, which takes the write lock (SQLite) or the row lock (PostgreSQL): the console's
            # own writes (an audit entry, a note) wait for the storing alone, not for the folding.
            connection.execute(refresh_state.update().values(last_event_id=refresh_state.c.last_event_id))
            if connection.execute(sa.select(refresh_state.c.last_event_id)).scalar_one() != done:
                continue  # another console process folded these meanwhile: start again from where it got to
            store(connection, new, changed)
            folded += count
            if rows:
                connection.execute(refresh_state.update().values(last_event_id=max(done, rows[-1].id)))
        if len(rows) < BATCH_SIZE:
            return folded
        lookback = 0


def fold_batch(connection: Connection, rows: Sequence[Row[Any]]) -> tuple[dict[str, Summary], dict[str, Summary], int]:
    """The rows not yet folded, folded into their conversations' summaries: new ones, changed ones, how many rows."""
    folded = 0
    known = dict(load_summaries(connection, {row.sender_id for row in rows}))
    new: dict[str, Summary] = {}
    changed: dict[str, Summary] = {}
    for row in rows:
        summary = known.get(row.sender_id)
        if summary is None:
            summary = known[row.sender_id] = new[row.sender_id] = Summary(
                row.sender_id, row.timestamp or 0.0, row.timestamp or 0.0
            )
        if row.id <= summary.last_event_id:
            continue
        summary.fold(row)
        folded += 1
        if row.sender_id not in new:
            changed[row.sender_id] = summary
    return new, changed, folded


def store(connection: Connection, new: dict[str, Summary], changed: dict[str, Summary]) -> None:
    if new:
        connection.execute(conversations.insert(), [asdict(s) for s in new.values()])
    for summary in changed.values():
        values = asdict(summary)
        conversation_id = values.pop("conversation_id")
        connection.execute(
            conversations.update().where(conversations.c.conversation_id == conversation_id).values(**values)
        )


def load_summaries(connection: Connection, conversation_ids: Iterable[str]) -> Iterator[tuple[str, Summary]]:
    """The stored summaries of these conversations, queried in chunks (databases cap IN lists)."""
    ids = sorted(conversation_ids)
    columns = [conversations.c[name] for name in Summary.__dataclass_fields__]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for row in connection.execute(sa.select(*columns).where(conversations.c.conversation_id.in_(chunk))):
            yield row.conversation_id, Summary(**row._asdict())


def pending(engine: Engine) -> bool:
    """Whether events were stored beyond those folded (a read, cheap on any store size).

    An event committed late with a lower id (PostgreSQL) is folded with the next new event.
    """
    with engine.connect() as connection:
        newest = connection.execute(sa.select(sa.func.max(events.c.id))).scalar_one_or_none() or 0
        done = connection.execute(sa.select(refresh_state.c.last_event_id)).scalar_one()
    return bool(newest > done)


async def keep_fresh(engine: Engine, every_s: float = REFRESH_EVERY_S) -> None:
    """Folds new events from start-up on, every few seconds, in a worker thread; never ends."""
    while True:
        try:
            if await asyncio.to_thread(pending, engine):
                await asyncio.to_thread(refresh, engine)
        except sa.exc.SQLAlchemyError:
            logger.exception("The conversation summaries could not be refreshed; trying again shortly")
        await asyncio.sleep(every_s)
