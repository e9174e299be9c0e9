"""Deleting what the clinic no longer keeps: old conversations and old finished booking requests.

A conversation goes when its last message is older than the retention period, unless a booking
request from it is still open (staff need the conversation to follow it up). A booking request
goes when it is booked or closed and older than the retention period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.console.bookings import DONE, OPEN
from bot.console.conversation_summaries import refresh
from bot.console.database import events
from bot.console.lockout import forget_before
from bot.console.sessions import delete_expired
from clinic.database.tables import (
    booking_history,
    booking_requests,
    conversations,
    corrections,
    inbox_dismissals,
    inbox_items,
    notes,
    reviews,
    tags,
)

CHUNK = 500


@dataclass(frozen=True)
class Deleted:
    conversations: int
    events: int
    booking_requests: int
    login_attempts: int

    def report(self, days: int) -> str:
        return (
            f"Retention {days} days: deleted {self.conversations} conversations ({self.events} events), "
            f"{self.booking_requests} booked or closed booking requests, {self.login_attempts} old login attempts."
        )


def purge(engine: Engine, days: int, now: float, idle_s: float, max_s: float) -> Deleted:
    """Deletes everything older than `days` days before `now` that the clinic no longer keeps."""
    if days < 1:
        raise ValueError("the retention period is at least one day")
    cutoff = now - days * 86400.0
    refresh(engine)  # every conversation has a summary, so its last activity is known
    with engine.begin() as connection:
        still_open = sa.select(booking_requests.c.conversation_id).where(booking_requests.c.status.in_(OPEN))
        old = (
            connection.execute(
                sa.select(conversations.c.conversation_id).where(
                    conversations.c.last_event_at < cutoff, conversations.c.conversation_id.not_in(still_open)
                )
            )
            .scalars()
            .all()
        )
        deleted_events = 0
        for start in range(0, len(old), CHUNK):
            chunk = old[start : start + CHUNK]
            deleted_events += connection.execute(events.delete().where(events.c.sender_id.in_(chunk))).rowcount
            for table in (conversations, reviews, notes, tags, inbox_items, inbox_dismissals, corrections):
                connection.execute(table.delete().where(table.c.conversation_id.in_(chunk)))
        # created_at is a DateTime column of the assistant's table: compare with a UTC datetime.
        booking_cutoff = datetime.fromtimestamp(cutoff, timezone.utc)
        done = sa.select(booking_requests.c.id).where(
            booking_requests.c.status.in_(DONE), booking_requests.c.created_at < booking_cutoff
        )
        connection.execute(booking_history.delete().where(booking_history.c.booking_id.in_(done)))
        deleted_bookings = connection.execute(booking_requests.delete().where(booking_requests.c.id.in_(done))).rowcount
        attempts = forget_before(connection, cutoff)
        delete_expired(connection, now, idle_s, max_s)
    return Deleted(len(old), deleted_events, deleted_bookings, attempts)
