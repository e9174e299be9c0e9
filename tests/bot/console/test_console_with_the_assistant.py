"""The newcomer's path: talk to the real assistant, then find the conversation in the console.

Starts the action server, the Rasa server and the console with the launcher (as `make run` does),
holds real conversations over REST, reads them in the console over HTTP, and checks that
`rasa evaluate markers` agrees with the console on them. What the console shows is checked against
what Rasa stored, so the test holds whatever the current model makes of the messages.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from pathlib import Path

import httpx2
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.console.conversation_summaries import pending
from bot.console.database import open_database
from bot.console.outcomes import HIDDEN_GREETING
from bot.stack import Stack
from clinic.database.tables import booking_requests, conversations
from tests.bot.console.console_support import PASSWORD, evaluate_markers, list_rows
from tools.console_client import log_in
from tools.held_conversations import sqlite_store
from tools.servers import NO_SIGNS, chat, say

BOOKING = ("I'd like to book a visit", "Sara Lopez", "512-555-0134", "tuesday morning")
# None of the safety check's signs, then a hedged sign mid-questions gets the confirming question first; "yes" then
# gets the 911 reply, which the console counts.
EMERGENCY = (
    "my upper back has been sore after my asthma flare",
    *NO_SIGNS,
    "and now my lips look kind of bluish and grey",
    "yes",
)


@pytest.fixture(scope="module")
def stack(assistant: Stack) -> Stack:
    """The session's assistant (tests/conftest.py), with the console and its staff account."""
    return assistant


async def test_conversations_held_with_the_assistant_show_up_in_the_console(stack: Stack, tmp_path: Path) -> None:
    booking, emergency = str(uuid.uuid4()), f"live-{uuid.uuid4()}"  # the proxy takes UUIDs only
    # The booking through the chat widget's proxy, as a browser holds it: first the widget's unseen greeting.
    for text in (HIDDEN_GREETING, *BOOKING):
        chat(stack, booking, text)
    for text in EMERGENCY:
        say(stack, emergency, text)
    tracker_db = stack.endpoints.parent / "tracker.db"
    database = open_database(f"sqlite:///{tracker_db}")
    store = sqlite_store(tracker_db)
    tracker = await store.retrieve_full_tracker(booking)
    assert tracker is not None
    with database.connect() as connection:
        stored_booking = connection.execute(
            sa.select(booking_requests.c.id).where(booking_requests.c.conversation_id == booking)
        ).first()

    async with httpx2.AsyncClient(base_url=stack.console_url, timeout=60) as client:
        assert (await log_in(client, "sam", PASSWORD)).status_code == 302
        rows = await rows_once_folded(client, database, {booking, emergency})
        assert rows[booking]["first"] == BOOKING[0] and rows[booking]["turns"] == str(len(BOOKING))
        assert rows[emergency]["first"] == EMERGENCY[0] and rows[emergency]["turns"] == str(len(EMERGENCY))
        # The deterministic red-flag layer guarantees this outcome, whatever the model's state.
        assert (rows[emergency]["assessment"], rows[emergency]["red_flag"]) == ("emergency", "yes")
        assert rows[booking]["assessment"] == (tracker.get_slot("assessment") or "–").replace("_", " ")
        assert (rows[booking]["booking"] == "sent") == (stored_booking is not None)
        transcript = (await client.get(f"/conversations/{booking}")).text
        assert "Sara Lopez" in transcript and "intent <b>" in transcript
        assert HIDDEN_GREETING not in transcript and "back-pain assistant of" in transcript  # what the patient saw

    markers = evaluate_markers(tracker_db, tmp_path)
    with database.connect() as connection:
        ours = sa.select(conversations).where(conversations.c.conversation_id.in_((booking, emergency)))
        console = {row.conversation_id: row for row in connection.execute(ours)}  # the session's others aside
    assert set(console) == {booking, emergency}
    for sender, row in console.items():
        applied = markers.get(sender, Counter())
        assert bool(applied["red_flag_shown"]) == row.red_flag
        assert bool(applied["booking_offered"]) == row.booking_offered
        assert bool(applied["booking_completed"]) == row.booking_completed
        assert applied["fallback"] == row.fallbacks


async def rows_once_folded(
    client: httpx2.AsyncClient, database: Engine, senders: set[str]
) -> dict[str, dict[str, str]]:
    """The list's rows, once the console's background refresh has folded every stored event (within seconds).

    Waiting for the conversations to be listed is not enough: a refresh may have run between two messages.
    """
    for _ in range(100):
        rows = {r["id"]: r for r in await list_rows(client, "")}
        if senders <= set(rows) and not pending(database):
            return {r["id"]: r for r in await list_rows(client, "")}
        await asyncio.sleep(0.2)
    raise AssertionError(f"not listed after 20 s: {senders - set(rows)}")
