"""The console's app factory: one blueprint per area, all behind the guard."""

from __future__ import annotations

from pathlib import Path

from sanic import Sanic

from bot.console.admin import admin_blueprint
from bot.console.audit import audit_blueprint
from bot.console.auth import auth_blueprint
from bot.console.bookings import bookings_blueprint
from bot.console.bounds import install_bounds
from bot.console.charts import charts_blueprint
from bot.console.console_settings import ConsoleSettings
from bot.console.conversation_summaries import keep_fresh
from bot.console.conversations import conversations_blueprint
from bot.console.corrections import corrections_blueprint
from bot.console.database import open_database
from bot.console.exports import exports_blueprint, learning_exports_blueprint
from bot.console.guard import install_guard
from bot.console.inbox import inbox_blueprint

STATIC = Path(__file__).resolve().parent / "static"


def create_app(settings: ConsoleSettings, name: str = "frontier_console") -> Sanic:
    """A new app; `name` must be unique per process (sanic keeps a registry of apps by name)."""
    app = Sanic(name)
    app.config.ACCESS_LOG = False  # URLs carry conversation ids; the audit log records what matters
    app.ctx.settings = settings
    app.ctx.engine = open_database(settings.database_url)
    install_guard(app)
    install_bounds(app)
    for blueprint in (
        auth_blueprint(),
        conversations_blueprint(),
        bookings_blueprint(),
        charts_blueprint(),
        inbox_blueprint(),
        exports_blueprint(),
        corrections_blueprint(),
        learning_exports_blueprint(),
        audit_blueprint(),
        admin_blueprint(),
    ):
        app.blueprint(blueprint)
    app.static("/static", str(STATIC), name="static")
    app.register_listener(keep_summaries_fresh, "after_server_start")
    return app


async def keep_summaries_fresh(app: Sanic, _loop: object) -> None:
    """From start-up on, without delaying it: the first pages may show a list still being filled."""
    app.add_task(keep_fresh(app.ctx.engine))
