"""The dialogue: every test story in tests/stories/ must be predicted exactly."""

from __future__ import annotations

import re

from tools.rasa_cli import ROOT, rasa, trained_model


def test_every_test_story_is_predicted_without_error() -> None:
    out = ROOT / "results" / "core"
    run = rasa(
        "test", "core",
        "--stories", "tests/stories",
        "--model", str(trained_model()),
        "--out", str(out),
        "--fail-on-prediction-errors",
    )  # fmt: skip
    log = run.stdout + run.stderr
    summary = re.findall(r"Correct:\s+(\d+) / (\d+)", log)
    print(f"\nconversation-level results (correct / total): {summary}")
    failed = (out / "failed_test_stories.yml").read_text() if (out / "failed_test_stories.yml").exists() else ""
    assert run.returncode == 0, log[-4000:] + "\n" + failed[:6000]
