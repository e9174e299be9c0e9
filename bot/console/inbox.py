"""The review inbox: patient messages worth a second look, most risky first; each links to its transcript.

The items are found in the background (inbox_fold.py); the page only reads them, with the message
text from Rasa's events table, so nothing of a patient's words is copied into the inbox's own tables.
A line can be dismissed (stored, audited); counts per category also show on the charts page.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sanic import Blueprint, HTTPResponse, Request, Sanic
from sanic.response import redirect
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select

from bot.console import audit
from bot.console.bounds import whole_number
from bot.console.database import events
from bot.console.inbox_fold import CATEGORIES, keep_inbox_fresh
from bot.console.links import transcript_path
from bot.console.web import form_value, in_thread, page_number, render
from bot.incoming import clean_text
from clinic.database.tables import conversations, inbox_dismissals, inbox_items

LABELS = {
    "possible_miss": "Possible missed red flag",
    "possible_false_alarm": "Possible false alarm",
    "fallback": "Fallback",
    "low_confidence": "Low confidence",
    "no_assessment": "Ended without an assessment",
    "loop": "Same question asked again",
}
# A conversation quiet this long has ended: Rasa starts a new session after it (domain.yml session_expiration_time).
ENDED_AFTER_S = 60 * 60.0
PAGE_SIZE = 50
SHOWN_CHARS = 300


@dataclass(frozen=True)
class Line:
    conversation_id: str
    event_id: int
    category: str
    at: float
    detail: str
    text: str

    @property
    def label(self) -> str:
        return LABELS[self.category]

    @property
    def link(self) -> str:
        return f"{transcript_path(self.conversation_id)}#m-{self.event_id}"


def open_items(now: float, started_from: float | None = None, started_before: float | None = None) -> Select:
    """Items not dismissed, of conversations still kept; "no assessment" only once the conversation ended."""
    i, d, c = inbox_items.c, inbox_dismissals.c, conversations.c
    query = (
        sa.select(i.conversation_id, i.event_id, i.category, i.at, i.detail)
        .join(conversations, c.conversation_id == i.conversation_id)
        .outerjoin(
            inbox_dismissals,
            sa.and_(d.conversation_id == i.conversation_id, d.event_id == i.event_id, d.category == i.category),
        )
        .where(d.event_id.is_(None))
        .where(sa.or_(i.category != "no_assessment", c.last_event_at < now - ENDED_AFTER_S))
    )
    if started_from is not None:
        query = query.where(c.started_at >= started_from)
    if started_before is not None:
        query = query.where(c.started_at < started_before)
    return query


def counts(
    connection: Connection, now: float, started_from: float | None = None, started_before: float | None = None
) -> Counter[str]:
    """Open lines per category (of conversations started in the range, if given)."""
    listed = open_items(now, started_from, started_before).subquery()
    rows = connection.execute(sa.select(listed.c.category, sa.func.count()).group_by(listed.c.category))
    return Counter({category: count for category, count in rows})


def texts(connection: Connection, event_ids: list[int]) -> dict[int, str]:
    rows = connection.execute(sa.select(events.c.id, events.c.data).where(events.c.id.in_(event_ids)))
    return {row.id: clean_text(json.loads(row.data).get("text") or "")[:SHOWN_CHARS] for row in rows}


def lines(connection: Connection, now: float, category: str, page: int) -> tuple[list[Line], bool]:
    """One page of open lines, most risky category first, newest first within it; and whether more follow."""
    query = open_items(now)
    if category:
        query = query.where(inbox_items.c.category == category)
    rank = sa.case({name: n for n, name in enumerate(CATEGORIES)}, value=inbox_items.c.category)
    rows = connection.execute(
        query.order_by(rank, inbox_items.c.at.desc(), inbox_items.c.event_id.desc())
        .limit(PAGE_SIZE + 1)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    said = texts(connection, [row.event_id for row in rows[:PAGE_SIZE]])
    found = [Line(**row._asdict(), text=said.get(row.event_id, "")) for row in rows[:PAGE_SIZE]]
    return found, len(rows) > PAGE_SIZE


def dismiss(connection: Connection, conversation_id: str, event_id: int, category: str, username: str) -> bool:
    """Dismisses one listed line; False when there is no such line (or it was dismissed already)."""
    i = inbox_items.c
    listed = connection.execute(
        sa.select(i.event_id).where(
            i.conversation_id == conversation_id, i.event_id == event_id, i.category == category
        )
    ).first()
    already = connection.execute(
        sa.select(inbox_dismissals.c.event_id).where(
            inbox_dismissals.c.conversation_id == conversation_id,
            inbox_dismissals.c.event_id == event_id,
            inbox_dismissals.c.category == category,
        )
    ).first()
    if listed is None or already is not None:
        return False
    connection.execute(
        inbox_dismissals.insert().values(
            conversation_id=conversation_id,
            event_id=event_id,
            category=category,
            dismissed_by=username,
            dismissed_at=time.time(),
        )
    )
    return True


def inbox_blueprint() -> Blueprint:
    bp = Blueprint("inbox")

    @bp.listener("after_server_start")
    async def keep_fresh(app: Sanic, _loop: object) -> None:
        app.add_task(keep_inbox_fresh(app.ctx.engine, app.ctx.settings.low_confidence))

    @bp.get("/inbox")
    @in_thread
    def inbox_page(request: Request) -> HTTPResponse:
        category = request.args.get("category", "")
        category = category if category in CATEGORIES else ""
        page = page_number(request)
        now = time.time()
        with request.app.ctx.engine.begin() as connection:
            per_category = counts(connection, now)
            shown, has_next = lines(connection, now, category, page)
            audit.record(connection, request, "view_inbox", category, f"page {page}")
        context: dict[str, Any] = {
            "categories": CATEGORIES,
            "labels": LABELS,
            "counts": per_category,
            "chosen": category,
            "lines": shown,
            "page": page,
            "has_next": has_next,
        }
        return render(request, "inbox.html", **context)

    @bp.post("/inbox/dismiss")
    @in_thread
    def dismiss_line(request: Request) -> HTTPResponse:
        conversation_id = form_value(request, "conversation_id")
        category = form_value(request, "category")
        event_id = whole_number(form_value(request, "event_id"))
        with request.app.ctx.engine.begin() as connection:
            if event_id is None or not dismiss(
                connection, conversation_id, event_id, category, request.ctx.user.username
            ):
                return render(request, "error.html", status=404, message="No such line in the inbox.")
            audit.record(connection, request, "inbox_dismissed", conversation_id, f"{category} message {event_id}")
        back = form_value(request, "back")
        return redirect(f"/inbox?category={back}" if back in CATEGORIES else "/inbox")

    return bp
