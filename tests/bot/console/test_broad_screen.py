"""The inbox's broad screen finds a red-flag word wherever the assistant's own screen lets it pass."""

from __future__ import annotations

import pytest

from bot.console.broad_screen import red_flag_words
from bot.nlu.red_flag_matcher import screen
from clinic.red_flags import Tier


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("no chest pain, just a dull ache between my shoulder blades", "chest_pain"),  # denied
        ("my mum had cancer, my upper back aches after coughing", "history_of_cancer"),  # someone else's
        ("what if I get chest pain?", "chest_pain"),  # hypothetical
        ("I'm not losing weight, my back aches after coughing fits", "unexplained_weight_loss"),  # denied
        ("I can't breathe through my nose when my back hurts", "severe_breathlessness"),  # an `except` of the flag
    ],
)
def test_red_flag_words_the_strict_screen_lets_pass_are_found(text: str, flag: str) -> None:
    assert screen(text).tier is Tier.NONE  # the assistant raises nothing: only this screen can list it
    assert flag in red_flag_words(text)


@pytest.mark.parametrize(
    "text",
    [
        "I get a dull ache between my shoulder blades after coughing fits, worse when I lie down",
        "my upper back feels tight after an asthma flare",
        "can my inhaler cause back pain?",
    ],
)
def test_an_ordinary_back_pain_message_has_no_red_flag_word(text: str) -> None:
    assert red_flag_words(text) == ()


def test_what_the_strict_screen_raises_the_broad_one_finds_too() -> None:
    text = "crushing pressure in my chest and my lips look bluish"
    assert set(screen(text).flags) <= set(red_flag_words(text)) == {"chest_pain", "blue_lips_or_nails"}
