"""Booking requests, stored in SQL beside the tracker store so staff tooling can read them (clinic/database)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

import sqlalchemy as sa

from clinic.database.tables import booking_requests


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
    """One engine per database; its tables are made by the migrations (`make migrate`), not here."""
    return sa.create_engine(url, future=True)


def save_booking(url: str, request: BookingRequest) -> int:
    """Store the request with status "new"; returns its id."""
    row = {**request.__dict__, "created_at": datetime.now(timezone.utc)}
    with engine_for(url).begin() as connection:
        result = connection.execute(booking_requests.insert().values(**row))
        return int(result.inserted_primary_key[0])
