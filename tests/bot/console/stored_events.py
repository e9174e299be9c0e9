"""The console's test conversations as the assistant stored them, kept in the repository (fixtures/stored_events.jsonl)
so that the console's own tests need no trained model and no server.

They are the scripts of tools/held_conversations.py and inbox_support.py, said once to the real assistant: every row
is one Rasa's tracker store and the action server wrote (Rasa's `events`, the clinic's `booking_requests`), one JSON
object a line. test_stored_events.py says the assistant still does with the scripts what the file holds; when it
fails, regenerate:

    PYTHONPATH=. RASA_TELEMETRY_ENABLED=false .venv/bin/python -m tests.bot.console.stored_events
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bot.console.database import events, open_database
from clinic.database.revisions import upgrade
from clinic.database.tables import booking_requests
from tests.bot.console import inbox_support
from tools import held_conversations as held

FIXTURE = Path(__file__).parent / "fixtures" / "stored_events.jsonl"
SCRIPTS = {**held.SCRIPTS, **inbox_support.SCRIPTS}
TABLES = {"events": events, "booking_requests": booking_requests}
CONVERSATION = {"events": events.c.sender_id, "booking_requests": booking_requests.c.conversation_id}


def rows(database: Path, names: Iterable[str]) -> list[dict[str, Any]]:
    """The conversations' stored rows, table by table, in the order they were written (ids left out)."""
    found = []
    engine = sa.create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        for name, table in TABLES.items():
            chosen = sa.select(table).where(CONVERSATION[name].in_(list(names))).order_by(table.c.id)
            found += [{"table": name, **row._asdict(), "id": None} for row in connection.execute(chosen)]
    engine.dispose()
    return found


def into(database: Path, found: list[dict[str, Any]]) -> Path:
    """A new tracker database, migrated as `make run` migrates it, holding these rows."""
    url = f"sqlite:///{database}"
    upgrade(url)
    engine = open_database(url)
    with engine.begin() as connection:
        for name, table in TABLES.items():
            table_rows = [{k: v for k, v in row.items() if k != "table"} for row in found if row["table"] == name]
            if table_rows:
                connection.execute(table.insert(), table_rows)
    engine.dispose()
    return database


def copied(source: Path, target: Path, names: Iterable[str]) -> Path:
    """The conversations of `source` in a database of their own at `target`."""
    return into(target, rows(source, names))


def line(row: dict[str, Any]) -> str:
    kept = {k: v for k, v in row.items() if k != "id"}
    if row["table"] == "events":
        kept["data"] = json.loads(kept["data"])  # readable in a diff
    else:
        kept["created_at"] = row["created_at"].isoformat()
    return json.dumps(kept, ensure_ascii=False, sort_keys=True)


def read(row: dict[str, Any]) -> dict[str, Any]:
    if row["table"] == "events":
        return {**row, "data": json.dumps(row["data"])}
    return {**row, "created_at": datetime.fromisoformat(row["created_at"])}


def dump(database: Path, path: Path = FIXTURE) -> None:
    """Every script's conversation in `database`, written to the fixture."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line(row) + "\n" for row in rows(database, SCRIPTS)), encoding="utf-8")


def loaded(database: Path, names: Iterable[str], now: float | None = None, path: Path = FIXTURE) -> Path:
    """A new tracker database at `database` with these conversations from the fixture, moved in time together so that
    the last of them ended at `now` (the time they are loaded): what was held over a few minutes, just now."""
    wanted = set(names)
    found = [read(json.loads(text)) for text in path.read_text(encoding="utf-8").splitlines()]
    found = [row for row in found if row.get("sender_id", row.get("conversation_id")) in wanted]
    into(database, found)
    later = (now or time.time()) - max(row["timestamp"] for row in found if row["table"] == "events")
    engine = sa.create_engine(f"sqlite:///{database}")
    with engine.begin() as connection:
        for name in wanted:
            held.move(connection, name, name, later)
    engine.dispose()
    return database


def main() -> int:
    """Holds every script with the trained model on servers of its own, and writes what they stored to the fixture."""
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "tracker.db"
        held.hold(Path(folder), database, SCRIPTS)
        dump(database)
    print(f"wrote {FIXTURE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
