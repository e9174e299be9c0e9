"""The cached tracker store gives the tracker a fresh load from the database gives, without reloading it per message.

Every kind of event Rasa stores goes through it (session starts, restarts, rewinds, forms, slots, user and bot
events), written by two stores sharing one database as two Rasa processes would, and after every turn each store's
tracker is compared with what the plain strict store loads from the same database.
"""

from __future__ import annotations

import copy
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa.core.tracker_store import FailSafeTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    DefinePrevUserUtteredFeaturization,
    EntitiesAdded,
    Event,
    FollowupAction,
    LoopInterrupted,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.utils.endpoints import read_endpoint_config

from bot.server.tracker_cache import CachedSQLTrackerStore
from bot.server.tracker_store import StrictSQLTrackerStore, TrackerStoreUnavailable
from tests.support import ROOT

SENDER = "patient-1"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


def said(text: str, intent: str, confidence: float = 0.9, **entities: str) -> UserUttered:
    found = [{"entity": name, "value": value, "start": 0, "end": 1} for name, value in entities.items()]
    parse = {"name": intent, "confidence": confidence}
    return UserUttered(text, parse, found, parse_data={"intent_ranking": [parse], "red_flag": None})


def session_start() -> list[Event]:
    return [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]


# One conversation, turn by turn: every kind of event the assistant's conversations store.
TURNS: list[list[Event]] = [
    session_start(),
    [  # a form starts and fills a slot
        said("a dull ache in my mid back", "describe_pain", pain_location="mid_back"),
        DefinePrevUserUtteredFeaturization(False),
        SlotSet("pain_location", "mid_back"),
        ActionExecuted("pain_form"),
        ActiveLoop("pain_form"),
        SlotSet("requested_slot", "pain_timing"),
        BotUttered("When does it hurt?", {"buttons": [{"title": "After coughing", "payload": "after coughing"}]}),
        ActionExecuted("action_listen"),
    ],
    [  # a question in the middle of the form: the form is rejected, interrupted, then goes on
        said("can my inhaler cause back pain?", "faq/inhaler_back_pain"),
        ActionExecutionRejected("pain_form"),
        ActionExecuted("utter_faq"),
        BotUttered("It can, when you use it hunched over."),
        LoopInterrupted(True),
        ActionExecuted("pain_form"),
        ActionExecuted("action_listen"),
    ],
    [  # not understood: the message and the reply are taken back
        said("blorf", "nlu_fallback", 0.2),
        ActionExecuted("action_handle_fallback"),
        BotUttered("Sorry, I didn't get that."),
        UserUtteranceReverted(),
        ActionExecuted("action_listen"),
    ],
    [  # an action taken back
        said("hmm", "unsure"),
        ActionExecuted("utter_ask_pain_timing"),
        ActionReverted(),
        ActionExecuted("action_listen"),
    ],
    [  # list slots, the form ends, a follow-up action
        said("after coughing and lying flat", "describe_pain"),
        EntitiesAdded([{"entity": "pain_timing", "value": "lying_flat", "start": 20, "end": 31}]),
        SlotSet("pain_timing", ["after_coughing", "lying_flat"]),
        ActionExecuted("pain_form"),
        ActiveLoop(None),
        SlotSet("requested_slot", None),
        SlotSet("assessment", "asthma_related"),
        FollowupAction("action_give_advice"),
        ActionExecuted("action_listen"),
    ],
    [ConversationPaused(), ConversationResumed(), said("hi", "greet"), ActionExecuted("action_listen")],
    [
        said("forget all that", "deny"),
        AllSlotsReset(),
        SlotSet("booking_requested", True),
        ActionExecuted("action_listen"),
    ],
    [  # start over: a restart, then a new session
        said("start over", "restart"),
        ActionExecuted("utter_restart"),
        BotUttered("Let's start over."),
        ActionExecuted("action_restart"),
        Restarted(),
        ActionExecuted("action_listen"),
    ],
    session_start(),
    [
        said("my shoulders are stiff", "describe_pain", pain_location="shoulders"),
        SlotSet("pain_location", "shoulders"),
        ActionExecuted("pain_form"),
        ActiveLoop("pain_form"),
        SlotSet("requested_slot", "pain_quality"),
        ActionExecuted("action_listen"),
    ],
]


