"""The assessment and the summary: thin wrappers around the article's criteria."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from clinic.advice import advice_for
from clinic.contract import contract_slots
from clinic.criteria import assess
from clinic.patient_summary import summarise
from clinic.questions import report_from_slots
from clinic.wording import explain


class ActionAssess(Action):
    """Applies the criteria, explains why in the article's terms, and gives matching advice."""

    def name(self) -> str:
        return "action_assess"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        report = report_from_slots(tracker.slots)
        result = assess(report)
        dispatcher.utter_message(
            response=f"utter_assessment_{result.outcome.value}", reasons=explain(result.reasons, report)
        )
        for response in advice_for(result):
            dispatcher.utter_message(response=response)
        return [SlotSet("assessment", result.outcome.value), SlotSet("booking_recommended", result.see_clinic)]


class ActionSummary(Action):
    """What the patient reported and what the assistant found, to share with their doctor."""

    def name(self) -> str:
        return "action_summary"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(response="utter_summary", summary=summarise(contract_slots(tracker.slots)))
        return []
