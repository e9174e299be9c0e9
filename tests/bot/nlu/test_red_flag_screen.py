"""The NLU component raises any message with a red flag to a red-flag intent, whatever the model said."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.red_flag_screen import RedFlagScreen

SCREEN = RedFlagScreen(RedFlagScreen.get_default_config())


def classified(text: str, ranking: list[tuple[str, float]]) -> Message:
    """A message as the classifiers before the screen leave it."""
    intents = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    return Message(data={"text": text, "intent": intents[0], "intent_ranking": intents})


@pytest.mark.parametrize(
    ("text", "model", "expected"),
    [
        ("my lips r kinda blueish now", [("describe_pain", 0.8)], "red_flag_emergency"),
        ("cant hold my pee and my back is killing me", [("nlu_fallback", 0.45), ("stop", 0.3)], "red_flag_emergency"),
        ("been running a fever with this back ache", [("describe_pain", 0.9)], "red_flag_urgent"),
        ("fever and now chest pain too", [("red_flag_urgent", 0.9)], "red_flag_emergency"),
        ("something feels really wrong", [("describe_pain", 0.5), ("red_flag_emergency", 0.4)], "red_flag_emergency"),
        ("dull ache between my shoulder blades", [("describe_pain", 0.95)], "describe_pain"),
        ("no chest pain, just my upper back", [("describe_pain", 0.9)], "describe_pain"),
    ],
    ids=[
        "unseen blue lips",
        "fallback + bladder",
        "fever",
        "urgent raised to emergency",
        "model ranks it",
        "ordinary",
        "denied",
    ],
)
def test_intent_after_the_screen(text: str, model: list[tuple[str, float]], expected: str) -> None:
    message = SCREEN.process([classified(text, model)])[0]
    assert message.get("intent")["name"] == expected
    assert message.get("intent_ranking")[0]["name"] == expected


def test_a_raised_intent_is_certain_and_keeps_the_rest_of_the_ranking() -> None:
    message = SCREEN.process([classified("i can't breathe", [("greet", 0.6), ("red_flag_emergency", 0.1)])])[0]
    ranking = message.get("intent_ranking")
    assert message.get("intent") == {"name": "red_flag_emergency", "confidence": 1.0}
    assert [r["name"] for r in ranking] == ["red_flag_emergency", "greet"]
