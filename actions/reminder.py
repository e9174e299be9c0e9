"""After the emergency or urgent reply: a reminder of what to do now, never a way back into self-care.

Once a red flag has been raised, every later message gets a short reminder (call 911, or see a doctor
today) instead of the pain questions, the assessment, advice or a routine booking offer, until the
patient starts over (data/stories/red_flag_state.yml). A question about the article is still answered
first, unless its answer is self-care advice; "are you a bot?" is still answered honestly.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.safety import red_flag_state
from actions.tracking import latest_intent
from clinic.red_flags import Level

# The article's questions whose answer is self-care advice: not given while the patient should be getting care.
SELF_CARE_ANSWERS = frozenset({"what_helps", "stretches", "breathing_exercises", "painkillers"})


def answer_first(parse_data: dict[str, Any], intent: str | None) -> str | None:
    """The response to give before the reminder, if the message asked something that may still be answered."""
    if intent == "bot_challenge":
        return "utter_iamabot"
    if intent != "faq":
        return None
    key = str(
        (parse_data.get("response_selector") or {}).get("faq", {}).get("response", {}).get("intent_response_key") or ""
    )
    topic = key.removeprefix("faq/")
    return None if not topic or topic == key or topic in SELF_CARE_ANSWERS else f"utter_faq/{topic}"


class ActionRedFlagReminder(Action):
    """The reminder after a red-flag reply: 911 now, or a doctor today."""

    def name(self) -> str:
        return "action_red_flag_reminder"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        answer = answer_first(tracker.latest_message or {}, latest_intent(tracker))
        if answer:
            dispatcher.utter_message(response=answer)
        level = red_flag_state(tracker)
        dispatcher.utter_message(
            response=f"utter_reminder_{(level if level is not Level.NONE else Level.EMERGENCY).value}"
        )
        # Always the turn's last word, also when it follows a "no" to a confirming question.
        return [FollowupAction("action_listen")]
