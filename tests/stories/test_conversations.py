"""The dialogue: every test story in tests/stories/ must be predicted exactly."""

from __future__ import annotations

import asyncio
import json

from rasa.core import test as rasa_test  # as a module: pytest would collect its `test` function
from rasa.core.agent import Agent

from tools.rasa_cli import ROOT


def test_every_test_story_is_predicted_without_error(agent: Agent) -> None:
    """`rasa test core --stories tests/stories --fail-on-prediction-errors`: its evaluation, on the session's model."""
    out = ROOT / "results" / "core"
    out.mkdir(parents=True, exist_ok=True)
    stories = str(ROOT / "tests" / "stories")
    try:
        evaluation = rasa_test.test(
            stories, agent, out_directory=str(out), fail_on_prediction_errors=True, disable_plotting=True
        )
        asyncio.run(evaluation)
    except rasa_test.WrongPredictionException as failed:
        raise AssertionError(str(failed)[:6000]) from None
    summary = json.loads((out / "story_report.json").read_text())["conversation_accuracy"]
    print(f"\nconversation-level results: {summary['correct']} / {summary['total']} correct")
