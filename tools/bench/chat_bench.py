"""`make bench-chat`: the assistant against a stock `rasa init` bot, the same load on each, in one run.

The stock bot is Rasa's own starter project (`rasa init --no-prompt`: its default pipeline and policies, trackers in
memory, no action server), trained in a temporary folder the first time and kept in build/bench/ under a
fingerprint of this Rasa's starter project. Each bot runs alone (the other is stopped), on free ports; the assistant
as `make run` runs it (its action server, endpoints.yml's tracker store on a fresh database in var/bench/). Both
are driven over Rasa's REST channel (/webhooks/rest/webhook) with tools/load/chat_load.py:

- cold start: from starting the Rasa server to its REST channel answering; its memory (RSS) then and after the load;
- one user: conversations of each bot's whole script (the assistant's SCRIPT, the stock bot's 20 messages) one after
  another, p50/p95 per message;
- one long conversation (200 messages by default): the median of its first 20 messages against its last 20;
- USERS conversations of 10 messages at once: p50, p95, throughput and errors.

Every figure is printed with the ratio assistant / stock bot. `--small` is the short run CI makes to prove it works
(tests/tools/bench/test_chat_bench.py); its figures mean little. Exit status 1 when any message got an error or no answer.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path

import rasa

from bot.launcher import start, stop, wait_until_up
from bot.server.secret import ENV_NAME as TOKEN_ENV
from bot.stack import BIN, ROOT, Stack, actions_command, rasa_command
from tools.bench.profile import Entry, recording, top
from tools.load.chat_load import SCRIPT, Outcome, drive, percentile
from tools.servers import free_port, isolated_stack

WORKDIR = ROOT / "var" / "bench"  # replaced on each run; kept afterwards for a look at the logs
STOCK_CACHE = ROOT / "build" / "bench"
PROFILE = WORKDIR / "assistant-profile.txt"  # py-spy's collapsed stacks of the assistant's Rasa server (--profile)
STARTER_PROJECT = Path(rasa.__file__).parent / "cli" / "initial_project"
REST = "/webhooks/rest/webhook"
START_TIMEOUT_S = 300.0
# The starter bot's own examples, through its stories and rules (greet, mood, did that help, bot challenge, bye);
# each gets an answer ("no" to "did that help?" gets none from this model).
STOCK_SCRIPT = [
    "hello", "I am sad", "yes", "are you a bot?", "great",
    "hey", "my day was horrible", "yes", "good by", "hello",
    "perfect", "are you a human?", "hey", "I am sad", "y",
    "hello", "great", "are you a bot?", "cu", "hey",
]  # fmt: skip
# The assistant's load script without "start over": a restart begins a new session, and the conversation would
# never grow long.
LONG_SCRIPT = [message for message in SCRIPT if message != "start over"]


@dataclass(frozen=True)
class Plan:
    """How much load: conversations one after another, the long conversation and its window, users at once."""

    one_user_conversations: int = 3
    long_messages: int = 200
    window: int = 20
    users: int = 50
    user_messages: int = 10


SMALL = Plan(one_user_conversations=1, long_messages=30, window=10, users=4, user_messages=10)


@dataclass(frozen=True)
class Server:
    url: str
    pid: int
    cold_start_s: float


@dataclass
class Figures:
    """One bot's measurements."""

    cold_start_s: float = 0.0
    rss_after_start: int = 0
    rss_after_load: int = 0
    one_user: list[float] = field(default_factory=list)
    long: list[float] = field(default_factory=list)
    crowd: list[float] = field(default_factory=list)
    crowd_seconds: float = 0.0
    errors: dict[str, int] = field(default_factory=dict)

    def tally(self, outcome: Outcome) -> list[float]:
        """Add the outcome's errors to the bot's; its latencies."""
        for kind, number in outcome.errors.items():
            self.errors[kind] = self.errors.get(kind, 0) + number
        return outcome.latencies


