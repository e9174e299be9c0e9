"""The stored events the console's tests read (fixtures/stored_events.jsonl) are what the assistant does today with the
same scripts: what it read, did, answered and filled in, message by message, and the booking requests it sent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bot.console.database import events
from clinic.database.tables import booking_requests
from tests.bot.console import stored_events
from tests.support import off_contract

Step = tuple[Any, ...]


def step(event: dict[str, Any]) -> Step:
    """One event without its time, ids, confidences or the wording of a reply (a response's variations differ)."""
    kind = event["event"]
    if kind == "user":
        return kind, event.get("text"), (event.get("parse_data") or {}).get("intent", {}).get("name")
    if kind == "bot":
        return kind, (event.get("metadata") or {}).get("utter_action") or event.get("text")
    if kind == "slot":
        return kind, event.get("name"), json.dumps(event.get("value"), sort_keys=True)
    return kind, event.get("name")


def stored(database: Path) -> list[tuple[str, dict[str, Any]]]:
    """Every event the Rasa server stored, in order, with its conversation's id."""
    engine = sa.create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        rows = connection.execute(sa.select(events.c.sender_id, events.c.data).order_by(events.c.id)).all()
    engine.dispose()
    return [(sender, json.loads(data)) for sender, data in rows]


def course(database: Path) -> dict[str, list[Step]]:
    """Each conversation's steps, then its booking requests (who, how to reach them, when, the assessment)."""
    found: dict[str, list[Step]] = {}
    for sender, event in stored(database):
        found.setdefault(sender, []).append(step(event))
    engine = sa.create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        bookings = sa.select(booking_requests).order_by(booking_requests.c.id)
        for row in connection.execute(bookings):
            asked = ("booking", row.patient_name, row.contact_kind, row.contact, row.preferred_time, row.assessment)
            found.setdefault(row.conversation_id, []).append(asked)
    engine.dispose()
    return found


def test_the_stored_events_are_what_the_assistant_does_with_the_scripts_today(live_held: Path, tmp_path: Path) -> None:
    committed = course(stored_events.loaded(tmp_path / "stored.db", stored_events.SCRIPTS))
    today = course(live_held)
    assert set(committed) == set(today) == set(stored_events.SCRIPTS)
    assert off_contract(event for _, event in stored(live_held)) == []
    changed = [name for name in stored_events.SCRIPTS if committed[name] != today[name]]
    regenerate = f"{changed}: the assistant does otherwise now; `python -m tests.bot.console.stored_events` stores it"
    assert [committed[name] for name in changed] == [today[name] for name in changed], regenerate
