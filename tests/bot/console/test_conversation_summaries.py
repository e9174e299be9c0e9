"""The summary table follows the tracker store off the request path: pages only read, and stay fast."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx2
import sqlalchemy as sa
from rasa.shared.core.events import UserUttered
from sanic import Sanic

from bot.console.conversation_summaries import keep_fresh, pending, refresh
from bot.console.database import events
from clinic.database.tables import conversations, refresh_state
from tests.bot.console.console_support import listed
from tools import held_conversations as held


def turns_of(app: Sanic, conversation_id: str) -> int:
    with app.ctx.engine.connect() as connection:
        return int(
            connection.execute(
                sa.select(conversations.c.turns).where(conversations.c.conversation_id == conversation_id)
            ).scalar_one()
        )


async def store_news(app: Sanic, db_path: Path) -> None:
    """A new conversation (a held one again, today), and one more message in an existing one, as Rasa saves it."""
    with app.ctx.engine.begin() as connection:
        held.move(
            connection, "misunderstood", "late-arrival", time.time() - held.started_at(connection, "misunderstood")
        )
    store = held.sqlite_store(db_path)
    tracker = await store.retrieve_full_tracker("probe-formula")
    assert tracker is not None
    tracker.update(UserUttered("actually my lower back hurts", intent={"name": "describe_pain", "confidence": 0.9}))
    await store.save(tracker)
    store.engine.dispose()


async def test_conversations_and_messages_stored_later_appear_once_the_console_has_folded_them(
    app: Sanic, staff: httpx2.AsyncClient, db_path: Path
) -> None:
    _ids, before = await listed(staff)
    await store_news(app, db_path)
    assert pending(app.ctx.engine)
    refreshing = asyncio.create_task(keep_fresh(app.ctx.engine, every_s=0.05))
    try:
        for _ in range(200):
            await asyncio.sleep(0.05)
            if not pending(app.ctx.engine):
                break
    finally:
        refreshing.cancel()
    ids, after = await listed(staff)
    assert after == before + 1 and ids[0] == "late-arrival"
    assert turns_of(app, "probe-formula") == 2
    assert (await listed(staff, "q=lower+back+hurts"))[0] == ["probe-formula"]
    assert refresh(app.ctx.engine) == 0  # nothing is folded twice


def summary_tables(app: Sanic) -> tuple[list[Any], list[Any]]:
    with app.ctx.engine.connect() as connection:
        return (
            connection.execute(sa.select(conversations).order_by(conversations.c.conversation_id)).all(),
            connection.execute(sa.select(refresh_state)).all(),
        )


async def test_opening_a_page_never_writes_the_summaries(app: Sanic, staff: httpx2.AsyncClient, db_path: Path) -> None:
    await store_news(app, db_path)
    before = summary_tables(app)
    for path in (
        "/conversations", "/conversations?q=blorf", "/conversations/probe-formula", "/charts",
        "/charts/svg/conversations", "/exports/conversations.csv",
    ):  # fmt: skip
        assert (await staff.get(path)).status_code == 200, path
    assert summary_tables(app) == before
    assert pending(app.ctx.engine)  # the news wait for the background refresh, not for a page view


def many_more_events(app: Sanic, copies: int) -> int:
    """Each stored conversation again under new ids, so that folding them takes seconds; returns the events."""
    columns = "type_name, timestamp, intent_name, action_name, data"
    with app.ctx.engine.begin() as connection:
        for copy in range(copies):
            connection.execute(
                sa.text(
                    f"INSERT INTO events (sender_id, {columns}) SELECT sender_id || '-copy-{copy}', {columns} "
                    "FROM events WHERE sender_id NOT LIKE '%-copy-%'"
                )
            )
        return int(connection.execute(sa.select(sa.func.count()).select_from(events)).scalar_one())


async def test_pages_answer_within_200_ms_while_the_summaries_are_being_refreshed(
    app: Sanic, staff: httpx2.AsyncClient
) -> None:
    assert many_more_events(app, copies=15) > 50_000
    paths = ("/conversations", "/conversations?q=shoulder", "/conversations/probe-formula", "/charts", "/bookings")
    for path in paths:  # each page once before: its template compiled, so the timing is the refresh's doing
        assert (await staff.get(path)).status_code == 200, path
    refreshing = asyncio.create_task(asyncio.to_thread(refresh, app.ctx.engine))
    await asyncio.sleep(0.3)  # well into it: folding 50,000 events takes seconds
    timings = {}
    for path in paths:
        started = time.perf_counter()
        response = await staff.get(path)
        timings[path] = time.perf_counter() - started
        assert response.status_code == 200, path
    assert not refreshing.done(), "the refresh ended before the pages were asked for: make it longer"
    assert max(timings.values()) < 0.2, timings
    assert await refreshing > 50_000


async def test_events_committed_late_with_lower_ids_are_still_counted_once(app: Sanic) -> None:
    """On PostgreSQL one conversation's transaction can commit after a later-numbered one."""
    refresh(app.ctx.engine)
    with app.ctx.engine.begin() as connection:
        late = connection.execute(sa.select(events).where(events.c.sender_id == "probe-xss")).mappings().all()
        connection.execute(events.delete().where(events.c.sender_id == "probe-xss"))
        connection.execute(conversations.delete().where(conversations.c.conversation_id == "probe-xss"))
    assert late and late[-1]["id"] < max_event_id(app)  # rows below the newest id, as a late commit has
    refresh(app.ctx.engine)
    with app.ctx.engine.begin() as connection:
        connection.execute(events.insert(), [dict(row) for row in late])  # the same rows, committed "late"
    refresh(app.ctx.engine)
    assert turns_of(app, "probe-xss") == 1
    assert turns_of(app, "probe-formula") == 1  # its neighbours were not folded again


def max_event_id(app: Sanic) -> int:
    with app.ctx.engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.max(events.c.id))).scalar_one())
