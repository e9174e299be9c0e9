"""CSV exports of the filtered conversations and of the booking requests, safe to open in a spreadsheet;
and, for admins, what staff corrected as files for the project (bot/console/learning.py).

What patients typed leaves de-identified (bot/privacy/): the conversations' first messages here, every
text and slot value in the learning exports. The booking requests' name, contact and preferred time are
the list staff call patients back from, and leave as given.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from sanic import Blueprint, HTTPResponse, Request
from sanic.response import raw
from sqlalchemy.engine import Connection

from bot.console import audit
from bot.console.bookings import chosen_view, epoch, in_view
from bot.console.conversation_summaries import FIRST_MESSAGE_CHARS
from bot.console.corrections import as_corrected
from bot.console.filters import ConversationFilter
from bot.console.learning import Corrected, corpus_rows, corpus_yaml, names_in, nlu_yaml, stories_yaml, story_steps
from bot.console.queries import all_matching
from bot.console.transcript import load_events
from bot.console.web import in_thread, local_time, render
from bot.incoming import clean_text
from bot.privacy.deidentify import deidentified
from clinic.config import ROOT
from clinic.database.tables import booking_requests
from clinic.database.tables import corrections as corrections_table

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """The value as text, cleaned as patients' messages are (a stored NUL or lone surrogate would break
    the CSV writer or UTF-8); a would-be formula is prefixed with ' so it shows as text."""
    text = "" if value is None else clean_text(str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def first_words(first_message: str | None) -> str:
    """The conversation's first message de-identified; one the summary cut short loses its last word first,
    since a detail cut in two ("jane.doe@gm") is no longer found."""
    text = first_message or ""
    if len(text) >= FIRST_MESSAGE_CHARS:
        text = text.rsplit(maxsplit=1)[0] + " …"
    return deidentified(text)


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
                    r.conversation_id, local_time(r.started_at, settings.zone), first_words(r.first_message), r.turns,
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


def yaml_response(filename: str, text: str) -> HTTPResponse:
    return raw(
        text.encode("utf-8"),
        content_type="text/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@lru_cache(maxsize=1)
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


@dataclass(frozen=True)
class Learned:
    """One corrected conversation: its events, its corrections with their messages, its patient's names."""

    conversation_id: str
    stored: list[tuple[int, dict[str, Any]]]
    corrected: dict[int, Corrected]
    names: tuple[str, ...]


def learned(connection: Connection, conversation_ids: Sequence[str] | None = None) -> list[Learned]:
    """The conversations with corrections (or those named), oldest correction first."""
    query = sa.select(corrections_table).order_by(corrections_table.c.id)
    if conversation_ids is not None:
        query = query.where(corrections_table.c.conversation_id.in_(conversation_ids))
    rows = connection.execute(query).all()
    found = []
    for conversation_id in dict.fromkeys([*(conversation_ids or ()), *(r.conversation_id for r in rows)]):
        stored = load_events(connection, conversation_id)
        booked = connection.execute(
            sa.select(booking_requests.c.patient_name).where(booking_requests.c.conversation_id == conversation_id)
        ).scalars()
        names = tuple(sorted(names_in(e for _id, e in stored) | set(booked)))
        mine = [r for r in rows if r.conversation_id == conversation_id]
        found.append(Learned(conversation_id, stored, as_corrected(stored, mine, names), names))
    return found


def learning_exports_blueprint() -> Blueprint:
    """Admins only (the guard's ADMIN_BLUEPRINTS): what staff taught, as files for the project; each audited."""
    bp = Blueprint("learning")

    def stamp(request: Request) -> str:
        return f"{datetime.now(request.app.ctx.settings.zone):%Y%m%d-%H%M}"

    @bp.get("/exports/learning/nlu.yml")
    @in_thread
    def export_nlu(request: Request) -> HTTPResponse:
        with request.app.ctx.engine.begin() as connection:
            found = [c for item in learned(connection) for c in item.corrected.values()]
            audit.record(connection, request, "export_nlu", "", f"{len(found)} examples")
        return yaml_response(f"corrections-{stamp(request)}.yml", nlu_yaml(sorted(found, key=lambda c: c.id)))

    @bp.get("/exports/learning/red_flags.yml")
    @in_thread
    def export_red_flags(request: Request) -> HTTPResponse:
        with request.app.ctx.engine.begin() as connection:
            found = [c for item in learned(connection) for c in item.corrected.values()]
            rows = corpus_rows(
                sorted(found, key=lambda c: c.id), f"{datetime.now(request.app.ctx.settings.zone):%Y-%m-%d}"
            )
            audit.record(connection, request, "export_red_flags", "", f"{len(rows)} rows")
        return yaml_response(f"console_red_flags-{stamp(request)}.yml", corpus_yaml(rows))

    def stories(request: Request, conversation_ids: Sequence[str] | None) -> HTTPResponse:
        with request.app.ctx.engine.begin() as connection:
            found = [item for item in learned(connection, conversation_ids) if item.stored]
            if conversation_ids is not None and not found:
                return render(request, "error.html", status=404, message="No such conversation.")
            steps = [
                step
                for item in found
                for step in story_steps(item.conversation_id, item.stored, item.corrected, item.names, domain())
            ]
            target = conversation_ids[0] if conversation_ids else ""
            audit.record(connection, request, "export_stories", target, f"{len(found)} conversations")
        header = (
            "# Conversations from the staff console as Rasa end-to-end test stories: the patient's words (personal\n"
            "# details replaced) with the reading staff gave them, and the steps the bot took. Save under tests/stories/\n"
            "# in a file whose name starts with test_, then correct the steps that were wrong.\n"
        )
        return yaml_response(f"test_console_stories-{stamp(request)}.yml", header + stories_yaml(steps))

    @bp.get("/exports/learning/stories.yml")
    @in_thread
    def export_stories(request: Request) -> HTTPResponse:
        return stories(request, None)

    @bp.get("/exports/learning/story.yml")
    @in_thread
    def export_story(request: Request) -> HTTPResponse:
        return stories(request, [request.args.get("conversation", "")])

    return bp
