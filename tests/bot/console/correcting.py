"""Making corrections in tests as staff make them: through the transcript's form."""

from __future__ import annotations

import json

import httpx2
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.console.corrections import ENTITY_ROWS
from bot.console.database import events
from bot.console.links import transcript_path
from tools.console_client import csrf_token


def message_id(engine: Engine, conversation_id: str, text: str) -> int:
    """The event id of the patient message with this text in the conversation."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(events.c.id, events.c.data).where(
                events.c.sender_id == conversation_id, events.c.type_name == "user"
            )
        ).all()
    found = [row_id for row_id, data in rows if json.loads(data).get("text") == text]
    assert len(found) == 1, (conversation_id, text, found)
    return int(found[0])


async def correct(
    client: httpx2.AsyncClient,
    conversation_id: str,
    event_id: int,
    intent: str,
    entities: dict[str, str] | None = None,
    flags: tuple[str, ...] = (),
) -> httpx2.Response:
    """Opens the message's correction form and posts it as a browser would (every entity row sent, blank or not)."""
    page = await client.get(f"/corrections/{event_id}")
    if page.status_code != 200:  # not a patient message: post with the token of the conversation's page
        page = await client.get(transcript_path(conversation_id))
    rows = [*(entities or {}).items()]
    rows += [("", "")] * (ENTITY_ROWS - len(rows))
    fields = {f"words_{n}": words for n, (words, _value) in enumerate(rows)}
    fields |= {f"value_{n}": value for n, (_words, value) in enumerate(rows)}
    return await client.post(
        "/corrections",
        data={
            "csrf_token": csrf_token(page.text),
            "conversation_id": conversation_id,
            "event_id": str(event_id),
            "intent": intent,
            "red_flag": list(flags),
            **fields,
        },
    )
