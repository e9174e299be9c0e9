"""The launcher's Supervisor as the scaled profile uses it: servers started together, a step once one is up, and
each server stopped with its own signal."""

from __future__ import annotations

import signal
import sys
import time
from functools import partial
from pathlib import Path

from bot.launcher import Supervisor
from bot.stack import Service, Stack
from tools.servers import free_port

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
