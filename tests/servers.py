"""The real servers for the integration and browser tests: free loopback ports, a private tracker database."""

from __future__ import annotations

import secrets
import socket
import subprocess
import sys
from pathlib import Path

import yaml

from bot.database.migrate import upgrade
from bot.launcher import ROOT, Stack
from bot.server.secret import ENV_NAME as TOKEN_ENV
from tests.rasa_cli import trained_model


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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


SERVER_MODULES = {  # how bot/launcher.py runs each server: `python -m <module>`
    "actions": "bot.server.actions",
    "rasa": "bot.server.rasa_main",
    "web": "bot.web",
    "console": "bot.console",
}


def children_of(pid: int) -> dict[str, int]:
    """The launcher's running servers by name (actions, rasa, web, console) and process id, from /proc."""
    found: dict[str, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError):
            continue
        if int(fields[1]) != pid or fields[0] == "Z":
            continue
        words = [w.decode() for w in command]
        for name, mark in SERVER_MODULES.items():
            if mark in words:
                found[name] = int(stat.parent.name)
    return found


def port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0
