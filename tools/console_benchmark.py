"""`make benchmark` (`python -m tools.console_benchmark`): time the console's list and search over 10,000 conversations.

The conversations are held with the real assistant (tools/held_conversations.py) in a temporary SQLite
database and copied over 90 days up to the count asked for; then each page is requested through the
whole app (guard, query, template) in-process.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bot.console.console_app import create_app
from bot.console.console_settings import ConsoleSettings
from bot.console.conversation_summaries import refresh
from bot.console.inbox_fold import refresh_inbox
from bot.console.users import create_user
from tools import held_conversations as held
from tools.console_client import console_client, log_in

PASSWORD = "benchmark-password-1"
REQUESTS = (
    ("list, first page", "/conversations"),
    ("list, page 100", "/conversations?page=100"),
    ("review inbox, first page", "/inbox"),
    ("review inbox, one category", "/inbox?category=fallback"),
    ("list, filtered (booking sent, red flag shown)", "/conversations?booking=completed&red_flag=yes"),
    ("search 'shoulder' (many matches)", "/conversations?q=shoulder"),
    ("search 'blorf' (a seventh of them)", "/conversations?q=blorf"),
    ("search, no match", "/conversations?q=zebra+crossing"),
    (
        "search + filters + date range",
        "/conversations?q=back&assessment=other_cause&from=2000-01-01&to=2100-01-01",
    ),
)


def fast_writes(engine: sa.engine.Engine) -> None:
    """Generation only: no fsync per saved conversation (the timed reads are unaffected)."""

    @sa.event.listens_for(engine, "connect")
    def pragmas(connection: Any, _record: Any) -> None:
        connection.execute("PRAGMA synchronous=OFF")

    engine.dispose()


async def run(count: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory(prefix="console-benchmark-") as folder:
        path = Path(folder) / "tracker.db"
        url = f"sqlite:///{path}"
        started = time.perf_counter()
        held.hold(Path(folder), path)
        print(f"Held {len(held.SCRIPTS)} conversations with the assistant in {time.perf_counter() - started:.0f} s")
        engine = sa.create_engine(url)
        fast_writes(engine)
        kinds = [name for name in held.SCRIPTS if name not in held.PROBES]
        now, started = time.time(), time.perf_counter()
        with engine.begin() as connection:
            copied = held.spread(connection, kinds, -(-count // len(kinds)), now - 90 * held.DAY, now)
            stored = connection.execute(sa.text("SELECT count(*) FROM events")).scalar_one()
        engine.dispose()
        print(f"Copied them into {copied} conversations over 90 days in {time.perf_counter() - started:.0f} s")
        print(f"events table: {stored} rows; database {path.stat().st_size / 1e6:.0f} MB")

        app = create_app(ConsoleSettings(database_url=url), name="console_benchmark")
        create_user(app.ctx.engine, "bench", PASSWORD, "admin")
        async with console_client(app) as client:
            await log_in(client, "bench", PASSWORD)
            refreshing = asyncio.create_task(asyncio.to_thread(refresh, app.ctx.engine))
            started = time.perf_counter()
            first = await client.get("/conversations")
            assert first.status_code == 200, first.status_code
            print(
                f"First list page, while the console summarises what is stored: {time.perf_counter() - started:.2f} s"
            )
            folded = await refreshing
            print(f"Summarising {folded} events (the console's background refresh at its first start): "
                  f"{time.perf_counter() - started:.1f} s\n")  # fmt: skip
            started = time.perf_counter()
            inboxed = await asyncio.to_thread(refresh_inbox, app.ctx.engine, app.ctx.settings.low_confidence)
            print(f"Finding the review inbox's lines in {inboxed} conversations (its first fold): "
                  f"{time.perf_counter() - started:.1f} s\n")  # fmt: skip
            print(f"{'request':<50} {'median':>8} {'max':>8}   (over {repeat} requests, seconds)")
            for label, url_path in REQUESTS:
                times = []
                for _ in range(repeat):
                    started = time.perf_counter()
                    response = await client.get(url_path)
                    times.append(time.perf_counter() - started)
                    assert response.status_code == 200, (url_path, response.status_code)
                total = response.text.split('<p class="count">', 1)[-1].split(" conversation", 1)[0].strip()
                found = f"{total} found" if '<p class="count">' in response.text else ""
                print(f"{label:<50} {statistics.median(times):>8.3f} {max(times):>8.3f}   {found}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(run(args.conversations, args.repeat))


if __name__ == "__main__":
    main()
