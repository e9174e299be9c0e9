"""`make staff-user`: accounts made on the server, with a checked password and role."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from sanic import Sanic

from bot.console.cli import main
from bot.console.passwords import verify_password
from clinic.database.tables import users


@pytest.fixture(autouse=True)
def console_database(app: Sanic, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONSOLE_DATABASE_URL", app.ctx.settings.database_url)


def create(monkeypatch: pytest.MonkeyPatch, password: str, *args: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return main(["create-user", "--password-stdin", *args])


def test_an_admin_account_is_created_with_a_hashed_password(
    app: Sanic, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert create(monkeypatch, "a long enough secret", "--username", "Nina.Ops", "--role", "admin") == 0
    assert "Created admin account nina.ops" in capsys.readouterr().out
    with app.ctx.engine.connect() as connection:
        row = connection.execute(sa.select(users).where(users.c.username == "nina.ops")).one()
    assert row.role == "admin" and row.active and verify_password(row.password_hash, "a long enough secret")


@pytest.mark.parametrize(
    ("password", "args", "message"),
    [
        ("short", ("--username", "nina"), "at least 12 characters"),
        ("a long enough secret", ("--username", "sam"), "already exists"),
        ("a long enough secret", ("--username", "bad name!"), "a username is"),
    ],
)
def test_bad_accounts_are_refused_with_a_reason(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    password: str,
    args: tuple[str, ...],
    message: str,
) -> None:
    assert create(monkeypatch, password, *args) == 1
    assert message in capsys.readouterr().err
