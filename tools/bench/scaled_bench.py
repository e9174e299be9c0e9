"""`make bench-scaled`: many patients at once against the scaled profile, as `make bench-chat` loads one Rasa server.

Starts the profile as `make run-scaled` does (tools/servers.py `scaled_profile`: REPLICAS Rasa and action servers
behind nginx, its own PostgreSQL and Redis, on free ports), sends each replica a few warm-up messages, then drives
USERS conversations of 10 messages at once to Rasa's REST channel through nginx (tools/load/chat_load.py, the script
of `make load`). Prints p50 / p95, throughput, errors, messages lost (each patient message must be in PostgreSQL's
events, in order), and the CPU seconds each kind of process used during the load (from /proc): on a machine with
few cores that says what limits the throughput. Exit status 1 on any error or lost message.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import shutil
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from bot.stack import ROOT
from tools.load.chat_load import SCRIPT, Outcome, drive, lost_messages, percentile
from tools.servers import descendants, scaled_profile

WORKDIR = ROOT / "var" / "bench-scaled"  # replaced on each run; kept afterwards for a look at the logs
REST = "/webhooks/rest/webhook"
# issue 11's goal: 1.5 x the stock `rasa init` bot's throughput (42.3 msg/s, `make bench-chat` 2026-11-30), p95 <= 1 s.
GOAL_THROUGHPUT = 1.5 * 42.3
GOAL_P95_S = 1.0
KINDS = (  # a mark in the command line -> the kind of process (nginx and PostgreSQL rewrite theirs)
    ("bot.server.actions", "action servers"),
    ("bot.web", "web app"),
    ("bot.server.rasa_main", "rasa"),
    ("nginx", "nginx"),
    ("redis-server", "redis"),
    ("postgres", "postgresql"),
)


def kind_of(command: list[str]) -> str:
    line = " ".join(command)
    return next((kind for mark, kind in KINDS if mark in line), "other")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process has used so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_during(launcher: int, load: Callable[[], Outcome]) -> tuple[Outcome, dict[str, float]]:
    """CPU seconds each kind of process used while `load` ran: the profile's processes (also those started
    meanwhile, e.g. PostgreSQL backends) and this one, which drives the load."""
    processes = {**descendants(launcher), os.getpid(): ["load driver (this process)"]}
    before = {pid: cpu_seconds(pid) for pid in processes}
    outcome = load()
    processes.update(descendants(launcher))
    used: dict[str, float] = defaultdict(float)
    for pid, command in processes.items():
        kind = command[0] if pid == os.getpid() else kind_of(command)
        used[kind] += cpu_seconds(pid) - before.get(pid, 0.0)
    return outcome, used


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Concurrent patients against the scaled profile.")
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--messages", type=int, default=10)
    args = parser.parse_args(argv)
    shutil.rmtree(WORKDIR, ignore_errors=True)
    print(f"Starting the scaled profile with {args.replicas} replicas (logs in {WORKDIR})...", flush=True)
    with scaled_profile(WORKDIR, replicas=args.replicas) as profile:
        url = profile.stack.rasa_url
        asyncio.run(drive(url, 2 * args.replicas, 2, SCRIPT, REST))  # warm-up, not timed: each replica's first message
        started = time.monotonic()
        outcome, used = cpu_during(
            profile.launcher.pid, lambda: asyncio.run(drive(url, args.users, args.messages, SCRIPT, REST))
        )
        seconds = time.monotonic() - started
        lost = lost_messages(profile.database_url, outcome.sent)
    latencies = outcome.latencies
    p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
    throughput = len(latencies) / seconds
    kinds = ", ".join(f"{k}: {n}" for k, n in sorted(outcome.errors.items())) or "none"
    print(f"\n{datetime.date.today()}, {os.cpu_count()} cores, {args.replicas} Rasa + {args.replicas} action servers")
    print(f"{args.users} users x {args.messages} messages at once through nginx, in {seconds:.1f} s:")
    print(f"  p50 / p95: {p50 * 1000:.0f} / {p95 * 1000:.0f} ms (goal p95 <= {GOAL_P95_S * 1000:.0f} ms)")
    print(f"  throughput: {throughput:.1f} messages/s (goal >= {GOAL_THROUGHPUT:.1f})")
    print(f"  errors: {outcome.error_count} ({kinds}), lost: {lost}")
    capacity = seconds * (os.cpu_count() or 1)
    print(f"CPU seconds during the load ({capacity:.0f} available on {os.cpu_count()} cores):")
    for kind, spent in sorted(used.items(), key=lambda item: -item[1]):
        print(
            f"  {kind:<28} {spent:7.1f} s  {100 * spent / capacity:5.1f} %  {1000 * spent / len(latencies):6.1f} ms/msg"
        )
    return 0 if outcome.error_count == 0 and lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