def starter_fingerprint() -> str:
    """This Rasa's version and its starter project's files: what the stock bot's model is trained from."""
    digest = hashlib.sha256(rasa.__version__.encode())
    for path in sorted(STARTER_PROJECT.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(STARTER_PROJECT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def stock_project() -> Path:
    """The trained starter project, from build/bench/ if this Rasa's was trained before; else `rasa init` now."""
    project = STOCK_CACHE / f"stock-{starter_fingerprint()}"
    if any(project.glob("models/*.tar.gz")):
        return project
    print("Training the stock bot (`rasa init --no-prompt`, once; kept in build/bench/)...", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        made = Path(folder) / "bot"
        made.mkdir()
        environment = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
        command = [str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(made)]
        done = subprocess.run(command, cwd=folder, env=environment, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not any(made.glob("models/*.tar.gz")):
            raise RuntimeError(f"`rasa init --no-prompt` failed ({done.returncode}):\n{done.stderr[-3000:]}")
        shutil.rmtree(project, ignore_errors=True)
        shutil.copytree(made, project, ignore=shutil.ignore_patterns(".rasa", "__pycache__"))
    return project


@contextmanager
def rasa_up(command: list[str], stack: Stack) -> Iterator[Server]:
    """A Rasa server started by `command`, timed from its start to its REST channel answering."""
    started = time.monotonic()
    process = start(command, stack, "rasa")
    try:
        wait_until_up(f"{stack.rasa_url}/webhooks/rest/", process, START_TIMEOUT_S)
        yield Server(stack.rasa_url, process.pid, time.monotonic() - started)
    finally:
        stop([process])


@contextmanager
def assistant(workdir: Path) -> Iterator[Server]:
    """The assistant as `make run` runs it (action server first), with a fresh tracker database."""
    stack = isolated_stack(workdir, workdir / "tracker.db", web=False)
    actions = start(actions_command(stack), stack, "actions")
    try:
        wait_until_up(f"{stack.actions_url}/health", actions, START_TIMEOUT_S)
        with rasa_up(rasa_command(stack), stack) as server:
            yield server
    finally:
        stop([actions])


@contextmanager
def stock_bot(workdir: Path) -> Iterator[Server]:
    """`rasa run` on the starter project as it comes: its credentials and endpoints (no tracker store, no actions)."""
    project = stock_project()
    stack = Stack(rasa_port=free_port(), log_dir=workdir / "log", run_dir=workdir / "run", env={TOKEN_ENV: "not used"})
    command = [
        str(BIN / "rasa"), "run", "-i", stack.host, "-p", str(stack.rasa_port),
        "--model", str(project / "models"),
        "--credentials", str(project / "credentials.yml"),
        "--endpoints", str(project / "endpoints.yml"),
    ]  # fmt: skip
    with rasa_up(command, stack) as server:
        yield server


def rss(pid: int) -> int:
    """The resident memory of a process, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise ValueError(f"no VmRSS for process {pid}")


def measure(server: Server, script: list[str], long_script: list[str], plan: Plan) -> Figures:
    """The load, one phase after another, on one running bot."""
    figures = Figures(cold_start_s=server.cold_start_s, rss_after_start=rss(server.pid))
    url = server.url
    figures.tally(
        asyncio.run(drive(url, 1, 2, script, REST))
    )  # warm-up, not timed: the first message loads what's lazy
    for _ in range(plan.one_user_conversations):
        figures.one_user += figures.tally(asyncio.run(drive(url, 1, len(script), script, REST)))
    figures.long = figures.tally(asyncio.run(drive(url, 1, plan.long_messages, long_script, REST)))
    started = time.monotonic()
    figures.crowd = figures.tally(asyncio.run(drive(url, plan.users, plan.user_messages, script, REST)))
    figures.crowd_seconds = time.monotonic() - started
    figures.rss_after_load = rss(server.pid)
    return figures


def p50_p95_ms(latencies: list[float]) -> tuple[float, float]:
    return percentile(latencies, 50) * 1000, percentile(latencies, 95) * 1000


def summary(figures: Figures, plan: Plan) -> dict[str, tuple[float, ...]]:
    """The table's rows for one bot: label -> the figures it shows."""
    window, length = plan.window, plan.long_messages
    early, late = statistics.median(figures.long[:window]), statistics.median(figures.long[-window:])
    crowd = f"{plan.users} users x {plan.user_messages} messages at once"
    return {
        "cold start: Rasa started -> REST channel answers (s)": (figures.cold_start_s,),
        "Rasa server memory after start, RSS (GB)": (figures.rss_after_start / 2**30,),
        "Rasa server memory after the load, RSS (GB)": (figures.rss_after_load / 2**30,),
        "one user: p50 / p95 per message (ms)": p50_p95_ms(figures.one_user),
        f"{length}-message conversation: median of messages 1-{window} / {length - window + 1}-{length} (ms)": (
            early * 1000,
            late * 1000,
        ),
        f"{length}-message conversation: messages {length - window + 1}-{length} / 1-{window}": (late / early,),
        f"{crowd}: p50 / p95 (ms)": p50_p95_ms(figures.crowd),
        f"{crowd}: throughput (messages/s)": (len(figures.crowd) / figures.crowd_seconds,),
    }


def shown(value: float) -> str:
    return f"{value:.0f}" if value >= 100 or value == int(value) else f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def table(plan: Plan, ours: Figures, stock: Figures) -> str:
    """Each figure for both bots, and the ratio assistant / stock bot."""
    lines = [("figure", "assistant", "stock bot", "ratio")]
    for (label, mine), theirs in zip(summary(ours, plan).items(), summary(stock, plan).values(), strict=True):
        ratio = " / ".join(f"{a / b:.2f}" if b else "-" for a, b in zip(mine, theirs, strict=True))
        lines.append((label, " / ".join(map(shown, mine)), " / ".join(map(shown, theirs)), ratio))
    errors = "errors (HTTP, connection or no answer), all phases"
    lines.append((errors, str(sum(ours.errors.values())), str(sum(stock.errors.values())), "-"))
    widths = [max(len(line[i]) for line in lines) for i in range(4)]
    text = [" | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip() for line in lines]
    for name, figures in (("assistant", ours), ("stock bot", stock)):
        if figures.errors:
            text.append(f"{name} errors: " + ", ".join(f"{k}: {n}" for k, n in sorted(figures.errors.items())))
    return "\n".join(text)


def profiled(pid: int, wanted: bool) -> AbstractContextManager[None]:
    return recording(pid, PROFILE) if wanted else nullcontext()


def profile_table(entries: list[Entry]) -> str:
    lines = [f"{entry.inclusive:6.1%} {entry.self:6.1%}  {entry.function}" for entry in entries]
    header = "on stack  self  function (the assistant's Rasa server, all phases; samples holding Python's lock)"
    return "\n".join([header, *lines])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The assistant against a stock `rasa init` bot, the same load.")
    parser.add_argument("--small", action="store_true", help="a short run that only proves the benchmark works")
    parser.add_argument("--users", type=int, help=f"conversations at once (default {Plan.users})")
    parser.add_argument("--long", type=int, help=f"messages in the long conversation (default {Plan.long_messages})")
    parser.add_argument("--profile", action="store_true", help=f"sample the assistant's Rasa server into {PROFILE}")
    args = parser.parse_args(argv)
    plan = SMALL if args.small else Plan()
    plan = replace(plan, users=args.users or plan.users, long_messages=args.long or plan.long_messages)
    shutil.rmtree(WORKDIR, ignore_errors=True)
    stock_project()  # trained before anything is timed
    print(f"Measuring the assistant (logs in {WORKDIR / 'assistant'})...", flush=True)
    with assistant(WORKDIR / "assistant") as server, profiled(server.pid, args.profile):
        ours = measure(server, SCRIPT, LONG_SCRIPT, plan)
    print(f"Measuring the stock bot (logs in {WORKDIR / 'stock'})...", flush=True)
    with stock_bot(WORKDIR / "stock") as server:
        stock = measure(server, STOCK_SCRIPT, STOCK_SCRIPT, plan)
    print(f"\n{datetime.date.today()}, {os.cpu_count()} cores, rasa {rasa.__version__}\n{table(plan, ours, stock)}")
    if args.profile:
        print(f"\n{profile_table(top(PROFILE.read_text(encoding='utf-8'), 30))}")
    return 0 if not ours.errors and not stock.errors else 1


if __name__ == "__main__":
    sys.exit(main())
