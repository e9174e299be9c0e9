"""Which of the article's advice the patient gets for each assessment.

Read each row as: "the assessment is <outcome> (recurring or not)" -> "the patient is sent <responses>"
and is never sent <forbidden responses>.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from actions.advice import NSAID_CAUTION, SELF_CARE, advice_for
from actions.criteria import Assessment, Outcome, Reason

DOMAIN = Path(__file__).resolve().parents[2] / "domain.yml"

CALM_LUNGS = "utter_advice_calm_lungs"
STRETCHING = "utter_advice_stretching"
POSTURE = "utter_advice_posture"
HEAT = "utter_advice_heat"
BREATHING = "utter_advice_breathing"
THERAPY = "utter_advice_physical_therapy"
NSAIDS = "utter_advice_nsaids"
MEDICATION = "utter_advice_medication"
OTHER_CAUSE = "utter_advice_other_cause"
UNCLEAR = "utter_advice_unclear"


def assessment(outcome: Outcome, recurring: bool) -> Assessment:
    reasons = (Reason.FOLLOWS_FLARES,) + ((Reason.RECURRING,) if recurring else ())
    return Assessment(outcome, reasons, see_clinic=recurring or outcome is not Outcome.ASTHMA_RELATED)


ROWS = [
    pytest.param(
        Outcome.ASTHMA_RELATED,
        False,
        {CALM_LUNGS, STRETCHING, POSTURE, HEAT, BREATHING, NSAIDS},
        {THERAPY, OTHER_CAUSE, MEDICATION},
        id="asthma_related -> calm the lungs, stretching, posture, heat, breathing, NSAID caution; no therapy",
    ),
    pytest.param(
        Outcome.ASTHMA_RELATED,
        True,
        {STRETCHING, POSTURE, HEAT, BREATHING, THERAPY, NSAIDS},
        {OTHER_CAUSE, MEDICATION},
        id="asthma_related, recurring -> self-care plus light physical therapy",
    ),
    pytest.param(
        Outcome.MEDICATION_RELATED,
        False,
        {MEDICATION, POSTURE, NSAIDS},
        {OTHER_CAUSE},
        id="medication_related -> talk to the doctor, inhaler posture, NSAID caution",
    ),
    pytest.param(
        Outcome.OTHER_CAUSE,
        False,
        {OTHER_CAUSE, NSAIDS},
        {STRETCHING, HEAT, BREATHING, THERAPY, MEDICATION},
        id="other_cause -> get it checked, NSAID caution; no asthma self-care, no medicine named",
    ),
    pytest.param(
        Outcome.OTHER_CAUSE,
        True,
        {OTHER_CAUSE, NSAIDS},
        {STRETCHING, HEAT, BREATHING, THERAPY, MEDICATION},
        id="other_cause, recurring -> get it checked; no physical therapy as if it were asthma",
    ),
    pytest.param(
        Outcome.UNCLEAR,
        False,
        {UNCLEAR, NSAIDS},
        {OTHER_CAUSE, MEDICATION},
        id="unclear -> how to tell the difference, NSAID caution",
    ),
]


@pytest.mark.parametrize(("outcome", "recurring", "expected", "forbidden"), ROWS)
def test_advice_for_each_outcome(outcome, recurring, expected, forbidden) -> None:
    advice = advice_for(assessment(outcome, recurring))
    assert expected <= set(advice), advice
    assert not forbidden & set(advice), advice
    assert len(advice) == len(set(advice)), f"a response is sent twice: {advice}"


@pytest.mark.parametrize(
    "medicine",
    [Reason.LONG_TERM_STEROIDS, Reason.INHALER_POSTURE],
    ids=["steroid tablets named", "inhaler posture named"],
)
def test_other_cause_naming_a_medicine_also_says_raise_it_with_the_doctor(medicine: Reason) -> None:
    named = Assessment(Outcome.OTHER_CAUSE, (Reason.WORSE_WITH_MOVEMENT, medicine), see_clinic=True)
    assert advice_for(named) == (OTHER_CAUSE, MEDICATION, NSAIDS)


def test_medication_advice_says_not_to_stop_a_medicine_on_your_own() -> None:
    responses = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"]
    text = " ".join(r["text"] for r in responses[MEDICATION]).lower()
    assert "doctor" in text and "don't stop or change a medicine on your own" in text


@pytest.mark.parametrize("recurring", [False, True], ids=["once", "recurring"])
@pytest.mark.parametrize("outcome", list(Outcome), ids=lambda o: o.value)
def test_every_outcome_carries_the_nsaid_caution(outcome: Outcome, recurring: bool) -> None:
    assert NSAID_CAUTION == NSAIDS
    assert NSAIDS in advice_for(assessment(outcome, recurring))


def test_asthma_self_care_follows_the_articles_order_starting_with_calming_the_lungs() -> None:
    advice = advice_for(assessment(Outcome.ASTHMA_RELATED, recurring=True))
    assert advice[: len(SELF_CARE)] == (CALM_LUNGS, STRETCHING, POSTURE, HEAT, BREATHING)
    assert text_of(CALM_LUNGS).startswith("Relief starts with calming your lungs")


def text_of(response: str) -> str:
    responses = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"]
    return " ".join(r["text"] for r in responses[response])


@pytest.mark.parametrize("exercise", [STRETCHING, BREATHING, "utter_faq/stretches", "utter_faq/breathing_exercises"])
def test_exercises_are_for_when_breathing_has_settled_never_instead_of_the_reliever(exercise: str) -> None:
    text = text_of(exercise)
    assert "Do it when your breathing has settled" in text or "Do them when your breathing has settled" in text
    assert re.search(r"Never do (it|them) instead of your reliever during a flare", text)


def test_heat_is_wrapped_and_never_slept_on() -> None:
    text = text_of(HEAT)
    assert "Wrap" in text and "don't fall asleep on it" in text


@pytest.mark.parametrize("recurring", [False, True], ids=["once", "recurring"])
@pytest.mark.parametrize("outcome", list(Outcome), ids=lambda o: o.value)
def test_every_advice_response_exists_in_the_domain(outcome: Outcome, recurring: bool) -> None:
    responses = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"]
    for name in advice_for(assessment(outcome, recurring)):
        assert name in responses, name
        assert responses[name] and responses[name][0].get("text"), name


@pytest.mark.parametrize("response", [NSAIDS, "utter_faq/painkillers", "utter_faq/what_helps"])
def test_nsaid_caution_warns_about_aspirin_and_nsaids_and_sends_to_the_provider(response: str) -> None:
    text = text_of(response)
    assert "some people with asthma react badly to aspirin" in text.lower() and "(NSAIDs)" in text
    assert "check with your provider" in text


@pytest.mark.parametrize("response", [NSAIDS, "utter_faq/painkillers"])
def test_the_painkiller_advice_leads_with_the_caution_before_any_relief(response: str) -> None:
    text = text_of(response)
    assert text.index("react badly to aspirin") < text.index("check with your provider") < text.index("may help")
