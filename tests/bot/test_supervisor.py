"""The launcher's Supervisor as the scaled profile uses it: servers started together, a step once one is up, and
each server stopped with its own signal; a stop signal while a server is being started stops that server too."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from bot import launcher
from bot.launcher import STOP_SIGNALS, Supervisor, stop_on_signals
from bot.stack import Service, Stack
from tools.servers import alive, free_port

# Listens on argv[1] after two seconds; ignores SIGTERM (as PostgreSQL's smart shutdown waits), stops on SIGINT
# (even when started from a shell's background job, which leaves SIGINT ignored in its children).
SLOW_SERVER = (
    "import signal, socket, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
    "signal.signal(signal.SIGINT, signal.default_int_handler); time.sleep(2); "
    "s = socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(); time.sleep(60)"
)


def slow_server(port: int, _stack: Stack) -> list[str]:
    return [sys.executable, "-c", SLOW_SERVER, str(port)]


def test_servers_started_together_come_up_in_parallel_then_prepare_and_stop_with_their_signal(tmp_path: Path) -> None:
    ports = [free_port(), free_port()]
    prepared: list[float] = []
    wanted = [
        Service("first", partial(slow_server, ports[0]), f"tcp://127.0.0.1:{ports[0]}", with_next=True),
        Service(
            "second",
            partial(slow_server, ports[1]),
            f"tcp://127.0.0.1:{ports[1]}",
            prepare=lambda: prepared.append(time.monotonic()),
            stop_signal=signal.SIGINT,
        ),
    ]
    supervisor = Supervisor(Stack(log_dir=tmp_path), wanted=lambda _stack: wanted)
    started = time.monotonic()
    supervisor.start_all()
    # Two seconds each: one after the other would take four; the margin is for Python starting on a busy machine.
    assert time.monotonic() - started < 3.5
    assert len(prepared) == 1
    first, second = supervisor.processes["first"], supervisor.processes["second"]
    stopping = time.monotonic()
    supervisor.processes = {"second": second}  # only the one that stops on SIGINT: SIGTERM would take 10 s and a kill
    supervisor.stop_all()
    assert time.monotonic() - stopping < 5 and second.returncode != -signal.SIGKILL
    first.kill()
    first.wait()


@pytest.fixture
def launcher_signals() -> Iterator[None]:
    """The launcher's stop-signal handlers in this process, and pytest's put back after the test."""
    before = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}
    stop_on_signals()
    yield
    for signum, handler in before.items():
        signal.signal(signum, handler)


class HangUpOnStart(subprocess.Popen[bytes]):
    """A terminal closing just as a server has been spawned, before Popen returns to the launcher."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGHUP)


@pytest.mark.usefixtures("launcher_signals")
def test_a_stop_signal_as_a_server_is_spawned_leaves_it_recorded_so_it_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    wanted = [Service("slow", partial(slow_server, port), f"tcp://127.0.0.1:{port}", stop_signal=signal.SIGINT)]
    supervisor = Supervisor(Stack(log_dir=tmp_path), wanted=lambda _stack: wanted)
    monkeypatch.setattr(launcher.subprocess, "Popen", HangUpOnStart)
    with pytest.raises(SystemExit) as unwound:
        supervisor.start_all()
    assert unwound.value.code == 128 + signal.SIGHUP
    server = supervisor.processes["slow"]  # without the hold, SystemExit left Popen before this was recorded
    supervisor.stop_all()
    assert not alive(server.pid)
