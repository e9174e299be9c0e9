"""Rasa's own `rasa evaluate markers` and the console count the same outcomes on the same data."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import httpx2
import sqlalchemy as sa
from sanic import Sanic

from bot.console.conversation_summaries import refresh
from clinic.database.tables import conversations
from tests.bot.console.console_support import Truth, evaluate_markers


async def test_marker_results_agree_with_the_console_conversation_by_conversation(
    app: Sanic, staff: httpx2.AsyncClient, db_path: Path, tmp_path: Path, truths: dict[str, Truth]
) -> None:
    markers = evaluate_markers(db_path, tmp_path)
    refresh(app.ctx.engine)
    with app.ctx.engine.connect() as connection:
        console = {row.conversation_id: row for row in connection.execute(sa.select(conversations))}
    assert len(console) == len(truths)
    for sender, row in console.items():
        applied = markers.get(sender, Counter())
        assert bool(applied["red_flag_shown"]) == row.red_flag, sender
        assert bool(applied["booking_offered"]) == row.booking_offered, sender
        assert bool(applied["booking_completed"]) == row.booking_completed, sender
        assert applied["fallback"] == row.fallbacks, sender
    totals = Counter(marker for applied in markers.values() for marker in applied if applied[marker])
    assert totals["fallback"] > 0 and totals["red_flag_shown"] > 0 and totals["booking_completed"] > 0

    # The charts page's headline figures are the same numbers.
    page = (await staff.get("/charts?from=2000-01-01&to=2100-01-01")).text
    assert f"<b>{totals['red_flag_shown']}</b> with a red flag shown" in page
    assert f"<b>{totals['booking_offered']}</b> offered a visit" in page
    assert f"<b>{totals['booking_completed']}</b> booking requests sent" in page
    assert f"<b>{totals['fallback']}</b> with a fallback" in page
    fallbacks = sum(applied["fallback"] for applied in markers.values())
    assert re.search(rf"\({fallbacks} of \d+ patient messages", page)
