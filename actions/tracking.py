"""Reading the conversation the Rasa server sends to the action server."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker


def latest_intent(tracker: Tracker) -> str | None:
    """The intent the NLU settled on for the latest message, fallback and red flags included."""
    intent = (tracker.latest_message or {}).get("intent") or {}
    name = intent.get("name")
    return str(name) if name else None


def value_before_latest_message(tracker: Tracker, slot: str) -> Any:
    """The slot's value before the patient's latest message, to add to rather than replace."""
    seen_user = False
    for event in reversed(tracker.events):
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
