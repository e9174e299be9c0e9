"""The pain form: canonical values, merged lists, "not sure", no question asked more than twice in a row."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.slot_values import contract_value
from actions.tracking import (
    latest_intent,
    questions_asked,
    replied_since_latest_message,
    value_before_latest_message,
)
from clinic.contract import contract_slots
from clinic.misunderstanding import Step, after_no_answer, answer_hint, times_asked_in_a_row, understood_anything
from clinic.questions import FORM_QUESTIONS, PAIN_QUESTIONS, SAFETY_QUESTIONS, merge_list, open_questions
from clinic.red_flags import Check, Level
from clinic.safety_check import (
    ANSWER_SLOT,
    CHECK_SLOT,
    CHECK_SLOTS,
    CLEARED_SLOT,
    LEVEL_OF_CHECK_SLOT,
    UNSURE,
    check_buttons,
)

# "Skip" says what "Not sure" says: the form leaves the question and asks the next one.
SKIP_BUTTON = {"title": "Skip", "payload": "/unsure"}


def unsure_about(tracker: Tracker, question: str) -> EventType:
    """The question joins those the patient is not sure about, which the form no longer asks."""
    return SlotSet("unsure_about", list(dict.fromkeys([*(tracker.get_slot("unsure_about") or []), question])))


def after_this_message(tracker: Tracker, question: str) -> Step:
    """What follows a message that left the question open: it depends on how often it was asked in a row.

    The safety check is never skipped: unanswered twice, the phone and a booking are offered instead.
    """
    step = after_no_answer(
        times_asked_in_a_row(questions_asked(tracker), question), understood_anything(contract_slots(tracker.slots))
    )
    return Step.OFFER_HELP if step is Step.SKIP and question in SAFETY_QUESTIONS else step


def unsure_of_signs(tracker: Tracker) -> list[EventType]:
    """ "Not sure" to a safety check question: the red-flag reply at that level, as for a confirming question.

    The answer slot it sets is what the rule that gives the reply (data/stories/pain_form.yml) reads.
    """
    level = next((LEVEL_OF_CHECK_SLOT[q] for q in SAFETY_QUESTIONS if tracker.get_slot(q) == UNSURE), None)
    if level is None:
        return []
    return [
        ActiveLoop(None),
        SlotSet("requested_slot", None),
        SlotSet(CHECK_SLOT, Check(level, "").as_slot()),
        SlotSet(ANSWER_SLOT, UNSURE),
    ]


def stop_asking(question: str, step: Step, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """After two askings without an answer: skip the question, or offer the phone and a booking.

    The offer is for when nothing was understood at all: it ends the questions, so that the assistant
    waits, and the patient's next message (a booking, "start over", their pain again) starts afresh.
    """
    if step is Step.SKIP:
        dispatcher.utter_message(response="utter_skip_question")
        return [unsure_about(tracker, question)]
    dispatcher.utter_message(response="utter_fallback_offer_help")
    return [ActiveLoop(None), SlotSet("requested_slot", None), FollowupAction("action_listen")]


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
        return [q for q in FORM_QUESTIONS if q in still_open or tracker.get_slot(q) not in (None, [])]

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        # A description that also asked something (bot/nlu/description_first.py): the answer, then the questions.
        answer = (tracker.latest_message or {}).get("answers_question")
        if answer:
            dispatcher.utter_message(response=answer)
        # The SDK's ValidationAction.run step by step, so that an unanswered question can be given up
        # after the answers are validated and before the next question is chosen.
        said = bool(tracker.slots_to_validate())
        events = self.not_sure(dispatcher, tracker)
        tracker.add_slots(events)
        for step in (self.get_extraction_events, self.get_validation_events):
            new = await step(dispatcher, tracker, domain)
            tracker.add_slots(new)
            events += new
        unsure = unsure_of_signs(tracker)
        if unsure:
            return events + unsure
        # Given up only when the form is about to ask: it read something, or another reply came first
        # (a question answered, another topic, "not understood"). Otherwise the form rejects the message
        # and that message's own rule replies first (911, stop, a fallback).
        if said or replied_since_latest_message(tracker):
            given_up = self.unanswered_again(dispatcher, tracker)
            if any(e.get("event") == "active_loop" for e in given_up):
                return events + given_up
            tracker.add_slots(given_up)
            events += given_up
        next_slot = await self.next_requested_slot(dispatcher, tracker, domain)
        return [*events, next_slot] if next_slot else events

    @staticmethod
    def not_sure(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """ "Not sure" to a question marks it skipped, and the form moves on."""
        requested = tracker.get_slot("requested_slot")
        if latest_intent(tracker) != "unsure" or requested not in PAIN_QUESTIONS:
            return []
        dispatcher.utter_message(response="utter_not_sure_ok")
        return [unsure_about(tracker, requested)]

    @staticmethod
    def unanswered_again(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """A twice-asked question still open after the patient's message is not asked a third time.

        (A misunderstood message goes to action_handle_fallback first, which decides the same way.)
        """
        question = tracker.get_slot("requested_slot")
        if question not in FORM_QUESTIONS or tracker.get_slot(question) not in (None, []):
            return []
        if question in (tracker.get_slot("unsure_about") or []):  # "not sure" already skips it
            return []
        step = after_this_message(tracker, question)
        return [] if step is Step.ASK_AGAIN else stop_asking(question, step, dispatcher, tracker)

    def validate_pain_location(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        return {"pain_location": contract_value(tracker, "pain_location", value)}

    def validate_pain_quality(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        return {"pain_quality": contract_value(tracker, "pain_quality", value)}

    def validate_pain_timing(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        said = contract_value(tracker, "pain_timing", value)
        return {
            "pain_timing": merge_list("pain_timing", value_before_latest_message(tracker, "pain_timing"), said) or None
        }

    def validate_medication(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        said = contract_value(tracker, "medication", value)
        return {
            "medication": merge_list("medication", value_before_latest_message(tracker, "medication"), said) or None
        }


class AskPainQuestion(Action, ABC):
    """Asks a pain question; asked again right away, it also says what kind of answer fits and offers Skip."""

    @property
    @abstractmethod
    def question(self) -> str: ...

    def name(self) -> str:
        return f"action_ask_{self.question}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        response = f"utter_ask_{self.question}"
        if times_asked_in_a_row(questions_asked(tracker), self.question) == 0:
            dispatcher.utter_message(response=response)
            return []
        dispatcher.utter_message(text=answer_hint(self.question))
        dispatcher.utter_message(response=response, buttons=[SKIP_BUTTON])  # after the response's own buttons
        return []


# One `action_ask_<slot>` per pain question: the Rasa form finds them by name (domain.yml lists them),
# the action server by subclass; the list keeps the generated classes alive.
ASK_ACTIONS = [type(f"AskPainQuestion_{q}", (AskPainQuestion,), {"question": q}) for q in PAIN_QUESTIONS]


def ask_check(dispatcher: CollectingDispatcher, tracker: Tracker, level: Level, again: bool) -> None:
    """A level's safety check: every sign not yet ruled out as a button, "None of these" and "Not sure"."""
    if again:
        dispatcher.utter_message(response="utter_safety_check_hint")
    slot = CHECK_SLOTS[level]
    dispatcher.utter_message(
        response=f"utter_ask_{slot}", buttons=check_buttons(level, tracker.get_slot(CLEARED_SLOT) or [])
    )


class AskSafetyQuestion(Action, ABC):
    """Asks one level of the safety check; asked again right away, it first says how to answer (never Skip)."""

    @property
    @abstractmethod
    def level(self) -> Level: ...

    def name(self) -> str:
        return f"action_ask_{CHECK_SLOTS[self.level]}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        again = times_asked_in_a_row(questions_asked(tracker), CHECK_SLOTS[self.level]) > 0
        ask_check(dispatcher, tracker, self.level, again)
        return []


CHECK_ACTIONS = [type(f"AskSafetyQuestion_{lv.value}", (AskSafetyQuestion,), {"level": lv}) for lv in CHECK_SLOTS]
