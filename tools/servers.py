"""The real servers for the integration and browser tests: free loopback ports, a private tracker database;
and talking to them as a patient does (Rasa's REST channel, the widget's proxy), safety check included."""

from __future__ import annotations

import json
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.launcher import wait_until_up
from bot.scaled import cluster_dir
from bot.server.secret import ENV_NAME as TOKEN_ENV
from bot.stack import ROOT, Stack
from clinic.database.revisions import upgrade
from clinic.red_flags import Level
from clinic.safety_check import check_buttons
from tools.rasa_cli import trained_model

# "None of these" to both questions of the safety check that opens the pain questions (clinic/safety_check.py):
# none of the emergency signs, then none of the urgent ones. Scripts put it right after their opening.
NO_SIGNS = ("no", "no")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def free_ports_in_a_row(count: int) -> int:
    """The first of `count` consecutive free loopback ports (the scaled profile's replicas take them in a row)."""
    while True:
        first = random.randrange(20_000, 60_000 - count)
        try:
            with bound(range(first, first + count)):
                return first
        except OSError:
            continue


@contextmanager
def bound(ports: range) -> Iterator[None]:
    """Every port of `ports` bound for the duration (OSError if one is taken)."""
    held: list[socket.socket] = []
    try:
        for port in ports:
            held.append(socket.socket())
            held[-1].bind(("127.0.0.1", port))
        yield
    finally:
        for s in held:
            s.close()


def isolated_stack(workdir: Path, tracker_db: Path, web: bool) -> Stack:
    """A Stack on free ports with its own endpoints.yml, tracker database (migrated, as `make run` does), action
    server token and logs under workdir.

    The endpoints are the project's own but for the database, so the tests run what `make run` runs.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    upgrade(f"sqlite:///{tracker_db}")
    endpoints = workdir / "endpoints.yml"
    config = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    config["tracker_store"]["db"] = str(tracker_db)
    endpoints.write_text(yaml.safe_dump(config), encoding="utf-8")
    return Stack(
        rasa_port=free_port(),
        actions_port=free_port(),
        web_port=free_port() if web else None,
        model=trained_model(),
        endpoints=endpoints,
        log_dir=workdir / "log",
        run_dir=workdir / "run",
        env={TOKEN_ENV: secrets.token_urlsafe(32)},
    )


def launcher_command(stack: Stack, *extra: str) -> list[str]:
    """`python -m bot.launcher` (what `make run` runs) for `stack`, with no staff console."""
    return [
        sys.executable, "-m", "bot.launcher",
        "--rasa-port", str(stack.rasa_port), "--actions-port", str(stack.actions_port),
        "--web-port", str(stack.web_port or 0), "--console-port", "0",
        "--model", str(stack.model), "--endpoints", str(stack.endpoints), "--log-dir", str(stack.log_dir),
        *extra,
    ]  # fmt: skip


def launched(stack: Stack, *extra: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """The launcher for `stack` as its own process, its output captured (text) for the assertions."""
    return subprocess.Popen(
        launcher_command(stack, *extra),
        cwd=ROOT,
        env={**stack.environment(), **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def live_processes() -> dict[int, tuple[int, list[str]]]:
    """Every live process: its parent's id and its command line's words, from /proc."""
    found: dict[int, tuple[int, list[str]]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError):
            continue
        if fields[0] != "Z":
            found[int(stat.parent.name)] = (int(fields[1]), [w.decode(errors="replace") for w in command if w])
    return found


def children_of(pid: int) -> dict[str, int]:
    """The launcher's running servers by name (actions, rasa, web, console) and process id."""
    found: dict[str, int] = {}
    for child, (parent, words) in live_processes().items():
        if parent != pid:
            continue
        marks = (
            ("actions", "bot.server.actions"),
            ("rasa", "bot.server.rasa_main"),
            ("web", "bot.web"),
            ("console", "bot.console"),
        )
        for name, mark in marks:
            if mark in words:
                found[name] = child
    return found


