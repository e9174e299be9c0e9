"""Shared fixtures: the real domain, and trackers shaped as the Rasa server sends them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from clinic.questions import SAFETY_QUESTIONS
from clinic.safety_check import NONE
from tests.support import ROOT, TrackerFactory


@pytest.fixture(autouse=True)
def umask_kept() -> Iterator[None]:
    """Entry points run in-process (the console's CLI) make the process's files private (umask 077): each test
    leaves the umask as it found it, so a later test's folders are not private by accident."""
    before = os.umask(0o022)
    os.umask(before)
    yield
    os.umask(before)


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """domain.yml as the action server receives it."""
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return loaded


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def make_tracker(domain: dict[str, Any]) -> TrackerFactory:
    """A tracker with every domain slot empty except those given, and a latest user message.

    The patient has answered the safety check ("None of these" to both questions) unless `checked=False`
    or the slots say otherwise: most tests are about what comes after it.
    """

    def make(
        slots: dict[str, Any] | None = None,
        text: str = "",
        intent: str = "describe_pain",
        events: list[dict[str, Any]] | None = None,
        active_loop: str | None = None,
        sender_id: str = "test-conversation",
        entities: list[dict[str, Any]] | None = None,
        checked: bool = True,
        **parse_data: Any,
    ) -> Tracker:
        all_slots: dict[str, Any] = {name: None for name in domain["slots"]}
        if checked:
            all_slots.update(dict.fromkeys(SAFETY_QUESTIONS, NONE))
        all_slots.update(slots or {})
        latest = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": entities or []}
        # What our NLU components add (bot/nlu/): red_flag, answers_question.
        latest.update(parse_data)
        history = events if events is not None else [{"event": "user", "text": text, "parse_data": latest}]
        return Tracker(
            sender_id=sender_id,
            slots=all_slots,
            latest_message=latest,
            events=history,
            paused=False,
            followup_action=None,
            active_loop={"name": active_loop} if active_loop else {},
            latest_action_name="action_listen",
        )

    return make
