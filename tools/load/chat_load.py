"""`make load`: many patients at once through the widget's proxy, then a count of what was lost.

Starts the real servers (bot/launcher.py `running`) on free ports with a fresh SQLite tracker store in var/load/,
drives CONVERSATIONS concurrent conversations of MESSAGES messages each through `POST /api/chat`
(each patient waits for the answer before typing the next message, as in the widget), then reads
the tracker database: every message a patient sent must be among its conversation's stored events,
in order. Prints errors (any answer that is not 200 with something to show), lost messages and the
latency percentiles. `tests/integration/test_faults.py` runs a small version in CI.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import sqlalchemy as sa

from bot.launcher import running
from bot.stack import ROOT
from tools.servers import NO_SIGNS, isolated_stack

WORKDIR = ROOT / "var" / "load"  # replaced on each run; kept afterwards for a look at the logs
# A whole visit (the safety check, the questions, the assessment, a booking request), then what patients type after it.
SCRIPT = [
    "/greet",
    "I get a dull ache between my shoulder blades after coughing fits, worse when I lie down",
    *NO_SIGNS,
    "yes it does",
    "yeah",
    "no",
    "no",
    "i use flovent twice a day",
    "yes please",
    "Sara Lopez",
    "512-555-0134",
    "tuesday morning",
    "thank you",
    "what can I do about the pain at home?",
    "start over",
    "hi",
    "my lower back aches after I lift things",
    *NO_SIGNS,
    "no",
    "not sure",
    "no",  # the medicines question: no medicines
    "bye",
]


@dataclass
class Outcome:
    """What the patients saw: errors by kind, every latency, and what each conversation sent."""

    errors: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    sent: dict[str, list[str]] = field(default_factory=dict)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


def shown(body: Any) -> bool:
    """Whether an answer has something to show: the proxy's {"messages": [...]} or the list of Rasa's REST channel."""
    return bool(body.get("messages") if isinstance(body, dict) else body)


async def converse(client: aiohttp.ClientSession, url: str, messages: list[str], outcome: Outcome) -> None:
    sender = str(uuid.uuid4())
    outcome.sent[sender] = []
    for message in messages:
        started = time.monotonic()
        try:
            async with client.post(url, json={"sender": sender, "message": message}) as answer:
                body = await answer.json(content_type=None)
                kind = None if answer.status == 200 and shown(body) else f"HTTP {answer.status}"
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            kind = type(error).__name__
        outcome.latencies.append(time.monotonic() - started)
        outcome.sent[sender].append(message)
        if kind:
            outcome.errors[kind] = outcome.errors.get(kind, 0) + 1


async def drive(
    base_url: str, conversations: int, messages: int, script: list[str] = SCRIPT, path: str = "/api/chat"
) -> Outcome:
    """`conversations` patients at once, each sending the first `messages` lines of `script` (repeated if needed).

    To the web proxy by default; tools/bench/chat_bench.py sends to Rasa's REST channel (/webhooks/rest/webhook).
    """
    lines = [script[i % len(script)] for i in range(messages)]
    outcome = Outcome()
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as client:
        await asyncio.gather(*(converse(client, base_url + path, lines, outcome) for _ in range(conversations)))
    return outcome


def lost_messages(database: Path | str, sent: dict[str, list[str]]) -> int:
    """Messages sent but not stored as the patient's, in order, in their conversation's events.

    `database`: a SQLite tracker file, or a SQLAlchemy URL (the scaled profile's PostgreSQL).
    """
    lost = 0
    engine = sa.create_engine(f"sqlite:///{database}" if isinstance(database, Path) else database, future=True)
    query = sa.text("SELECT data FROM events WHERE sender_id = :sender AND type_name = 'user' ORDER BY id")
    try:
        with engine.connect() as db:
            for sender, messages in sent.items():
                stored = [json.loads(data).get("text") for (data,) in db.execute(query, {"sender": sender})]
                position = 0
                for message in messages:  # each in order, after the previous one
                    try:
                        position = stored.index(message, position) + 1
                    except ValueError:
                        lost += 1
    finally:
        engine.dispose()
    return lost


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] if len(values) > 1 else values[0]


def report(outcome: Outcome, lost: int, seconds: float) -> str:
    latencies = outcome.latencies
    kinds = ", ".join(f"{k}: {n}" for k, n in sorted(outcome.errors.items())) or "none"
    return (
        f"{len(outcome.sent)} conversations x {len(latencies) // max(1, len(outcome.sent))} messages "
        f"in {seconds:.0f} s: errors {outcome.error_count} ({kinds}), lost {lost}\n"
        f"latency p50 {percentile(latencies, 50):.2f} s, p90 {percentile(latencies, 90):.2f} s, "
        f"p99 {percentile(latencies, 99):.2f} s, max {max(latencies):.2f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description="Concurrent conversations through the web proxy; errors and lost.")
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--messages", type=int, default=20)
    args = parser.parse_args()
    shutil.rmtree(WORKDIR, ignore_errors=True)
    tracker_db = WORKDIR / "tracker.db"
    stack = isolated_stack(WORKDIR, tracker_db, web=True)
    print(f"Starting the assistant (tracker database and logs in {WORKDIR})...", flush=True)
    with running(stack):
        started = time.monotonic()
        outcome = asyncio.run(drive(stack.web_url, args.conversations, args.messages))
        seconds = time.monotonic() - started
    lost = lost_messages(tracker_db, outcome.sent)
    print(report(outcome, lost, seconds), flush=True)
    return 0 if outcome.error_count == 0 and lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
