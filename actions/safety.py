"""Red flags and fallbacks: the replies that must never depend on the model alone.

The red-flag screen (bot/nlu/red_flag_screen.py) puts its decision into the parse data as `red_flag`;
these actions only say it: the emergency or urgent reply for a definite red flag, and one plain
yes/no question for a possible one.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.pain_form import after_this_message, ask_check, stop_asking
from actions.tracking import fallbacks_in_a_row, latest_intent, latest_message_with_intent, latest_response
from clinic.misunderstanding import Step, fallback_response
from clinic.questions import FORM_QUESTIONS, facts_of
from clinic.red_flags import LEVEL_OF_FLAG, LEVEL_OF_INTENT, POSSIBLE_INTENT, Check, Level, after_answer, most_severe
from clinic.safety_check import ANSWER_SLOT, CHECK_SLOT, CHECK_SLOTS, CLEARED_SLOT, NONE, asked_again
from clinic.wording import RED_FLAG_QUESTIONS, red_flag_reason

ANSWERS = ("yes", "no", "unsure")
# Once the emergency or urgent reply is given, every later message gets a reminder (actions/reminder.py).
STATE_SLOT = "red_flag_level"
# While waiting for help, the asthma action plan's red-zone step fits only a breathing emergency
# (NHLBI asthma action plan; GINA): not a numb groin, a fall or chest pain on its own.
BREATHING_FLAGS = frozenset(
    {
        "severe_breathlessness",
        "blue_lips_or_nails",
        "reliever_not_helping",
        "drowsy_or_confused_with_breathing_trouble",
        "peak_flow_red_zone",
        "coughing_blood_breathless",
    }
)
# What the urgent reply names when the patient was not sure which urgent sign they have.
UNSURE_REASON = "the signs you weren't sure of"
YES_NO_UNSURE = [
    {"title": "Yes", "payload": "/affirm"},
    {"title": "No", "payload": "/deny"},
    {"title": "Not sure", "payload": "/unsure"},
]


def screened(tracker: Tracker) -> dict[str, Any]:
    """The screen's decision on the latest message (parse data `red_flag`)."""
    found = (tracker.latest_message or {}).get("red_flag")
    return found if isinstance(found, dict) else {}


def red_flag_state(tracker: Tracker) -> Level:
    """The most severe red-flag reply given so far in this conversation (NONE before any)."""
    value = tracker.get_slot(STATE_SLOT)
    return Level(value) if value in (Level.EMERGENCY.value, Level.URGENT.value) else Level.NONE


def red_flag_reply(
    dispatcher: CollectingDispatcher, tracker: Tracker, level: Level, flags: tuple[str, ...]
) -> list[EventType]:
    """Emergency: 911 at once, what to do while waiting, the self-care flow stops. Urgent: see a doctor today.

    The reply names only the signs the patient stated or confirmed at that level; with none (a "not sure"
    to a list of signs) it names none. No routine booking is recommended after either.
    """
    said = [f for f in flags if LEVEL_OF_FLAG[f] is level]
    state = max(level, red_flag_state(tracker), key=lambda lv: lv.rank)
    events: list[EventType] = [
        ActiveLoop(None),
        SlotSet("assessment", level.value),
        SlotSet("requested_slot", None),
        SlotSet("booking_recommended", False),
        SlotSet(STATE_SLOT, state.value),
    ]
    if level is Level.EMERGENCY:
        dispatcher.utter_message(response="utter_emergency")
        if said:
            dispatcher.utter_message(response="utter_emergency_reason", reason=red_flag_reason(said))
        else:
            dispatcher.utter_message(response="utter_emergency_unsure")
        if BREATHING_FLAGS & set(said):
            dispatcher.utter_message(response="utter_emergency_breathing")
        return events
    dispatcher.utter_message(response="utter_urgent", reason=red_flag_reason(said) if said else UNSURE_REASON)
    return events


class ActionRedFlag(Action):
    """The reply to a definite red flag, or to a possible one the patient confirmed (yes or not sure).

    Every red-flag reply comes from this one action, so the staff console and the markers count them all.
    """

    def name(self) -> str:
        return "action_red_flag"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        check = Check.from_slot(tracker.get_slot(CHECK_SLOT))
        answer = tracker.get_slot(ANSWER_SLOT)
        cleared: list[EventType] = [SlotSet(CHECK_SLOT, None), SlotSet(ANSWER_SLOT, None)]
        if check and answer:
            # A confirmed sign: no rule follows this turn, so the assistant waits for the patient.
            level, flags = after_answer(check, str(answer))
            return [*cleared, *red_flag_reply(dispatcher, tracker, level, flags), FollowupAction("action_listen")]
        flags = tuple(f for f in screened(tracker).get("flags") or () if isinstance(f, str) and f in LEVEL_OF_FLAG)
        level = max(
            most_severe(flags), LEVEL_OF_INTENT.get(latest_intent(tracker) or "", Level.URGENT), key=lambda lv: lv.rank
        )
        return [*cleared, *red_flag_reply(dispatcher, tracker, level, flags)]


class ActionStartRedFlagCheck(Action):
    """Before the confirming question: remember the sign, the flags beside it and the form to go back to."""

    def name(self) -> str:
        return "action_start_red_flag_check"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        # The screen's decision has the check's own fields; anything unreadable asks the emergency question.
        check = Check.from_slot({**screened(tracker), "resume": where_to_resume(tracker)})
        if check is None or check.level is Level.NONE:
            check = Check(Level.EMERGENCY, "", (), where_to_resume(tracker))
        if not check.ask and not check.flags and check.resume and not asked_again(check.level, tracker.slots):
            # That level's check is answered already: the questions go on, with what the message said.
            return [*facts_kept(tracker), FollowupAction(check.resume)]
        return [SlotSet(CHECK_SLOT, check.as_slot()), SlotSet(ANSWER_SLOT, None), SlotSet("red_flag_unclear", None)]


