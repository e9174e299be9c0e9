"""Reading the conversation the Rasa server sends to the action server."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker


def latest_intent(tracker: Tracker) -> str | None:
    """The intent the NLU settled on for the latest message, fallback and red flags included."""
    intent = (tracker.latest_message or {}).get("intent") or {}
    name = intent.get("name")
    return str(name) if name else None


# The events after which the Rasa server holds no slot values (Restarted, SessionStarted, AllSlotsReset).
SLOTS_EMPTIED = frozenset({"restart", "session_started", "reset_slots"})


def value_before_latest_message(tracker: Tracker, slot: str) -> Any:
    """The slot's value before the patient's latest message, to add to rather than replace.

    A restart or a new session emptied every slot: nothing from before it counts.
    """
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") in SLOTS_EMPTIED:
            return None
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "slot" and event.get("name") == slot:
            return event.get("value")
    return None


def entity_values(tracker: Tracker, entity: str) -> list[Any]:
    """Every extractor's value for the entity in the latest message."""
    return [e.get("value") for e in (tracker.latest_message or {}).get("entities") or [] if e.get("entity") == entity]


def latest_message_with_intent(tracker: Tracker, intent: str) -> dict[str, Any]:
    """The parse data of the patient's latest message with this intent ({} if none)."""
    for event in reversed(tracker.events):
        parse_data = event.get("parse_data") or {}
        if event.get("event") == "user" and (parse_data.get("intent") or {}).get("name") == intent:
            return dict(parse_data)
    return {}


def questions_asked(tracker: Tracker) -> list[str]:
    """The slots the form asked for (its `utter_ask_<slot>` responses) since a form last started or stopped."""
    asked = []
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop":
            break
        response = str((event.get("metadata") or {}).get("utter_action") or "") if event.get("event") == "bot" else ""
        slot = response.removeprefix("utter_ask_")
        if slot != response and slot in tracker.slots:
            asked.append(slot)
    return asked[::-1]


def latest_response(tracker: Tracker) -> str | None:
    """The name of the response the assistant sent last, if it was a response from the domain."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            name = (event.get("metadata") or {}).get("utter_action")
            return str(name) if name else None
    return None


def fallbacks_in_a_row(tracker: Tracker) -> int:
    """How many of the patient's latest messages in a row the NLU did not understand."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if (event.get("parse_data") or {}).get("intent", {}).get("name") != "nlu_fallback":
            break
        count += 1
    return count


def replied_since_latest_message(tracker: Tracker) -> bool:
    """Whether the assistant has already said something since the patient's latest message."""
    for event in reversed(tracker.events):
        if event.get("event") in ("bot", "user"):
            return bool(event.get("event") == "bot")
    return False
