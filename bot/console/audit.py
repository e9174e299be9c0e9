"""The audit log: who logged in, viewed a transcript, exported or changed what, and when.

Admins read it at /audit; nobody can edit it from the console.
"""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from sanic import Blueprint, HTTPResponse, Request
from sqlalchemy.engine import Connection

from bot.console.web import client_ip, in_thread, page_number, render
from clinic.database.tables import audit_log

PAGE_SIZE = 100


def record(
    connection: Connection,
    request: Request,
    action: str,
    target: str = "",
    detail: str = "",
    *,
    username: str | None = None,
) -> None:
    """One audit entry; `username` for requests made before anyone is signed in (logins)."""
    user = getattr(request.ctx, "user", None)
    connection.execute(
        audit_log.insert().values(
            at=time.time(),
            username=(username if username is not None else user.username if user else "")[:64],
            action=action,
            target=target[:255],
            detail=detail,
            ip=client_ip(request),
        )
    )


def audit_blueprint() -> Blueprint:
    """Admin only: the guard refuses this blueprint's routes to staff."""
    bp = Blueprint("audit")

    @bp.get("/audit")
    @in_thread
    def audit_page(request: Request) -> HTTPResponse:
        who = request.args.get("user", "").strip()
        action = request.args.get("action", "").strip()
        page = page_number(request)
        query = sa.select(audit_log)
        if who:
            query = query.where(audit_log.c.username == who)
        if action:
            query = query.where(audit_log.c.action == action)
        with request.app.ctx.engine.connect() as connection:
            entries = connection.execute(
                query.order_by(audit_log.c.id.desc()).limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
            ).all()
            actions = (
                connection.execute(sa.select(audit_log.c.action).distinct().order_by(audit_log.c.action))
                .scalars()
                .all()
            )
        context: dict[str, Any] = {
            "entries": entries[:PAGE_SIZE],
            "has_next": len(entries) > PAGE_SIZE,
            "page": page,
            "who": who,
            "action": action,
            "actions": actions,
        }
        return render(request, "audit.html", **context)

    return bp
