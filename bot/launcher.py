"""Start the assistant's processes on this machine, wait until they answer, stop them together.

`make run` uses it for the whole assistant; the integration and browser tests use it to start the
real servers. Everything binds to 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


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
    log_dir: Path = ROOT / "var" / "log"
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

    def environment(self) -> dict[str, str]:
        """Telemetry off (health data stays here); the project importable; the action server bound."""
        return {
            **os.environ,
            "RASA_TELEMETRY_ENABLED": "false",
            "PYTHONPATH": str(ROOT),
            "SANIC_HOST": self.host,
            "RASA_ENDPOINTS": str(self.endpoints),
            **self.env,
        }


def actions_command(stack: Stack) -> list[str]:
    return [str(BIN / "rasa"), "run", "actions", "--actions", "actions", "-p", str(stack.actions_port)]


def rasa_command(stack: Stack) -> list[str]:
    return [
        str(BIN / "rasa"), "run",
        "-i", stack.host, "-p", str(stack.rasa_port),
        "--model", str(stack.model),
        "--endpoints", str(stack.endpoints),
        "--credentials", str(stack.credentials),
    ]  # fmt: skip


def web_command(stack: Stack) -> list[str]:
    return [
        sys.executable, "-m", "bot.web",
        "--host", stack.host, "--port", str(stack.web_port),
        "--rasa-url", stack.rasa_url,
    ]  # fmt: skip


def console_command(stack: Stack) -> list[str]:
    return [sys.executable, "-m", "bot.console", "--host", stack.console_host, "--port", str(stack.console_port)]


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    """Poll the URL until it answers 200; fail early if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{' '.join(map(str, process.args))} exited with {process.returncode}")  # type: ignore[arg-type]
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def start(command: Sequence[str], stack: Stack, log_name: str) -> subprocess.Popen[bytes]:
    stack.log_dir.mkdir(parents=True, exist_ok=True)
    log = open(stack.log_dir / f"{log_name}.log", "ab")  # noqa: SIM115 - lives as long as the process
    return subprocess.Popen(
        command, cwd=ROOT, env=stack.environment(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(processes: Sequence[subprocess.Popen[bytes]]) -> None:
    """Terminate every process group, then kill what did not stop in 10 s."""
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def running(stack: Stack, timeout: float = 180) -> Iterator[dict[str, subprocess.Popen[bytes]]]:
    """The action server, the Rasa server and the web app, up and answering, for the duration of the block."""
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        processes["actions"] = start(actions_command(stack), stack, "actions")
        wait_until_up(f"{stack.actions_url}/health", processes["actions"], timeout)
        processes["rasa"] = start(rasa_command(stack), stack, "rasa")
        wait_until_up(f"{stack.rasa_url}/webhooks/rest/", processes["rasa"], timeout)
        if stack.web_port is not None:
            processes["web"] = start(web_command(stack), stack, "web")
            wait_until_up(f"{stack.web_url}/health", processes["web"], timeout)
        if stack.console_port is not None:
            processes["console"] = start(console_command(stack), stack, "console")
            wait_until_up(f"{stack.console_url}/login", processes["console"], timeout)
        yield processes
    finally:
        stop(list(processes.values()))


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the back-pain assistant on this machine.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--rasa-port", type=int, default=5005)
    parser.add_argument("--actions-port", type=int, default=5055)
    parser.add_argument("--web-port", type=int, default=8000, help="the homepage with the chat widget")
    parser.add_argument("--console-port", type=int, default=8001, help="the staff console (0: don't start it)")
    parser.add_argument("--console-host", default="127.0.0.1", help="the staff console's address (keep it internal)")
    args = parser.parse_args()
    stack = Stack(
        host=args.host,
        rasa_port=args.rasa_port,
        actions_port=args.actions_port,
        web_port=args.web_port,
        console_port=args.console_port or None,
        console_host=args.console_host,
    )
    (ROOT / "var").mkdir(exist_ok=True)
    with running(stack) as processes:
        print(f"Assistant ready: homepage with the chat widget at {stack.web_url}/", flush=True)
        print(f"REST channel at {stack.rasa_url}/webhooks/rest/webhook", flush=True)
        if stack.console_port is not None:
            print(f"Staff console at {stack.console_url}/ (create an account with `make staff-user`)", flush=True)
        print(f"Action server at {stack.actions_url}; logs in {stack.log_dir}. Ctrl-C stops everything.", flush=True)
        try:
            while all(p.poll() is None for p in processes.values()):
                time.sleep(1)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
