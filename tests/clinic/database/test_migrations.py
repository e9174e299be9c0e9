"""The clinic's tables come from the migrations alone, for a new clinic and for one that ran before them."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from bot.console.database import NotMigrated, open_database
from clinic.database.revisions import current, head, upgrade
from clinic.database.tables import metadata

SCHEMA_BEFORE_MIGRATIONS = Path(__file__).with_name("schema_before_migrations.sql")


def differences(engine: sa.engine.Engine) -> list[object]:
    """What `alembic revision --autogenerate` would write: the models against the migrated database."""
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_object": lambda _o, name, kind, *_: kind != "table" or name in metadata.tables,
            },
        )
        return list(compare_metadata(context, metadata))


def columns(engine: sa.engine.Engine) -> dict[str, list[str]]:
    inspector = sa.inspect(engine)
    return {name: [c["name"] for c in inspector.get_columns(name)] for name in inspector.get_table_names()}


def expected_columns() -> dict[str, list[str]]:
    return {name: [c.name for c in table.columns] for name, table in metadata.tables.items()}


def test_an_empty_database_gets_every_table_and_column_of_the_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    assert upgrade(url) == head()
    engine = sa.create_engine(url)
    assert columns(engine) == {**expected_columns(), "alembic_version": ["version_num"]}
    assert differences(engine) == []
    assert current(engine) == head()


def test_a_database_from_before_migrations_is_brought_to_head_keeping_its_data(tmp_path: Path) -> None:
    """A clinic's database as yesterday's create_all made it, with a booking and a staff account in it."""
    path = tmp_path / "old.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    raw = engine.raw_connection()
    raw.executescript(SCHEMA_BEFORE_MIGRATIONS.read_text())
    raw.executescript(
        "INSERT INTO booking_requests (conversation_id, patient_name, contact_kind, contact, preferred_time, summary,"
        " created_at) VALUES ('c1', 'Sara Lopez', 'phone', '(512) 555-0134', 'friday', '-', '2026-11-01 10:00:00');"
        "INSERT INTO console_users (username, password_hash, role, active, created_at) VALUES ('sam', 'h', 'staff', 1, 0);"
        "INSERT INTO console_conversations VALUES ('c1', 0, 1, 9, '/greet', 3, NULL, 0, 0, 0, 0, 0, '/greet');"
        "INSERT INTO console_refresh_state VALUES (1, 9);"
    )
    raw.close()
    assert current(engine) is None

    upgrade(f"sqlite:///{path}")

    assert current(engine) == head()
    assert differences(engine) == []
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT patient_name, status FROM booking_requests")).all() == [
            ("Sara Lopez", "new")
        ]
        assert connection.execute(sa.text("SELECT username FROM console_users")).scalars().all() == ["sam"]
        # Summaries folded under the old rule (the hidden greeting as the first message) are folded again.
        assert connection.execute(sa.text("SELECT count(*) FROM console_conversations")).scalar_one() == 0
        assert connection.execute(sa.text("SELECT last_event_id FROM console_refresh_state")).all() == [(0,)]


def test_a_database_with_only_the_booking_table_gets_the_console_tables(tmp_path: Path) -> None:
    """Before migrations the action server made its table on the first booking, the console the rest on start."""
    path = tmp_path / "bookings-only.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    raw = engine.raw_connection()
    statements = SCHEMA_BEFORE_MIGRATIONS.read_text().split(";")
    raw.executescript(";".join(s for s in statements if "booking_requests" in s) + ";")
    raw.close()
    upgrade(f"sqlite:///{path}")
    assert differences(engine) == []


def test_the_console_refuses_a_database_the_migrations_have_not_reached(tmp_path: Path) -> None:
    with pytest.raises(NotMigrated, match="make migrate"):
        open_database(f"sqlite:///{tmp_path / 'never-migrated.db'}")
