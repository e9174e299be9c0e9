"""Login sessions: a random cookie whose hash is stored, an idle timeout and a hard limit."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from clinic.database.tables import sessions, users

# Write last_seen_at at most this often: a page view should not always be a database write.
TOUCH_EVERY_S = 60


@dataclass(frozen=True)
class SessionUser:
    """The signed-in staff member, as every handler sees them."""

    user_id: int
    username: str
    role: str
    csrf_token: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(connection: Connection, user_id: int, now: float) -> str:
    """A new session (a new token at every login: no session fixation); returns the cookie value."""
    token = secrets.token_urlsafe(32)
    connection.execute(
        sessions.insert().values(
            token_hash=token_hash(token),
            user_id=user_id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            last_seen_at=now,
        )
    )
    return token


def load_session(connection: Connection, token: str, now: float, idle_s: float, max_s: float) -> SessionUser | None:
    """The session's user, or None when it is unknown, idle too long, too old, or the user is switched off."""
    row = connection.execute(
        sa.select(sessions, users.c.username, users.c.role, users.c.active)
        .join(users, users.c.id == sessions.c.user_id)
        .where(sessions.c.token_hash == token_hash(token))
    ).first()
    if row is None:
        return None
    if not row.active or now - row.last_seen_at > idle_s or now - row.created_at > max_s:
        connection.execute(sessions.delete().where(sessions.c.token_hash == row.token_hash))
        return None
    if now - row.last_seen_at > TOUCH_EVERY_S:
        connection.execute(sessions.update().where(sessions.c.token_hash == row.token_hash).values(last_seen_at=now))
    return SessionUser(row.user_id, row.username, row.role, row.csrf_token)


def end_session(connection: Connection, token: str) -> None:
    connection.execute(sessions.delete().where(sessions.c.token_hash == token_hash(token)))


def delete_expired(connection: Connection, now: float, idle_s: float, max_s: float) -> int:
    result = connection.execute(
        sessions.delete().where(sa.or_(sessions.c.last_seen_at < now - idle_s, sessions.c.created_at < now - max_s))
    )
    return int(result.rowcount)
