"""The booking-request queue: new -> contacted -> booked or closed, with who changed it and when."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from sanic import Blueprint, HTTPResponse, Request
from sanic.response import redirect
from sqlalchemy.engine import Connection, Row
from sqlalchemy.sql import Select

from bot.console import audit
from bot.console.links import transcript_path
from bot.console.web import form_value, in_thread, page_number, render
from clinic.database.tables import booking_history, booking_requests

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "new": ("contacted", "closed"),
    "contacted": ("booked", "closed"),
    "booked": (),
    "closed": (),
}
OPEN = ("new", "contacted")
DONE = ("booked", "closed")
VIEWS = {
    "open": OPEN,
    "new": ("new",),
    "contacted": ("contacted",),
    "booked": ("booked",),
    "closed": ("closed",),
    "all": (),
}
PAGE_SIZE = 50


class StatusConflict(ValueError):
    """The change is not allowed from the request's current status (or someone else changed it first)."""


def epoch(value: datetime) -> float:
    """created_at comes back naive from SQLite and aware from PostgreSQL; it was stored in UTC."""
    return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).timestamp()


def change_status(connection: Connection, booking_id: int, to_status: str, username: str) -> str:
    """Moves the request on and records it; returns the status it had. Atomic against a colleague's change."""
    current = connection.execute(
        sa.select(booking_requests.c.status).where(booking_requests.c.id == booking_id)
    ).scalar_one_or_none()
    if current is None:
        raise LookupError(booking_id)
    if to_status not in TRANSITIONS.get(current, ()):
        raise StatusConflict(f"a {current} request can't become {to_status}")
    updated = connection.execute(
        booking_requests.update()
        .where(booking_requests.c.id == booking_id, booking_requests.c.status == current)
        .values(status=to_status)
    )
    if updated.rowcount != 1:
        raise StatusConflict("someone changed it at the same time; reload and try again")
    connection.execute(
        booking_history.insert().values(
            booking_id=booking_id, from_status=current, to_status=to_status, changed_by=username, changed_at=time.time()
        )
    )
    return str(current)


def chosen_view(request: Request, default: str) -> str:
    """Which statuses to show (?status=open|new|...|all); an unknown one shows the default."""
    view = request.args.get("status", default)
    return view if view in VIEWS else default


def in_view(query: Select, view: str) -> Select:
    return query.where(booking_requests.c.status.in_(VIEWS[view])) if VIEWS[view] else query


def history_of(connection: Connection, booking_ids: list[int]) -> dict[int, list[Row[Any]]]:
    """Each request's status changes, oldest first."""
    found: dict[int, list[Row[Any]]] = {i: [] for i in booking_ids}
    if booking_ids:
        rows = connection.execute(
            sa.select(booking_history)
            .where(booking_history.c.booking_id.in_(booking_ids))
            .order_by(booking_history.c.id)
        )
        for row in rows:
            found[row.booking_id].append(row)
    return found


def bookings_blueprint() -> Blueprint:
    bp = Blueprint("bookings")

    @bp.get("/bookings")
    @in_thread
    def queue(request: Request) -> HTTPResponse:
        view, page = chosen_view(request, "open"), page_number(request)
        query = in_view(sa.select(booking_requests), view)
        with request.app.ctx.engine.connect() as connection:
            rows = connection.execute(
                query.order_by(booking_requests.c.created_at, booking_requests.c.id)
                .limit(PAGE_SIZE + 1)
                .offset((page - 1) * PAGE_SIZE)
            ).all()
            history = history_of(connection, [r.id for r in rows[:PAGE_SIZE]])
        return render(
            request,
            "bookings.html",
            rows=rows[:PAGE_SIZE],
            has_next=len(rows) > PAGE_SIZE,
            page=page,
            view=view,
            views=list(VIEWS),
            history=history,
            transitions=TRANSITIONS,
            epoch=epoch,
            transcript_path=transcript_path,
        )

    @bp.get("/bookings/<booking_id:int>")
    @in_thread
    def booking(request: Request, booking_id: int) -> HTTPResponse:
        with request.app.ctx.engine.connect() as connection:
            row = connection.execute(sa.select(booking_requests).where(booking_requests.c.id == booking_id)).first()
            history = history_of(connection, [booking_id])[booking_id]
        if row is None:
            return render(request, "error.html", status=404, message="No such booking request.")
        return render(
            request,
            "booking.html",
            row=row,
            history=history,
            transitions=TRANSITIONS,
            epoch=epoch,
            transcript_path=transcript_path,
        )

    @bp.post("/bookings/<booking_id:int>/status")
    @in_thread
    def status(request: Request, booking_id: int) -> HTTPResponse:
        to_status = form_value(request, "status")
        with request.app.ctx.engine.begin() as connection:
            try:
                before = change_status(connection, booking_id, to_status, request.ctx.user.username)
            except LookupError:
                return render(request, "error.html", status=404, message="No such booking request.")
            except StatusConflict as error:
                return render(request, "error.html", status=409, message=f"Not changed: {error}.")
            audit.record(connection, request, "booking_status", str(booking_id), f"{before} -> {to_status}")
        return redirect(f"/bookings/{booking_id}")

    return bp
