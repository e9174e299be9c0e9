"""Staff's own notes on a conversation: review status, free-text notes and tags."""

from __future__ import annotations

import re
import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from clinic.database.tables import notes, reviews, tags

STATUSES = ("unreviewed", "reviewed", "follow_up")
MAX_NOTE_CHARS = 5000
MAX_TAGS = 20
TAG = re.compile(r"^[\w-]{1,64}$")


def set_status(connection: Connection, conversation_id: str, status: str, username: str) -> None:
    """ "unreviewed" removes the review row; the others replace it."""
    if status not in STATUSES:
        raise ValueError(f"unknown review status {status!r}")
    connection.execute(reviews.delete().where(reviews.c.conversation_id == conversation_id))
    if status != "unreviewed":
        connection.execute(
            reviews.insert().values(
                conversation_id=conversation_id, status=status, updated_by=username, updated_at=time.time()
            )
        )


def add_note(connection: Connection, conversation_id: str, body: str, username: str) -> None:
    body = body.strip()[:MAX_NOTE_CHARS]
    if not body:
        raise ValueError("an empty note")
    connection.execute(
        notes.insert().values(conversation_id=conversation_id, author=username, body=body, created_at=time.time())
    )


def parse_tags(raw: str) -> list[str]:
    """ "follow up, Asthma" -> ["asthma", "follow-up"]: lower-case words, spaces become dashes."""
    found = {re.sub(r"\s+", "-", part.strip().lower()) for part in raw.split(",") if part.strip()}
    bad = sorted(t for t in found if not TAG.match(t))
    if bad:
        raise ValueError(f"tags are letters, digits, dashes and underscores, not {', '.join(bad)}")
    if len(found) > MAX_TAGS:
        raise ValueError(f"at most {MAX_TAGS} tags")
    return sorted(found)


def set_tags(connection: Connection, conversation_id: str, new_tags: list[str]) -> None:
    connection.execute(tags.delete().where(tags.c.conversation_id == conversation_id))
    if new_tags:
        connection.execute(tags.insert(), [{"conversation_id": conversation_id, "tag": t} for t in new_tags])


def review_of(connection: Connection, conversation_id: str) -> dict[str, Any]:
    """Status (with who and when), notes (oldest first) and tags of one conversation."""
    status = connection.execute(sa.select(reviews).where(reviews.c.conversation_id == conversation_id)).first()
    found_notes: list[Row[Any]] = list(
        connection.execute(sa.select(notes).where(notes.c.conversation_id == conversation_id).order_by(notes.c.id))
    )
    found_tags = connection.execute(
        sa.select(tags.c.tag).where(tags.c.conversation_id == conversation_id).order_by(tags.c.tag)
    ).scalars()
    return {"status": status, "notes": found_notes, "tags": list(found_tags)}
