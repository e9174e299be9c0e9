"""The numbers behind the charts, per day in the clinic's time zone, from the summary table."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bot.console.queries import day_start
from clinic.database.tables import conversations

DEFAULT_DAYS = 30


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide by (a day or range with no conversations)."""
    return part / whole if whole else None


@dataclass
class Day:
    day: date
    conversations: int = 0
    bookings: int = 0
    turns: int = 0
    fallbacks: int = 0

    @property
    def booking_rate(self) -> float | None:
        """Share of the day's conversations that ended with a stored booking request."""
        return share(self.bookings, self.conversations)

    @property
    def fallback_rate(self) -> float | None:
        """Share of the day's patient messages the bot failed on."""
        return share(self.fallbacks, self.turns)


@dataclass
class Figures:
    days: list[Day]
    assessments: Counter[str] = field(default_factory=Counter)
    conversations: int = 0
    red_flags: int = 0
    offered: int = 0
    requested: int = 0
    completed: int = 0
    with_fallback: int = 0
    fallbacks: int = 0
    turns: int = 0

    @property
    def booking_rate(self) -> float | None:
        return share(self.completed, self.conversations)

    @property
    def fallback_rate(self) -> float | None:
        return share(self.fallbacks, self.turns)


def default_range(zone: ZoneInfo, today: date | None = None) -> tuple[date, date]:
    end = today or datetime.now(zone).date()
    return end - timedelta(days=DEFAULT_DAYS - 1), end


def compute(connection: Connection, first: date, last: date, zone: ZoneInfo) -> Figures:
    """Every day from first to last (empty days included, so gaps show as zero)."""
    c = conversations.c
    rows = connection.execute(
        sa.select(
            c.started_at, c.assessment, c.red_flag, c.booking_offered, c.booking_requested,
            c.booking_completed, c.fallbacks, c.turns,
        ).where(c.started_at >= day_start(first, zone), c.started_at < day_start(last + timedelta(days=1), zone))
    )  # fmt: skip
    days = {first + timedelta(days=i): Day(first + timedelta(days=i)) for i in range((last - first).days + 1)}
    figures = Figures(days=list(days.values()))
    for row in rows:
        day = days[datetime.fromtimestamp(row.started_at, zone).date()]
        day.conversations += 1
        day.bookings += bool(row.booking_completed)
        day.turns += row.turns
        day.fallbacks += row.fallbacks
        figures.assessments[row.assessment or "none"] += 1
        figures.conversations += 1
        figures.red_flags += bool(row.red_flag)
        figures.offered += bool(row.booking_offered)
        figures.requested += bool(row.booking_requested)
        figures.completed += bool(row.booking_completed)
        figures.with_fallback += row.fallbacks > 0
        figures.fallbacks += row.fallbacks
        figures.turns += row.turns
    return figures
