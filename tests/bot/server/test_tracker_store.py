"""A tracker database that can't be used is an error that reaches the channel, never a quiet switch to memory."""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.server.tracker_store import StrictSQLTrackerStore, TrackerStoreUnavailable
from tests.support import ticks_while


async def test_a_database_gone_unusable_fails_reads_and_saves_loudly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "tracker.db"
    store = FailSafeTrackerStore(
        StrictSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))
    )  # as Rasa wraps it
    tracker = DialogueStateTracker.from_events("patient", [UserUttered("my back hurts")])
    await store.save(tracker)
    assert [e.text for e in (await store.retrieve("patient")).events if isinstance(e, UserUttered)] == ["my back hurts"]

    shutil.move(db, tmp_path / "aside.db")
    db.mkdir()  # even root can't open a directory as the database
    with pytest.raises(TrackerStoreUnavailable):
        await store.save(tracker)
    with pytest.raises(TrackerStoreUnavailable):
        await store.retrieve("patient")
    critical = [r for r in caplog.records if r.levelno == logging.CRITICAL]
    assert len(critical) == 2 and f"sqlite:///{db}" in critical[0].getMessage()
    assert "InMemoryTrackerStore" not in caplog.text


TURN: list[Event] = [
    UserUttered("it aches after coughing", intent={"name": "describe_pain", "confidence": 0.9}, timestamp=2.0),
    SlotSet("pain_timing", ["after_coughing"], timestamp=3.0),
    ActionExecuted("pain_form", timestamp=4.0),
    ActiveLoop("pain_form", timestamp=5.0),
    BotUttered("Where does it hurt?", timestamp=6.0),
    ActionExecuted("action_listen", timestamp=7.0),
]


def stored_rows(store: SQLTrackerStore) -> list[tuple[Any, ...]]:
    event = store.SQLEvent
    columns = (event.sender_id, event.type_name, event.timestamp, event.intent_name, event.action_name, event.data)
    with store.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.select(*columns).order_by(event.id))]


async def test_a_conversation_is_stored_row_for_row_as_rasas_own_store_stores_it(tmp_path: Path) -> None:
    ours = StrictSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "ours.db"))
    rasas = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "rasa.db"))
    tracker = DialogueStateTracker.from_events("patient", [SessionStarted(timestamp=1.0), *TURN])
    for store in (ours, rasas):
        await store.save(tracker)
    tracker.update_with_events([UserUttered("and at night", timestamp=8.0), SlotSet("pain_quality", "dull_ache")], None)
    for store in (ours, rasas):
        await store.save(tracker)  # only the two new events are added
    assert len(stored_rows(ours)) == len(TURN) + 3
    assert stored_rows(ours) == stored_rows(rasas)


async def test_a_slow_write_does_not_hold_up_other_patients(tmp_path: Path) -> None:
    store = StrictSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
    sa.event.listen(store.engine, "commit", lambda _connection: time.sleep(0.5))  # a slow disk
    ticks = await ticks_while(store.save(DialogueStateTracker.from_events("patient", TURN)))
    assert ticks >= 20, f"the event loop stood still while the database committed ({ticks} ticks in 0.5 s)"
    assert len(stored_rows(store)) == len(TURN)
