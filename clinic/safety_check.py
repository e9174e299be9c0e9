"""The structured safety check: every emergency sign, then every urgent sign, asked before any advice.

The free-text screen is a second net: wordings it was never written for get past it. So, as NHS 111
online, NHS Pathways and Ada do, the pain questions start with two plain questions, one per level,
each listing every sign of docs/design.md at that level in positive words. The patient taps the sign they
have, "None of these", or "Not sure". A tapped sign sends a sentence the red-flag screen reads as that
sign, stated now: the same path, reply and record as if the patient had typed it.

A sign the patient already said "no" to (the confirming question about it) is not listed again.
No Rasa imports: the actions, the NLU tests and the content tests all use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from clinic.red_flags import LEVEL_OF_FLAG, Level

# The confirming question about one sign (red_flag_check_form): what is asked, and the answer.
CHECK_SLOT = "red_flag_check"
ANSWER_SLOT = "red_flag_answer"
# The signs the patient said "no" to in a confirming question: the check does not list them again.
CLEARED_SLOT = "signs_cleared"
# The form's slot for each level's question, in the order they are asked.
CHECK_SLOTS: dict[Level, str] = {Level.EMERGENCY: "safety_emergency", Level.URGENT: "safety_urgent"}
LEVEL_OF_CHECK_SLOT: dict[str, Level] = {slot: level for level, slot in CHECK_SLOTS.items()}
NONE = "none"
UNSURE = "unsure"
NONE_BUTTON = {"title": "None of these", "payload": "/deny"}
UNSURE_BUTTON = {"title": "Not sure", "payload": "/unsure"}


@dataclass(frozen=True)
class Sign:
    """One row of the check: the button's words and the sentence it sends, stated now."""

    flag: str
    title: str
    says: str


SIGNS: tuple[Sign, ...] = (
    # Emergency (docs/design.md; NHLBI asthma action plan red zone, GINA severe-attack signs, NHS chest pain).
    Sign("severe_breathlessness", "Too short of breath to talk in full sentences", "I can't talk in full sentences"),
    Sign("blue_lips_or_nails", "Blue or grey lips or fingernails", "My lips are turning blue right now"),
    Sign("reliever_not_helping", "Rescue inhaler gives no help", "My rescue inhaler is not helping right now"),
    Sign("peak_flow_red_zone", "Peak flow below half of your best", "My peak flow is below 50 percent of my best"),
    Sign(
        "drowsy_or_confused_with_breathing_trouble",
        "Drowsy or confused, with trouble breathing",
        "I feel drowsy and confused and I have trouble breathing",
    ),
    Sign("chest_pain", "Chest pain or pressure", "I have chest pain right now"),
    Sign(
        "sudden_severe_pain",
        "Sudden, severe or tearing pain in your back or chest",
        "I have sudden severe tearing pain in my back right now",
    ),
    Sign(
        "coughing_blood_breathless",
        "Coughing up blood and short of breath",
        "I am coughing up blood and I am short of breath",
    ),
    Sign(
        "cauda_equina",
        "Loss of bladder or bowel control, or numbness between your legs",
        "I have lost control of my bladder",
    ),
    Sign("cauda_equina", "Weakness or numbness in both legs", "Both my legs are numb and weak"),
    Sign(
        "serious_injury",
        "Back pain after a serious fall or accident",
        "My back pain started after a car accident",
    ),
    # Urgent (docs/design.md; NICE CKS and NHS back-pain red flags, NHLBI yellow zone).
    Sign("fever", "Fever or chills", "I have a fever and chills"),
    Sign("unexplained_weight_loss", "Weight loss without trying", "I have lost weight without trying"),
    Sign("history_of_cancer", "Cancer, now or in the past", "I have had cancer"),
    Sign(
        "night_pain_not_eased_by_rest",
        "Pain at night that rest doesn't ease",
        "The pain keeps me awake at night and nothing eases it",
    ),
    Sign(
        "lump_or_back_shape_change",
        "A new lump, or a change in the shape of your back",
        "I have found a new lump on my back",
    ),
    Sign("injury_fracture_risk", "A recent fall or knock on your back", "I had a fall and my back hurts"),
    Sign(
        "fragility_fracture",
        "Sudden back or rib pain after a cough or lift, with thin bones, steroid tablets or age over 50",
        "I got sudden sharp rib pain after a cough and I take prednisone every day",
    ),
    Sign("one_leg_weakness", "One leg getting weaker, or a foot that drags", "My left leg is getting weaker"),
    Sign(
        "reliever_overuse",
        "Need your rescue inhaler more than every 4 hours",
        "I use my rescue inhaler more than every 4 hours",
    ),
    Sign("coughing_blood", "Coughing up blood", "I am coughing up blood"),
    Sign(
        "pregnancy_with_cramps_or_bleeding",
        "Pregnant, with cramps or bleeding",
        "I am pregnant and I have cramps and bleeding",
    ),
)


def signs_to_ask(level: Level, cleared: Iterable[str] = ()) -> list[Sign]:
    """The level's signs still to ask about: those the patient has not already said "no" to."""
    done = set(cleared)
    return [s for s in SIGNS if LEVEL_OF_FLAG[s.flag] is level and s.flag not in done]


def check_buttons(level: Level, cleared: Iterable[str] = ()) -> list[dict[str, str]]:
    """One button per sign still to ask about, then "None of these" and "Not sure"."""
    signs = [{"title": s.title, "payload": s.says} for s in signs_to_ask(level, cleared)]
    return [*signs, NONE_BUTTON, UNSURE_BUTTON]


def asked_again(level: Level, answered: Mapping[str, object]) -> bool:
    """Whether a suspicion that names no sign (the red-flag classifier's alone) brings that level's check again.

    An emergency one always does: it can't wait, and a sign can begin during the conversation. An urgent one
    the patient has already answered "None of these" to in this conversation does not: a short answer such as
    "at night" would otherwise bring the same list back, and nothing new was said about any sign.
    """
    return level is Level.EMERGENCY or answered.get(CHECK_SLOTS[level]) != NONE
