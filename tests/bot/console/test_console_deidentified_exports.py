"""The personal-details corpus (tests/bot/privacy/pii_corpus.yml) held as conversations in a real tracker
database, every message corrected through the console's form, then exported on every path: the admin's NLU
data, red-flag rows, all stories and one conversation's story, and the staff's conversations CSV.
No personal detail may be left in any file, slot values included.
"""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Sanic

from bot.console.console_app import create_app
from bot.console.console_settings import ConsoleSettings
from bot.console.conversation_summaries import refresh
from bot.console.database import open_database
from bot.console.users import create_user
from clinic.contact import clean_name, clean_preference, parse_contact
from clinic.database.revisions import upgrade
from tests.bot.console.console_support import PASSWORD
from tests.bot.console.correcting import correct, message_id
from tools.console_client import console_client, log_in
from tools.pii_corpus import Message, conversations, load, recall, survives
from tools.rasa_cli import ROOT

MESSAGES = load()
BOOKED = next(m.conversation for m in MESSAGES if m.asked)
EXPORTS = {
    "nlu": "/exports/learning/nlu.yml",
    "red_flags": "/exports/learning/red_flags.yml",
    "stories": "/exports/learning/stories.yml",
    "booked_story": f"/exports/learning/story.yml?conversation={BOOKED}",
    "conversations_csv": "/exports/conversations.csv",
}


def form_value(message: Message) -> Any:
    """What the booking form stored for its answer (None: it refused it and asked again)."""
    if message.asked == "patient_name":
        return clean_name(message.text)
    if message.asked == "contact":
        contact = parse_contact(message.text)
        return contact.value if contact else None
    return clean_preference(message.text)


def misread(message: Message) -> list[dict[str, Any]]:
    """The entities an older model stored with the message: its words as the value."""
    return [
        {
            "entity": entity,
            "start": message.text.index(words),
            "end": message.text.index(words) + len(words),
            "value": words,
        }
        for entity, words in message.model.items()
    ]


def events_of(conversation: list[Message]) -> list[Event]:
    """The conversation as the tracker stores it: the booking form's questions and answers, a misread entity
    and the slot an older model filled with it (["after_coughing", "14/03/1968"])."""
    events: list[Event] = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    for message in conversation:
        if message.asked:
            events += [
                ActiveLoop("booking_form"),
                SlotSet("requested_slot", message.asked),
                ActionExecuted("action_listen"),
            ]
        events.append(UserUttered(message.text, {"name": "describe_pain", "confidence": 0.6}, misread(message)))
        events += [SlotSet(entity, ["after_coughing", words]) for entity, words in message.model.items()]
        if message.asked and (value := form_value(message)) is not None:
            events.append(SlotSet(message.asked, value))
        events.append(ActionExecuted("action_listen"))
    return events


async def hold(db_path: Path) -> None:
    store = SQLTrackerStore(Domain.load(str(ROOT / "domain.yml")), dialect="sqlite", db=str(db_path))
    for conversation_id, conversation in conversations(MESSAGES).items():
        await store.save(DialogueStateTracker.from_events(conversation_id, events_of(conversation)))
    store.engine.dispose()


async def correct_all_and_export(app: Sanic) -> dict[str, str]:
    """Every message corrected by staff as an urgent red flag (so it reaches every learning export), then each
    export downloaded by the admin (the conversations CSV is the staff's)."""
    async with console_client(app) as sam, console_client(app) as ada:
        assert (await log_in(sam, "sam", PASSWORD)).status_code == 302
        assert (await log_in(ada, "ada", PASSWORD)).status_code == 302
        for message in MESSAGES:
            event_id = message_id(app.ctx.engine, message.conversation, message.text)
            made = await correct(sam, message.conversation, event_id, "red_flag_urgent", flags=("fever",))
            assert made.status_code == 302, message.text
        files = {}
        for name, path in EXPORTS.items():
            response = await (sam if name == "conversations_csv" else ada).get(path)
            assert response.status_code == 200, path
            files[name] = response.text
    return files


@dataclass(frozen=True)
class Exported:
    files: dict[str, str]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    db_path = tmp_path_factory.mktemp("pii") / "tracker.db"
    url = f"sqlite:///{db_path}"
    upgrade(url)
    asyncio.run(hold(db_path))
    refresh(open_database(url))
    app = create_app(ConsoleSettings(database_url=url), name=f"console_pii_{uuid.uuid4().hex}")
    create_user(app.ctx.engine, "sam", PASSWORD, "staff")
    create_user(app.ctx.engine, "ada", PASSWORD, "admin")
    return Exported(asyncio.run(correct_all_and_export(app)))


def per_message(name: str, text: str) -> list[tuple[Message, str]]:
    """Each message the export carries, with the part of the file made of it: its example, its row, its
    conversation's story (slots included), its conversation's CSV row (first messages only)."""
    if name in ("nlu", "red_flags"):
        data = yaml.safe_load(text)
        if name == "nlu":
            parts = [line.removeprefix("- ") for line in data["nlu"][0]["examples"].splitlines()]
        else:
            parts = [row["text"] for row in data]
        assert len(parts) == len(MESSAGES)
        return list(zip(MESSAGES, parts, strict=True))
    if name == "conversations_csv":
        rows = {row["conversation_id"]: ",".join(row.values()) for row in csv.DictReader(io.StringIO(text))}
        return [(held[0], rows[conversation_id]) for conversation_id, held in conversations(MESSAGES).items()]
    stories = {s["story"].removesuffix(" session 1"): yaml.safe_dump(s) for s in yaml.safe_load(text)["stories"]}
    return [(m, stories[m.conversation]) for m in MESSAGES if name == "stories" or m.conversation == BOOKED]


@pytest.mark.parametrize("name", list(EXPORTS))
def test_no_personal_detail_is_left_in_the_export(exported: Exported, name: str) -> None:
    outputs = per_message(name, exported.files[name])
    left = [(d, out) for m, out in outputs for found in m.details.values() for d in found if survives(d, out)]
    assert left == []
    kinds = {kind for m, _out in outputs for kind in m.details}
    assert recall(outputs) == dict.fromkeys(kinds, 1.0)


def test_every_useful_word_of_every_message_reached_the_learning_exports(exported: Exported) -> None:
    for name in ("nlu", "red_flags", "stories"):
        lost = [(k, out) for m, out in per_message(name, exported.files[name]) for k in m.keep if k not in out]
        assert lost == [], name


def test_a_slot_an_older_model_filled_with_a_date_of_birth_leaves_without_it(exported: Exported) -> None:
    stories = exported.files["stories"]
    assert "- pain_timing:\n" in stories and "after_coughing" in stories
    assert "14/03/1968" not in stories
