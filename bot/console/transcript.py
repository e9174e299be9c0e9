"""A conversation's events as staff read them: messages, with the NLU's reading and the bot's steps."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bot.console.database import events
from bot.console.outcomes import FALLBACK_ACTIONS, FALLBACK_INTENT, HIDDEN_GREETING

# Steps that add nothing for a reader: waiting for the patient, and the session's own bookkeeping.
QUIET_ACTIONS = frozenset({"action_listen", "action_session_start"})


@dataclass
class Message:
    """A patient or bot message; for patient messages, what the NLU made of it."""

    kind: ClassVar[str] = "message"
    who: str
    at: float
    text: str
    # The stored event's id: the message's anchor in the transcript (#m-<id>), where the inbox links to.
    event_id: int | None = None
    intent: str | None = None
    confidence: float | None = None
    entities: list[str] = field(default_factory=list)
    buttons: list[str] = field(default_factory=list)
    fallback: bool = False
    low_confidence: bool = False


@dataclass
class Step:
    """An action the bot took, with the slots and form it changed, shown on one line."""

    kind: ClassVar[str] = "step"
    at: float
    action: str | None
    changes: list[str] = field(default_factory=list)
    fallback: bool = False


@dataclass
class SessionStart:
    """Rasa started a new session (after an hour of silence, or a restart)."""

    kind: ClassVar[str] = "session"
    at: float


Item = Message | Step | SessionStart


StoredEvent = tuple[int, dict[str, Any]]


def load_events(connection: Connection, conversation_id: str) -> list[StoredEvent]:
    """Every stored event of the conversation with its id, across sessions, in the order Rasa stored them."""
    rows = connection.execute(
        sa.select(events.c.id, events.c.data).where(events.c.sender_id == conversation_id).order_by(events.c.id)
    )
    return [(row.id, json.loads(row.data)) for row in rows]


def entity_label(entity: dict[str, Any]) -> str:
    said = f" ({entity['text']!s})" if entity.get("text") and entity.get("text") != entity.get("value") else ""
    return f"{entity.get('entity')}={entity.get('value')}{said}"


def change_label(event: dict[str, Any]) -> str | None:
    kind = event.get("event")
    if kind == "slot":
        return f"{event.get('name')} = {json.dumps(event.get('value'))}"
    if kind == "active_loop":
        return f"form {event['name']} started" if event.get("name") else "form ended"
    if kind in ("restart", "reset_slots", "rewind"):
        return kind.replace("_", " ")
    return None


def build(stored: list[StoredEvent], low_confidence: float) -> list[Item]:
    """Messages in order; slot and form changes folded into the step that caused them."""
    items: list[Item] = []
    step: Step | None = None
    for event_id, event in stored:
        kind, at = event.get("event"), float(event.get("timestamp") or 0)
        if kind == "session_started":
            items.append(SessionStart(at))
            step = None
        elif kind == "user" and event.get("text") == HIDDEN_GREETING:
            continue
        elif kind == "user":
            parse = event.get("parse_data") or {}
            intent = parse.get("intent") or {}
            confidence = intent.get("confidence")
            items.append(
                Message(
                    who="patient",
                    at=at,
                    text=event.get("text") or "",
                    event_id=event_id,
                    intent=intent.get("name"),
                    confidence=confidence,
                    entities=[entity_label(e) for e in parse.get("entities") or []],
                    fallback=intent.get("name") == FALLBACK_INTENT,
                    low_confidence=confidence is not None and confidence < low_confidence,
                )
            )
            step = None  # slots the message filled get a step of their own
        elif kind == "bot":
            buttons = (event.get("data") or {}).get("buttons") or []
            items.append(
                Message("bot", at, event.get("text") or "", event_id, buttons=[b.get("title", "") for b in buttons])
            )
        elif kind == "action":
            name = event.get("name")
            step = Step(at, name, fallback=name in FALLBACK_ACTIONS)
            if name not in QUIET_ACTIONS:
                items.append(step)
        elif (label := change_label(event)) is not None:
            if step is None or step.action in QUIET_ACTIONS:
                step = Step(at, None)
                items.append(step)
            step.changes.append(label)
    return items
