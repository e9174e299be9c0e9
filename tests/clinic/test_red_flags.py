"""The red-flag rules of clinic/red_flags.py, one table row per case a clinician would check.

Read `judge` rows as: "a mention of <flag> that is <context>" -> "<tier>". Definite: the emergency or
urgent reply at once. Possible: one yes/no question about the sign first. None: not a red flag.
"""

from __future__ import annotations

import pytest

from clinic.red_flags import (
    LEVEL_OF_FLAG,
    RED_FLAGS,
    Check,
    Finding,
    Level,
    Screen,
    Tier,
    after_answer,
    decide,
    judge,
)

D, P, N = Tier.DEFINITE, Tier.POSSIBLE, Tier.NONE
E, U = Level.EMERGENCY, Level.URGENT


@pytest.mark.parametrize(
    ("finding", "tier"),
    [
        pytest.param(Finding("chest_pain"), D, id="chest pain, said plainly -> definite"),
        pytest.param(Finding("chest_pain", negated=True), N, id="'no chest pain' -> none"),
        pytest.param(
            Finding("history_of_cancer", family_history=True, other_person=True), N, id="'my mum had cancer' -> none"
        ),
        pytest.param(
            Finding("fever", other_person=True), P, id="'he's had a fever' (maybe asking for him) -> question"
        ),
        pytest.param(
            Finding("severe_breathlessness", other_person=True, family_history=True),
            P,
            id="'he couldn't speak, was gasping' (someone else, told in the past) -> question",
        ),
        pytest.param(Finding("chest_pain", hypothetical=True), N, id="'what if I get chest pain?' -> none"),
        pytest.param(Finding("chest_pain", historical=True), P, id="'chest pain back in 2019' -> question"),
        pytest.param(Finding("history_of_cancer", historical=True), D, id="'breast cancer in 2015' -> definite"),
        pytest.param(
            Finding("lump_or_back_shape_change", historical=True), D, id="'found a lump 2 months ago' -> definite"
        ),
        pytest.param(Finding("cauda_equina", hedged=True), P, id="'I think my legs are a bit numb' -> question"),
        pytest.param(Finding("chest_pain", vague=True), P, id="'my chest feels funny' -> question"),
        pytest.param(Finding("chest_pain", negated=True, hedged=True), N, id="denied and hedged -> none"),
        pytest.param(Finding("serious_injury", historical=True, hedged=True), P, id="long ago and hedged -> question"),
    ],
)
def test_judge(finding: Finding, tier: Tier) -> None:
    assert judge(finding) is tier


@pytest.mark.parametrize(
    ("findings", "model", "expected"),
    [
        pytest.param([], Level.NONE, Screen(Level.NONE, N), id="nothing -> nothing"),
        pytest.param([Finding("fever")], Level.NONE, Screen(U, D, ("fever",)), id="fever -> urgent at once"),
        pytest.param(
            [Finding("fever"), Finding("chest_pain")],
            Level.NONE,
            Screen(E, D, ("fever", "chest_pain")),
            id="fever + chest pain -> emergency, both named",
        ),
        pytest.param(
            [Finding("cauda_equina", hedged=True)],
            Level.NONE,
            Screen(E, P, (), "cauda_equina"),
            id="hedged leg numbness -> ask about it",
        ),
        pytest.param(
            [Finding("fever"), Finding("blue_lips_or_nails", hedged=True)],
            Level.NONE,
            Screen(E, P, ("fever",), "blue_lips_or_nails"),
            id="fever + hedged blue lips -> ask about the lips first, fever kept",
        ),
        pytest.param(
            [Finding("chest_pain"), Finding("fever", hedged=True)],
            Level.NONE,
            Screen(E, D, ("chest_pain",)),
            id="chest pain + hedged fever -> emergency at once",
        ),
        pytest.param([], E, Screen(E, P, ask=""), id="only the model suspects it -> general question"),
        pytest.param(
            [Finding("chest_pain", negated=True)],
            E,
            Screen(Level.NONE, N),
            id="model reacts to a denied 'chest pain' -> nothing",
        ),
        pytest.param(
            [Finding("fever", hedged=True), Finding("history_of_cancer", hedged=True)],
            Level.NONE,
            Screen(U, P, (), "fever"),
            id="two hedged urgent signs -> one question",
        ),
        pytest.param(
            [Finding("coughing_blood_breathless"), Finding("coughing_blood")],
            Level.NONE,
            Screen(E, D, ("coughing_blood_breathless",)),
            id="coughing blood with breathlessness -> emergency, coughing blood not named again",
        ),
        pytest.param(
            [Finding("serious_injury"), Finding("injury_fracture_risk")],
            Level.NONE,
            Screen(E, D, ("serious_injury",)),
            id="a serious fall is also a fall -> only the serious one named",
        ),
        pytest.param(
            [Finding("coughing_blood"), Finding("coughing_blood_breathless", hedged=True)],
            Level.NONE,
            Screen(E, P, ("coughing_blood",), "coughing_blood_breathless"),
            id="coughing blood, hedged breathlessness -> ask about it, coughing blood kept",
        ),
        pytest.param(
            [Finding("injury_fracture_risk")],
            E,
            Screen(E, P, ("injury_fracture_risk",), ""),
            id="a fall the words read as urgent, the model sure of an emergency -> the emergency check first",
        ),
        pytest.param(
            [Finding("fever")],
            U,
            Screen(U, D, ("fever",)),
            id="fever, the model suspects urgent too -> urgent at once",
        ),
        pytest.param(
            [Finding("fever"), Finding("chest_pain", negated=True)],
            E,
            Screen(U, D, ("fever",)),
            id="fever and a denied chest pain, the model reacts to it -> urgent at once, no question",
        ),
        pytest.param(
            [Finding("fever", negated=True)],
            U,
            Screen(Level.NONE, N),
            id="model reacts to a denied fever -> nothing",
        ),
    ],
)
def test_decide(findings: list[Finding], model: Level, expected: Screen) -> None:
    assert decide(findings, model) == expected


