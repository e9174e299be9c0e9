"""The real servers for the integration and browser tests: free loopback ports, a private tracker database."""

from __future__ import annotations

import socket
from pathlib import Path

from bot.database.migrate import upgrade
from bot.launcher import Stack
from tests.rasa_cli import trained_model


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def isolated_stack(workdir: Path, tracker_db: Path, web: bool) -> Stack:
    """A Stack on free ports with its own endpoints.yml, tracker database (migrated, as `make run` does) and logs."""
    upgrade(f"sqlite:///{tracker_db}")
    actions_port = free_port()
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n'
        f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{tracker_db}"\n'
    )
    return Stack(
        rasa_port=free_port(),
        actions_port=actions_port,
        web_port=free_port() if web else None,
        model=trained_model(),
        endpoints=endpoints,
        log_dir=workdir / "log",
    )
