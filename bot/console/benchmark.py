"""`make benchmark`: time the console's list and search over 10,000 generated conversations.

The conversations are written with Rasa's own tracker-store API into a temporary SQLite database,
then each page is requested through the whole app (guard, query, template) in-process.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bot.console import synthetic
from bot.console.app import create_app
from bot.console.client import console_client, log_in
from bot.console.settings import ConsoleSettings
from bot.console.users import create_user

PASSWORD = "benchmark-password-1"
REQUESTS = (
    ("list, first page", "/conversations"),
    ("list, page 100", "/conversations?page=100"),
    ("list, filtered (booking sent, with fallbacks)", "/conversations?booking=completed&fallbacks=yes"),
    ("search 'shoulder' (many matches)", "/conversations?q=shoulder"),
    ("search 'purple monkey' (few matches)", "/conversations?q=purple+monkey"),
    ("search, no match", "/conversations?q=zebra+crossing"),
    (
        "search + filters + date range",
        "/conversations?q=inhaler&assessment=medication_related&from=2000-01-01&to=2100-01-01",
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
        store = synthetic.sqlite_store(path, synthetic.load_domain())
        fast_writes(store.engine)
        now = time.time()
        started = time.perf_counter()
        saved = await synthetic.save(store, url, synthetic.generate(count, now - 90 * 86400, now))
        print(f"Stored {saved} conversations with SQLTrackerStore.save in {time.perf_counter() - started:.0f} s")
        with store.engine.connect() as connection:
            stored = connection.execute(sa.text("SELECT count(*) FROM events")).scalar_one()
        print(f"events table: {stored} rows; database {path.stat().st_size / 1e6:.0f} MB")

        app = create_app(ConsoleSettings(database_url=url), name="console_benchmark")
        create_user(app.ctx.engine, "bench", PASSWORD, "admin")
        async with console_client(app) as client:
            await log_in(client, "bench", PASSWORD)
            started = time.perf_counter()
            first = await client.get("/conversations")
            assert first.status_code == 200, first.status_code
            print(
                f"First list page (builds the summary of every conversation): {time.perf_counter() - started:.2f} s\n"
            )
            print(f"{'request':<50} {'median':>8} {'max':>8}   (over {repeat} requests, seconds)")
            for label, url_path in REQUESTS:
                times = []
                for _ in range(repeat):
                    started = time.perf_counter()
                    response = await client.get(url_path)
                    times.append(time.perf_counter() - started)
                    assert response.status_code == 200, (url_path, response.status_code)
                found = response.text.split('<p class="count">', 1)[1].split(" conversation", 1)[0].strip()
                print(f"{label:<50} {statistics.median(times):>8.3f} {max(times):>8.3f}   {found} found")
