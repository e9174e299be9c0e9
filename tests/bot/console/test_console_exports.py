"""CSV exports: the filtered rows, safe to open in a spreadsheet, and audited."""

from __future__ import annotations

import csv
import io

import httpx2
import pytest
import sqlalchemy as sa
from sanic import Sanic

from bot.console.conversation_summaries import FIRST_MESSAGE_CHARS
from bot.console.exports import cell, first_words
from bot.privacy.deidentify import STAND_INS
from clinic.database.tables import audit_log
from tests.bot.console.console_support import Truth
from tools.held_conversations import FORMULA_TEXT


def rows_of(response: httpx2.Response) -> list[dict[str, str]]:
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment;")
    return list(csv.DictReader(io.StringIO(response.text)))


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+15125550134", "'+15125550134"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("a dull ache = bad", "a dull ache = bad"),
        (None, ""),
        (3, "3"),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_neutralised(value: object, shown: str) -> None:
    assert cell(value) == shown


def test_a_first_message_cut_short_leaves_without_the_detail_the_cut_split() -> None:
    story = "my upper back aches after coughing fits " * 11 + "ok " * 11
    cut = (story + "email me at jane.doe1974@gmail.com")[:FIRST_MESSAGE_CHARS]  # as the summary stores it
    assert cut.endswith("jane.doe1974@gm")
    assert first_words(cut) == cut[: cut.rindex(" ")] + " …"
    assert first_words("call 0207 946 0958") == f"call {STAND_INS['phone']}"


async def test_the_conversation_export_has_the_filtered_rows_and_no_live_formula(
    app: Sanic, staff: httpx2.AsyncClient, truths: dict[str, Truth]
) -> None:
    everything = rows_of(await staff.get("/exports/conversations.csv"))
    assert len(everything) == len(truths)
    formula = next(r for r in everything if r["conversation_id"] == "probe-formula")
    # de-identified (its web address is one of Safe Harbor's identifiers), and shown as text
    assert formula["first_message"] == "'" + FORMULA_TEXT.replace("http://evil.example", STAND_INS["url"])
    assert not any(v.startswith(("=", "+", "-", "@")) for r in everything for v in r.values())

    flagged = rows_of(await staff.get("/exports/conversations.csv?red_flag=yes&fallbacks=no"))
    assert {r["conversation_id"] for r in flagged} == {s for s, t in truths.items() if t.red_flag and not t.fallbacks}
    assert all(r["red_flag"] == "True" for r in flagged)
    with app.ctx.engine.connect() as connection:
        entries = connection.execute(
            sa.select(audit_log.c.target, audit_log.c.detail).where(audit_log.c.action == "export_conversations")
        ).all()
    assert entries == [("", f"{len(truths)} rows"), ("red_flag=yes&fallbacks=no", f"{len(flagged)} rows")]


async def test_the_booking_export_lists_the_requests_and_is_audited(
    app: Sanic, staff: httpx2.AsyncClient, truths: dict[str, Truth]
) -> None:
    rows = rows_of(await staff.get("/exports/bookings.csv"))
    assert {r["conversation_id"] for r in rows} == {s for s, t in truths.items() if t.completed}
    assert all(r["contact"].startswith("(512) 555-") and r["status"] == "new" for r in rows)
    assert rows_of(await staff.get("/exports/bookings.csv?status=booked")) == []
    with app.ctx.engine.connect() as connection:
        actions = connection.execute(
            sa.select(audit_log.c.username, audit_log.c.target).where(audit_log.c.action == "export_bookings")
        ).all()
    assert actions == [("sam", "status=all"), ("sam", "status=booked")]
