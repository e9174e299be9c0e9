"""The action server runs actions only for callers with the shared token (the Rasa server)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from bot.launcher import wait_until_up
from bot.stack import ROOT
from clinic.database.revisions import upgrade
from tools.servers import free_port

TOKEN = secrets.token_urlsafe(32)


def booking_call(name: str) -> dict[str, Any]:
    """What a forged call once sent: run action_save_booking for a made-up patient."""
    slots = {"patient_name": name, "contact": "512-555-0134", "preferred_time": "monday", "assessment": "other"}
    return {
        "next_action": "action_save_booking",
        "sender_id": "forged",
        "version": "3.6.21",
        "domain": {},
        "tracker": {
            "sender_id": "forged",
            "slots": slots,
            "latest_message": {"text": "", "intent": {}, "entities": []},
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }


def post(url: str, body: dict[str, Any] | None, headers: dict[str, str], method: str = "POST") -> int:
    """The status of a call (a JSON body, or none)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json", **headers}, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture(scope="module")
def action_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`python -m bot.server.actions` on a free port, storing bookings in its own database."""
    folder = tmp_path_factory.mktemp("actions")
    bookings = folder / "bookings.db"
    upgrade(f"sqlite:///{bookings}")  # as `make migrate` does before the servers start
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ACTION_SERVER_TOKEN": TOKEN}
    env["BOOKINGS_DATABASE_URL"] = f"sqlite:///{bookings}"
    command = [sys.executable, "-m", "bot.server.actions", "--port", str(port)]
    log = (folder / "actions.log").open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health", process, timeout=120)
        yield f"http://127.0.0.1:{port}", bookings
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def stored_names(bookings: Path) -> list[str]:
    with sa.create_engine(f"sqlite:///{bookings}").connect() as connection:
        return list(connection.execute(sa.text("SELECT patient_name FROM booking_requests")).scalars())


def test_a_forged_call_is_refused_and_stores_nothing(action_server: tuple[str, Path]) -> None:
    url, bookings = action_server
    assert post(f"{url}/webhook", booking_call("Forged One"), {}) == 401
    assert post(f"{url}/webhook", booking_call("Forged Two"), {"Authorization": "Bearer guessed"}) == 401
    assert post(f"{url}/webhook", booking_call("Forged Three"), {"Authorization": TOKEN}) == 401  # not as Rasa sends it
    assert stored_names(bookings) == []


def test_the_rasa_servers_call_with_the_token_runs_the_action(action_server: tuple[str, Path]) -> None:
    url, bookings = action_server
    assert post(f"{url}/webhook", booking_call("Sara Lopez"), {"Authorization": f"Bearer {TOKEN}"}) == 200
    assert stored_names(bookings) == ["Sara Lopez"]


def test_health_stays_open_for_the_launcher(action_server: tuple[str, Path]) -> None:
    url, _ = action_server
    with urllib.request.urlopen(f"{url}/health", timeout=10) as response:
        assert response.status == 200


@pytest.mark.parametrize(
    ("method", "path", "with_token", "status"),
    [
        ("OPTIONS", "/webhook", False, 401),  # rasa_sdk's CORS answered 200 to anyone
        ("OPTIONS", "/actions", False, 401),
        ("GET", "/no-such-path", False, 401),  # without the token nothing says which paths exist
        ("GET", "/no-such-path", True, 404),
        ("POST", "/no-such-path", True, 404),
        ("DELETE", "/webhook", True, 405),
        ("GET", "/webhook", True, 405),
        ("PUT", "/health", False, 405),
        ("HEAD", "/health", False, 405),
    ],
)
def test_unknown_paths_and_methods_are_refused_as_such(
    action_server: tuple[str, Path], method: str, path: str, with_token: bool, status: int
) -> None:
    url, bookings = action_server
    headers = {"Authorization": f"Bearer {TOKEN}"} if with_token else {}
    assert post(f"{url}{path}", None, headers, method) == status