def facts_kept(tracker: Tracker) -> list[EventType]:
    """The facts of the message that raised the question, into the slots: nothing the patient said is lost."""
    raised = latest_message_with_intent(tracker, POSSIBLE_INTENT).get("entities") or []
    return [SlotSet(slot, value) for slot, value in facts_of(raised, tracker.slots).items()]


def where_to_resume(tracker: Tracker) -> str | None:
    """The form a "no" goes back to: the one under way, else the pain questions until there is an assessment."""
    active = (tracker.active_loop or {}).get("name")
    if active == "red_flag_check_form":
        earlier = Check.from_slot(tracker.get_slot(CHECK_SLOT))
        return earlier.resume if earlier else None
    if active:
        return str(active)
    return None if tracker.get_slot("assessment") else "pain_form"


def question(flag: str, asked_before: bool = False) -> str:
    """The confirming question about one sign, in positive words: "yes" means the sign is there."""
    opening = "Please answer yes, no or not sure" if asked_before else "To be safe"
    return f"{opening}: {RED_FLAG_QUESTIONS[flag]}"


class ActionAskRedFlagAnswer(Action):
    """The confirming question: "To be safe: ...?" with Yes / No / Not sure about one sign.

    When only the model suspects a red flag, no one sign is known: that level's safety check comes
    early instead, listing every sign it stands for, so a "no" never clears a sign that was not asked.
    """

    def name(self) -> str:
        return "action_ask_red_flag_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        check = Check.from_slot(tracker.get_slot(CHECK_SLOT)) or Check(Level.EMERGENCY, "")
        again = bool(tracker.get_slot("red_flag_unclear"))
        if not check.ask:
            ask_check(dispatcher, tracker, check.level, again)
            return []
        dispatcher.utter_message(text=question(check.ask, again), buttons=YES_NO_UNSURE)
        return []


class ValidateRedFlagCheckForm(FormValidationAction):
    """An answer that isn't yes, no or not sure gets the question once more, then counts as not sure."""

    def name(self) -> str:
        return "validate_red_flag_check_form"

    def validate_red_flag_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:  # nothing said yet: the question comes first
            return {ANSWER_SLOT: None}
        check = Check.from_slot(tracker.get_slot(CHECK_SLOT))
        if value == "yes" and check and not check.ask:
            value = None  # "yes" to a list of signs doesn't say which: asked again, tap the sign
        if value in ANSWERS:
            return {ANSWER_SLOT: value, "red_flag_unclear": None}
        if tracker.get_slot("red_flag_unclear"):
            return {ANSWER_SLOT: "unsure", "red_flag_unclear": None}
        return {ANSWER_SLOT: None, "red_flag_unclear": True}


class ActionAnswerRedFlag(Action):
    """Yes or not sure: the red-flag reply (action_red_flag). No: carry on where the conversation was."""

    def name(self) -> str:
        return "action_answer_red_flag"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        check = Check.from_slot(tracker.get_slot(CHECK_SLOT)) or Check(Level.EMERGENCY, "")
        answer = tracker.get_slot(ANSWER_SLOT) or "unsure"
        level, _flags = after_answer(check, answer)
        if level is not Level.NONE:
            # The answer kept is what the rule that gives the reply reads (data/stories/red_flags.yml).
            return [SlotSet(CHECK_SLOT, check.as_slot()), SlotSet(ANSWER_SLOT, answer)]
        # A "no" rules out what was asked: that one sign, or (a list) every sign of that level's check.
        ruled_out = (
            [SlotSet(CLEARED_SLOT, [*(tracker.get_slot(CLEARED_SLOT) or []), check.ask])]
            if check.ask
            else [SlotSet(CHECK_SLOTS[check.level], NONE)]
        )
        cleared: list[EventType] = [SlotSet(CHECK_SLOT, None), SlotSet(ANSWER_SLOT, None), *ruled_out]
        if red_flag_state(tracker) is not Level.NONE:
            # Already told to get help: no way back into the questions, the reminder instead.
            return [*cleared, FollowupAction("action_red_flag_reminder")]
        dispatcher.utter_message(response="utter_red_flag_cleared")
        kept = facts_kept(tracker)
        return [*cleared, *kept, FollowupAction(check.resume)] if check.resume else [*cleared, *kept]


class ActionHandleFallback(Action):
    """A message not understood, or about another topic: never a dead end, never the same reply twice running.

    During the pain questions: say so, and the question is asked once more with help, then skipped (or,
    with nothing understood at all, the phone and a booking are offered). Elsewhere: ask to rephrase, then
    offer the phone and a booking; another topic gets the redirect.
    """

    def name(self) -> str:
        return "action_handle_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        question = tracker.get_slot("requested_slot")
        if (tracker.active_loop or {}).get("name") == "pain_form" and question in FORM_QUESTIONS:
            step = after_this_message(tracker, question)
            if step is not Step.ASK_AGAIN:
                return stop_asking(question, step, dispatcher, tracker)
            dispatcher.utter_message(response="utter_not_understood")
            return []
        other_topic = latest_intent(tracker) == "out_of_scope"
        response = fallback_response(other_topic, fallbacks_in_a_row(tracker), latest_response(tracker))
        dispatcher.utter_message(response=response)
        return []