def state(tracker: DialogueStateTracker | None, domain: Domain) -> dict[str, Any]:
    """Everything Rasa reads off a tracker: events, slots, active loop, latest message and action, the policies' view."""
    assert tracker is not None
    return {
        "all": tracker.current_state(EventVerbosity.ALL),
        "applied": tracker.current_state(EventVerbosity.APPLIED),
        "past_states": tracker.past_states(domain),
    }


async def take_turn(store: TrackerStore, events: list[Event], domain: Domain) -> None:
    """What Rasa's processor does with a message: retrieve (or create), add the turn's events, save."""
    tracker = await store.get_or_create_tracker(SENDER, append_action_listen=False)
    tracker.update_with_events([_fresh(event) for event in events], domain)
    await store.save(tracker)


def _fresh(event: Event) -> Event:
    """A new object per use: the TURNS are reused, and a tracker's events belong to it."""
    return copy.deepcopy(event)


def store_on(db: Path, domain: Domain, cls: type[StrictSQLTrackerStore], **options: Any) -> StrictSQLTrackerStore:
    return cls(domain, dialect="sqlite", db=str(db), **options)


async def held(db: Path, domain: Domain, turns: int) -> CachedSQLTrackerStore:
    """A cached store that has held the first `turns` TURNS, the conversation in its cache."""
    cached = CachedSQLTrackerStore(domain, dialect="sqlite", db=str(db))
    for turn in TURNS[:turns]:
        await take_turn(cached, turn, domain)
    assert (await cached.retrieve(SENDER)) is not None
    return cached


