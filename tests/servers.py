"""The real servers for the integration and browser tests: free loopback ports, a private tracker database."""

from __future__ import annotations

import secrets
import socket
from pathlib import Path

from bot.launcher import Stack
from bot.server.secret import ENV_NAME as TOKEN_ENV
from tests.rasa_cli import trained_model


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def isolated_stack(workdir: Path, tracker_db: Path, web: bool) -> Stack:
    """A Stack on free ports with its own endpoints.yml, tracker database, action server token and logs under workdir.

    The endpoints are the project's own but for the database, so the tests run what `make run` runs.
    """
    endpoints = workdir / "endpoints.yml"
    project = (Path(__file__).resolve().parent.parent / "endpoints.yml").read_text(encoding="utf-8")
    endpoints.write_text(project.replace('db: "var/tracker.db"', f'db: "{tracker_db}"'), encoding="utf-8")
    return Stack(
        rasa_port=free_port(),
        actions_port=free_port(),
        web_port=free_port() if web else None,
        model=trained_model(),
        endpoints=endpoints,
        log_dir=workdir / "log",
        env={TOKEN_ENV: secrets.token_urlsafe(32)},
    )
