"""Small helpers shared by the tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

ROOT = Path(__file__).resolve().parent.parent

# make_tracker(slots=..., text=..., intent=..., events=..., active_loop=..., sender_id=..., entities=..., red_flag=...)
TrackerFactory = Callable[..., Tracker]


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    """The names of the responses an action sent, in order."""
    return [m["response"] for m in dispatcher.messages]


def slot_sets(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slots an action set, as name -> value (the last value wins)."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
