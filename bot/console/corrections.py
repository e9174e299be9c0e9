"""Correcting what the assistant misread in a patient message: the intent, the entities, the red flags.

Staff choose from the domain's intents, the contract's values (clinic/contract.py) and the red flags
(clinic/red_flags.py); the entity's words are typed as they appear in the message. One correction per
message, kept with who made and last changed it, shown on the transcript and audited. What is learned
is exported by bot/console/exports.py (admins only).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
import yaml
from sanic import Blueprint, HTTPResponse, Request
from sanic.response import redirect
from sqlalchemy.engine import Connection, Row

from bot.console import audit
from bot.console.bounds import whole_number
from bot.console.database import events
from bot.console.learning import Corrected, Entity, read_entities, red_flag_level
from bot.console.links import transcript_path
from bot.console.outcomes import HIDDEN_GREETING
from bot.console.web import form_value, in_thread, render
from clinic.config import ROOT
from clinic.contract import SLOT_VALUES, entity_for_value
from clinic.database.tables import corrections
from clinic.red_flags import LEVEL_OF_FLAG, Level

# How many entity rows the form offers (a message rarely states more facts than this).
ENTITY_ROWS = 6
RED_FLAG_INTENTS = {Level.EMERGENCY: "red_flag_emergency", Level.URGENT: "red_flag_urgent"}


@lru_cache(maxsize=1)
def intent_choices() -> tuple[str, ...]:
    """The domain's intents, the retrieval intent as its answers (faq/<key>): what the NLU can be taught."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    faq_keys = sorted(r.split("/", 1)[1] for r in domain.get("responses") or {} if r.startswith("utter_faq/"))
    return tuple(i for i in domain["intents"] if i != "faq") + tuple(f"faq/{key}" for key in faq_keys)


def flag_choices() -> dict[str, list[str]]:
    """The red flags by level, most severe first."""
    return {
        level.value: sorted(f for f, lv in LEVEL_OF_FLAG.items() if lv is level)
        for level in (Level.EMERGENCY, Level.URGENT)
    }


def form_choices() -> dict[str, Any]:
    """What the correction form offers: intents, the contract's values by entity, red flags by level."""
    return {"intents": intent_choices(), "values": SLOT_VALUES, "flags": flag_choices(), "rows": ENTITY_ROWS}


@dataclass(frozen=True)
class Reading:
    """A patient message's reading as the form shows it: the staff member's correction, or else the assistant's."""

    intent: str | None
    entities: tuple[tuple[str, str], ...] = ()  # (words, value)
    red_flags: tuple[str, ...] = ()


def assistant_reading(event: dict[str, Any]) -> Reading:
    """The intent (an FAQ's full name) and the contract's facts the assistant read, one per stretch of words."""
    parse, text = event.get("parse_data") or {}, str(event.get("text") or "")
    intent = (parse.get("intent") or {}).get("name")
    answer = ((parse.get("response_selector") or {}).get(intent or "") or {}).get("response") or {}
    entities = [(text[e.start : e.end], e.value) for e in read_entities(parse)]
    return Reading(answer.get("intent_response_key") or intent, tuple(entities))


def readings(stored: Iterable[tuple[int, dict[str, Any]]], corrected: dict[int, Row[Any]]) -> dict[int, Reading]:
    """Each patient message's reading by event id: its correction if it has one, else the assistant's."""
    found = {}
    for event_id, event in stored:
        if event.get("event") != "user" or event.get("text") == HIDDEN_GREETING:
            continue
        row = corrected.get(event_id)
        if row is None:
            found[event_id] = assistant_reading(event)
        else:
            text = str(event.get("text") or "")
            words = tuple((text[e.start : e.end], e.value) for e in entities_of(row))
            found[event_id] = Reading(row.intent, words, flags_of(row))
    return found


def values() -> set[str]:
    return {v for vs in SLOT_VALUES.values() for v in vs}


def find_words(text: str, words: str, taken: Sequence[Entity]) -> tuple[int, int]:
    """Where the words are in the message (any case): the first place no other entity holds."""
    lowered, wanted = text.lower(), " ".join(words.split()).lower()
    at = lowered.find(wanted)
    while at >= 0:
        end = at + len(wanted)
        if not any(at < e.end and e.start < end for e in taken):
            return at, end
        at = lowered.find(wanted, at + 1)
    raise ValueError(f'"{words}" is not in the message (or is already used by another entity)')


