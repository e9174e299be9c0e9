"""Faults the running assistant survives, on the real servers under the real launcher (`make run`'s).

One supervised stack is shared by the conversation faults (each test leaves it running); the crash
loop and the signals get launchers of their own that never need Rasa to finish loading.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.launcher import wait_until_up
from bot.stack import Stack
from clinic.config import load_clinic
from tests.integration.running_assistant import OPENING, PHRASE, chat, logs_of, replies, said, say_to_rasa
from tools.load.chat_load import drive, lost_messages
from tools.servers import (
    alive,
    answer_safety_check,
    children_of,
    isolated_stack,
    launched,
    port_open,
    text_of,
    titles,
)

PHONE = load_clinic().phone


def at_the_first_question(stack: Stack) -> str:
    """A new conversation, greeted, past the safety check ("None of these" twice) and asked its first pain question;
    its id."""
    sender = str(uuid.uuid4())
    said(stack, sender, "/greet")
    said(stack, sender, OPENING)
    assert "under control" in text_of(answer_safety_check(stack, sender, replies))
    return sender


def slots(tracker_db: Path, sender: str) -> dict[str, Any]:
    """The slots as the tracker store has them, from its events."""
    with sqlite3.connect(tracker_db) as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'slot' ORDER BY id", (sender,))
        return {event["name"]: event["value"] for event in (json.loads(data) for (data,) in rows)}


def wait_for_restart(launcher: subprocess.Popen[str], name: str, old_pid: int, timeout: float = 240) -> int:
    """The new process id of `name` once the launcher has started it again."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert launcher.poll() is None, launcher.communicate()
        pid = children_of(launcher.pid).get(name)
        if pid is not None and pid != old_pid:
            return pid
        time.sleep(0.2)
    raise AssertionError(f"the launcher did not restart {name} within {timeout:.0f} s")


def since(started: float) -> float:
    return time.monotonic() - started


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("faults")


@pytest.fixture(scope="module")
def supervised(workdir: Path) -> Iterator[tuple[Stack, subprocess.Popen[str]]]:
    """`make run`'s launcher on free ports; booking requests go to a database whose table can't take them."""
    stack = isolated_stack(workdir, workdir / "tracker.db", web=True)
    bookings = workdir / "bookings.db"
    with sqlite3.connect(bookings) as db:
        db.execute("CREATE TABLE booking_requests (id INTEGER PRIMARY KEY)")  # an insert fails, quoting its values
    launcher = launched(stack, "--restart-backoff", "0.5", env={"BOOKINGS_DATABASE_URL": f"sqlite:///{bookings}"})
    try:
        wait_until_up(f"{stack.web_url}/health", launcher, timeout=300)  # type: ignore[arg-type]
        wait_until_up(f"{stack.rasa_url}/webhooks/rest/", launcher, timeout=300)  # type: ignore[arg-type]
        yield stack, launcher
    finally:
        if launcher.poll() is None:
            launcher.send_signal(signal.SIGTERM)
            launcher.communicate(timeout=60)


def test_concurrent_conversations_all_answered_and_nothing_lost(
    supervised: tuple[Stack, subprocess.Popen[str]],
) -> None:
    """`make load`, small: 5 patients at once, 4 messages each, every one answered and stored."""
    stack, _ = supervised
    outcome = asyncio.run(drive(stack.web_url, conversations=5, messages=4))
    assert outcome.errors == {}
    assert lost_messages(stack.endpoints.parent / "tracker.db", outcome.sent) == 0
    assert len(outcome.latencies) == 20


def test_the_action_server_killed_mid_conversation(supervised: tuple[Stack, subprocess.Popen[str]]) -> None:
    """The patient hears back within 5 s with the clinic's phone; after the restart the answer is taken up."""
    stack, launcher = supervised
    sender = at_the_first_question(stack)

    actions = children_of(launcher.pid)["actions"]
    os.kill(actions, signal.SIGKILL)
    killed = time.monotonic()
    status, body, seconds = chat(stack, sender, "yes it does")
    assert status == 503 and seconds < 5
    assert "try again in a moment" in body["error"] and PHONE in body["error"]

    wait_for_restart(launcher, "actions", actions)
    wait_until_up(f"{stack.actions_url}/health", launcher, timeout=120)  # type: ignore[arg-type]
    print(f"\naction server killed: the patient was told in {seconds:.3f} s; back after {since(killed):.1f} s")
    assert "breathing exercises or a better posture" in said(stack, sender, "yes it does")
    kept = slots(Path(stack.endpoints.parent / "tracker.db"), sender)
    assert kept["pain_location"] == "between_shoulder_blades" and kept["eases_with_control"] is True


def test_the_rasa_server_killed_is_restarted_and_the_conversation_resumes(
    supervised: tuple[Stack, subprocess.Popen[str]],
) -> None:
    stack, launcher = supervised
    sender = at_the_first_question(stack)

    rasa = children_of(launcher.pid)["rasa"]
    os.kill(rasa, signal.SIGKILL)
    killed = time.monotonic()
    status, body, seconds = chat(stack, sender, "yes it does")
    assert status == 502 and "try again" in body["error"]

    wait_for_restart(launcher, "rasa", rasa)
    wait_until_up(f"{stack.rasa_url}/webhooks/rest/", launcher, timeout=300)  # type: ignore[arg-type]
    print(f"\nRasa killed: the patient was told in {seconds:.3f} s; back after {since(killed):.1f} s")
    assert "breathing exercises or a better posture" in said(stack, sender, "yes it does")  # where it was