@pytest.fixture
def deserialised(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The type of every event deserialised from its stored JSON, in order."""
    seen: list[str] = []
    original = Event.from_parameters

    def counting(parameters: dict[str, Any], default: type[Event] | None = None) -> Event | None:
        seen.append(parameters.get("event", "?"))
        return original(parameters, default)

    monkeypatch.setattr(Event, "from_parameters", staticmethod(counting))
    yield seen


async def test_two_cached_stores_sharing_a_database_give_what_a_fresh_load_gives_after_every_kind_of_event(
    tmp_path: Path, domain: Domain
) -> None:
    db = tmp_path / "tracker.db"
    first, second = (store_on(db, domain, CachedSQLTrackerStore) for _ in range(2))  # two Rasa processes
    plain = store_on(db, domain, StrictSQLTrackerStore)
    for number, turn in enumerate(TURNS):
        writer, reader = (first, second) if number % 3 else (second, first)
        await take_turn(writer, turn, domain)
        expected = state(await plain.retrieve(SENDER), domain)
        assert state(await writer.retrieve(SENDER), domain) == expected, f"the writer after turn {number}"
        assert state(await reader.retrieve(SENDER), domain) == expected, f"the other process after turn {number}"


async def test_a_retrieved_tracker_changed_but_not_saved_leaves_the_cached_one_as_stored(
    tmp_path: Path, domain: Domain
) -> None:
    db = tmp_path / "tracker.db"
    cached = await held(db, domain, 3)
    changed = await cached.retrieve(SENDER)
    assert changed is not None and changed.active_loop is not None
    changed.update_with_events(  # a message whose handling then fails: never saved
        [said("my lips are blue", "red_flag_emergency"), SlotSet("pain_location", "ribs"), LoopInterrupted(True)],
        domain,
    )
    changed.reject_action("pain_form")
    changed.active_loop.name = "booking_form"
    expected = state(await store_on(db, domain, StrictSQLTrackerStore).retrieve(SENDER), domain)
    assert state(await cached.retrieve(SENDER), domain) == expected


async def test_a_long_conversation_deserialises_each_stored_event_about_once_not_at_every_message(
    tmp_path: Path, domain: Domain, deserialised: list[str]
) -> None:
    """The store endpoints.yml names: the SQL store reloads the whole session per message, O(messages²) in all."""
    config = read_endpoint_config(str(ROOT / "endpoints.yml"), "tracker_store")
    assert config is not None
    config.kwargs["db"] = str(tmp_path / "tracker.db")
    store = TrackerStore.create(config, domain)
    await take_turn(store, TURNS[0], domain)
    stored = len(TURNS[0])
    for _ in range(60):
        turn = [said("can my inhaler cause back pain?", "faq/inhaler_back_pain"), ActionExecuted("utter_faq")]
        turn += [BotUttered("It can."), ActionExecuted("action_listen")]
        await take_turn(store, turn, domain)
        stored += len(turn)
    assert len(deserialised) <= 2 * stored, f"{len(deserialised)} events deserialised for {stored} stored"


async def test_the_least_recently_used_conversations_are_let_go_beyond_the_limit(
    tmp_path: Path, domain: Domain, deserialised: list[str]
) -> None:
    cached = store_on(tmp_path / "tracker.db", domain, CachedSQLTrackerStore, max_cached_events=20)
    for sender in ("a", "b", "c"):  # 8 events each: a is let go when c comes
        tracker = DialogueStateTracker.from_events(sender, [_fresh(e) for e in TURNS[1]], domain.slots)
        await cached.save(tracker)
        await cached.retrieve(sender)
    deserialised.clear()
    await cached.retrieve("c")
    assert deserialised == []
    await cached.retrieve("a")
    assert len(deserialised) == len(TURNS[1])


async def test_a_message_stored_by_another_process_is_in_the_next_tracker(tmp_path: Path, domain: Domain) -> None:
    db = tmp_path / "tracker.db"
    cached = await held(db, domain, 3)
    other_process = textwrap.dedent(f"""
        import asyncio
        from rasa.shared.core.domain import Domain
        from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
        from bot.server.tracker_cache import CachedSQLTrackerStore

        async def main():
            store = CachedSQLTrackerStore(Domain.load("domain.yml"), dialect="sqlite", db={str(db)!r})
            tracker = await store.retrieve({SENDER!r})
            tracker.update_with_events(
                [UserUttered("it's between my ribs"), SlotSet("pain_location", "ribs"), ActionExecuted("action_listen")],
                None,
            )
            await store.save(tracker)

        asyncio.run(main())
    """)
    environment = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    run = subprocess.run(
        [sys.executable, "-c", other_process], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr[-2000:]
    tracker = await cached.retrieve(SENDER)
    assert tracker is not None and tracker.get_slot("pain_location") == "ribs"
    assert tracker.latest_message is not None and tracker.latest_message.text == "it's between my ribs"
    assert state(tracker, domain) == state(await store_on(db, domain, StrictSQLTrackerStore).retrieve(SENDER), domain)


async def test_a_new_models_domain_gives_trackers_with_its_slots(tmp_path: Path, domain: Domain) -> None:
    db = tmp_path / "tracker.db"
    cached = await held(db, domain, 2)
    newer = domain.merge(Domain.from_dict({"slots": {"pain_side": {"type": "text", "mappings": []}}}))
    cached.domain = newer  # as Rasa sets it when it loads a model
    plain = store_on(db, newer, StrictSQLTrackerStore)
    tracker = await cached.retrieve(SENDER)
    assert tracker is not None and "pain_side" in tracker.slots
    assert state(tracker, newer) == state(await plain.retrieve(SENDER), newer)


async def test_a_conversation_deleted_from_the_database_is_not_served_from_memory(
    tmp_path: Path, domain: Domain
) -> None:
    db = tmp_path / "tracker.db"
    cached = await held(db, domain, 2)
    with sqlite3.connect(db) as database:  # as `make retention` deletes it (bot/console/retention.py)
        database.execute("DELETE FROM events WHERE sender_id = ?", (SENDER,))
    assert (await cached.retrieve(SENDER)) is None


async def test_a_database_gone_unusable_fails_loudly_even_for_a_cached_conversation(
    tmp_path: Path, domain: Domain, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "tracker.db"
    store = FailSafeTrackerStore(store_on(db, domain, CachedSQLTrackerStore))  # as Rasa wraps it
    await take_turn(store, TURNS[0], domain)
    tracker = await store.retrieve(SENDER)
    assert tracker is not None

    shutil.move(db, tmp_path / "aside.db")
    db.mkdir()
    with pytest.raises(TrackerStoreUnavailable):
        await store.retrieve(SENDER)
    with pytest.raises(TrackerStoreUnavailable):
        await store.save(tracker)
    critical = [r for r in caplog.records if r.levelno == logging.CRITICAL]
    assert len(critical) == 2 and f"sqlite:///{db}" in critical[0].getMessage()
    assert "InMemoryTrackerStore" not in caplog.text