def parsed(text: str, intent: str, words: Sequence[str], chosen: Sequence[str], flags: Sequence[str]) -> Corrected:
    """The form's answers checked against the message, the domain and the contract; ValueError says what is wrong."""
    if intent not in intent_choices():
        raise ValueError("choose an intent from the list")
    entities: list[Entity] = []
    for said, value in zip(words, chosen, strict=True):
        if not said.strip() and not value:
            continue
        if not said.strip() or not value:
            raise ValueError("each entity needs both its words and a value")
        if value not in values():
            raise ValueError(f"{value} is not a value of the slot contract")
        start, end = find_words(text, said, entities)
        entities.append(Entity(start, end, entity_for_value(value), value))
    unknown = [f for f in flags if f not in LEVEL_OF_FLAG]
    if unknown:
        raise ValueError(f"unknown red flags: {', '.join(unknown)}")
    level = red_flag_level(flags)
    for needs, red_flag_intent in RED_FLAG_INTENTS.items():
        if intent == red_flag_intent and level is not needs:
            raise ValueError(f"{intent} needs a red flag of level {needs.value}, and none more severe")
    if flags and intent not in (RED_FLAG_INTENTS[level], "red_flag_possible"):
        raise ValueError(f"a message with a red flag of level {level.value} is {RED_FLAG_INTENTS[level]}")
    return Corrected(0, text, None, intent, tuple(sorted(entities, key=lambda e: e.start)), tuple(sorted(set(flags))))


def as_corrected(
    stored: Sequence[tuple[int, dict[str, Any]]], rows: Iterable[Row[Any]], names: Iterable[str]
) -> dict[int, Corrected]:
    """The conversation's corrections with their messages, by event id; `names` are its patient's names."""
    patient = [(i, e) for i, e in stored if e.get("event") == "user" and e.get("text") != HIDDEN_GREETING]
    first, messages = (patient[0][0] if patient else None), dict(patient)
    found = {}
    for row in rows:
        if (event := messages.get(row.event_id)) is not None:
            found[row.event_id] = Corrected(
                row.id,
                str(event.get("text") or ""),
                assistant_reading(event).intent,
                row.intent,
                entities_of(row),
                flags_of(row),
                opening=row.event_id == first,
                names=tuple(names),
            )
    return found


def entities_json(entities: Iterable[Entity]) -> str:
    return json.dumps([{"start": e.start, "end": e.end, "entity": e.entity, "value": e.value} for e in entities])


def entities_of(row: Row[Any]) -> tuple[Entity, ...]:
    return tuple(Entity(int(e["start"]), int(e["end"]), e["entity"], e["value"]) for e in json.loads(row.entities))


def flags_of(row: Row[Any]) -> tuple[str, ...]:
    return tuple(f for f in row.red_flags.split(",") if f)


def of_conversation(connection: Connection, conversation_id: str) -> dict[int, Row[Any]]:
    """The conversation's corrections by event id."""
    rows = connection.execute(sa.select(corrections).where(corrections.c.conversation_id == conversation_id))
    return {row.event_id: row for row in rows}


def patient_event(connection: Connection, event_id: int, conversation_id: str | None = None) -> dict[str, Any] | None:
    """A patient message's stored event (of this conversation, when given), None if the event is no such message."""
    query = sa.select(events.c.sender_id, events.c.data).where(events.c.id == event_id)
    if conversation_id is not None:
        query = query.where(events.c.sender_id == conversation_id)
    row = connection.execute(query).first()
    event = json.loads(row.data) if row else {}
    if row is None or event.get("event") != "user" or event.get("text") == HIDDEN_GREETING:
        return None
    return {**event, "sender_id": row.sender_id}


def save(connection: Connection, conversation_id: str, event_id: int, correction: Corrected, username: str) -> str:
    """Creates or replaces the message's correction; returns the audit action ("correction_made"/"_changed")."""
    now = time.time()
    fields = {
        "intent": correction.intent,
        "entities": entities_json(correction.entities),
        "red_flag_level": correction.level.value,
        "red_flags": ",".join(correction.red_flags),
        "updated_by": username,
        "updated_at": now,
    }
    changed = connection.execute(corrections.update().where(corrections.c.event_id == event_id).values(fields))
    if changed.rowcount:
        return "correction_changed"
    connection.execute(
        corrections.insert().values(
            event_id=event_id, conversation_id=conversation_id, created_by=username, created_at=now, **fields
        )
    )
    return "correction_made"


