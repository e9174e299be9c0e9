"""A tracker database that can't be used is an error that reaches the channel, never a quiet switch to memory."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.server.tracker_store import StrictSQLTrackerStore, TrackerStoreUnavailable


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
