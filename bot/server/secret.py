"""The shared secret the Rasa server shows the action server, so no one else can run the actions.

It comes from ACTION_SERVER_TOKEN, or from a file under var/ made on first start (mode 0600, never
committed). The launcher passes it to both servers; endpoints.yml reads it as ${ACTION_SERVER_TOKEN}.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ENV_NAME = "ACTION_SERVER_TOKEN"
ROOT = Path(__file__).resolve().parent.parent.parent
TOKEN_FILE = ROOT / "var" / "action-server.token"


def action_server_token(path: Path = TOKEN_FILE) -> str:
    """The environment's token if set; else the one stored at `path`, created the first time."""
    return stored_secret(ENV_NAME, path)


def stored_secret(env_name: str, path: Path) -> str:
    """The environment variable `env_name` if set; else the random secret stored at `path` (0600), made the first time.

    The scaled profile keeps its database and Redis passwords this way too (bot/scaled.py).
    """
    given = os.environ.get(env_name, "").strip()
    if given:
        return given
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(32))
    return path.read_text(encoding="utf-8").strip()
