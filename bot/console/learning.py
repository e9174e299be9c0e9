"""What staff taught the console, as files the team adds to the project.

Corrections become Rasa NLU training data (entities annotated with their canonical values), corrected
red-flag messages become rows of the real-language test corpus (tests/real_language/), and a conversation
becomes a Rasa end-to-end test story. Every text and slot value is de-identified first (bot/privacy/): the
names the patient gave anywhere in the conversation, phone numbers, dates, addresses, identifiers, emails,
web addresses and ages over 89 are replaced by made-up stand-ins of their kind. Pure functions: the console's
routes (bot/console/exports.py) read the database and hand the rows over.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data.story_writer.yaml_story_writer import YAMLStoryWriter
from rasa.shared.core.training_data.structures import StoryStep
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.incoming import clean_text
from bot.privacy.deidentify import STAND_INS, conversation_names, details
from clinic.contact import clean_name
from clinic.contract import SLOT_VALUES
from clinic.red_flags import LEVEL_OF_FLAG, Level

# The booking form's slots: what a patient typed there is personal, whatever it looks like.
NAME_SLOT = "patient_name"
PERSONAL_SLOTS = {"patient_name": "name", "contact": "phone"}
# Messages this long (in words) are stories in the corpus' terms; shorter ones, answers.
STORY_WORDS = 40


@dataclass(frozen=True)
class Entity:
    """Words of a message (character offsets) and the contract value they state."""

    start: int
    end: int
    entity: str
    value: str


@dataclass(frozen=True)
class Corrected:
    """A staff member's correction, with the message it corrects and the conversation's personal names."""

    id: int
    text: str
    read_as: str | None  # the intent the assistant read
    intent: str
    entities: tuple[Entity, ...] = ()
    red_flags: tuple[str, ...] = ()
    opening: bool = False  # the conversation's first patient message
    names: tuple[str, ...] = field(default=(), repr=False)

    @property
    def level(self) -> Level:
        return red_flag_level(self.red_flags)


def shortest_apart(entities: Iterable[Entity]) -> list[Entity]:
    """One entity per stretch of words, the shortest first (data/nlu/ANNOTATION.md: the shortest phrase that
    states the fact), in text order: the pipeline's two extractors often read "my upper back" and "upper back"."""
    kept: list[Entity] = []
    for entity in sorted(entities, key=lambda e: (e.end - e.start, e.start)):
        if not any(entity.start < k.end and k.start < entity.end for k in kept):
            kept.append(entity)
    return sorted(kept, key=lambda e: e.start)


def read_entities(parse: Mapping[str, Any]) -> list[Entity]:
    """The contract's facts in a message's parse data: canonical values only, one per stretch of words."""
    return shortest_apart(
        Entity(e["start"], e["end"], str(e["entity"]), e["value"])
        for e in parse.get("entities") or []
        if isinstance(e.get("start"), int) and isinstance(e.get("end"), int)
        and e.get("value") in SLOT_VALUES.get(str(e.get("entity")), ())
    )  # fmt: skip


def red_flag_level(flags: Iterable[str]) -> Level:
    """The most severe level among the flags (Level.NONE without any)."""
    return max((LEVEL_OF_FLAG[f] for f in flags), key=lambda level: level.rank, default=Level.NONE)


def names_in(events: Iterable[Mapping[str, Any]]) -> set[str]:
    """The names a patient gave: the booking form's slot values and answers to its name question, and the
    names found in any of their messages ("my name is ...", "my husband John")."""
    found: set[str] = set()
    texts: list[str] = []
    asked = None  # the question the form asked last; the message after it answers it (the form asks again if need be)
    for event in events:
        kind = event.get("event")
        if kind == "slot" and event.get("name") == "requested_slot":
            asked = event.get("value")
        elif kind == "slot" and event.get("name") == NAME_SLOT and isinstance(event.get("value"), str):
            found.add(event["value"])
        elif kind == "user":
            texts.append(str(event.get("text") or ""))
            if asked == NAME_SLOT and (name := clean_name(texts[-1])):
                found.add(name)
            asked = None
        elif kind in ("active_loop", "session_started", "restart"):
            asked = None
    return conversation_names(texts, found)


