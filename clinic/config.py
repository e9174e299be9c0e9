"""The clinic's details and where its data lives, read from the project's configuration."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from rasa.utils.endpoints import read_endpoint_config
from sqlalchemy.engine import URL

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


def is_sql_store(store_type: str) -> bool:
    """Whether endpoints.yml's tracker-store type is Rasa's SQL store (`SQL`, or a subclass by module path)."""
    if store_type.lower() == "sql":
        return True
    from rasa.core.tracker_store import SQLTrackerStore  # heavy: only for a store named by module path
    from rasa.shared.utils.common import class_from_module_path

    try:
        store_class = class_from_module_path(store_type)
    except (ImportError, AttributeError):
        return False
    return isinstance(store_class, type) and issubclass(store_class, SQLTrackerStore)


def database_url(path: Path = ENDPOINTS_FILE) -> str:
    """The SQLAlchemy URL of the tracker store in endpoints.yml, read as Rasa reads it: bookings live beside it.

    Built with SQLAlchemy's URL builder, so a password with `@`, `:` or `/` in it reaches the database intact.
    """
    override = os.environ.get("BOOKINGS_DATABASE_URL")
    if override:
        return override
    store = read_endpoint_config(str(path), "tracker_store")
    if store is None or not is_sql_store(str(store.type)):
        raise ValueError(f"{path} has no SQL tracker_store: booking requests and the console need one")
    options: dict[str, Any] = store.kwargs
    dialect = str(options.get("dialect", "sqlite"))
    db = str(options.get("db", "rasa.db"))
    if dialect == "sqlite" and not Path(db).is_absolute():
        db = str(ROOT / db)
    url = URL.create(
        dialect,
        username=options.get("username"),
        password=options.get("password"),
        host=store.url,
        port=options.get("port"),
        database=db,
        query=options.get("query") or {},
    )
    return url.render_as_string(hide_password=False)
