"""Red flags and fallbacks: the replies that must never depend on the model alone."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.red_flags import LEVEL_OF_FLAG, LEVEL_OF_INTENT, Level, screen
from actions.tracking import latest_intent
from actions.wording import RED_FLAG_PHRASES, join


class ActionRedFlag(Action):
    """Emergency: 911 at once, the self-care flow stops. Urgent: see a doctor within 24 hours."""

    def name(self) -> str:
        return "action_red_flag"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        # The NLU component already raised the intent to the most severe of model and patterns.
        level = LEVEL_OF_INTENT.get(latest_intent(tracker) or "", Level.URGENT)
        found = screen(tracker.latest_message.get("text") or "")
        if found.level.rank > level.rank:
            level = found.level
        # Name the flags that set the level; the model alone may have found it without a pattern.
        flags = [f for f in found.flags if LEVEL_OF_FLAG[f] is level]
        reason = join(RED_FLAG_PHRASES[f] for f in flags) or "the symptoms you describe"
        events: list[EventType] = [SlotSet("assessment", level.value), SlotSet("requested_slot", None)]
        if level is Level.EMERGENCY:
            dispatcher.utter_message(response="utter_emergency")
            dispatcher.utter_message(response="utter_emergency_reason", reason=reason)
            return [ActiveLoop(None), *events, SlotSet("booking_recommended", False)]
        dispatcher.utter_message(response="utter_urgent", reason=reason)
        return [ActiveLoop(None), *events, SlotSet("booking_recommended", True)]


class ActionHandleFallback(Action):
    """Two-stage fallback: first ask to rephrase, then offer the phone and a booking."""

    def name(self) -> str:
        return "action_handle_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        misunderstood = 0
        for event in reversed(tracker.events):
            if event.get("event") != "user":
                continue
            if (event.get("parse_data") or {}).get("intent", {}).get("name") != "nlu_fallback":
                break
            misunderstood += 1
        dispatcher.utter_message(response="utter_ask_rephrase" if misunderstood < 2 else "utter_fallback_offer_help")
        return []
