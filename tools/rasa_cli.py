"""Running the Rasa command line from tests, against the model `make train` builds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.stack import ROOT

MODEL = ROOT / "models" / "backpain.tar.gz"
RASA = Path(sys.executable).parent / "rasa"


def trained_model() -> Path:
    """The model `make train` built; a clear failure (not a skip) when it is missing."""
    if not MODEL.exists():
        raise AssertionError(f"{MODEL} is missing: run `make train` (or `make test`, which trains first)")
    return MODEL


def rasa(*args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """Run `rasa ARGS` in the project root with telemetry off; output captured for the assertion message."""
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2"}
    return subprocess.run(
        [str(RASA), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