def plain(text: str) -> str:
    """One line, cleaned as patients' messages are now (bot/incoming.py: text stored before then may hold a NUL
    or a bidi override), with no square brackets: Rasa would read "[words](entity)" as an annotation."""
    return " ".join(clean_text(text).replace("[", "(").replace("]", ")").split())


def without_personal_details(
    text: str, names: Iterable[str], entities: Sequence[Entity] = ()
) -> tuple[str, list[Entity]]:
    """The text with personal details replaced by placeholders, and the entities moved to their new offsets.

    An entity that overlaps a personal detail, or an earlier entity, is left out.
    """
    marks: list[tuple[int, int, str | Entity]] = [(d.start, d.end, d.stand_in) for d in details(text, names)]
    for entity in sorted(entities, key=lambda e: (e.start, e.end)):
        if 0 <= entity.start < entity.end <= len(text) and not any(
            entity.start < end and start < entity.end for start, end, _ in marks
        ):
            marks.append((entity.start, entity.end, entity))
    out, moved, at = "", [], 0
    for start, end, mark in sorted(marks, key=lambda m: m[0]):
        out += plain_piece(text[at:start])
        if isinstance(mark, Entity):
            words = plain(text[start:end])
            moved.append(Entity(len(out), len(out) + len(words), mark.entity, mark.value))
            out += words
        else:
            out += mark
        at = end
    out += plain_piece(text[at:])
    stripped = out.strip()
    shift = len(out) - len(out.lstrip())
    return stripped, [Entity(e.start - shift, e.end - shift, e.entity, e.value) for e in moved]


def plain_piece(text: str) -> str:
    """plain() for a piece between marks: its outer spaces are kept, as one space each side."""
    core = plain(text)
    if not core:
        return " " if text and text.isspace() else ""
    return (" " if text[0].isspace() else "") + core + (" " if text[-1].isspace() else "")


def redacted(text: str, names: Iterable[str]) -> str:
    return without_personal_details(text, names)[0]


def nlu_yaml(corrections: Sequence[Corrected]) -> str:
    """The corrections as Rasa NLU training data, written by Rasa's own writer, ready for data/nlu/."""
    messages = []
    for correction in corrections:
        text, entities = without_personal_details(correction.text, correction.names, correction.entities)
        if not text:
            continue
        messages.append(
            Message.build(
                text=text,
                intent=correction.intent,
                entities=[{"start": e.start, "end": e.end, "entity": e.entity, "value": e.value} for e in entities],
            )
        )
    header = (
        "# Corrections made in the staff console: personal details are placeholders. Check, then add under data/nlu/.\n"
    )
    return header + RasaYAMLWriter().dumps(TrainingData(messages))


def is_red_flag_reading(intent: str | None) -> bool:
    return bool(intent) and str(intent).startswith("red_flag_")


def corpus_kind(correction: Corrected, text: str) -> str:
    if correction.opening:
        return "opening"
    return "story" if len(text.split()) >= STORY_WORDS else "answer"


def corpus_rows(corrections: Sequence[Corrected], day: str) -> list[dict[str, Any]]:
    """Rows of the real-language corpus (tests/real_language/README.md) for every correction about red flags:
    a flag the staff member named (a miss, or a hit), or a red-flag reading they took back (a false alarm)."""
    rows = []
    for correction in corrections:
        if not correction.red_flags and not is_red_flag_reading(correction.read_as):
            continue
        text, entities = without_personal_details(correction.text, correction.names, correction.entities)
        slots: dict[str, list[str]] = {}
        for entity in entities:
            values = slots.setdefault(entity.entity, [])
            if entity.value not in values:
                values.append(entity.value)
        row: dict[str, Any] = {
            "id": f"console-{correction.id}",
            "text": text,
            "level": correction.level.value,
            "flags": list(correction.red_flags),
            "kind": corpus_kind(correction, text),
        }
        if slots:
            row["slots"] = slots
        row |= {"unsourced": True, "origin": f"a patient of the clinic, corrected in the staff console on {day}"}
        rows.append(row)
    return rows


def corpus_yaml(rows: list[dict[str, Any]]) -> str:
    header = (
        "# Corrected red-flag messages from the staff console, in the format of tests/real_language/*.yml.\n"
        "# Personal details are placeholders; `kind` is a guess from the message's place and length: check it.\n"
    )
    return header + (yaml.safe_dump(rows, sort_keys=False, allow_unicode=True, width=1000) if rows else "[]\n")


