"""Session start: the clinic's details come from config/clinic.yml."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.session import ActionSessionStart
from clinic.config import database_url, load_clinic
from tests.support import ROOT, TrackerFactory, slot_sets


async def test_session_start_puts_the_clinic_details_in_slots(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    events = await ActionSessionStart().run(dispatcher, make_tracker(), domain)
    clinic = load_clinic()
    assert events[0]["event"] == "session_started"
    assert (events[-1]["event"], events[-1]["name"]) == ("action", "action_listen")
    assert slot_sets(events) == {
        "clinic_name": clinic.name,
        "clinic_phone": clinic.phone,
        "booking_url": clinic.booking_url,
        "clinic_address": clinic.address,
    }


def test_bookings_default_to_the_tracker_store_database(monkeypatch) -> None:
    monkeypatch.delenv("BOOKINGS_DATABASE_URL", raising=False)
    assert database_url() == f"sqlite:///{ROOT / 'var' / 'tracker.db'}"
