"""Start the assistant's processes on this machine, keep them running, stop them together.

`make run` uses it for the whole assistant: a server that dies is restarted with backoff (the
conversation goes on from the SQL tracker store); one that keeps dying makes the launcher stop
everything and exit 1, naming it and quoting the end of its log. SIGTERM, SIGINT and SIGHUP (its
terminal closed) stop every child before the launcher exits. `make shell` uses it to run `rasa shell`
beside its own action server. `make run-scaled` (`--replicas N`) supervises bot/scaled.py's servers
instead: PostgreSQL, Redis, nginx and N Rasa and action servers. The integration and browser tests use
`running` to start the real servers. Everything binds to 127.0.0.1 unless told otherwise; each server's
output goes to a size-rotated log. What it and its servers write is the account's alone (bot/server/private.py).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

from bot.server.logfiles import LOG_DIR, copy_to_log
from bot.server.private import VAR, keep_private
from bot.stack import LOGGING_CONFIG, RASA, ROOT, Service, Stack, actions_command, rasa_endpoints, services


def answers(url: str) -> bool:
    """Whether an http:// URL answers 200, or a tcp://host:port accepts a connection."""
    try:
        if url.startswith("tcp://"):
            address = urlsplit(url)
            with socket.create_connection((address.hostname, address.port or 0), timeout=2):
                return True
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    """Poll the URL until it answers (see `answers`); fail early if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{' '.join(map(str, process.args))} exited with {process.returncode}")  # type: ignore[arg-type]
        if answers(url):
            return
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


# What asks the launcher to stop: kill, service managers and container stops (SIGTERM), Ctrl-C (SIGINT), and the
# terminal of `make shell` or `make run` closing (SIGHUP: the servers run in sessions of their own and never see it).
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
# The stop signals that came while a server was being started (None: none is being started).
_held: list[int] | None = None


def stop_on_signals() -> None:
    """Each of STOP_SIGNALS unwinds the launcher, so its children are stopped."""

    def unwind(signum: int, _frame: object) -> None:
        if _held is not None:
            _held.append(signum)
            return
        raise SystemExit(128 + signum)

    for signum in STOP_SIGNALS:
        signal.signal(signum, unwind)


@contextmanager
def stop_signals_held() -> Iterator[None]:
    """A stop signal that comes while a server is being started unwinds the launcher only once the server's
    process is recorded: raised inside Popen, it would leave that server running with nobody to stop it."""
    global _held
    _held = []
    try:
        yield
    finally:
        came, _held = _held, None
    if came:
        raise SystemExit(128 + came[0])


def start(command: Sequence[str], stack: Stack, log_name: str) -> subprocess.Popen[bytes]:
    stack.log_dir.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=stack.environment(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    assert process.stdout is not None
    log = stack.log_dir / f"{log_name}.log"
    threading.Thread(target=copy_to_log, args=(process.stdout, log), name=f"log-{log_name}", daemon=True).start()
    return process


def stop(processes: Sequence[subprocess.Popen[bytes]], signals: dict[int, int] | None = None) -> None:
    """Terminate every process group (SIGTERM, or the signal `signals` gives its pid), then kill what did not stop
    in 10 s."""
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, (signals or {}).get(process.pid, signal.SIGTERM))
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def last_lines(path: Path, count: int = 15) -> str:
    """The end of a log, for saying why a server died."""
    if not path.exists():
        return "(no log)"
    with path.open("rb") as log:
        log.seek(max(0, path.stat().st_size - 16_384))
        return "\n".join(log.read().decode("utf-8", "replace").splitlines()[-count:])


@contextmanager
def running(stack: Stack, timeout: float = 180) -> Iterator[dict[str, subprocess.Popen[bytes]]]:
    """The servers `stack` asks for, up and answering, for the duration of the block (not restarted)."""
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for service in services(stack):
            processes[service.name] = start(service.command(stack), stack, service.name)
            wait_until_up(service.health_url, processes[service.name], timeout)
        yield processes
    finally:
        stop(list(processes.values()))


class GaveUp(Exception):
    """A server kept dying: which one, how often, and the end of its log."""

    def __init__(self, service: str, crashes: int, reason: str, log_tail: str) -> None:
        super().__init__(f"The {service} server failed {crashes} times in a row ({reason}); gave up.")
        self.log_tail = log_tail


@dataclass
class Supervisor:
    """Starts the servers and restarts any that dies, waiting longer after each failure in a row.

    A server counts as recovered once it has stayed up for `stable_s`; after `max_restarts` failed
    restarts in a row the supervisor raises GaveUp (the caller stops everything).
    """

    stack: Stack
    wanted: Callable[[Stack], list[Service]] = services  # the scaled profile's are bot/scaled.py's
    max_restarts: int = 5
    first_backoff_s: float = 1.0
    max_backoff_s: float = 30.0
    stable_s: float = 60.0
    startup_timeout_s: float = 180.0
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    _failures: dict[str, int] = field(default_factory=dict)
    _up_since: dict[str, float] = field(default_factory=dict)

    def start_all(self) -> None:
        """Each server in order; a run of `with_next` servers is started at once, then waited for."""
        starting: list[Service] = []
        for service in self.wanted(self.stack):
            starting.append(service)
            if service.with_next:
                continue
            with stop_signals_held():
                for begun in starting:
                    self.processes[begun.name] = start(begun.command(self.stack), self.stack, begun.name)
            for begun in starting:
                self._bring_up(begun, None, self.processes[begun.name])
            starting = []

    def watch(self, poll_s: float = 0.5) -> NoReturn:
        """Keep every server running until a signal or GaveUp ends it."""
        while True:
            for service in self.wanted(self.stack):
                process = self.processes[service.name]
                if process.poll() is None:
                    if time.monotonic() - self._up_since[service.name] >= self.stable_s:
                        self._failures[service.name] = 0
                    continue
                self._bring_up(service, f"exited with {process.returncode}")
            time.sleep(poll_s)

    def stop_all(self) -> None:
        signals = {
            self.processes[s.name].pid: s.stop_signal for s in self.wanted(self.stack) if s.name in self.processes
        }
        stop(list(self.processes.values()), signals)

    def _bring_up(self, service: Service, reason: str | None, begun: subprocess.Popen[bytes] | None = None) -> None:
        """Start `service` (or wait for `begun`) until it answers, backing off after each failure; GaveUp past
        max_restarts. Its `prepare` runs once it is up."""
        while True:
            if reason is not None:
                failures = self._failures.get(service.name, 0) + 1
                self._failures[service.name] = failures
                if failures > self.max_restarts:
                    log = self.stack.log_dir / f"{service.name}.log"
                    raise GaveUp(service.name, failures, reason, last_lines(log))
                delay = min(self.max_backoff_s, self.first_backoff_s * 2 ** (failures - 1))
                print(
                    f"The {service.name} server {reason}; starting it again in {delay:.1f} s.",
                    file=sys.stderr,
                    flush=True,
                )
                time.sleep(delay)
            with stop_signals_held():
                process = begun or start(service.command(self.stack), self.stack, service.name)
                self.processes[service.name] = process
            begun = None
            try:
                wait_until_up(service.health_url, process, self.startup_timeout_s)
                if service.prepare is not None:
                    service.prepare()
            except (RuntimeError, TimeoutError) as failed:
                exited = process.poll()
                stop([process])
                reason = str(failed) if exited is None else f"exited with {exited}"
                continue
            self._up_since[service.name] = time.monotonic()
            return


def run_assistant(supervisor: Supervisor) -> int:
    """`make run`: start everything, say where it is, keep it running; 1 if a server kept dying."""
    stack = supervisor.stack
    try:
        supervisor.start_all()
        print(f"Assistant ready: homepage with the chat widget at {stack.web_url}/", flush=True)
        print(f"REST channel at {stack.rasa_url}/webhooks/rest/webhook", flush=True)
        if stack.console_port is not None:
            print(f"Staff console at {stack.console_url}/ (create an account with `make staff-user`)", flush=True)
        print(f"Action server at {stack.actions_url}; logs in {stack.log_dir}. Ctrl-C stops everything.", flush=True)
        supervisor.watch()
    except GaveUp as gave_up:
        print(f"{gave_up}\nLast lines of its log:\n{gave_up.log_tail}", file=sys.stderr, flush=True)
        return 1
    except SystemExit:
        print("Stopping the assistant.", file=sys.stderr, flush=True)
        return 0
    finally:
        for signum in STOP_SIGNALS:
            signal.signal(signum, signal.SIG_IGN)  # a second signal must not cut the stopping short
        supervisor.stop_all()


def run_shell(stack: Stack) -> int:
    """`make shell`: `rasa shell` in this terminal with its own action server, so it can run beside `make run`."""
    signal.signal(signal.SIGINT, lambda _signum, _frame: None)  # Ctrl-C is the shell's to handle
    with stop_signals_held():
        actions = start(actions_command(stack), stack, "actions")
    try:
        wait_until_up(f"{stack.actions_url}/health", actions, timeout=180)
        command = [
            *RASA, "shell",
            "-p", str(stack.rasa_port),
            "--model", str(stack.model),
            "--endpoints", str(rasa_endpoints(stack)),
            "--logging-config-file", str(LOGGING_CONFIG),
        ]  # fmt: skip
        return subprocess.run(command, cwd=ROOT, env=stack.environment(), check=False).returncode
    finally:
        stop([actions])


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run the back-pain assistant on this machine.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--rasa-port", type=int, default=5005)
    parser.add_argument("--actions-port", type=int, default=5055)
    parser.add_argument(
        "--web-port", type=int, default=8000, help="the homepage with the chat widget (0: don't start it)"
    )
    parser.add_argument("--console-port", type=int, default=8001, help="the staff console (0: don't start it)")
    parser.add_argument("--console-host", default="127.0.0.1", help="the staff console's address (keep it internal)")
    parser.add_argument("--model", type=Path, default=ROOT / "models")
    parser.add_argument("--endpoints", type=Path, default=ROOT / "endpoints.yml")
    parser.add_argument("--log-dir", type=Path, default=LOG_DIR)
    parser.add_argument(
        "--var-dir", type=Path, default=VAR, help="the patient data's folder, kept private (0700, its files 0600)"
    )
    parser.add_argument("--max-restarts", type=int, default=5, help="failed restarts in a row before giving up")
    parser.add_argument("--restart-backoff", type=float, default=1.0, help="seconds before the first restart")
    parser.add_argument(
        "--replicas",
        type=int,
        default=0,
        help="the scaled profile (make run-scaled, with --endpoints endpoints-scaled.yml): this many Rasa and action "
        "servers behind nginx (on --rasa-port and --actions-port), on PostgreSQL and Redis; see bot/scaled.py",
    )
    parser.add_argument(
        "--replica-port",
        type=int,
        default=5105,
        help="the first Rasa replica's port; the others and the action servers follow",
    )
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "scaled", help="the scaled profile's data")
    parser.add_argument(
        "--shell", action="store_true", help="run `rasa shell` with its own action server (logs in LOG_DIR/shell)"
    )
    return parser.parse_args(argv)


def stack_of(args: argparse.Namespace) -> Stack:
    """The servers the command line asks for (with --shell: only Rasa's shell and an action server)."""
    return Stack(
        host=args.host,
        rasa_port=args.rasa_port,
        actions_port=args.actions_port,
        web_port=None if args.shell else args.web_port or None,
        console_port=None if args.shell else args.console_port or None,
        console_host=args.console_host,
        model=args.model,
        endpoints=args.endpoints,
        log_dir=args.log_dir / "shell" if args.shell else args.log_dir,
        run_dir=args.var_dir / "run",
    )


def main() -> None:
    args = parse_arguments()
    keep_private(args.var_dir)
    stack = stack_of(args)
    stop_on_signals()
    if args.shell:
        sys.exit(run_shell(stack))
    supervisor = Supervisor(stack, max_restarts=args.max_restarts, first_backoff_s=args.restart_backoff)
    if args.replicas:
        from bot.scaled import Replicas, scaled  # only this profile needs its engines' code

        supervisor.wanted = scaled(stack, Replicas(args.replicas, args.replica_port), args.data_dir)
    sys.exit(run_assistant(supervisor))


if __name__ == "__main__":
    main()