def test_the_model_alone_never_gives_more_than_the_question() -> None:
    for level in (E, U):
        assert decide([], level).tier is P


@pytest.mark.parametrize(
    ("check", "answer", "expected"),
    [
        pytest.param(Check(E, "chest_pain"), "yes", (E, ("chest_pain",)), id="yes to chest pain -> 911"),
        pytest.param(Check(E, "chest_pain"), "unsure", (E, ("chest_pain",)), id="not sure -> 911"),
        pytest.param(Check(E, "chest_pain"), "no", (Level.NONE, ()), id="no -> carry on"),
        pytest.param(
            Check(E, "blue_lips_or_nails", ("fever",)), "no", (U, ("fever",)), id="no to blue lips, fever -> urgent"
        ),
        pytest.param(
            Check(E, "blue_lips_or_nails", ("fever",)),
            "yes",
            (E, ("blue_lips_or_nails", "fever")),
            id="yes to blue lips with fever -> 911",
        ),
        pytest.param(Check(U, ""), "yes", (U, ()), id="yes to the general urgent question -> urgent"),
        pytest.param(
            Check(E, "", ("injury_fracture_risk",)),
            "no",
            (U, ("injury_fracture_risk",)),
            id="none of the emergency signs after a fall -> the urgent reply for the fall",
        ),
    ],
)
def test_after_answer(check: Check, answer: str, expected: tuple[Level, tuple[str, ...]]) -> None:
    assert after_answer(check, answer) == expected


def test_a_check_survives_its_slot_and_bad_slot_values_are_refused() -> None:
    check = Check(E, "chest_pain", ("fever",), "pain_form")
    assert Check.from_slot(check.as_slot()) == check
    assert Check.from_slot({"level": "nonsense"}) is None
    assert Check.from_slot(["not", "a", "dict"]) is None
    assert Check.from_slot({"level": "urgent", "ask": "made_up", "flags": ["fever", {"a": 1}]}) == Check(
        U, "", ("fever",)
    )


def test_every_flag_has_a_level_of_the_design() -> None:
    assert {f.name for f in RED_FLAGS} == set(LEVEL_OF_FLAG)
    assert sum(f.level is E for f in RED_FLAGS) == 10
    assert sum(f.level is U for f in RED_FLAGS) == 11


@pytest.mark.parametrize(
    ("screen", "intent"),
    [
        pytest.param(Screen(E, D, ("chest_pain",), child=True), "red_flag_emergency", id="child, definite 911 -> 911"),
        pytest.param(
            Screen(E, P, (), "chest_pain", child=True), "about_child", id="child, possible 911 -> for children"
        ),
        pytest.param(Screen(U, D, ("fever",), child=True), "about_child", id="child, urgent -> for children"),
        pytest.param(Screen(Level.NONE, N, child=True), "about_child", id="child, no red flag -> for children"),
        pytest.param(Screen(U, D, ("fever",)), "red_flag_urgent", id="adult, urgent -> urgent"),
        pytest.param(Screen(Level.NONE, N), None, id="adult, no red flag -> none"),
    ],
)
def test_the_intent_a_screen_calls_for(screen: Screen, intent: str | None) -> None:
    assert screen.intent == intent
