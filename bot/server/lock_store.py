"""Rasa's Redis lock store with its ticket changes made atomic, so several Rasa servers really take turns.

Rasa serialises the messages of one conversation with a ticket lock: each message takes the next ticket and waits
until it is the one served. Its RedisLockStore keeps the lock as one JSON value and changes it by GET, change in
Python, SET: two Rasa servers taking a ticket at the same moment both read "no tickets", both take ticket 0, and
both go ahead — each then works on a tracker without the other's message, and Rasa's SQL store, which saves the
events beyond the number already stored, drops one message's events. (Rasa's own review said "this is far from
atomic", RasaHQ/rasa#3933; its concurrent lock store is in Rasa Pro only.) Here each change (take a ticket, let
expired ones go, finish one and delete the lock when no one waits) runs in a Redis transaction on that key
(WATCH/MULTI/EXEC, retried when another server changed it meanwhile); the lock's format is Rasa's.

endpoints.yml: `lock_store: {type: bot.server.lock_store.AtomicRedisLockStore, url: ..., port: ..., password: ...}`,
the same settings as `type: redis`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

T = TypeVar("T")


class AtomicRedisLockStore(RedisLockStore):
    """`type: redis`'s settings; every change to a conversation's lock is one Redis transaction."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url or "localhost", **endpoint_config.kwargs)

    def _change(self, conversation_id: str, change: Callable[[TicketLock | None], tuple[TicketLock | None, T]]) -> T:
        """Apply `change` to the stored lock atomically: it gets the lock (None if there is none) and returns the
        lock to store (None: delete it) and a value to return."""
        key = self.key_prefix + conversation_id

        def transaction(pipe: Any) -> T:
            stored = pipe.get(key)
            lock, value = change(TicketLock.from_dict(json.loads(stored)) if stored else None)
            pipe.multi()
            if lock is None:
                pipe.delete(key)
            else:
                pipe.set(key, lock.dumps())
            return value

        result: T = self.red.transaction(transaction, key, value_from_callable=True)
        return result

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as error:
            raise LockError(f"Error while acquiring lock: {type(error).__name__}") from error

    def update_lock(self, conversation_id: str) -> None:
        def without_expired(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, without_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._finish(conversation_id, ticket_number, delete_when_idle=False)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Finish the ticket and delete the lock if no one waits, in one step (Rasa's takes two)."""
        self._finish(conversation_id, ticket_number, delete_when_idle=True)

    def _finish(self, conversation_id: str, ticket_number: int, delete_when_idle: bool) -> None:
        def finish(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (None if delete_when_idle and not lock.is_someone_waiting() else lock), None

        self._change(conversation_id, finish)
