"""Booking: details are checked, re-asked clearly, and the request is really stored."""

from __future__ import annotations

import time
from pathlib import Path
from unittest.mock import patch

import pytest
import sqlalchemy as sa
from rasa_sdk.executor import CollectingDispatcher

from actions.booking_form import ActionSaveBooking, ActionStartBooking, ValidateBookingForm
from clinic.config import ROOT, database_url
from clinic.database.revisions import upgrade
from tests.support import TrackerFactory, responses, slot_sets, ticks_while


@pytest.fixture
def bookings_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    upgrade(url)  # as `make migrate` does before the action server starts
    monkeypatch.setenv("BOOKINGS_DATABASE_URL", url)
    return url


def contact_turn(make_tracker: TrackerFactory, text: str):
    slots = {"patient_name": "Sara", "contact": text, "requested_slot": "contact"}
    events = [
        {"event": "user", "text": text, "parse_data": {"intent": {"name": "nlu_fallback"}}},
        {"event": "slot", "name": "contact", "value": text},
    ]
    return make_tracker(slots=slots, text=text, events=events, active_loop="booking_form")


async def test_starting_a_booking_records_the_request(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    events = await ActionStartBooking().run(dispatcher, make_tracker(), domain)
    assert slot_sets(events) == {"booking_requested": True}
    assert responses(dispatcher) == ["utter_start_booking"]


async def test_an_invalid_phone_is_re_asked_with_a_clear_message(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    result = slot_sets(await ValidateBookingForm().run(dispatcher, contact_turn(make_tracker, "555-01"), domain))
    assert result["contact"] is None
    assert responses(dispatcher) == ["utter_invalid_contact"]


async def test_a_valid_phone_is_kept_normalised(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = contact_turn(make_tracker, "you can call me at 512 555 0134")
    result = slot_sets(await ValidateBookingForm().run(dispatcher, tracker, domain))
    assert result["contact"] == "(512) 555-0134"
    assert responses(dispatcher) == []


async def test_the_booking_request_is_stored_for_staff(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict, bookings_db: str
) -> None:
    slots = {
        "patient_name": "Sara Lopez",
        "contact": "sara@example.com",
        "preferred_time": "tuesday morning",
        "assessment": "other_cause",
        "pain_location": "lower_back",
    }
    tracker = make_tracker(slots=slots, sender_id="conv-42")
    await ActionSaveBooking().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_booking_saved"]
    with sa.create_engine(bookings_db).connect() as connection:
        rows = connection.execute(sa.text("SELECT * FROM booking_requests")).mappings().all()
    assert len(rows) == 1
    row = rows[0]
    assert (row["conversation_id"], row["patient_name"], row["contact_kind"], row["contact"]) == (
        "conv-42",
        "Sara Lopez",
        "email",
        "sara@example.com",
    )
    assert (row["preferred_time"], row["assessment"], row["status"]) == ("tuesday morning", "other_cause", "new")
    assert "- Where: lower back" in row["summary"]
    assert row["created_at"] is not None


async def test_a_slow_database_does_not_hold_up_other_patients(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict, bookings_db: str
) -> None:
    slow = sa.create_engine(bookings_db)
    sa.event.listen(slow, "commit", lambda _connection: time.sleep(0.5))
    with patch("clinic.booking_requests.engine_for", return_value=slow):
        slots = {"patient_name": "Sara", "contact": "(512) 555-0134", "preferred_time": "any"}
        ticks = await ticks_while(ActionSaveBooking().run(dispatcher, make_tracker(slots=slots), domain))
    assert ticks >= 20, f"the action server stood still while the booking was stored ({ticks} ticks in 0.5 s)"
    assert responses(dispatcher) == ["utter_booking_saved"]


async def test_a_database_failure_is_told_to_the_patient_with_the_clinic_phone(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOOKINGS_DATABASE_URL", "sqlite:////nonexistent-dir/nowhere/tracker.db")
    slots = {"patient_name": "Sara", "contact": "(512) 555-0134", "preferred_time": "any"}
    await ActionSaveBooking().run(dispatcher, make_tracker(slots=slots), domain)
    assert responses(dispatcher) == ["utter_booking_not_saved"]


def test_a_database_password_with_at_colon_and_slash_reaches_the_database_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """endpoints.yml is read as Rasa reads it (${VAR} from the environment); the URL is built, not pasted."""
    monkeypatch.delenv("BOOKINGS_DATABASE_URL", raising=False)
    monkeypatch.setenv("TRACKER_PASSWORD", "p@ss:w/rd#1%")
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        'tracker_store:\n  type: SQL\n  dialect: "postgresql"\n  url: "db.clinic.internal"\n  port: 5433\n'
        '  db: "rasa"\n  username: "rasa"\n  password: ${TRACKER_PASSWORD}\n'
    )
    url = sa.engine.make_url(database_url(endpoints))
    assert (url.drivername, url.username, url.password, url.host, url.port, url.database) == (
        "postgresql",
        "rasa",
        "p@ss:w/rd#1%",
        "db.clinic.internal",
        5433,
        "rasa",
    )


def test_the_projects_own_strict_store_is_where_bookings_live(monkeypatch: pytest.MonkeyPatch) -> None:
    """endpoints.yml names the strict SQL store by module path; bookings go to its database, not nowhere."""
    monkeypatch.delenv("BOOKINGS_DATABASE_URL", raising=False)
    url = sa.engine.make_url(database_url(ROOT / "endpoints.yml"))
    assert (url.drivername, url.database) == ("sqlite", str(ROOT / "var" / "tracker.db"))


@pytest.mark.parametrize("store_type", ["mongod", "redis", "clinic.config.Clinic", "no.such.Store"])
def test_a_tracker_store_that_is_not_sql_is_refused_at_once(
    store_type: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BOOKINGS_DATABASE_URL", raising=False)
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f"tracker_store:\n  type: {store_type}\n  url: localhost\n")
    with pytest.raises(ValueError, match="no SQL tracker_store"):
        database_url(endpoints)
