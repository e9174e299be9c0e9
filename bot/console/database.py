"""The console's database: the clinic's tables (clinic/database) beside Rasa's `events` table."""

from __future__ import annotations

import warnings

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from clinic.database.revisions import current, head

with warnings.catch_warnings():
    # Rasa 3.6 declares its table with the SQLAlchemy 1.x API and says so on import.
    warnings.simplefilter("ignore")
    from rasa.core.tracker_store import SQLTrackerStore

# Rasa's own schema of the tracker store, not a copy of it.
events: sa.Table = SQLTrackerStore.SQLEvent.__table__


class NotMigrated(RuntimeError):
    """The database is behind the code: serving would fail on a missing table or column."""


def open_database(url: str) -> Engine:
    """An engine on a database the migrations brought up to date; refuses one that is behind.

    The console may start before Rasa has stored anything: Rasa's table is then created as Rasa creates it.
    """
    engine = sa.create_engine(url, future=True)
    at, newest = current(engine), head()
    if at != newest:
        engine.dispose()
        raise NotMigrated(f"the database is at revision {at}, the console needs {newest}: run `make migrate`")
    events.create(engine, checkfirst=True)
    return engine
