"""The threshold sweep re-makes the screen's decision from the classifier's recorded scores, as the screen does."""

from __future__ import annotations

from pathlib import Path

from clinic.red_flags import Level
from tools.real_language.threshold import configured, outcomes_at, sweeps

SUSPECTED = {"red_flag": {"model": {"emergency": 0.9, "urgent": 0.6}}}


def at(emergency: float, urgent: float) -> dict[Level, float]:
    return {Level.EMERGENCY: emergency, Level.URGENT: urgent}


def test_the_classifier_alone_asks_only_at_or_above_a_levels_threshold() -> None:
    low, emergency_only, urgent_only, never = outcomes_at(
        ["my upper back feels off"], [SUSPECTED], [at(0.5, 0.5), at(0.9, 0.95), at(0.95, 0.6), at(1.01, 1.01)]
    )
    assert (low[0].level, low[0].asked, low[0].by_model) == (Level.EMERGENCY, True, True)
    assert (emergency_only[0].level, emergency_only[0].asked) == (Level.EMERGENCY, True)
    assert (urgent_only[0].level, urgent_only[0].asked) == (Level.URGENT, True)
    assert never[0].level is Level.NONE and not never[0].asked


def test_words_the_screen_finds_decide_whatever_the_threshold() -> None:
    outcomes = outcomes_at(
        ["I have chest pain right now"], [{"red_flag": {"model": {}}}], [at(0.5, 0.5), at(1.01, 1.01)]
    )
    assert all((o[0].level, o[0].asked) == (Level.EMERGENCY, False) for o in outcomes)


def test_denied_words_keep_the_classifier_from_asking() -> None:
    (denied,) = outcomes_at(["no chest pain, just a sore back"], [SUSPECTED], [at(0.5, 0.5)])
    assert denied[0].level is Level.NONE


def test_each_level_is_swept_with_the_other_at_its_configured_value(tmp_path: Path) -> None:
    config = tmp_path / "config.yml"
    config.write_text(
        "pipeline:\n- name: DIETClassifier\n"
        "- name: bot.nlu.red_flag_screen.RedFlagScreen\n  model_threshold: {emergency: 0.4, urgent: 0.6}\n",
        encoding="utf-8",
    )
    base = configured(config)
    assert base == at(0.4, 0.6)
    assert [(level, value, thresholds) for level, value, thresholds in sweeps(base, (0.3, 0.9))] == [
        (Level.EMERGENCY, 0.3, at(0.3, 0.6)),
        (Level.EMERGENCY, 0.9, at(0.9, 0.6)),
        (Level.URGENT, 0.3, at(0.4, 0.3)),
        (Level.URGENT, 0.9, at(0.4, 0.9)),
    ]
