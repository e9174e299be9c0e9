"""CSV exports of the filtered conversations and of the booking requests, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sanic import Blueprint, HTTPResponse, Request
from sanic.response import raw

from bot.console import audit
from bot.console.bookings import chosen_view, epoch, in_view
from bot.console.filters import ConversationFilter
from bot.console.queries import all_matching
from bot.console.web import in_thread, local_time
from bot.database.tables import booking_requests
from bot.incoming import clean_text

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """The value as text, cleaned as patients' messages are (a stored NUL or lone surrogate would break
    the CSV writer or UTF-8); a would-be formula is prefixed with ' so it shows as text."""
    text = "" if value is None else clean_text(str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HTTPResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([cell(v) for v in row] for row in rows)
    return raw(
        buffer.getvalue().encode("utf-8"),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def exports_blueprint() -> Blueprint:
    bp = Blueprint("exports")

    @bp.get("/exports/conversations.csv")
    @in_thread
    def export_conversations(request: Request) -> HTTPResponse:
        settings = request.app.ctx.settings
        chosen = ConversationFilter.from_args(request.args)
        with request.app.ctx.engine.begin() as connection:
            rows = [
                (
                    r.conversation_id, local_time(r.started_at, settings.zone), r.first_message, r.turns,
                    r.assessment, r.red_flag, r.booking_offered, r.booking_requested, r.booking_completed,
                    r.fallbacks, r.review_status,
                )
                for r in all_matching(connection, chosen, settings.zone)
            ]  # fmt: skip
            audit.record(connection, request, "export_conversations", chosen.query_string(page=1), f"{len(rows)} rows")
        header = (
            "conversation_id", "started_at", "first_message", "turns", "assessment", "red_flag", "booking_offered",
            "booking_requested", "booking_completed", "fallbacks", "review_status",
        )  # fmt: skip
        return csv_response(f"conversations-{datetime.now(settings.zone):%Y%m%d-%H%M}.csv", header, rows)

    @bp.get("/exports/bookings.csv")
    @in_thread
    def export_bookings(request: Request) -> HTTPResponse:
        settings = request.app.ctx.settings
        view = chosen_view(request, "all")
        query = in_view(sa.select(booking_requests), view).order_by(
            booking_requests.c.created_at, booking_requests.c.id
        )
        with request.app.ctx.engine.begin() as connection:
            rows = [
                (
                    r.id, local_time(epoch(r.created_at), settings.zone), r.status, r.patient_name, r.contact_kind,
                    r.contact, r.preferred_time, r.assessment, r.conversation_id, r.summary,
                )
                for r in connection.execute(query)
            ]  # fmt: skip
            audit.record(connection, request, "export_bookings", f"status={view}", f"{len(rows)} rows")
        header = (
            "id", "created_at", "status", "patient_name", "contact_kind", "contact", "preferred_time", "assessment",
            "conversation_id", "summary",
        )  # fmt: skip
        return csv_response(f"booking-requests-{datetime.now(settings.zone):%Y%m%d-%H%M}.csv", header, rows)

    return bp
