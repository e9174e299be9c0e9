"""Several Rasa servers sharing one Redis lock store take turns on a conversation (bot/server/lock_store.py).

Each store below is its own client, as each Rasa replica is; a real redis-server (Debian's, `make engines`) runs on
a free port for the module. Rasa's own RedisLockStore fails both tests: two servers take the same ticket.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
from rasa.utils.endpoints import EndpointConfig

from bot.server.lock_store import AtomicRedisLockStore
from tools.servers import free_port, port_open

SERVERS = 8


@pytest.fixture(scope="module")
def redis_port() -> Iterator[int]:
    port = free_port()
    command = [shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(port), "--bind", "127.0.0.1"]
    server = subprocess.Popen([*command, "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not port_open(port) and time.monotonic() < deadline:
            time.sleep(0.05)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def stores(port: int, count: int = SERVERS) -> list[AtomicRedisLockStore]:
    """`count` lock stores as endpoints-scaled.yml makes them, each with its own connection."""
    config = EndpointConfig(url="127.0.0.1", port=port, db=0, key_prefix="test", type="unused")
    return [AtomicRedisLockStore(config) for _ in range(count)]


def test_servers_taking_tickets_at_the_same_moment_get_different_ones(redis_port: int) -> None:
    conversation = str(uuid.uuid4())
    start = threading.Barrier(SERVERS)
    tickets: list[int] = []

    def take(store: AtomicRedisLockStore) -> None:
        start.wait()
        tickets.append(store.issue_ticket(conversation))

    threads = [threading.Thread(target=take, args=(store,)) for store in stores(redis_port)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(tickets) == list(range(SERVERS))


def test_one_conversation_is_handled_by_one_server_at_a_time_and_every_one_gets_its_turn(redis_port: int) -> None:
    """Each server handles one message of the conversation, all arriving at once (a thread and event loop each)."""
    conversation = str(uuid.uuid4())
    start = threading.Barrier(SERVERS)
    inside: list[int] = []
    overlaps: list[list[int]] = []
    served: list[int] = []

    async def handle(number: int, store: AtomicRedisLockStore) -> None:
        async with store.lock(conversation, wait_time_in_seconds=0.01):
            inside.append(number)
            if len(inside) > 1:
                overlaps.append(list(inside))
            await asyncio.sleep(0.02)  # handling the message
            inside.remove(number)
            served.append(number)

    def server(number: int, store: AtomicRedisLockStore) -> None:
        start.wait()
        asyncio.run(handle(number, store))

    threads = [threading.Thread(target=server, args=(i, store)) for i, store in enumerate(stores(redis_port))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlaps == []
    assert sorted(served) == list(range(SERVERS))
    assert stores(redis_port, 1)[0].get_lock(conversation) is None  # the last one out deleted the lock
