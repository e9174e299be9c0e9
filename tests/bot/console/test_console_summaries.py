"""The summary table follows the tracker store: new conversations, new messages, late commits."""

from __future__ import annotations

import time
from pathlib import Path

import httpx2
import sqlalchemy as sa
from sanic import Sanic

from bot.console import synthetic
from bot.console.summaries import refresh
from bot.console.tables import conversations, events
from tests.bot.console.console_support import listed


def turns_of(app: Sanic, conversation_id: str) -> int:
    with app.ctx.engine.connect() as connection:
        return int(
            connection.execute(
                sa.select(conversations.c.turns).where(conversations.c.conversation_id == conversation_id)
            ).scalar_one()
        )


async def test_conversations_and_messages_stored_after_a_page_view_appear_on_the_next(
    app: Sanic, staff: httpx2.AsyncClient, db_path: Path
) -> None:
    _ids, before = await listed(staff)
    store = synthetic.sqlite_store(db_path, synthetic.load_domain())
    newcomer = synthetic.Script("late-arrival", time.time(), store.domain).session_start()
    newcomer.user("my neck is stiff after coughing", "describe_pain", 0.9).listen()
    await synthetic.save(store, app.ctx.settings.database_url, [newcomer.conversation])
    # And one more message in an existing conversation, saved the way Rasa saves it.
    tracker = await store.retrieve_full_tracker("probe-formula")
    assert tracker is not None
    tracker.update(
        synthetic.UserUttered("actually my lower back hurts", intent={"name": "describe_pain", "confidence": 0.9})
    )
    await store.save(tracker)
    store.engine.dispose()

    ids, after = await listed(staff)
    assert after == before + 1 and ids[0] == "late-arrival"
    assert turns_of(app, "probe-formula") == 2
    assert (await listed(staff, "q=lower+back+hurts"))[0] == ["probe-formula"]
    assert refresh(app.ctx.engine) == 0  # nothing is folded twice


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