def test_no_patient_text_reaches_the_logs_even_when_an_action_fails(
    supervised: tuple[Stack, subprocess.Popen[str]],
) -> None:
    """A whole conversation whose booking can't be stored (the failed insert quotes the patient's details)."""
    stack, _ = supervised
    sender = str(uuid.uuid4())
    said(stack, sender, "/greet")
    said(stack, sender, f"{OPENING}, {PHRASE} here")
    answer_safety_check(stack, sender, replies)
    for answer in ("yes it does", "yeah", "no", "no", "i use flovent twice a day", "yes please"):
        said(stack, sender, answer)
    said(stack, sender, f"Sara {PHRASE}")
    said(stack, sender, "512-555-0134")
    assert "couldn't save your request" in said(stack, sender, "tuesday morning")
    typed_slots = {"pain_timing": {PHRASE: 1}, "pain_location": [PHRASE]}  # once crashed the actions
    say_to_rasa(stack, str(uuid.uuid4()), f"/describe_pain{json.dumps(typed_slots)}")

    logs = logs_of(stack)
    assert "Could not store the booking request" in logs  # the failure is logged...
    assert PHRASE.lower() not in logs.lower()  # ...without what the patient said


def test_an_unwritable_tracker_database_is_loud_and_the_patient_is_told(
    supervised: tuple[Stack, subprocess.Popen[str]],
) -> None:
    """Never a silent fallback to memory: a CRITICAL line in rasa.log and the clinic's phone for the patient."""
    stack, _ = supervised
    tracker_db = stack.endpoints.parent / "tracker.db"
    sender = str(uuid.uuid4())
    said(stack, sender, "/greet")
    aside = tracker_db.with_suffix(".aside")
    shutil.move(tracker_db, aside)
    tracker_db.mkdir()  # root writes through file modes: a directory in its place can't be opened
    try:
        status, body, seconds = chat(stack, sender, OPENING)
    finally:
        tracker_db.rmdir()
        shutil.move(aside, tracker_db)
    assert status == 503 and seconds < 5 and PHONE in body["error"]
    rasa_log = (stack.log_dir / "rasa.log").read_text()
    assert "CRITICAL" in rasa_log and "The tracker store at sqlite:///" in rasa_log
    assert "InMemoryTrackerStore" not in rasa_log
    # Once the database is back, the retry is taken up: the safety check, the opening's first question.
    assert "None of these" in titles(replies(stack, sender, OPENING))


def test_sigterm_stops_every_server(supervised: tuple[Stack, subprocess.Popen[str]]) -> None:
    """What `kill`, a service manager or a container stop sends: no server is left holding its port."""
    stack, launcher = supervised
    servers = children_of(launcher.pid)
    assert set(servers) == {"actions", "rasa", "web"}
    signalled = time.monotonic()
    launcher.send_signal(signal.SIGTERM)
    launcher.communicate(timeout=60)
    print(f"\nSIGTERM: the launcher and every server stopped in {since(signalled):.1f} s")
    assert not any(alive(pid) for pid in servers.values())
    assert not any(port_open(p) for p in (stack.rasa_port, stack.actions_port, stack.web_port or 0))


@pytest.mark.parametrize(
    ("signum", "mode"),
    [
        (signal.SIGINT, ()),  # Ctrl-C in `make run`
        (signal.SIGHUP, ()),  # its terminal closed: the servers run in sessions of their own
        (signal.SIGHUP, ("--shell",)),  # `make shell`'s terminal closed: its action server held port 5056
    ],
    ids=["sigint-run", "sighup-run", "sighup-shell"],
)
def test_a_stop_signal_while_starting_stops_what_was_started(
    workdir: Path, signum: signal.Signals, mode: tuple[str, ...]
) -> None:
    folder = workdir / f"{signum.name}{''.join(mode)}"
    stack = isolated_stack(folder, folder / "tracker.db", web=True)
    launcher = launched(stack, *mode)
    servers = children_of(launcher.pid)
    deadline = time.monotonic() + 120
    while set(servers) != {"actions", "rasa"} and time.monotonic() < deadline:  # Rasa started, loading its model
        time.sleep(0.2)
        servers = children_of(launcher.pid)
    assert set(servers) == {"actions", "rasa"}
    launcher.send_signal(signum)
    launcher.communicate(timeout=60)
    assert not any(alive(pid) for pid in servers.values())
    assert not port_open(stack.actions_port)


def test_a_server_that_keeps_crashing_is_retried_then_the_launcher_gives_up_saying_why(workdir: Path) -> None:
    stack = isolated_stack(workdir / "crashing", workdir / "crashing.db", web=True)
    with socket.socket() as squatter:  # another program holds the action server's port
        squatter.bind(("127.0.0.1", stack.actions_port))
        squatter.listen()
        launcher = launched(stack, "--restart-backoff", "0.5", "--max-restarts", "2")
        _, errors = launcher.communicate(timeout=180)
    assert launcher.returncode == 1
    assert "The actions server failed 3 times in a row" in errors
    assert "address already in use" in errors.lower()  # the end of its log says why
    assert "starting it again in 0.5 s" in errors and "starting it again in 1.0 s" in errors  # backing off
    assert not port_open(stack.rasa_port)  # nothing after it was left running