def described(correction: Corrected) -> str:
    """One line for the audit log: what the message should have been read as."""
    facts = [f"{e.entity}={e.value}" for e in correction.entities]
    flags = f"red flag {correction.level.value}" + (
        f" ({', '.join(correction.red_flags)})" if correction.red_flags else ""
    )
    return "; ".join([correction.intent, *facts, flags])


def form_list(request: Request, name: str) -> list[str]:
    """Every value the form sent under the name (checkboxes), in order; sanic leaves out blank ones."""
    return [str(v) for v in (request.form.getlist(name) if request.form else None) or []]


def corrections_blueprint() -> Blueprint:
    """Staff and admins may correct; the guard checks the login and the form's CSRF token. The form has a page
    of its own: on the transcript, six rows of choices for every patient message would weigh down long ones."""
    bp = Blueprint("corrections")

    def event_of(request: Request) -> int | None:
        return whole_number(form_value(request, "event_id"))

    def form_page(
        request: Request, event_id: int, event: dict[str, Any], reading: Reading | None, error: str = ""
    ) -> HTTPResponse:
        """The form for one patient message, started from `reading` (what was just refused), its correction, or
        else the assistant's reading."""
        with request.app.ctx.engine.begin() as connection:
            corrected = connection.execute(sa.select(corrections).where(corrections.c.event_id == event_id)).first()
        stored = readings([(event_id, event)], {event_id: corrected} if corrected else {})[event_id]
        return render(
            request,
            "correction.html",
            status=400 if error else 200,
            error=error,
            conversation_id=event["sender_id"],
            event_id=event_id,
            text=str(event.get("text") or ""),
            assistant=assistant_reading(event),
            corrected=corrected,
            reading=reading or stored,
            correcting=form_choices(),
            transcript=transcript_path(event["sender_id"]),
        )

    @bp.get("/corrections/<event_id:int>")
    @in_thread
    def correction_page(request: Request, event_id: int) -> HTTPResponse:
        with request.app.ctx.engine.begin() as connection:
            event = patient_event(connection, event_id)
            if event is None:
                return render(request, "error.html", status=404, message="No such patient message.")
            audit.record(connection, request, "view_message", event["sender_id"], f"event {event_id}")
        return form_page(request, event_id, event, None)

    @bp.post("/corrections")
    @in_thread
    def correct(request: Request) -> HTTPResponse:
        conversation_id, event_id = form_value(request, "conversation_id"), event_of(request)
        intent, flags = form_value(request, "intent"), form_list(request, "red_flag")
        words = [form_value(request, f"words_{n}") for n in range(ENTITY_ROWS)]
        chosen = [form_value(request, f"value_{n}") for n in range(ENTITY_ROWS)]
        with request.app.ctx.engine.begin() as connection:
            event = patient_event(connection, event_id, conversation_id) if event_id is not None else None
            if event is None or event_id is None:
                return render(request, "error.html", status=404, message="No such patient message.")
            try:
                correction = parsed(str(event.get("text") or ""), intent, words, chosen, flags)
            except ValueError as error:
                refused = f"Not saved: {error}."
            else:
                action = save(connection, conversation_id, event_id, correction, request.ctx.user.username)
                audit.record(connection, request, action, conversation_id, f"event {event_id}: {described(correction)}")
                return redirect(f"{transcript_path(conversation_id)}#c-{event_id}")
        # The form again, outside the transaction above: nothing was written, and its page reads on its own.
        entered = Reading(intent, tuple((w, v) for w, v in zip(words, chosen, strict=True) if w or v), tuple(flags))
        return form_page(request, event_id, event, entered, refused)

    @bp.post("/corrections/remove")
    @in_thread
    def remove(request: Request) -> HTTPResponse:
        conversation_id, event_id = form_value(request, "conversation_id"), event_of(request)
        with request.app.ctx.engine.begin() as connection:
            removed = connection.execute(
                corrections.delete().where(
                    corrections.c.event_id == event_id, corrections.c.conversation_id == conversation_id
                )
            ).rowcount
            if not removed:
                return render(request, "error.html", status=404, message="No such correction.")
            audit.record(connection, request, "correction_removed", conversation_id, f"event {event_id}")
        return redirect(f"{transcript_path(conversation_id)}#c-{event_id}")

    return bp
