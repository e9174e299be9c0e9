"""`make bench-chat` works: a short run (`--small --profile`) prints every row and a profile, no message lost to an error.

A benchmark, not a timed test: the figures of so short a run mean little, and nothing here asserts them.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support import ROOT

ROWS = [
    "cold start",
    "memory after start",
    "memory after the load",
    "one user: p50 / p95",
    "-message conversation: median of messages",
    "-message conversation: messages",
    "at once: p50 / p95",
    "at once: throughput",
    "errors",
]


def test_a_small_run_prints_every_figure_for_both_bots_with_no_errors_and_a_profile() -> None:
    environment = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-m", "tools.bench.chat_bench", "--small", "--profile"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    lines = run.stdout.splitlines()
    table = lines[next(i for i, line in enumerate(lines) if line.startswith("figure ")) + 1 :]
    for row in ROWS:
        found = [line for line in table if row in line]
        assert len(found) == 1 and len(found[0].split("|")) == 4, f"{row!r} missing from\n{run.stdout}"
    errors = next(line for line in table if line.startswith("errors")).split("|")
    assert [cell.strip() for cell in errors[1:3]] == ["0", "0"], run.stdout

    # The profile names the Rasa server's own code, each share a fraction of the samples.
    profile = lines[next(i for i, line in enumerate(lines) if line.startswith("on stack  self")) + 1 :]
    shares = [[float(share.rstrip("%")) for share in line.split()[:2]] for line in profile]
    assert len(profile) == 30 and all(0 < on_stack <= 100 and 0 <= running <= on_stack for on_stack, running in shares)
    assert any("(rasa/core/" in line for line in profile), run.stdout
