"""Repeated failed logins lock that account out, for longer each time; an address trying many accounts is slowed.

The account's lock counts its failures from any address (a guesser can't dodge it by moving). The address only
counts how many different accounts failed from it (password spraying): an address's wrong passwords for one
account never lock another account out, and staff behind one address (a clinic's network) keep theirs. Behind a
reverse proxy the console must be told to read the client's address from it (README, "Staff console"): without
that, every login comes from the proxy's address.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from clinic.database.tables import login_attempts

FREE_FAILURES = 5
FIRST_LOCK_S = 60
MAX_LOCK_S = 3600
# Failures older than this are forgotten, as are failures before a successful login.
WINDOW_S = 24 * 3600
# An address that failed on this many accounts within the window waits until the oldest of them leaves it.
ADDRESS_ACCOUNTS = 10
ADDRESS_WINDOW_S = 15 * 60


def record_attempt(connection: Connection, username: str, ip: str, success: bool, now: float) -> None:
    connection.execute(login_attempts.insert().values(username=username[:64], ip=ip[:64], at=now, success=success))


def lock_seconds(failures: int) -> float:
    """No lock for the first FREE_FAILURES failures, then 1 min, 2, 4, ... up to an hour."""
    if failures < FREE_FAILURES:
        return 0
    return float(min(FIRST_LOCK_S * 2 ** (failures - FREE_FAILURES), MAX_LOCK_S))


def account_wait(connection: Connection, username: str, now: float) -> float:
    """How long the account is still locked by its failures since its last successful login."""
    a = login_attempts.c
    last_success = connection.execute(
        sa.select(sa.func.max(a.at)).where(a.username == username[:64], a.success.is_(True))
    ).scalar()
    since = max(last_success or 0.0, now - WINDOW_S)
    failures, last_failure = connection.execute(
        sa.select(sa.func.count(), sa.func.max(a.at)).where(
            a.username == username[:64], a.success.is_(False), a.at > since
        )
    ).one()
    return last_failure + lock_seconds(failures) - now if failures else 0.0


def address_wait(connection: Connection, ip: str, now: float) -> float:
    """How long until fewer than ADDRESS_ACCOUNTS accounts have failed from this address within ADDRESS_WINDOW_S."""
    a = login_attempts.c
    latest = list(
        connection.execute(
            sa.select(sa.func.max(a.at).label("at"))
            .where(a.ip == ip[:64], a.success.is_(False), a.at > now - ADDRESS_WINDOW_S)
            .group_by(a.username)
            .order_by(sa.desc("at"))
            .limit(ADDRESS_ACCOUNTS)
        ).scalars()
    )
    return latest[-1] + ADDRESS_WINDOW_S - now if len(latest) == ADDRESS_ACCOUNTS else 0.0


def seconds_locked(connection: Connection, username: str, ip: str, now: float) -> float:
    """How long a login to this account from this address must still wait (0: it may try now)."""
    return max(account_wait(connection, username, now), address_wait(connection, ip, now), 0.0)


def forget_before(connection: Connection, before: float) -> int:
    result = connection.execute(login_attempts.delete().where(login_attempts.c.at < before))
    return int(result.rowcount)
