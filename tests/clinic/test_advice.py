"""Which of the article's advice the patient gets for each assessment.

Read each row as: "the assessment is <outcome> (recurring or not)" -> "the patient is sent <responses>"
and is never sent <forbidden responses>.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from rasa.core.nlg.generator import ResponseVariationFilter

from clinic.advice import NSAID_CAUTION, SELF_CARE, advice_for
from clinic.criteria import Assessment, Outcome, Reason

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
REVIEW = "utter_advice_asthma_review"


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
    ("reasons", "advice"),
    [
        pytest.param(
            (Reason.NEW_TREATMENT,),
            (MEDICATION, POSTURE, NSAIDS),
            id="new treatment only -> talk to the doctor, posture, NSAID caution",
        ),
        pytest.param(
            (Reason.NEW_TREATMENT, Reason.WORSE_WITH_MOVEMENT, Reason.SHARP),
            (MEDICATION, OTHER_CAUSE, POSTURE, NSAIDS),
            id="new treatment, sharp and worse moving -> also: have it checked",
        ),
        pytest.param(
            (Reason.INHALER_POSTURE, Reason.UNTYPICAL_PLACE),
            (MEDICATION, OTHER_CAUSE, POSTURE, NSAIDS),
            id="inhaler posture, lower back -> also: have it checked",
        ),
        pytest.param(
            (Reason.INHALER_POSTURE, Reason.RESCUE_INHALER),
            (MEDICATION, POSTURE, REVIEW, NSAIDS),
            id="inhaler posture, rescue inhaler -> also: an asthma review",
        ),
    ],
)
def test_medication_related_advice_keeps_get_it_checked_and_the_review(
    reasons: tuple[Reason, ...], advice: tuple[str, ...]
) -> None:
    assert advice_for(Assessment(Outcome.MEDICATION_RELATED, reasons, see_clinic=True)) == advice


@pytest.mark.parametrize("outcome", list(Outcome), ids=lambda o: o.value)
def test_every_outcome_with_a_rescue_inhaler_suggests_an_asthma_review(outcome: Outcome) -> None:
    assert REVIEW in advice_for(Assessment(outcome, (Reason.FOLLOWS_FLARES, Reason.RESCUE_INHALER), see_clinic=True))
    assert REVIEW not in advice_for(Assessment(outcome, (Reason.FOLLOWS_FLARES,), see_clinic=True))


def test_the_asthma_review_asks_about_more_than_twice_a_week() -> None:
    text = text_of(REVIEW)
    assert "rescue inhaler more than twice a week" in text and "asthma review" in text


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
def test_exercises_are_for_when_breathing_has_settled_never_instead_of_the_rescue_inhaler(exercise: str) -> None:
    text = text_of(exercise)
    assert "Do it when your breathing has settled" in text or "Do them when your breathing has settled" in text
    assert re.search(r"Never do (it|them) instead of your rescue inhaler during a flare", text)


@pytest.mark.parametrize("stretch", [STRETCHING, "utter_faq/stretches"])
def test_the_stretch_keeps_the_patient_breathing_and_never_says_hold(stretch: str) -> None:
    text = text_of(stretch)
    assert "Keep breathing the whole time." in text
    assert not re.search(r"\bhold\b", text, re.IGNORECASE), text


@pytest.mark.parametrize("exercise", [BREATHING, "utter_faq/breathing_exercises"])
def test_belly_breathing_starts_sitting_and_lies_down_only_if_comfortable(exercise: str) -> None:
    text = text_of(exercise)
    assert "Sit in a comfy chair." in text
    assert "Lie on your back" not in text, "lying flat can hurt: it is only an option"


@pytest.mark.parametrize("response", [POSTURE, "utter_faq/can_inhaler_cause_it"])
def test_inhaler_posture_says_keep_your_chin_level_and_never_tip_your_head(response: str) -> None:
    text = text_of(response)
    assert "chin level" in text
    assert "tip your head" not in text and "head back" not in text


# Words a US patient would not use for their inhalers (they say "rescue" and "controller").
OLD_INHALER_WORDS = re.compile(r"\b(reliever|quick-relief|preventer)\b", re.IGNORECASE)


def test_no_response_says_within_24_hours_where_the_urgent_reply_says_today() -> None:
    responses = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"]
    assert "Please see a doctor today" in text_of("utter_urgent")
    for name, variations in responses.items():
        assert not any("24 hours" in variation["text"] for variation in variations), name
    for faq in ("utter_faq/why_lying_flat_hurts", "utter_faq/can_steroids_cause_it"):
        assert "see a doctor today" in text_of(faq) or "seen by a doctor today" in text_of(faq), faq


def test_every_response_calls_the_inhalers_rescue_and_controller() -> None:
    responses = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"]
    for name, variations in responses.items():
        for variation in variations:
            shown = [variation["text"], *(button["title"] for button in variation.get("buttons", []))]
            assert not any(OLD_INHALER_WORDS.search(text) for text in shown), name


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
def test_the_painkiller_advice_says_the_reaction_can_be_a_severe_attack_whatever_else_you_take(response: str) -> None:
    text = text_of(response)
    assert "The reaction can be a severe asthma attack" in text
    assert "check with your provider or pharmacist before you take any of them" in text
    assert "most if" not in text and "with your asthma medicines" not in text


@pytest.mark.parametrize("response", [NSAIDS, "utter_faq/painkillers"])
def test_the_painkiller_advice_leads_with_the_caution_before_any_relief(response: str) -> None:
    text = text_of(response)
    assert text.index("react badly to aspirin") < text.index("check with your provider") < text.index("may help")


def offered(assessment: str, booking_recommended: bool) -> list[str]:
    """The utter_offer_booking texts Rasa can pick from with these slots (its own variation filter)."""
    responses = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"]
    slots = {"assessment": assessment, "booking_recommended": booking_recommended}
    variations = ResponseVariationFilter(responses).responses_for_utter_action("utter_offer_booking", "rest", slots)
    return [variation["text"] for variation in variations]


@pytest.mark.parametrize(
    ("outcome", "promised", "never"),
    [
        pytest.param(
            Outcome.ASTHMA_RELATED, ["test your lungs", "triggers"], [], id="asthma pattern -> lungs, triggers"
        ),
        pytest.param(
            Outcome.MEDICATION_RELATED, ["medicines do their job"], ["lungs", "triggers"], id="medicines -> medicines"
        ),
        pytest.param(
            Outcome.OTHER_CAUSE, ["examine you", "own doctor"], ["lungs", "triggers"], id="something else -> an exam"
        ),
        pytest.param(Outcome.UNCLEAR, ["full picture"], ["lungs", "triggers"], id="unclear -> the full picture"),
    ],
)
def test_the_recommended_visit_promises_what_fits_the_outcome(
    outcome: Outcome, promised: list[str], never: list[str]
) -> None:
    texts = offered(outcome.value, booking_recommended=True)
    assert len(texts) == 1, f"Rasa would pick at random among {texts}"
    assert all(words in texts[0] for words in promised), texts[0]
    assert not any(words in texts[0] for words in never), texts[0]


def test_a_visit_not_recommended_is_only_offered() -> None:
    assert offered(Outcome.ASTHMA_RELATED.value, booking_recommended=False) == [
        "If it keeps coming back, the clinic can help. Would you like me to send a booking request anyway?"
    ]
