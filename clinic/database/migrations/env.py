"""Alembic's entry point: migrates the clinic's tables, leaving Rasa's `events` table to Rasa."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import context

from clinic.database.tables import metadata

config = context.config


def ours(_object: Any, name: str | None, type_: str, _reflected: bool, _compare_to: Any) -> bool:
    """Only tables defined in clinic/database/tables.py: the tracker store's tables are Rasa's."""
    return type_ != "table" or name in metadata.tables


def run_migrations(connection: sa.engine.Connection) -> None:
    # render_as_batch: SQLite alters a table by copying it, which Alembic's batch mode does for us.
    context.configure(
        connection=connection, target_metadata=metadata, include_object=ours, render_as_batch=True, compare_type=True
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    """With the connection clinic.database.revisions hands over, or the database of endpoints.yml (`alembic` CLI)."""
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    from clinic.config import database_url

    engine = sa.create_engine(config.get_main_option("sqlalchemy.url") or database_url(), future=True)
    with engine.connect() as new_connection:
        run_migrations(new_connection)
    engine.dispose()


main()
