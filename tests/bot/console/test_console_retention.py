"""Retention: old conversations and old finished booking requests go; open requests and recent data stay."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from sanic import Sanic

from bot.console.bookings import change_status, epoch
from bot.console.cli import main
from bot.console.retention import purge
from bot.console.reviews import add_note
from clinic.config import load_clinic
from clinic.database.revisions import upgrade
from clinic.database.tables import booking_requests, notes
from tests.bot.console.console_support import Truth, read_truths
from tools.held_conversations import DAY


def bookings(app: Sanic) -> list[sa.engine.Row]:
    with app.ctx.engine.connect() as connection:
        return list(connection.execute(sa.select(booking_requests).order_by(booking_requests.c.created_at)))


async def test_retention_deletes_what_is_past_the_period_and_keeps_what_staff_still_need(
    app: Sanic, db_path: Path, truths: dict[str, Truth]
) -> None:
    now = time.time()
    cutoff = now - 30 * DAY
    old_bookings = [b for b in bookings(app) if epoch(b.created_at) < cutoff]
    assert len(old_bookings) >= 2, "the test data needs two booking requests older than 30 days"
    closed, still_open = old_bookings[0], old_bookings[1]
    old_quiet = next(s for s, t in sorted(truths.items()) if t.last_at < cutoff and not t.completed)
    with app.ctx.engine.begin() as connection:
        change_status(connection, closed.id, "closed", "sam")
        add_note(connection, old_quiet, "called, no answer", "sam")

    deleted = purge(app.ctx.engine, 30, now, app.ctx.settings.idle_s, app.ctx.settings.max_s)

    open_senders = {b.conversation_id for b in bookings(app) if b.status in ("new", "contacted")}
    expected_gone = {s for s, t in truths.items() if t.last_at < cutoff and s not in open_senders}
    remaining = await read_truths(db_path)  # what Rasa's own tracker store still has
    assert set(remaining) == set(truths) - expected_gone
    assert still_open.conversation_id in remaining and old_quiet not in remaining
    assert deleted.conversations == len(expected_gone) > 0
    assert [b.id for b in bookings(app) if b.id in (closed.id, still_open.id)] == [still_open.id]
    assert deleted.booking_requests == 1
    with app.ctx.engine.connect() as connection:
        assert connection.execute(sa.select(notes).where(notes.c.conversation_id == old_quiet)).first() is None
    assert "deleted" in deleted.report(30) and f"{deleted.conversations} conversations" in deleted.report(30)


async def test_recent_data_is_untouched(app: Sanic, db_path: Path, truths: dict[str, Truth]) -> None:
    deleted = purge(app.ctx.engine, 365, time.time(), app.ctx.settings.idle_s, app.ctx.settings.max_s)
    assert (deleted.conversations, deleted.events, deleted.booking_requests) == (0, 0, 0)
    assert len(await read_truths(db_path)) == len(truths)


def test_a_retention_of_zero_days_is_refused(app: Sanic) -> None:
    with pytest.raises(ValueError, match="at least one day"):
        purge(app.ctx.engine, 0, time.time(), 60, 60)


def test_the_retention_command_reports_what_it_deleted(
    app: Sanic, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CONSOLE_DATABASE_URL", app.ctx.settings.database_url)
    assert main(["retention", "--days", "30"]) == 0
    report = capsys.readouterr().out
    assert report.startswith("Retention 30 days: deleted ") and " conversations (" in report
    assert main(["retention", "--days", "30"]) == 0
    assert "deleted 0 conversations (0 events)" in capsys.readouterr().out


def test_the_default_retention_is_the_clinics_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade(url)  # `make retention` migrates first
    monkeypatch.setenv("CONSOLE_DATABASE_URL", url)
    assert main(["retention"]) == 0
    assert capsys.readouterr().out.startswith("Retention 365 days:")
    assert load_clinic().retention_days == 365
