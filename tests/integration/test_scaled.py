"""The scaled profile for real (`make run-scaled`): PostgreSQL, Redis, nginx, two Rasa and two action servers.

nginx balances every message afresh (no sticky sessions) and says which Rasa replica served it (X-Upstream): a
conversation's messages land on both replicas, whose cached trackers must catch up on what the other stored. Each
reply must be the one the conversation's state calls for, every patient message stored once and in order in
PostgreSQL, the slots intact and the booking stored once. Two messages of one conversation sent at once go to both
replicas and are handled one after the other (Rasa's lock in Redis).
"""

from __future__ import annotations

import asyncio
import json
import signal
import time
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered

from bot.console.console_app import create_app
from bot.console.console_settings import ConsoleSettings
from bot.console.conversation_summaries import refresh
from bot.console.users import create_user
from bot.scaled import cluster_dir
from tests.bot.console.console_support import PASSWORD, list_rows
from tests.integration.running_assistant import assert_booked_visit_slots, modes
from tools.console_client import console_client, log_in
from tools.rasa_cli import ROOT
from tools.servers import Scaled, alive, descendants, port_open, scaled_profile

# A whole visit to a booking: each message and what its reply must say (the conversation's state shows in it).
VISIT = [
    ("hi", "Frontier Allergy"),
    # The safety check first: none of the emergency signs, then none of the urgent ones.
    (
        "I get a dull ache between my shoulder blades after coughing fits, worse when I lie down",
        "any of these right now",
    ),
    ("no", "To be safe: do you have any of these?"),
    ("no", "under control"),
    ("yes it does", "breathing exercises or a better posture"),
    ("yeah", "normal movement, lifting or sleep"),
    ("no", "keep coming back"),
    ("no", "asthma medicines"),
    ("i use flovent twice a day", "usual pattern of asthma-related back pain"),
    ("yes please", "name"),
    ("Sara Lopez", "phone number or email"),
    ("512-555-0134", "When would suit you"),
    ("tuesday morning", "I've sent your request to the clinic"),
]
PATIENTS = 4


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scaled]:
    with scaled_profile(tmp_path_factory.mktemp("scaled")) as profile:
        yield profile


def post(url: str, sender: str, message: str) -> tuple[list[dict], str]:
    """A message to Rasa's REST channel through nginx: the replies, and the replica that served it."""
    request = urllib.request.Request(
        url,
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return list(json.loads(response.read())), response.headers["X-Upstream"]


def visit(scaled: Scaled) -> tuple[str, list[str], list[str]]:
    """One patient's whole visit: their id, what each reply said, and the replica of each message."""
    sender = str(uuid.uuid4())
    said, served_by = [], []
    for message, _ in VISIT:
        replies, replica = post(f"{scaled.stack.rasa_url}/webhooks/rest/webhook", sender, message)
        said.append("\n".join(r.get("text", "") for r in replies))
        served_by.append(replica)
    return sender, said, served_by


def stored_messages(engine: sa.engine.Engine, sender: str) -> list[str]:
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT data FROM events WHERE sender_id = :s AND type_name = :t ORDER BY id"),
            {"s": sender, "t": UserUttered.type_name},
        )
        return [json.loads(data)["text"] for (data,) in rows]


@pytest.fixture(scope="module")
def database(scaled: Scaled) -> Iterator[sa.engine.Engine]:
    engine = sa.create_engine(scaled.database_url, future=True)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def visits(scaled: Scaled) -> list[tuple[str, list[str], list[str]]]:
    """PATIENTS whole visits at once."""
    with ThreadPoolExecutor(PATIENTS) as pool:
        return list(pool.map(lambda _: visit(scaled), range(PATIENTS)))


def test_conversations_spread_over_the_replicas_keep_their_order_slots_and_booking(
    scaled: Scaled, database: sa.engine.Engine, visits: list[tuple[str, list[str], list[str]]]
) -> None:
    replicas = {replica for _, _, served_by in visits for replica in served_by}
    assert len(replicas) == scaled.replicas  # nginx used every replica
    assert any(len(set(served_by)) > 1 for _, _, served_by in visits)
    print(f"\nReplicas per conversation: {[len(set(served_by)) for _, _, served_by in visits]}")

    store = SQLTrackerStore(Domain.load(str(ROOT / "domain.yml")), **_store_settings(scaled))
    for sender, said, _ in visits:
        for (message, expected), reply in zip(VISIT, said, strict=True):
            assert expected in reply, f"{message!r} got {reply!r}"
        assert stored_messages(database, sender) == [message for message, _ in VISIT]  # each once, in order
        tracker = asyncio.run(store.retrieve(sender))
        assert tracker is not None
        assert_booked_visit_slots(tracker)
        with database.connect() as connection:
            bookings = connection.execute(
                sa.text(
                    "SELECT patient_name, contact, preferred_time FROM booking_requests WHERE conversation_id = :c"
                ),
                {"c": sender},
            ).all()
        assert [tuple(b) for b in bookings] == [("Sara Lopez", "(512) 555-0134", "tuesday morning")]
    store.engine.dispose()


