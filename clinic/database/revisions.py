"""Bring the clinic's tables to the newest schema (`make migrate` runs it through bot/migrate.py).

Run before anything uses the tables: `make run`, `make shell` and the console's commands depend on it.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head() -> str:
    """The newest revision in the repository."""
    revision = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert revision is not None
    return revision


def current(engine: sa.engine.Engine) -> str | None:
    """The revision the database is at; None before its first migration."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(url: str) -> str:
    """Applies the migrations the database lacks, in one transaction per run; returns the revision reached."""
    engine = sa.create_engine(url, future=True)
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        return head()
    finally:
        engine.dispose()
