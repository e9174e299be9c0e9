"""What the console needs to know, in one place, so the app factory stays testable."""

from __future__ import annotations

import os
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from clinic.config import database_url, load_clinic


@dataclass(frozen=True)
class ConsoleSettings:
    """Where the data lives and how strict the sessions are."""

    database_url: str
    # Staff read times in the clinic's own time zone; days in filters and charts are its days.
    timezone: str = "America/Chicago"
    session_idle_minutes: int = 30
    session_max_hours: int = 12
    # Mark cookies Secure even when the console sees plain HTTP (behind a proxy that ends TLS).
    secure_cookies: bool = False
    page_size: int = 50
    # Patient messages the NLU read with less confidence than this are highlighted in transcripts.
    low_confidence: float = 0.6

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def idle_s(self) -> float:
        return self.session_idle_minutes * 60.0

    @property
    def max_s(self) -> float:
        return self.session_max_hours * 3600.0

    @classmethod
    def from_env(cls) -> ConsoleSettings:
        """The tracker store of endpoints.yml (RASA_ENDPOINTS), unless CONSOLE_DATABASE_URL says otherwise."""
        return cls(
            database_url=os.environ.get("CONSOLE_DATABASE_URL") or database_url(),
            timezone=os.environ.get("CONSOLE_TIMEZONE", "America/Chicago"),
            secure_cookies=os.environ.get("CONSOLE_SECURE_COOKIES", "") == "1",
        )


def retention_days() -> int:
    """How long conversations are kept: config/clinic.yml, the one place the widget's notice reads too."""
    return load_clinic().retention_days
