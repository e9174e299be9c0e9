"""The words the patient and staff read for reasons, slot values and lists.

Read each row as: "<value>" -> "<what is shown>".
"""

from __future__ import annotations

import pytest

from actions import wording
from actions.contract import ASSESSMENTS, SLOT_VALUES
from actions.criteria import Reason
from actions.red_flags import RED_FLAGS
from actions.wording import REASONS, explain, join, label


@pytest.mark.parametrize("reason", list(Reason), ids=lambda r: r.value)
def test_every_reason_has_a_patient_facing_phrase(reason: Reason) -> None:
    phrase = REASONS[reason]
    assert phrase.strip()
    assert "_" not in phrase, "a raw code name leaked into the patient's words"


def test_reasons_are_observations_not_diagnoses() -> None:
    for reason, phrase in REASONS.items():
        assert "you have" not in phrase.lower(), reason
        assert "diagnos" not in phrase.lower(), reason


@pytest.mark.parametrize("flag", [f.name for f in RED_FLAGS])
def test_every_red_flag_has_a_patient_facing_phrase(flag: str) -> None:
    assert wording.RED_FLAG_PHRASES[flag].strip()


ALL_VALUES = [v for values in SLOT_VALUES.values() for v in values] + list(ASSESSMENTS)


@pytest.mark.parametrize("value", ALL_VALUES)
def test_every_canonical_value_has_plain_words(value: str) -> None:
    shown = label(value)
    assert shown and "_" not in shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        pytest.param(None, "not given", id="None -> not given"),
        pytest.param([], "not given", id="[] -> not given"),
        pytest.param(True, "yes", id="True -> yes"),
        pytest.param(False, "no", id="False -> no"),
        pytest.param("between_shoulder_blades", "between the shoulder blades", id="location"),
        pytest.param("oral_steroids", "steroid tablets", id="medication"),
        pytest.param("emergency", "emergency signs: told to call 911", id="assessment"),
        pytest.param(["after_coughing"], "after coughing fits", id="one-item list"),
        pytest.param(["after_coughing", "lying_flat"], "after coughing fits and worse lying flat", id="two-item list"),
        pytest.param(
            ["upper_back", "shoulders", "ribs"],
            "upper back, shoulders and around the ribs",
            id="three-item list",
        ),
        pytest.param("something_new", "something_new", id="unknown value shown as it is"),
        pytest.param(3, "3", id="number shown as it is"),
    ],
)
def test_label(value: object, shown: str) -> None:
    assert label(value) == shown


@pytest.mark.parametrize(
    ("items", "joined"),
    [
        pytest.param([], "", id="nothing -> empty"),
        pytest.param(["a"], "a", id="one"),
        pytest.param(["a", "b"], "a and b", id="two"),
        pytest.param(["a", "b", "c"], "a, b and c", id="three"),
        pytest.param(iter(["a", "b", "c", "d"]), "a, b, c and d", id="four, from an iterator"),
    ],
)
def test_join(items, joined: str) -> None:
    assert join(items) == joined


def test_explain_lists_the_reasons_in_order() -> None:
    assert explain([Reason.FOLLOWS_FLARES, Reason.EASES_WITH_CONTROL]) == (
        f"{REASONS[Reason.FOLLOWS_FLARES]} and {REASONS[Reason.EASES_WITH_CONTROL]}"
    )