def _store_settings(scaled: Scaled) -> dict[str, object]:
    url = sa.engine.make_url(scaled.database_url)
    return {
        "dialect": "postgresql",
        "host": url.host,
        "port": url.port,
        "db": url.database,
        "username": url.username,
        "password": url.password,
    }


async def test_the_console_reads_the_conversations_and_bookings_from_postgresql(
    scaled: Scaled, database: sa.engine.Engine, visits: list[tuple[str, list[str], list[str]]]
) -> None:
    app = create_app(ConsoleSettings(database_url=scaled.database_url), name=f"console_scaled_{uuid.uuid4().hex}")
    create_user(app.ctx.engine, "sam", PASSWORD, "staff")
    senders = {sender for sender, _, _ in visits}
    async with console_client(app) as client:
        assert (await log_in(client, "sam", PASSWORD)).status_code == 302
        refresh(app.ctx.engine)  # what the console's background task does every few seconds
        rows = {r["id"]: r for r in await list_rows(client, "")}
        bookings = (await client.get("/bookings")).text
    assert senders <= set(rows)
    for sender in senders:
        assert (rows[sender]["turns"], rows[sender]["assessment"], rows[sender]["booking"]) == (
            str(len(VISIT)),
            "asthma related",
            "sent",
        )
    assert bookings.count("Sara Lopez") >= PATIENTS


def test_two_messages_of_one_conversation_at_once_are_both_handled_one_after_the_other(
    scaled: Scaled, database: sa.engine.Engine
) -> None:
    sender = str(uuid.uuid4())
    url = f"{scaled.stack.rasa_url}/webhooks/rest/webhook"
    post(url, sender, "hi")
    together = ["my lower back aches after I lift things", "can my inhaler cause back pain?"]
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda message: post(url, sender, message), together))
    assert all(replies for replies, _ in answers)
    assert len({replica for _, replica in answers}) == 2  # one on each replica
    stored = stored_messages(database, sender)
    assert stored[0] == "hi" and sorted(stored[1:]) == sorted(together)  # both, once each


def test_the_widget_proxy_reaches_rasa_through_nginx(scaled: Scaled) -> None:
    access_log = scaled.data_dir / "nginx" / "access.log"
    before = access_log.read_text().count("/webhooks/rest/webhook")
    sender = str(uuid.uuid4())
    for message, expected in VISIT[:3]:
        request = urllib.request.Request(
            f"{scaled.stack.web_url}/api/chat",
            data=json.dumps({"sender": sender, "message": message}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            body = json.loads(response.read())
        assert expected in "\n".join(m.get("text", "") for m in body["messages"])
    assert access_log.read_text().count("/webhooks/rest/webhook") - before == 3


def test_every_file_of_the_profile_is_private(scaled: Scaled) -> None:
    """Its PostgreSQL cluster, Redis's and nginx's files (var/scaled/ in make run-scaled) and the logs."""
    folders = [scaled.data_dir, cluster_dir(scaled.data_dir), scaled.stack.log_dir]
    assert {str(folder): modes(folder) for folder in folders} == {str(folder): {} for folder in folders}


def test_sigterm_stops_every_process(scaled: Scaled) -> None:
    processes = descendants(scaled.launcher.pid)
    assert len(processes) >= 2 * scaled.replicas + 4  # the replicas, nginx, PostgreSQL, Redis, the web app
    signalled = time.monotonic()
    scaled.launcher.send_signal(signal.SIGTERM)
    scaled.launcher.communicate(timeout=60)
    print(f"\nSIGTERM: the scaled profile stopped in {time.monotonic() - signalled:.1f} s")
    assert not [" ".join(command) for pid, command in processes.items() if alive(pid)]
    postgres_log = (scaled.stack.log_dir / "postgres.log").read_text()
    assert "database system is shut down" in postgres_log  # a clean shutdown, not killed
    stack = scaled.stack
    assert not any(port_open(port) for port in (stack.rasa_port, stack.actions_port, stack.web_port or 0))
