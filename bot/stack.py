"""The assistant's servers as the launcher starts them: where each listens, its command line and its health check.

Apart from bot/launcher.py so the scaled profile (bot/scaled.py) builds on the same commands without importing
the launcher that starts it.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.server.logfiles import LOG_DIR
from bot.server.secret import ENV_NAME as TOKEN_ENV
from bot.server.secret import action_server_token

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LOGGING_CONFIG = ROOT / "bot" / "server" / "logging.yml"
RASA = (sys.executable, "-m", "bot.server.rasa_main")  # Rasa's CLI with bot/server/action_results.py installed


@dataclass(frozen=True)
class Stack:
    """Where the processes listen and what they read."""

    host: str = "127.0.0.1"
    rasa_port: int = 5005
    actions_port: int = 5055
    web_port: int | None = 8000  # the homepage, widget and chat proxy; None: not started
    # The staff console: its own port and address, so it can stay internal. None: not started.
    console_port: int | None = None
    console_host: str = "127.0.0.1"
    model: Path = ROOT / "models"
    endpoints: Path = ROOT / "endpoints.yml"
    credentials: Path = ROOT / "credentials.yml"
    log_dir: Path = LOG_DIR
    run_dir: Path = ROOT / "var" / "run"  # what the servers are given at start, e.g. Rasa's endpoints
    env: dict[str, str] = field(default_factory=dict)

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://{self.host}:{self.actions_port}"

    @property
    def web_url(self) -> str:
        return f"http://{self.host}:{self.web_port}"

    @property
    def console_url(self) -> str:
        return f"http://{self.console_host}:{self.console_port}"

    @property
    def token(self) -> str:
        """The action server's shared secret: this stack's own, else the environment's or var/'s."""
        return self.env.get(TOKEN_ENV) or action_server_token()

    def environment(self) -> dict[str, str]:
        """Telemetry off (health data stays here); the project importable; the action server bound, its token shared."""
        return {
            **os.environ,
            "RASA_TELEMETRY_ENABLED": "false",
            "PYTHONPATH": str(ROOT),
            "SANIC_HOST": self.host,
            "RASA_ENDPOINTS": str(self.endpoints),
            TOKEN_ENV: self.token,
            **self.env,
        }


def actions_command(stack: Stack) -> list[str]:
    return [sys.executable, "-m", "bot.server.actions", "--host", stack.host, "--port", str(stack.actions_port)]


def rasa_endpoints(stack: Stack) -> Path:
    """The stack's endpoints.yml as its Rasa server gets it: the action server's port and token filled in.

    Written to the stack's run_dir (mode 0600: it holds the token), so endpoints.yml itself stays
    free of secrets and of ${VARIABLES} that every other reader of it would have to set.
    """
    config = yaml.safe_load(stack.endpoints.read_text(encoding="utf-8")) or {}
    config["action_endpoint"] = {
        "url": f"{stack.actions_url}/webhook",
        "headers": {"Authorization": f"Bearer {stack.token}"},
    }
    path = stack.run_dir / f"endpoints-{stack.rasa_port}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        yaml.safe_dump(config, file)
    return path


def rasa_command(stack: Stack) -> list[str]:
    return [
        *RASA, "run",
        "-i", stack.host, "-p", str(stack.rasa_port),
        "--model", str(stack.model),
        "--endpoints", str(rasa_endpoints(stack)),
        "--credentials", str(stack.credentials),
        "--logging-config-file", str(LOGGING_CONFIG),
    ]  # fmt: skip


def web_command(stack: Stack) -> list[str]:
    return [
        sys.executable, "-m", "bot.web",
        "--host", stack.host, "--port", str(stack.web_port),
        "--rasa-url", stack.rasa_url,
    ]  # fmt: skip


def console_command(stack: Stack) -> list[str]:
    return [sys.executable, "-m", "bot.console", "--host", stack.console_host, "--port", str(stack.console_port)]


@dataclass(frozen=True)
class Service:
    """One of the assistant's servers: how to start it and where it says it is up."""

    name: str  # also its log's name
    command: Callable[[Stack], list[str]]
    health_url: str  # http://...: answers 200; tcp://host:port: accepts connections
    prepare: Callable[[], None] | None = None  # run once it is up, before the next server starts
    with_next: bool = False  # start the next server without waiting for this one (they come up in parallel)
    stop_signal: int = signal.SIGTERM  # what asks it to stop cleanly


def services(stack: Stack) -> list[Service]:
    """The servers `stack` asks for, in the order they must come up."""
    wanted = [
        Service("actions", actions_command, f"{stack.actions_url}/health"),
        Service("rasa", rasa_command, f"{stack.rasa_url}/webhooks/rest/"),
    ]
    if stack.web_port is not None:
        wanted.append(Service("web", web_command, f"{stack.web_url}/health"))
    if stack.console_port is not None:
        wanted.append(Service("console", console_command, f"{stack.console_url}/login"))
    return wanted
