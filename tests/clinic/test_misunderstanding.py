"""No dead ends: how often a question was asked, what follows, and which fallback reply comes next."""

from __future__ import annotations

from typing import Any

import pytest

from clinic.misunderstanding import (
    OFFER_HELP,
    OTHER_TOPIC,
    REPHRASE,
    Step,
    after_no_answer,
    answer_hint,
    fallback_response,
    times_asked_in_a_row,
    understood_anything,
)
from clinic.questions import PAIN_QUESTIONS


@pytest.mark.parametrize(
    ("asked", "question", "times"),
    [
        ([], "pain_timing", 0),
        (["pain_timing"], "pain_timing", 1),
        (["pain_timing", "pain_timing"], "pain_timing", 2),
        (["pain_timing", "pain_timing", "pain_timing"], "pain_timing", 3),
        (["pain_timing", "pain_quality"], "pain_timing", 0),  # another question came after it
        (["pain_timing", "pain_quality", "pain_timing"], "pain_timing", 1),  # in a row only
        (["pain_location", "pain_timing", "pain_timing"], "pain_timing", 2),
    ],
)
def test_times_asked_in_a_row(asked: list[str], question: str, times: int) -> None:
    assert times_asked_in_a_row(asked, question) == times


@pytest.mark.parametrize(
    ("times", "understood", "step"),
    [
        (0, False, Step.ASK_AGAIN),
        (1, False, Step.ASK_AGAIN),
        (1, True, Step.ASK_AGAIN),
        (2, True, Step.SKIP),
        (2, False, Step.OFFER_HELP),
        (3, True, Step.SKIP),
        (3, False, Step.OFFER_HELP),
    ],
)
def test_a_question_is_asked_at_most_twice(times: int, understood: bool, step: Step) -> None:
    assert after_no_answer(times, understood) is step


@pytest.mark.parametrize(
    ("slots", "understood"),
    [
        ({}, False),
        ({"pain_location": None, "pain_timing": [], "medication": [], "unsure_about": []}, False),
        ({"pain_location": "upper_back"}, True),
        ({"pain_timing": ["after_coughing"]}, True),
        ({"follows_flares": False}, True),  # a "no" is an answer
        ({"medication": ["none"]}, True),
        ({"unsure_about": ["pain_location"]}, True),  # so is "not sure"
        ({"clinic_name": "Frontier Allergy", "requested_slot": "pain_location"}, False),
    ],
)
def test_understood_anything(slots: dict[str, Any], understood: bool) -> None:
    assert understood_anything(slots) is understood


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("pain_location", '"between my shoulder blades"'),
        ("pain_timing", 'a time or situation, like "after coughing fits" or "when I lie down"'),
        ("pain_quality", '"dull ache"'),
        ("medication", '"prednisone"'),
        ("follows_flares", "a yes or no"),
        ("eases_with_control", "a yes or no"),
        ("pain_persistent", "a yes or no"),
    ],
)
def test_the_second_asking_says_what_kind_of_answer_fits(question: str, kind: str) -> None:
    hint = answer_hint(question)
    assert kind in hint
    assert "Skip" in hint


def test_every_pain_question_has_a_hint_of_its_own_kind() -> None:
    hints = {q: answer_hint(q) for q in PAIN_QUESTIONS}
    open_ended = {q: h for q, h in hints.items() if "a yes or no" not in h}
    assert set(open_ended) == {"pain_location", "pain_timing", "pain_quality", "medication"}
    assert len(set(open_ended.values())) == len(open_ended)


@pytest.mark.parametrize(
    ("other_topic", "in_a_row", "previous", "response"),
    [
        (False, 1, None, REPHRASE),
        (False, 1, "utter_greet", REPHRASE),
        (False, 2, None, OFFER_HELP),
        (False, 2, REPHRASE, OFFER_HELP),
        (False, 3, OFFER_HELP, REPHRASE),  # the offer was just made: not the same words again
        (False, 4, REPHRASE, OFFER_HELP),
        (False, 0, REPHRASE, OFFER_HELP),  # a second "yes" out of the blue is not asked to rephrase twice
        (False, 1, REPHRASE, OFFER_HELP),
        (True, 0, None, OTHER_TOPIC),
        (True, 0, "utter_greet", OTHER_TOPIC),
        (True, 0, OTHER_TOPIC, OFFER_HELP),  # another topic again: the phone and a booking this time
        (True, 0, OFFER_HELP, OTHER_TOPIC),
    ],
)
def test_fallback_reply(other_topic: bool, in_a_row: int, previous: str | None, response: str) -> None:
    assert fallback_response(other_topic, in_a_row, previous) == response


@pytest.mark.parametrize("other_topic", [False, True])
def test_a_run_of_misunderstandings_never_gets_the_same_reply_twice_running(other_topic: bool) -> None:
    previous = None
    for in_a_row in range(1, 8):
        response = fallback_response(other_topic, 0 if other_topic else in_a_row, previous)
        assert response != previous
        previous = response
