"""Booking: start it, check the details, store the request for the clinic's staff."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from clinic.booking_requests import BookingRequest, save_booking
from clinic.config import database_url
from clinic.contact import clean_name, clean_preference, parse_contact
from clinic.patient_summary import summarise

logger = logging.getLogger(__name__)


class ActionStartBooking(Action):
    """Marks the conversation as asking for a visit, before the booking form asks its questions."""

    def name(self) -> str:
        return "action_start_booking"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(response="utter_start_booking")
        return [SlotSet("booking_requested", True)]


def checked(slot: str, value: Any, dispatcher: CollectingDispatcher) -> dict[str, Any]:
    """The slot set to the checked value, or emptied with a clear message so it is asked again."""
    if value is None:
        dispatcher.utter_message(response=f"utter_invalid_{slot}")
    return {slot: value}


class ValidateBookingForm(FormValidationAction):
    """Re-asks, with a clear message, anything staff could not act on."""

    def name(self) -> str:
        return "validate_booking_form"

    def validate_patient_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        return checked("patient_name", clean_name(str(value)), dispatcher)

    def validate_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        contact = parse_contact(str(value))
        return checked("contact", contact.value if contact else None, dispatcher)

    def validate_preferred_time(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        return checked("preferred_time", clean_preference(str(value)), dispatcher)


class ActionSaveBooking(Action):
    """Stores the booking request beside the tracker store; says so honestly if it can't."""

    def name(self) -> str:
        return "action_save_booking"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        contact = parse_contact(tracker.get_slot("contact") or "")
        request = BookingRequest(
            conversation_id=tracker.sender_id,
            patient_name=tracker.get_slot("patient_name") or "",
            contact_kind=contact.kind if contact else "unknown",
            contact=tracker.get_slot("contact") or "",
            preferred_time=tracker.get_slot("preferred_time") or "",
            assessment=tracker.get_slot("assessment"),
            summary=summarise(tracker.slots),
        )
        try:
            await asyncio.to_thread(save_booking, database_url(), request)  # other patients' turns go on meanwhile
        except SQLAlchemyError:
            logger.exception("Could not store the booking request of %s", tracker.sender_id)
            dispatcher.utter_message(response="utter_booking_not_saved")
            return []
        dispatcher.utter_message(response="utter_booking_saved")
        return []
