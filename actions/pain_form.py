"""Validation of the pain form: canonical values, merged lists, "not sure", no repeated questions."""

from __future__ import annotations

from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.questions import PAIN_QUESTIONS, canonical, merge_list, open_questions
from actions.tracking import entity_values, latest_intent, value_before_latest_message


class ValidatePainForm(FormValidationAction):
    """Keeps the pain form to the questions the criteria still need."""

    def name(self) -> str:
        return "validate_pain_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[str]:
        unsure = tracker.get_slot("unsure_about") or []
        still_open = open_questions(tracker.slots, unsure)
        # Answered slots stay listed so their validators run when the patient changes them.
        return [q for q in PAIN_QUESTIONS if q in still_open or tracker.get_slot(q) not in (None, [])]

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        # A description that also asked something (bot/nlu/description_first.py): the answer, then the questions.
        answer = (tracker.latest_message or {}).get("answers_question")
        if answer:
            dispatcher.utter_message(response=answer)
        not_sure = self.not_sure(dispatcher, tracker)
        tracker.add_slots(not_sure)
        return not_sure + await super().run(dispatcher, tracker, domain)

    @staticmethod
    def not_sure(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """ "Not sure" to a question marks it skipped, and the form moves on."""
        requested = tracker.get_slot("requested_slot")
        if latest_intent(tracker) != "unsure" or requested not in PAIN_QUESTIONS:
            return []
        dispatcher.utter_message(response="utter_not_sure_ok")
        return [SlotSet("unsure_about", list(dict.fromkeys([*(tracker.get_slot("unsure_about") or []), requested])))]

    def validate_pain_location(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        return {"pain_location": canonical("pain_location", value, entity_values(tracker, "pain_location"))}

    def validate_pain_quality(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        return {"pain_quality": canonical("pain_quality", value, entity_values(tracker, "pain_quality"))}

    def validate_pain_timing(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        said = canonical("pain_timing", value, entity_values(tracker, "pain_timing"))
        return {"pain_timing": merge_list(value_before_latest_message(tracker, "pain_timing"), said) or None}

    def validate_medication(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        said = canonical("medication", value, entity_values(tracker, "medication"))
        return {"medication": merge_list(value_before_latest_message(tracker, "medication"), said) or None}
