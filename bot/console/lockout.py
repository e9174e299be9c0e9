"""Repeated failed logins lock the username and the address out, for longer each time."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bot.database.tables import login_attempts

FREE_FAILURES = 5
FIRST_LOCK_S = 60
MAX_LOCK_S = 3600
# Failures older than this are forgotten, as are failures before a successful login.
WINDOW_S = 24 * 3600


def record_attempt(connection: Connection, username: str, ip: str, success: bool, now: float) -> None:
    connection.execute(login_attempts.insert().values(username=username[:64], ip=ip[:64], at=now, success=success))


def lock_seconds(failures: int) -> float:
    """No lock for the first FREE_FAILURES failures, then 1 min, 2, 4, ... up to an hour."""
    if failures < FREE_FAILURES:
        return 0
    return float(min(FIRST_LOCK_S * 2 ** (failures - FREE_FAILURES), MAX_LOCK_S))


def seconds_locked(connection: Connection, username: str, ip: str, now: float) -> float:
    """How long this username or this address must still wait before trying again (0: not locked)."""
    wait = 0.0
    for column, value in ((login_attempts.c.username, username[:64]), (login_attempts.c.ip, ip[:64])):
        last_success = connection.execute(
            sa.select(sa.func.max(login_attempts.c.at)).where(column == value, login_attempts.c.success.is_(True))
        ).scalar()
        since = max(last_success or 0.0, now - WINDOW_S)
        failures, last_failure = connection.execute(
            sa.select(sa.func.count(), sa.func.max(login_attempts.c.at)).where(
                column == value, login_attempts.c.success.is_(False), login_attempts.c.at > since
            )
        ).one()
        if failures:
            wait = max(wait, last_failure + lock_seconds(failures) - now)
    return max(wait, 0.0)


def forget_before(connection: Connection, before: float) -> int:
    result = connection.execute(login_attempts.delete().where(login_attempts.c.at < before))
    return int(result.rowcount)
