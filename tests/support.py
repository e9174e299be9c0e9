"""Small helpers shared by the tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
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
