"""A sampling profile of a running server (py-spy), and its top functions by share of the samples.

The figures in README's Performance section name where the Rasa server's time goes; `make bench-chat
PROFILE=1` records them during the assistant's load so anyone can see them again.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PY_SPY = Path(sys.executable).parent / "py-spy"
_FRAME = re.compile(r"^(?P<function>.+) \((?P<file>[^()]*?)(?::\d+)?\)$")


@dataclass(frozen=True)
class Entry:
    """A function and the share of samples in which it was running (self) or on the stack (inclusive)."""

    function: str
    inclusive: float
    self: float


@contextmanager
def recording(pid: int, path: Path) -> Iterator[None]:
    """Samples `pid` (100 per second, without pausing it) while the block runs, into `path` as collapsed stacks.

    Only the thread holding Python's lock is sampled (`--gil`): the server runs one piece of Python at a time, so
    that is where its CPU goes; threads waiting (for work, for the database) are not counted.
    """
    command = [str(PY_SPY), "record", "--pid", str(pid), "--format", "raw", "--function", "--nonblocking", "--gil"]
    sampler = subprocess.Popen([*command, "--output", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        yield
    finally:
        sampler.send_signal(signal.SIGINT)  # py-spy writes the file when interrupted
        _, error = sampler.communicate(timeout=60)
        if not path.exists():
            raise RuntimeError(f"py-spy wrote no profile: {error.decode(errors='replace')[-2000:]}")


def frame_name(frame: str) -> str:
    """`validate (jsonschema/validators.py:1120)` → `validate (jsonschema/validators.py)`."""
    match = _FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    file = match["file"].split("site-packages/")[-1]
    return f"{match['function']} ({file})"


def top(collapsed: str, count: int = 15) -> list[Entry]:
    """The functions most often on the stack, from py-spy's raw format (`frame;frame;... samples` per line)."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, samples = line.rpartition(" ")
        if not stack or not samples.isdigit():
            continue
        frames = [frame_name(frame) for frame in stack.split(";") if not frame.startswith("process ")]  # --subprocesses
        if not frames:
            continue
        number = int(samples)
        total += number
        own[frames[-1]] += number
        for name in set(frames):
            inclusive[name] += number
    return [Entry(name, samples / total, own[name] / total) for name, samples in inclusive.most_common(count)]
