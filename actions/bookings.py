"""Booking requests, stored in SQL beside the tracker store so staff tooling can read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

import sqlalchemy as sa

metadata = sa.MetaData()

booking_requests = sa.Table(
    "booking_requests",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
    sa.Column("patient_name", sa.String(255), nullable=False),
    sa.Column("contact_kind", sa.String(16), nullable=False),
    sa.Column("contact", sa.String(255), nullable=False),
    sa.Column("preferred_time", sa.String(255), nullable=False),
    sa.Column("assessment", sa.String(32), nullable=True),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False, server_default="new"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class BookingRequest:
    """What the patient asked for, as staff will see it."""

    conversation_id: str
    patient_name: str
    contact_kind: str
    contact: str
    preferred_time: str
    assessment: str | None
    summary: str


@lru_cache(maxsize=4)
def engine_for(url: str) -> sa.engine.Engine:
    """One engine per database, with the table created on first use."""
    engine = sa.create_engine(url, future=True)
    metadata.create_all(engine)
    return engine


def save_booking(url: str, request: BookingRequest) -> int:
    """Store the request with status "new"; returns its id."""
    row = {**request.__dict__, "created_at": datetime.now(timezone.utc)}
    with engine_for(url).begin() as connection:
        result = connection.execute(booking_requests.insert().values(**row))
        return int(result.inserted_primary_key[0])
