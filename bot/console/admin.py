"""Admin pages: the staff accounts, switched on and off here (created from the command line)."""

from __future__ import annotations

from sanic import Blueprint, HTTPResponse, Request
from sanic.response import redirect

from bot.console import audit
from bot.console.users import UserError, all_users, set_active
from bot.console.web import form_value, in_thread, render


def admin_blueprint() -> Blueprint:
    """Admin only: the guard refuses this blueprint's routes to staff."""
    bp = Blueprint("admin")

    @bp.get("/admin/users")
    @in_thread
    def users_page(request: Request) -> HTTPResponse:
        with request.app.ctx.engine.connect() as connection:
            return render(request, "users.html", users=all_users(connection))

    @bp.post("/admin/users/<user_id:int>/active")
    @in_thread
    def switch(request: Request, user_id: int) -> HTTPResponse:
        active = form_value(request, "active") == "1"
        if user_id == request.ctx.user.user_id and not active:
            return render(request, "error.html", status=400, message="You can't switch off your own account.")
        with request.app.ctx.engine.begin() as connection:
            try:
                user = set_active(connection, user_id, active)
            except UserError as error:
                return render(request, "error.html", status=404, message=str(error))
            audit.record(connection, request, "user_activated" if active else "user_deactivated", user.username)
        return redirect("/admin/users")

    return bp
