"""Which of the article's advice fits which assessment.

Returns response names from domain.yml, where the advice text lives, so that
clinicians review the wording in one place and this module only holds the choice.
"""

from __future__ import annotations

from clinic.criteria import POINTS_ELSEWHERE, Assessment, Outcome, Reason

# "Ways to ease asthma-linked back pain", in the article's order: "relief starts with calming the lungs".
SELF_CARE = (
    "utter_advice_calm_lungs",
    "utter_advice_stretching",
    "utter_advice_posture",
    "utter_advice_heat",
    "utter_advice_breathing",
)
# "OTC anti-inflammatories ... always check with your provider"; some people with asthma
# react to aspirin and other NSAIDs, so this caution goes with every piece of advice.
NSAID_CAUTION = "utter_advice_nsaids"
# "That's when imaging, physical exams, or referrals come in": have it checked.
GET_IT_CHECKED = "utter_advice_other_cause"
# NHLBI / GINA: a rescue inhaler needed more than twice a week means the asthma needs a review.
ASTHMA_REVIEW = "utter_advice_asthma_review"
# Medicines an assessment can name; with them goes "bring it up with your doctor" and, so that
# nobody stops a long-term steroid on their own, "don't stop or change a medicine on your own".
MEDICINE_REASONS = frozenset({Reason.NEW_TREATMENT, Reason.INHALER_POSTURE, Reason.LONG_TERM_STEROIDS})


def advice_for(assessment: Assessment) -> tuple[str, ...]:
    """The advice responses to send, most important first."""
    reasons = set(assessment.reasons)
    therapy = ("utter_advice_physical_therapy",) if Reason.RECURRING in reasons else ()
    review = (ASTHMA_REVIEW,) if Reason.RESCUE_INHALER in reasons else ()
    if assessment.outcome is Outcome.ASTHMA_RELATED:
        return SELF_CARE + therapy + review + (NSAID_CAUTION,)
    if assessment.outcome is Outcome.MEDICATION_RELATED:
        # A new treatment outranks the other causes, but pain that points elsewhere still gets checked.
        checked = (GET_IT_CHECKED,) if POINTS_ELSEWHERE & reasons else ()
        return ("utter_advice_medication", *checked, "utter_advice_posture", *review, NSAID_CAUTION)
    if assessment.outcome is Outcome.OTHER_CAUSE:
        medicine = ("utter_advice_medication",) if MEDICINE_REASONS & reasons else ()
        return (GET_IT_CHECKED, *medicine, *review, NSAID_CAUTION)
    return ("utter_advice_unclear", *review, NSAID_CAUTION)
