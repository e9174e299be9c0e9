"""Session start: puts the clinic's details from config/clinic.yml into slots for responses."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from clinic.config import load_clinic


class ActionSessionStart(Action):
    """Every new session knows the clinic's name, phone, booking link and address."""

    def name(self) -> str:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        clinic = load_clinic()
        return [
            SessionStarted(),
            SlotSet("clinic_name", clinic.name),
            SlotSet("clinic_phone", clinic.phone),
            SlotSet("booking_url", clinic.booking_url),
            SlotSet("clinic_address", clinic.address),
            ActionExecuted("action_listen"),
        ]