def corrected_event(event: dict[str, Any], correction: Corrected | None, names: Iterable[str]) -> dict[str, Any]:
    """A stored user event with its personal details replaced and, if corrected, the staff member's reading."""
    parse = dict(event.get("parse_data") or {})
    text = str(event.get("text") or "")
    if correction is not None:
        entities = list(correction.entities)
        parse["intent"] = {"name": correction.intent, "confidence": 1.0}
    else:
        entities = read_entities(parse)
    text, entities = without_personal_details(text, names, entities)
    parse["text"] = text
    parse["entities"] = [
        {"start": e.start, "end": e.end, "entity": e.entity, "value": e.value, "text": text[e.start : e.end]}
        for e in dict.fromkeys(entities)
    ]
    intent = parse.get("intent") or {}
    if str(intent.get("name") or "").startswith("faq/"):  # a full retrieval intent, as Rasa stores one
        base, key = intent["name"].split("/", 1)
        parse["intent"] = {"name": base, "confidence": 1.0}
        parse["response_selector"] = {"faq": {"response": {"intent_response_key": f"{base}/{key}"}}}
    return {**event, "text": text, "parse_data": parse}


def redacted_value(value: Any, names: Iterable[str]) -> Any:
    if isinstance(value, str):
        return redacted(value, names)
    if isinstance(value, list):
        return [redacted_value(v, names) for v in value]
    if isinstance(value, dict):
        return {k: redacted_value(v, names) for k, v in value.items()}
    return value


def slot_value(slot: str, value: Any, names: Iterable[str]) -> Any:
    """The slot's value de-identified; a booking detail the de-identification left as it was is replaced whole."""
    redacted_to = redacted_value(value, names)
    kind = PERSONAL_SLOTS.get(slot)
    if kind is None or not value or redacted_to != value:
        return redacted_to
    return STAND_INS[kind]


def sessions(stored: Sequence[tuple[int, dict[str, Any]]]) -> list[list[tuple[int, dict[str, Any]]]]:
    """The events of each session (Rasa starts a new one after an hour of silence, or a restart)."""
    found: list[list[tuple[int, dict[str, Any]]]] = [[]]
    for row in stored:
        if row[1].get("event") == "session_started" and found[-1]:
            found.append([])
        found[-1].append(row)
    return [s for s in found if any(e.get("event") == "user" for _id, e in s)]


def story_events(
    session: Sequence[tuple[int, dict[str, Any]]], corrections: Mapping[int, Corrected], names: Iterable[str]
) -> list[dict[str, Any]]:
    """The session's events as a test story replays them: from the first patient message on, with
    corrections applied and personal details replaced (slot values included)."""
    names = tuple(names)
    kept: list[dict[str, Any]] = []
    for event_id, event in session:
        kind = event.get("event")
        if kind == "user":
            kept.append(corrected_event(event, corrections.get(event_id), names))
        elif not kept:
            continue  # the session's start: its bookkeeping is not the dialogue's
        elif kind == "slot":
            kept.append({**event, "value": slot_value(str(event.get("name")), event.get("value"), names)})
        elif kind in ("action", "active_loop"):
            kept.append(event)
    return kept


def story_steps(
    conversation_id: str,
    stored: Sequence[tuple[int, dict[str, Any]]],
    corrections: Mapping[int, Corrected],
    names: Iterable[str],
    domain: Domain,
) -> list[StoryStep]:
    """The conversation as Rasa end-to-end test stories, one per session.

    The patient's words are kept (personal details replaced) with the intent and entities staff gave
    them, or else those the assistant read; the bot's steps are those it took.
    """
    names = tuple(names)
    steps = []
    for number, session in enumerate(sessions(stored), start=1):
        events = [Event.from_parameters(e) for e in story_events(session, corrections, names)]
        tracker = DialogueStateTracker.from_events(f"{conversation_id} session {number}", events, domain.slots)
        steps += tracker.as_story().story_steps
    return steps


def stories_yaml(steps: Sequence[StoryStep]) -> str:
    """Test stories as Rasa's own story writer writes them (`rasa test` reads only files named test_*)."""
    return YAMLStoryWriter().dumps(list(steps), is_test_story=True) if steps else 'version: "3.1"\nstories: []\n'
