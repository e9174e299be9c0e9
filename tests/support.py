"""Small helpers shared by the tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from clinic.contract import SLOT_VALUES, canonical

ROOT = Path(__file__).resolve().parent.parent

# make_tracker(slots=..., text=..., intent=..., events=..., active_loop=..., sender_id=..., entities=..., red_flag=...)
TrackerFactory = Callable[..., Tracker]


def user_said(text: str, intent: str = "describe_pain", entities: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A patient's message as the tracker's events hold it."""
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, "entities": entities or []}}


def slot_event(name: str, value: object) -> dict[str, Any]:
    """A slot set, as the tracker's events hold it."""
    return {"event": "slot", "name": name, "value": value}


def off_contract(events: Iterable[dict[str, Any]]) -> list[tuple[str, Any]]:
    """The slot events among `events` that set a contract slot to anything but its canonical values (or nothing)."""
    return [
        (e["name"], e.get("value"))
        for e in events
        if e.get("event") == "slot"
        and e.get("name") in SLOT_VALUES
        and e.get("value") not in (None, [])
        and e.get("value") != canonical(e["name"], e.get("value"))
    ]


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    """The names of the responses an action sent, in order."""
    return [m["response"] for m in dispatcher.messages]


def slot_sets(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slots an action set, as name -> value (the last value wins)."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def ticks_while(work: Awaitable[Any], every_s: float = 0.01) -> int:
    """How often another task got to run (every `every_s`) while `work` was awaited: ~0 if `work` blocks the loop."""
    ticks = 0

    async def another_patient() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(every_s)
            ticks += 1

    other = asyncio.create_task(another_patient())
    try:
        await work
    finally:
        other.cancel()
    return ticks
