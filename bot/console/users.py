"""Staff accounts: created from the command line, listed and switched off by admins."""

from __future__ import annotations

import re
import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, Row

from bot.console.passwords import hash_password
from clinic.database.tables import sessions, users

ROLES = ("staff", "admin")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


class UserError(ValueError):
    """A request the accounts can't carry out, in words for the person who asked."""


def create_user(engine: Engine, username: str, password: str, role: str) -> int:
    """A new active account; the password is hashed here and never stored."""
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise UserError("a username is 2-64 characters: lower-case letters, digits, dots, dashes or underscores")
    if role not in ROLES:
        raise UserError(f"the role must be one of {', '.join(ROLES)}")
    try:
        password_hash = hash_password(password)
    except ValueError as error:
        raise UserError(str(error)) from error
    with engine.begin() as connection:
        if connection.execute(sa.select(users.c.id).where(users.c.username == username)).first():
            raise UserError(f"the user {username} already exists")
        result = connection.execute(
            users.insert().values(
                username=username, password_hash=password_hash, role=role, active=True, created_at=time.time()
            )
        )
        return int(result.inserted_primary_key[0])


def find_user(connection: Connection, username: str) -> Row[Any] | None:
    return connection.execute(sa.select(users).where(users.c.username == username.strip().lower())).first()


def all_users(connection: Connection) -> list[Row[Any]]:
    return list(connection.execute(sa.select(users).order_by(users.c.username)))


def set_active(connection: Connection, user_id: int, active: bool) -> Row[Any]:
    """Switches an account on or off; switching off also ends its sessions at once."""
    user = connection.execute(sa.select(users).where(users.c.id == user_id)).first()
    if user is None:
        raise UserError("no such user")
    connection.execute(users.update().where(users.c.id == user_id).values(active=active))
    if not active:
        connection.execute(sessions.delete().where(sessions.c.user_id == user_id))
    return user
