"""Conversations held with the real assistant (its NLU, policies and action server), for the console's tests.

Each script is said once, as the widget says it (its unseen greeting first), to the servers the
integration tests start (tools/servers.py). Its stored events are then copied under new conversation ids and moved back in
time, so the console has two months of conversations to list, filter and chart: every event in them
is one the assistant really emitted. The console's tests read them as stored once
(tests/bot/console/stored_events.py); those of what the assistant does today say them to the session's assistant.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from sqlalchemy.engine import Connection

from bot.console.database import events
from bot.console.outcomes import HIDDEN_GREETING
from bot.launcher import running
from bot.stack import Stack
from clinic.database.tables import booking_requests
from tools.rasa_cli import ROOT
from tools.servers import NO_SIGNS, isolated_stack, say

XSS_TEXT = '<script>alert("pwned")</script><img src=x onerror=alert(1)> my back hurts'
FORMULA_TEXT = '=HYPERLINK("http://evil.example","click me")'
DAY = 86400.0
OPENING = "I get a dull ache between my shoulder blades after coughing fits, worse when I lie down"

# What patients say, by the kinds of conversation the clinic sees. Each starts as the widget starts it; a pain
# description with no red flag brings the safety check first, answered "None of these" twice (NO_SIGNS).
SCRIPTS: dict[str, tuple[str, ...]] = {
    "booked": (OPENING, *NO_SIGNS, "yes it does", "yeah", "no", "no", "i use flovent twice a day", "yes please",
               "Sara Lopez", "512-555-0134", "tuesday morning"),
    "declined": ("my upper back feels tight after an asthma flare", *NO_SIGNS, "no", "no", "yes", "no",
                 "no medicines at all", "no thanks"),
    "stopped": ("sharp pain in my lower back when I lift things", *NO_SIGNS, "no", "not really", "yes", "yes",
                "albuterol a lot, several times a day", "yes please", "Mei Chen", "stop"),
    # A hedged sign mid-questions: the confirming question, then 911.
    "emergency": ("my upper back has been sore after my asthma flare", *NO_SIGNS,
                  "and now my lips look kind of bluish and grey", "yes"),
    # The urgent reply at once, then a visit the patient asks for (not a same-day one).
    "urgent": ("I've had a fever and chills with this back pain", "I'd like to book a visit", "Tom O'Neil", "512-555-0199", "Friday"),
    "question": ("can my inhaler cause back pain?", "bye"),
    # Ends at the safety check's first question.
    "misunderstood": ("blorf", "asdf qwer", "my shoulders ache since I started a new inhaler"),
    "probe-xss": (XSS_TEXT,),
    "probe-formula": (FORMULA_TEXT,),
    # 911 at once; the "yes" after it gets the reminder.
    "probe-two-sessions": ("crushing pressure in my chest", "yes"),
}  # fmt: skip
# Said after the conversation has been moved three hours back: Rasa starts a new session for it.
SECOND_SESSION = {"probe-two-sessions": ("hi again",)}
PROBES = tuple(name for name in SCRIPTS if name.startswith("probe-"))


def sqlite_store(path: Path) -> SQLTrackerStore:
    """Rasa's own tracker store on the database, to read conversations back as Rasa does."""
    return SQLTrackerStore(Domain.load(str(ROOT / "domain.yml")), dialect="sqlite", db=str(path))


def hold(workdir: Path, tracker_db: Path, scripts: dict[str, tuple[str, ...]] = SCRIPTS) -> None:
    """Says every script to the real assistant, on servers of its own; stored under their script's name."""
    stack: Stack = isolated_stack(workdir, tracker_db, web=False)
    with running(stack):
        say_scripts(stack, tracker_db, scripts)


def say_scripts(stack: Stack, tracker_db: Path, scripts: dict[str, tuple[str, ...]] = SCRIPTS) -> None:
    """Says every script to the running assistant whose tracker database is `tracker_db`; each conversation is
    stored under its script's name."""
    for name, messages in scripts.items():
        for text in (HIDDEN_GREETING, *messages):
            say(stack, name, text)
    second = {name: messages for name, messages in SECOND_SESSION.items() if name in scripts}
    engine = sa.create_engine(f"sqlite:///{tracker_db}")
    with engine.begin() as connection:
        for name in second:
            move(connection, name, name, -3 * 3600)
    engine.dispose()
    for name, messages in second.items():
        for text in messages:
            say(stack, name, text)


def moved(data: str, seconds: float) -> str:
    event: dict[str, Any] = json.loads(data)
    event["timestamp"] = float(event.get("timestamp") or 0) + seconds
    return json.dumps(event)


def move(connection: Connection, source: str, target: str, seconds: float) -> None:
    """The conversation's events and booking requests, `seconds` later, under `target` (a copy, unless the same)."""
    rows = connection.execute(sa.select(events).where(events.c.sender_id == source).order_by(events.c.id)).all()
    bookings = connection.execute(sa.select(booking_requests).where(booking_requests.c.conversation_id == source)).all()
    if source == target:
        connection.execute(events.delete().where(events.c.sender_id == source))
        connection.execute(booking_requests.delete().where(booking_requests.c.conversation_id == source))
    if rows:
        connection.execute(
            events.insert(),
            [
                {**row._asdict(), "id": None, "sender_id": target, "timestamp": row.timestamp + seconds,
                 "data": moved(row.data, seconds)}
                for row in rows
            ],
        )  # fmt: skip
    for booking in bookings:
        created = booking.created_at.replace(tzinfo=booking.created_at.tzinfo or timezone.utc)
        connection.execute(
            booking_requests.insert().values(
                {**booking._asdict(), "id": None, "conversation_id": target,
                 "created_at": created + timedelta(seconds=seconds)}
            )
        )  # fmt: skip


def started_at(connection: Connection, conversation_id: str) -> float:
    return float(
        connection.execute(
            sa.select(sa.func.min(events.c.timestamp)).where(events.c.sender_id == conversation_id)
        ).scalar_one()
    )


def spread(
    connection: Connection, names: Iterable[str], copies: int, first_day: float, last_day: float, seed: int = 7
) -> int:
    """`copies` copies of each conversation, each started at a time between two epoch times; returns how many."""
    rng = random.Random(seed)
    made = 0
    for name in names:
        started = started_at(connection, name)
        for number in range(copies):
            move(connection, name, f"{name}-{number:05d}", rng.uniform(first_day, last_day) - started)
            made += 1
    return made


def age(connection: Connection, names: Iterable[str], now: float, rng: random.Random) -> None:
    """Moves these conversations into the last few days, keeping each one's own pace."""
    for name in names:
        started = started_at(connection, name)
        move(connection, name, name, now - rng.uniform(2, 6) * DAY - started)


def built(tracker_db: Path, copies: int, now: float) -> None:
    """The held conversations of `tracker_db` made two months of them: the probes in the last days, `copies` of the
    others over 60 days."""
    engine = sa.create_engine(f"sqlite:///{tracker_db}")
    with engine.begin() as connection:
        kinds = [name for name in SCRIPTS if name not in PROBES]
        spread(connection, kinds, copies, now - 60 * DAY, now - DAY)
        age(connection, PROBES, now, random.Random(3))
    engine.dispose()
