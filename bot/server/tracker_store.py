"""The SQL tracker store, failing loudly instead of quietly falling back to memory.

Rasa wraps every tracker store in a FailSafeTrackerStore: a failed save is logged once and the
conversation kept in memory (lost at the next restart, invisible to the console), and a failed read
starts the patient over. Our store lets neither happen: it logs the failure as CRITICAL and raises
TrackerStoreUnavailable, a BaseException so the fail-safe's `except Exception` can't swallow it;
bot/server/rest.py turns it into a 503 the web proxy shows the patient.

Rasa's SQL store also writes on the server's event loop: while the database commits (an fsync on SQLite,
a round trip on PostgreSQL), no other patient's message moves. Ours writes in a worker thread; the
conversation's lock (Rasa's lock store) is held until the write is done, so its messages stay in order.
"""

from __future__ import annotations

import asyncio
import json
import logging

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY

logger = logging.getLogger(__name__)


class TrackerStoreUnavailable(BaseException):
    """The conversation could not be read or stored; the message must not be answered as if it had been."""


class StrictSQLTrackerStore(SQLTrackerStore):
    """endpoints.yml `type: bot.server.tracker_store.StrictSQLTrackerStore`, same settings as `type: SQL`."""

    async def save(self, tracker: DialogueStateTracker) -> None:
        try:
            await self.stream_events(tracker)
            await asyncio.to_thread(self._write, tracker)
        except Exception as error:
            raise self._unavailable("store", error) from error

    def _write(self, tracker: DialogueStateTracker) -> None:
        """The rows Rasa's `SQLTrackerStore.save` writes: the events the database doesn't have yet."""
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = event.as_dict()
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=data.get("parse_data", {}).get(INTENT, {}).get(INTENT_NAME_KEY),
                        action_name=data.get("name"),  # an ActionExecuted's action
                        data=json.dumps(data),
                    )
                )
            session.commit()

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        try:
            return await super().retrieve(sender_id)
        except Exception as error:
            raise self._unavailable("read", error) from error

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        try:
            return await super().retrieve_full_tracker(conversation_id)
        except Exception as error:
            raise self._unavailable("read", error) from error

    def _unavailable(self, doing: str, error: Exception) -> TrackerStoreUnavailable:
        logger.critical(
            "The tracker store at %s could not %s a conversation (%s): patients are told to try again "
            "until it is fixed",
            self.engine.url.render_as_string(hide_password=True),
            doing,
            type(error).__name__,
            exc_info=error,
        )
        return TrackerStoreUnavailable(doing)
