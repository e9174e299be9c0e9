"""The clinic's details and where its data lives, read from the project's configuration."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
CLINIC_FILE = Path(os.environ.get("CLINIC_CONFIG", ROOT / "config" / "clinic.yml"))
ENDPOINTS_FILE = Path(os.environ.get("RASA_ENDPOINTS", ROOT / "endpoints.yml"))


@dataclass(frozen=True)
class Clinic:
    """Name, phone, booking link and address shown to patients."""

    name: str
    city: str
    phone: str
    booking_url: str
    address: str
    retention_days: int


def load_clinic(path: Path = CLINIC_FILE) -> Clinic:
    """Read config/clinic.yml; a missing key fails loudly at start-up, not mid-conversation."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Clinic(
        name=str(data["name"]),
        city=str(data["city"]),
        phone=str(data["phone"]),
        booking_url=str(data["booking_url"]),
        address=str(data["address"]),
        retention_days=int(data["retention_days"]),
    )


def database_url(path: Path = ENDPOINTS_FILE) -> str:
    """The SQLAlchemy URL of the tracker store in endpoints.yml: bookings live beside it."""
    override = os.environ.get("BOOKINGS_DATABASE_URL")
    if override:
        return override
    store: dict[str, Any] = yaml.safe_load(os.path.expandvars(path.read_text(encoding="utf-8")))["tracker_store"]
    dialect = store.get("dialect", "sqlite")
    if dialect == "sqlite":
        db = Path(store.get("db", "rasa.db"))
        return f"sqlite:///{db if db.is_absolute() else ROOT / db}"
    auth = f"{store['username']}:{store.get('password', '')}@" if store.get("username") else ""
    port = f":{store['port']}" if store.get("port") else ""
    return f"{dialect}://{auth}{store.get('url', 'localhost')}{port}/{store.get('db', 'rasa')}"
