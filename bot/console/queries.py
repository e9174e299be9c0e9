"""The conversation list as SQL: filters, text search and pagination over the summary table."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement, Select
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from bot.console.filters import ConversationFilter
from clinic.database.tables import conversations, reviews

LIST_COLUMNS = (
    conversations.c.conversation_id,
    conversations.c.started_at,
    conversations.c.first_message,
    conversations.c.turns,
    conversations.c.assessment,
    conversations.c.red_flag,
    conversations.c.booking_offered,
    conversations.c.booking_requested,
    conversations.c.booking_completed,
    conversations.c.fallbacks,
    sa.func.coalesce(reviews.c.status, "unreviewed").label("review_status"),
)


def day_start(day: date, zone: ZoneInfo) -> float:
    """Midnight of a day in the clinic's time zone, as epoch seconds."""
    return datetime.combine(day, time(), tzinfo=zone).timestamp()


class position(FunctionElement[int]):
    """Where a term first occurs in a text (1-based; 0: nowhere), matched literally: % and _ are not wildcards.

    A substring test, not LIKE: SQLite's LIKE stops at a NUL, so a NUL stored in a message before the
    cleaning in bot/incoming.py would hide every word after it. SQLite calls it instr, PostgreSQL strpos.
    """

    type = sa.Integer()
    inherit_cache = True


@compiles(position)
def _strpos(element: position, compiler: SQLCompiler, **kw: Any) -> str:
    return f"strpos({compiler.process(element.clauses, **kw)})"


@compiles(position, "sqlite")
def _instr(element: position, compiler: SQLCompiler, **kw: Any) -> str:
    return f"instr({compiler.process(element.clauses, **kw)})"


def conditions(f: ConversationFilter, zone: ZoneInfo) -> list[ColumnElement[bool]]:
    c = conversations.c
    found: list[ColumnElement[bool]] = []
    if f.date_from:
        found.append(c.started_at >= day_start(f.date_from, zone))
    if f.date_to:
        found.append(c.started_at < day_start(f.date_to + timedelta(days=1), zone))
    if f.assessment:
        found.append(c.assessment.is_(None) if f.assessment == "none" else c.assessment == f.assessment)
    if f.red_flag:
        found.append(c.red_flag.is_(f.red_flag == "yes"))
    if f.booking == "none":
        found.append(sa.and_(c.booking_requested.is_(False), c.booking_completed.is_(False)))
    elif f.booking:
        found.append(c[f"booking_{f.booking}"].is_(True))
    if f.fallbacks:
        found.append(c.fallbacks > 0 if f.fallbacks == "yes" else c.fallbacks == 0)
    if f.review == "unreviewed":
        found.append(reviews.c.status.is_(None))
    elif f.review:
        found.append(reviews.c.status == f.review)
    # Every word must appear somewhere in the patient's messages; bound parameters, never SQL text.
    found.extend(position(c.search_text, word.lower()) > 0 for word in f.text.split())
    return found


def filtered(f: ConversationFilter, zone: ZoneInfo, *columns: Any) -> Select:
    joined = conversations.outerjoin(reviews, reviews.c.conversation_id == conversations.c.conversation_id)
    return sa.select(*columns).select_from(joined).where(*conditions(f, zone))


@dataclass(frozen=True)
class Page:
    rows: list[Row[Any]]
    total: int
    page: int
    pages: int


def list_page(connection: Connection, f: ConversationFilter, zone: ZoneInfo, page_size: int) -> Page:
    """One page of the filtered list, newest first, and how many conversations match in all."""
    total = connection.execute(filtered(f, zone, sa.func.count())).scalar_one()
    pages = max((total + page_size - 1) // page_size, 1)
    page = min(f.page, pages)
    rows = connection.execute(
        filtered(f, zone, *LIST_COLUMNS)
        .order_by(conversations.c.started_at.desc(), conversations.c.conversation_id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    return Page(list(rows), total, page, pages)


def all_matching(connection: Connection, f: ConversationFilter, zone: ZoneInfo) -> Iterator[Row[Any]]:
    """Every matching conversation, oldest first, for the export."""
    query = filtered(f, zone, *LIST_COLUMNS).order_by(conversations.c.started_at, conversations.c.conversation_id)
    yield from connection.execute(query)
