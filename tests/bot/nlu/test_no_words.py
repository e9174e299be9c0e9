"""A message with no word in it is not understood, whatever the classifier guessed."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.no_words import NoWordsFallback, has_no_words


@pytest.mark.parametrize(
    ("text", "no_words"),
    [
        ("blorf", True),
        ("qwpoeiru", True),
        ("???", True),
        ("...", True),
        ("ghjk qwpoeiru", True),
        # words, brand names, chat words, typos that are still words, another language: the classifier decides
        ("my back hurts", False),
        ("ventolin", False),
        ("idk tbh", False),
        ("bak hurts", False),
        ("me duele la espalda", False),
        ("L4 L5", False),
        # emoji, and the buttons' payloads
        ("😩", False),
        ('/describe_pain{"pain_location":"neck"}', False),
        ("", False),
    ],
)
def test_what_has_no_words(text: str, no_words: bool) -> None:
    assert has_no_words(text) is no_words


def test_the_classifiers_guess_for_no_words_becomes_a_fallback() -> None:
    entity = {"entity": "pain_location", "value": "blorf", "start": 0, "end": 5}
    guessed = Message(
        data={"text": "blorf", "intent": {"name": "describe_pain", "confidence": 1.0}, "entities": [entity]}
    )
    kept = Message(data={"text": "stop please", "intent": {"name": "stop", "confidence": 0.95}})
    found = NoWordsFallback({}).process([guessed, kept])
    assert [m.get("intent")["name"] for m in found] == ["nlu_fallback", "stop"]
    assert found[0].get("entities") == []
