"""Shared fixtures: the real domain, trackers shaped as the Rasa server sends them, the one running assistant and
the one loaded model of a test session; and each test's tier, from what it uses."""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from clinic.questions import SAFETY_QUESTIONS
from clinic.safety_check import NONE
from tests.support import ROOT, TrackerFactory

if TYPE_CHECKING:  # the fixtures that use them import them: a run of the fast tests need not load Rasa's server
    from rasa.core.agent import Agent

    from bot.stack import Stack

# What a test needs beyond the venv and the spaCy pipeline (build/spacy), as the markers pyproject.toml registers:
# `make test-fast` runs the tests that need none of them. Read from the fixtures a test uses (with those they use),
# from the folder or file it is in, and from Playwright in its module, so a new test gets its tier without a mark.
NEEDS_OF_FIXTURE: dict[str, tuple[str, ...]] = {
    "agent": ("model",),
    "assistant_servers": ("model", "stack"),  # and `assistant`, which is made of it
}
NEEDS_OF_FOLDER: dict[str, tuple[str, ...]] = {
    # Each module keeps servers of its own: it kills, reconfigures or scales them, or gives them their own var/.
    "integration": ("model", "stack"),
}
NEEDS_OF_FILE: dict[str, tuple[str, ...]] = {
    "test_chat_bench.py": ("model", "stack"),  # the benchmark's own servers and its stock bot
    "test_action_server_auth.py": ("stack",),  # the action server
    "test_scaled.py": ("engines",),
    "test_lock_store.py": ("engines",),  # redis-server
    "test_scaled_engines.py": ("engines",),  # PostgreSQL
}


def needs(item: pytest.Item) -> set[str]:
    found = {need for name in getattr(item, "fixturenames", ()) for need in NEEDS_OF_FIXTURE.get(name, ())}
    where = item.path.relative_to(ROOT)
    found.update(need for folder in where.parent.parts for need in NEEDS_OF_FOLDER.get(folder, ()))
    found.update(NEEDS_OF_FILE.get(where.name, ()))
    module = getattr(item, "module", None)
    if module and any(getattr(value, "__module__", "").startswith("playwright") for value in vars(module).values()):
        found.add("browser")
    return found


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for need in sorted(needs(item)):
            item.add_marker(need)


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


@pytest.fixture(scope="session")
def partner_origin() -> str:
    """Another site's origin, listed in the assistant's WIDGET_ORIGINS, as the clinic's real site would be."""
    from tools.servers import free_port

    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture(scope="session")
def assistant_servers(
    tmp_path_factory: pytest.TempPathFactory, partner_origin: str
) -> Iterator[tuple[Stack, dict[str, Any]]]:
    """The assistant as `make run` starts it (actions, Rasa, the web app, the console with a staff account), on free
    ports with its own tracker database, once for every test that only talks to it: each uses its own sender ids.

    The processes by name come with it, for the one test that stops a server and starts it again.
    """
    from bot.launcher import running
    from tests.bot.console.console_support import stack_with_console

    stack = stack_with_console(tmp_path_factory.mktemp("assistant"), web=True)
    stack = dataclasses.replace(stack, env={**stack.env, "WIDGET_ORIGINS": partner_origin})
    with running(stack) as processes:
        yield stack, processes


@pytest.fixture(scope="session")
def assistant(assistant_servers: tuple[Stack, dict[str, Any]]) -> Stack:
    return assistant_servers[0]


@pytest.fixture(scope="session")
def assistant_db(assistant: Stack) -> Path:
    """The assistant's tracker database (its conversations, the clinic's tables), beside its endpoints.yml."""
    return assistant.endpoints.parent / "tracker.db"


@pytest.fixture(scope="session")
def agent() -> Agent:
    """The trained model loaded once in this process, for the evaluations that parse or predict without servers."""
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    from tools.rasa_cli import trained_model

    configure_structlog(logging.WARNING)  # Rasa's debug lines would print every patient's message
    return Agent.load(str(trained_model()))
