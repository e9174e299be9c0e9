"""The threshold sweep re-makes the screen's decision from the classifier's recorded scores, as the screen does."""

from __future__ import annotations

from clinic.red_flags import Level
from tools.real_language.threshold import outcomes_at

SUSPECTED = {"red_flag": {"model": {"emergency": 0.9, "urgent": 0.6}}}


def test_the_classifier_alone_asks_only_at_or_above_the_threshold() -> None:
    at = outcomes_at(["my upper back feels off"], [SUSPECTED], (0.5, 0.9, 0.95))
    assert (at[0.5][0].level, at[0.5][0].asked, at[0.5][0].by_model) == (Level.EMERGENCY, True, True)
    assert (at[0.9][0].level, at[0.9][0].asked) == (Level.EMERGENCY, True)
    assert at[0.95][0].level is Level.NONE and not at[0.95][0].asked


def test_words_the_screen_finds_decide_whatever_the_threshold() -> None:
    at = outcomes_at(["I have chest pain right now"], [{"red_flag": {"model": {}}}], (0.5, 1.01))
    assert all((o[0].level, o[0].asked) == (Level.EMERGENCY, False) for o in at.values())


def test_denied_words_keep_the_classifier_from_asking() -> None:
    at = outcomes_at(["no chest pain, just a sore back"], [SUSPECTED], (0.5,))
    assert at[0.5][0].level is Level.NONE
