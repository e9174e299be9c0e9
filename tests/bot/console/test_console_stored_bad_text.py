"""Text stored before the doors cleaned it (a NUL, a lone surrogate's replacement, a bidi override) breaks no
console page, search or export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import httpx2
import sqlalchemy as sa

from bot.console.conversation_summaries import refresh
from bot.console.database import open_database
from clinic.database.tables import conversations
from tests.bot.console.console_support import STORED, store_message


async def test_a_stored_nul_breaks_neither_the_export_nor_the_search(db_path: Path, staff: httpx2.AsyncClient) -> None:
    await store_message(db_path, "stored-nul", STORED)
    engine = open_database(f"sqlite:///{db_path}")
    refresh(engine)  # what the console's background task does
    with engine.connect() as connection:  # summaries a PostgreSQL store could hold too: no NUL in text
        summary = connection.execute(
            sa.select(conversations.c.first_message, conversations.c.search_text).where(
                conversations.c.conversation_id == "stored-nul"
            )
        ).one()
    assert not any("\x00" in text for text in summary)

    export = await staff.get("/exports/conversations.csv")
    assert export.status_code == 200
    row = next(r for r in csv.DictReader(io.StringIO(export.text)) if r["conversation_id"] == "stored-nul")
    assert row["first_message"] == "my upper back  aches between my shoulder blades right now [0m"

    for words in ("aches", "blades", "shoulder aches", "right now"):  # every one stored after a NUL
        found = await staff.get("/conversations", params={"q": words})
        assert found.status_code == 200 and "stored-nul" in found.text, words
    assert (await staff.get("/conversations/stored-nul")).status_code == 200
    assert (await staff.get("/conversations?q=%00")).status_code == 200
