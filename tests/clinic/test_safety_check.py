"""The structured safety check: every sign of every level listed, and each button read as its sign."""

from __future__ import annotations

import pytest

from bot.nlu.red_flag_matcher import screen
from clinic.red_flags import FLAGS, RED_FLAGS, Level, Tier
from clinic.safety_check import NONE_BUTTON, SIGNS, UNSURE_BUTTON, asked_again, check_buttons, signs_to_ask


def test_every_red_flag_has_a_row_in_the_check_so_a_none_of_these_clears_nothing_unasked() -> None:
    assert {s.flag for s in SIGNS} == set(FLAGS)


@pytest.mark.parametrize("level", [Level.EMERGENCY, Level.URGENT])
def test_each_level_lists_only_its_own_signs_then_none_and_not_sure(level: Level) -> None:
    buttons = check_buttons(level)
    assert buttons[-2:] == [NONE_BUTTON, UNSURE_BUTTON]
    titles = {b["title"] for b in buttons[:-2]}
    assert titles == {s.title for s in SIGNS if FLAGS[s.flag].level is level}
    assert len(titles) == len(buttons) - 2


@pytest.mark.parametrize("sign", SIGNS, ids=[f"{s.flag}: {s.title}" for s in SIGNS])
def test_a_tapped_sign_is_read_by_the_screen_as_that_sign_now(sign: object) -> None:
    result = screen(sign.says)  # type: ignore[attr-defined]
    flag = FLAGS[sign.flag]  # type: ignore[attr-defined]
    assert result.tier is Tier.DEFINITE and result.level is flag.level, result
    assert flag.name in result.flags, result


def test_a_sign_ruled_out_by_a_no_is_not_listed_again() -> None:
    left = [s.flag for s in signs_to_ask(Level.EMERGENCY, ["chest_pain", "cauda_equina"])]
    assert "chest_pain" not in left and "cauda_equina" not in left
    assert "blue_lips_or_nails" in left


def test_the_two_levels_together_cover_every_flag_once_per_level() -> None:
    for flag in RED_FLAGS:
        assert signs_to_ask(flag.level), flag
        assert any(s.flag == flag.name for s in signs_to_ask(flag.level))


@pytest.mark.parametrize(
    ("level", "answered", "again"),
    [
        (Level.URGENT, {"safety_urgent": "none"}, False),
        (Level.URGENT, {"safety_urgent": None}, True),
        (Level.URGENT, {"safety_urgent": "unsure", "safety_emergency": "none"}, True),
        (Level.URGENT, {"safety_emergency": "none"}, True),
        (Level.EMERGENCY, {"safety_emergency": "none", "safety_urgent": "none"}, True),
        (Level.EMERGENCY, {}, True),
    ],
    ids=[
        "urgent, its check answered none of these -> not again",
        "urgent, its check not answered -> asked",
        "urgent, its check answered not sure -> asked",
        "urgent, only the emergency check answered -> asked",
        "emergency, answered none of these -> asked again: it can't wait",
        "emergency, nothing answered -> asked",
    ],
)
def test_a_suspicion_naming_no_sign_brings_its_levels_check_again(
    level: Level, answered: dict[str, object], again: bool
) -> None:
    assert asked_again(level, answered) is again
