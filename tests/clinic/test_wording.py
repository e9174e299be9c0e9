"""The words the patient and staff read for reasons, slot values and lists.

Read each row as: "<value>" -> "<what is shown>".
"""

from __future__ import annotations

import re

import pytest

from clinic import wording
from clinic.contract import ASSESSMENTS, SLOT_VALUES
from clinic.criteria import PainReport, Reason
from clinic.red_flags import RED_FLAGS
from clinic.wording import REASONS, explain, join, label, red_flag_reason, say_back


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
        pytest.param("urgent", "warning signs: told to see a doctor today", id="urgent: today, as the reply says"),
        pytest.param("inhaled_steroids", "daily controller inhaler (steroid)", id="controller inhaler"),
        pytest.param("frequent_reliever", "rescue inhaler, often", id="rescue inhaler"),
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


def test_explain_says_the_reasons_in_order_as_short_sentences() -> None:
    said = explain([Reason.FOLLOWS_FLARES, Reason.EASES_WITH_CONTROL], PainReport(follows_flares=True))
    assert said == "It comes with or after breathing trouble. It eases when your asthma is under control."


@pytest.mark.parametrize(
    ("reason", "report", "said"),
    [
        pytest.param(
            Reason.TYPICAL_PLACE,
            PainReport(location="between_shoulder_blades"),
            "You feel it between your shoulder blades.",
            id="the place they gave",
        ),
        pytest.param(Reason.TYPICAL_PLACE, PainReport(location="neck"), "You feel it in your neck.", id="neck"),
        pytest.param(
            Reason.TYPICAL_FEEL, PainReport(quality="dull_ache"), "It's a dull ache.", id="the feel they gave"
        ),
        pytest.param(Reason.TYPICAL_FEEL, PainReport(quality="burning"), "It burns or pulls.", id="burning"),
        pytest.param(
            Reason.FOLLOWS_FLARES,
            PainReport(timing=frozenset({"after_coughing", "lying_flat"})),
            "It hurts after coughing fits.",
            id="the flare timing they gave, not the rest",
        ),
        pytest.param(
            Reason.WORSE_WITH_MOVEMENT,
            PainReport(timing=frozenset({"during_sleep", "with_movement"})),
            "It hurts with movement or lifting and during sleep.",
            id="movement timings in the form's order",
        ),
        pytest.param(Reason.RECURRING, PainReport(timing=frozenset({"constant"})), "It hurts all the time.", id="all"),
        pytest.param(
            Reason.RECURRING, PainReport(persistent=True), "It keeps coming back or won't go away.", id="their yes"
        ),
    ],
)
def test_a_reason_is_said_back_in_what_the_patient_told_us(reason: Reason, report: PainReport, said: str) -> None:
    assert say_back(reason, report).startswith(said)


def test_the_reasons_never_list_every_possible_feel_and_place() -> None:
    report = PainReport(location="ribs", quality="tightness", timing=frozenset({"during_flare"}))
    said = explain([Reason.TYPICAL_FEEL, Reason.TYPICAL_PLACE], report)
    assert "dull ache" not in said and "shoulder blades" not in said and "stiff" not in said
    assert "around your ribs" in said and "tight" in said


@pytest.mark.parametrize(
    "words", [*REASONS.values(), *wording.LABELS.values()], ids=[*(r.value for r in REASONS), *wording.LABELS]
)
def test_inhalers_are_called_rescue_and_controller_and_urgent_means_today(words: str) -> None:
    assert not re.search(r"\b(reliever|quick-relief|preventer)\b", words, re.IGNORECASE), words
    assert "24 hours" not in words, words


def test_steroid_tablets_are_not_all_called_long_term_use() -> None:
    said = REASONS[Reason.LONG_TERM_STEROIDS]
    assert "You take steroid tablets. Taken for a long time" in said
    assert "A short course is not long-term use." in said


@pytest.mark.parametrize("flag", [f.name for f in RED_FLAGS])
def test_red_flag_phrases_have_no_brackets_to_nest_inside_a_reply(flag: str) -> None:
    assert not set("()[]") & set(wording.RED_FLAG_PHRASES[flag])


def test_a_history_of_cancer_is_tied_to_the_back_pain() -> None:
    assert "back pain" in wording.RED_FLAG_PHRASES["history_of_cancer"]


def test_red_flag_reason_names_each_flag_or_the_symptoms() -> None:
    assert red_flag_reason(["fever", "unexplained_weight_loss"]) == (
        "a fever or chills with back pain and weight loss you can't explain"
    )
    assert red_flag_reason([]) == "the symptoms you describe"


@pytest.mark.parametrize("flag", [f.name for f in RED_FLAGS])
def test_each_confirming_question_asks_whether_the_sign_is_there(flag: str) -> None:
    """A "yes" means the sign is there: no "not" inside ("is your inhaler not helping?" invites a "no")."""
    question = wording.RED_FLAG_QUESTIONS[flag]
    assert question.endswith("?")
    assert not re.search(r"\b(not|no|never)\b|n't", question), question


def test_the_reliever_is_called_the_rescue_inhaler() -> None:
    said = [wording.RED_FLAG_QUESTIONS[flag] for flag in ("reliever_not_helping", "reliever_overuse")]
    said += [wording.RED_FLAG_PHRASES[flag] for flag in ("reliever_not_helping", "reliever_overuse")]
    assert all("rescue inhaler" in text for text in said), said
    per_flag = [text for flag, text in wording.RED_FLAG_QUESTIONS.items() if flag not in ("emergency", "urgent")]
    assert not [text for text in per_flag + list(wording.RED_FLAG_PHRASES.values()) if "quick-relief" in text]


def test_a_fall_is_named_as_a_fall_without_a_claim_of_long_term_steroids() -> None:
    assert red_flag_reason(["injury_fracture_risk"]) == "back pain after a fall or a knock"