def descendants(pid: int) -> dict[int, list[str]]:
    """Every live process under `pid` (its children, theirs, ...) with its command line."""
    processes = live_processes()
    found: dict[int, list[str]] = {}
    todo = [pid]
    while todo:
        parent = todo.pop()
        for child in [c for c, (p, _) in processes.items() if p == parent]:
            found[child] = processes[child][1]
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    """A process that exists and is not a zombie."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@dataclass(frozen=True)
class Scaled:
    """The scaled profile started by its launcher: nginx's and the web app's ports (stack), where its data is."""

    stack: Stack
    launcher: subprocess.Popen[str]
    data_dir: Path
    database_url: str
    replicas: int


@contextmanager
def scaled_profile(workdir: Path, replicas: int = 2, timeout: float = 400) -> Iterator[Scaled]:
    """`make run-scaled` on free ports, with its own PostgreSQL cluster and Redis, until SIGTERM at the end.

    Its data goes in `workdir`, a private folder when pytest made it, so as root the cluster goes where the `postgres`
    user can enter (bot/scaled.py `cluster_dir`), as in a clone in a private folder; all is removed afterwards.
    """
    data_dir = workdir / "data"
    stack = Stack(
        rasa_port=free_port(),
        actions_port=free_port(),
        web_port=free_port(),
        model=trained_model(),
        endpoints=ROOT / "endpoints-scaled.yml",
        log_dir=workdir / "log",
        env={TOKEN_ENV: secrets.token_urlsafe(32)},
    )
    engines = {
        "POSTGRES_PORT": str(free_port()),
        "REDIS_PORT": str(free_port()),
        "POSTGRES_PASSWORD": secrets.token_urlsafe(16),
    }
    extra = (
        "--replicas",
        str(replicas),
        "--replica-port",
        str(free_ports_in_a_row(2 * replicas)),
        "--data-dir",
        str(data_dir),
    )
    launcher = launched(stack, *extra, env=engines)
    try:
        wait_until_up(f"{stack.web_url}/health", launcher, timeout)  # type: ignore[arg-type]
        url = f"postgresql://clinic:{engines['POSTGRES_PASSWORD']}@127.0.0.1:{engines['POSTGRES_PORT']}/clinic"
        yield Scaled(stack, launcher, data_dir, url, replicas)
    finally:
        if launcher.poll() is None:
            launcher.send_signal(signal.SIGTERM)
            launcher.communicate(timeout=60)
        shutil.rmtree(cluster_dir(data_dir), ignore_errors=True)
        shutil.rmtree(data_dir, ignore_errors=True)


def post(url: str, sender: str, message: str) -> Any:
    request = urllib.request.Request(
        url,
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def say(stack: Stack, sender: str, text: str) -> list[dict]:
    """A message to Rasa's REST channel."""
    return list(post(f"{stack.rasa_url}/webhooks/rest/webhook", sender, text))


def chat(stack: Stack, sender: str, message: str) -> list[dict]:
    """A message through the widget's proxy (the web app), as a patient's browser sends it."""
    return list(post(f"{stack.web_url}/api/chat", sender, message)["messages"])


def text_of(replies: list[dict]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def titles(replies: list[dict]) -> list[str]:
    """The buttons the patient is left with: those of the last reply."""
    return [b["title"] for b in (replies[-1].get("buttons") or [])] if replies else []


def assert_asks_safety_check(replies: list[dict], level: Level, cleared: Iterable[str] = ()) -> None:
    """The replies end with the safety check's question at `level`: one button per sign not ruled out, in order,
    then "None of these" and "Not sure"."""
    assert titles(replies) == [b["title"] for b in check_buttons(level, cleared)], text_of(replies)


Send = Callable[[Stack, str, str], list[dict]]


def answer_safety_check(stack: Stack, sender: str, send: Send = say) -> list[dict]:
    """ "No" to both questions of the safety check, once the opening's reply has asked the first (emergency signs).

    The second (urgent signs) must follow the first "no"; returns the replies to the second "no": the first
    pain question, or the assessment when nothing is left to ask.
    """
    assert_asks_safety_check(send(stack, sender, NO_SIGNS[0]), Level.URGENT)
    return send(stack, sender, NO_SIGNS[1])
