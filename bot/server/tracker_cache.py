"""The strict SQL tracker store with the conversations it has loaded kept in memory, brought up to date per message.

Rasa retrieves a conversation's tracker at every message, and the SQL store reads and deserialises every event of
the session each time: the longer the conversation, the slower each message. This store keeps each loaded tracker
(the most recently used ones, up to `max_cached_events` events in all) with the count and highest id of the rows it
was built from. At the next retrieve one indexed query returns only the rows stored since (this process's own
saves, or another process's sharing the database), and those alone are deserialised and applied, in id order, as
Rasa's own load applies them. When the rows don't add up to the cached version (rows deleted, or committed out of
id order) or a row starts a new session (Rasa's load then begins at that session), the tracker is loaded afresh.
Rasa changes the tracker it retrieves, so each caller gets its own copy; a message that fails before it is saved
leaves the cache as the database is. A database that can't be read is a TrackerStoreUnavailable, as in the strict
store: a cached copy is never served instead.
"""

from __future__ import annotations

import copy
import json
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker

from bot.server.tracker_store import StrictSQLTrackerStore

# Tens of MB at most: `make bench-chat`'s few thousand cached events did not move the Rasa server's RSS.
DEFAULT_MAX_CACHED_EVENTS = 20_000


@dataclass
class Cached:
    """A conversation's tracker as built from its stored rows: how many there were, the highest id, the session."""

    tracker: DialogueStateTracker
    rows: int
    last_id: int
    session_start: float | None  # the stored timestamp Rasa's load starts from (the latest session_started's)


def detached(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """A copy whose state the caller may change without changing `tracker`.

    Rasa's own `DialogueStateTracker.copy` shares the event objects too, but replays every event; here the state is
    copied instead: the events deque, the slots, the active loop and the latest action are the tracker's own mutable
    state (the events apply themselves by setting these).
    """
    twin = copy.copy(tracker)
    twin.events = deque(tracker.events, tracker.events.maxlen)
    twin.slots = {name: copy.copy(slot) for name, slot in tracker.slots.items()}
    twin.active_loop = copy.copy(tracker.active_loop)
    twin.latest_action = copy.copy(tracker.latest_action)
    return twin


class CachedSQLTrackerStore(StrictSQLTrackerStore):
    """endpoints.yml `type: bot.server.tracker_cache.CachedSQLTrackerStore`: `type: SQL`'s settings, plus
    `max_cached_events` (how many events the cached trackers may hold together; 0 caches nothing)."""

    def __init__(self, *args: Any, max_cached_events: int = DEFAULT_MAX_CACHED_EVENTS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_cached_events = int(max_cached_events)
        self._cached: OrderedDict[str, Cached] = OrderedDict()
        self._held_events = 0

    @property
    def domain(self) -> Domain:
        return self._domain

    @domain.setter
    def domain(self, domain: Domain | None) -> None:
        """A new model's domain (Rasa sets it at each model load): trackers are built anew with its slots."""
        self._domain = domain or Domain.empty()
        self._cached.clear()
        self._held_events = 0

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        cached = self._cached.get(sender_id)
        try:
            with self.session_scope() as session:
                if cached is not None and self._caught_up(session, cached):
                    self._remember(sender_id, cached)
                    return detached(cached.tracker)
                before = self._version(session, sender_id)
        except Exception as error:
            raise self._unavailable("read", error) from error
        tracker = await super().retrieve(sender_id)
        try:
            with self.session_scope() as session:
                unchanged = self._version(session, sender_id) == before
        except Exception as error:
            raise self._unavailable("read", error) from error
        self._forget(sender_id)
        if tracker is None:
            return None
        if unchanged:  # else a row was stored meanwhile: it may or may not be in `tracker`, so don't keep it
            rows, last_id, session_start = before
            self._remember(sender_id, Cached(tracker, rows, last_id or 0, session_start))
        return detached(tracker)

    def _version(self, session: Any, sender_id: str) -> tuple[int, int | None, float | None]:
        """How many rows the conversation has, the highest id, and the latest session start's timestamp."""
        event = self.SQLEvent
        started = sa.case((event.type_name == SessionStarted.type_name, event.timestamp))
        count, last_id, session_start = (
            session.query(sa.func.count(event.id), sa.func.max(event.id), sa.func.max(started))
            .filter(event.sender_id == sender_id)
            .one()
        )
        return int(count), last_id, session_start

    def _caught_up(self, session: Any, cached: Cached) -> bool:
        """Apply the rows stored since `cached` was built; False when only a fresh load gives what Rasa's would."""
        event = self.SQLEvent
        sender_id = cached.tracker.sender_id
        newer = (
            session.query(event.id, event.type_name, event.timestamp, event.data)
            .filter(event.sender_id == sender_id, event.id > cached.last_id)
            .order_by(event.id)
            .all()
        )
        rows = session.query(sa.func.count(event.id)).filter(event.sender_id == sender_id).scalar()
        if rows != cached.rows + len(newer):
            return False
        for row in newer:
            if row.type_name == SessionStarted.type_name:
                return False
            if cached.session_start is not None and (row.timestamp is None or row.timestamp < cached.session_start):
                return False  # Rasa's load leaves it out
        held = len(cached.tracker.events)
        for new_event in deserialise_events([json.loads(row.data) for row in newer]):
            cached.tracker.update(new_event)
        if newer:
            cached.rows, cached.last_id = rows, newer[-1].id
            self._held_events += len(cached.tracker.events) - held
        return True

    def _remember(self, sender_id: str, cached: Cached) -> None:
        """Keep `cached` as the most recently used; let go of the least recently used beyond the limit."""
        if self._cached.get(sender_id) is not cached:
            self._forget(sender_id)
            self._cached[sender_id] = cached
            self._held_events += len(cached.tracker.events)
        self._cached.move_to_end(sender_id)
        while self._cached and self._held_events > self.max_cached_events:
            _, oldest = self._cached.popitem(last=False)
            self._held_events -= len(oldest.tracker.events)

    def _forget(self, sender_id: str) -> None:
        cached = self._cached.pop(sender_id, None)
        if cached is not None:
            self._held_events -= len(cached.tracker.events)
