"""Where the experiment's files go: one folder, given on the command line, shared by both venvs.

Standard library only: the scratch venv (embed.py) imports this too, and has neither Rasa nor the project's
dependencies. The default folder is under build/, which .gitignore keeps out of the repository: the files
hold hold-out messages, which must not be read, let alone committed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DEFAULT_OUT = ROOT / "build" / "encoder_experiment"
TEXTS = "to_embed.json"  # every text to embed (dump.py), in the order of VECTORS' rows
VECTORS = "emb.npy"  # their embeddings (embed.py)
COSTS = "costs.json"  # what embedding costs: load time, memory, latency (embed.py)
MODEL = "model"  # the sentence-transformers folder, unzipped from the PyPI package (encoder.py)


def parser(doc: str | None) -> argparse.ArgumentParser:
    """A command line with the output folder every step shares; the description is the module's first line."""
    command = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    command.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"the experiment's folder ({DEFAULT_OUT})")
    return command
