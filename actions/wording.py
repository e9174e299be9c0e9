"""Patient-facing words for the criteria's reasons and for the slot values.

Reasons are phrased as the article phrases them, as observations ("it follows your
breathing trouble"), never as a diagnosis.
"""

from __future__ import annotations

from collections.abc import Iterable

from actions.criteria import Reason

REASONS: dict[Reason, str] = {
    Reason.FOLLOWS_FLARES: "it follows your breathing trouble (flare-ups, wheezing or coughing spells)",
    Reason.EASES_WITH_CONTROL: "it eases when your asthma is under control",
    Reason.HELPED_BY_SUPPORT: "breathing exercises or better posture help it",
    Reason.TYPICAL_FEEL: "it feels like a dull ache, tightness, burning or stiffness rather than a sharp or stabbing pain",
    Reason.TYPICAL_PLACE: "it sits where overworked breathing muscles usually hurt (upper back, shoulders, ribs, around the shoulder blades)",
    Reason.LYING_FLAT: "it is worse lying flat after a flare, when the back muscles stay braced",
    Reason.NOT_FOLLOWING_FLARES: "it doesn't follow your asthma flares",
    Reason.WORSE_WITH_MOVEMENT: "it is worse with normal movement, lifting or sleep, whatever your breathing is doing",
    Reason.DOES_NOT_BUDGE: "it doesn't budge, even when your asthma is under control",
    Reason.SHARP: "it is sharp or stabbing, which is not how asthma-related back pain usually feels",
    Reason.UNTYPICAL_PLACE: "it is in a place asthma-related muscle strain doesn't usually reach",
    Reason.NEW_TREATMENT: "it started or spiked soon after a new asthma treatment",
    Reason.INHALER_POSTURE: "it comes on when you use your inhaler, and inhaler use in a hunched posture can strain the upper back and shoulders",
    Reason.LONG_TERM_STEROIDS: "you take steroid tablets, and over time long-term use can also add to back pain through muscle weakness, joint stiffness or soreness, or changes in posture",
    Reason.RECURRING: "it keeps coming back or won't go away",
    Reason.TOO_LITTLE_KNOWN: "I don't know enough yet about how it relates to your breathing",
}

# How each red flag of actions/red_flags.py is named back to the patient.
RED_FLAG_PHRASES: dict[str, str] = {
    "severe_breathlessness": "severe trouble breathing",
    "blue_lips_or_nails": "blue or grey lips or fingernails",
    "reliever_not_helping": "a quick-relief inhaler that isn't helping",
    "drowsy_or_confused_with_breathing_trouble": "drowsiness or confusion with breathing trouble",
    "chest_pain": "chest pain or pressure",
    "cauda_equina": "back pain with bladder or bowel problems, numbness around the groin or buttocks, or weak or numb legs",
    "serious_injury": "back pain after a serious fall or accident",
    "injury_fracture_risk": "a fall or injury (if you take steroid tablets long-term, bones can break more easily)",
    "fever": "a fever or chills with back pain",
    "unexplained_weight_loss": "weight loss you can't explain",
    "history_of_cancer": "cancer now or in the past",
    "night_pain_not_eased_by_rest": "pain that rest doesn't ease, especially at night",
    "lump_or_back_shape_change": "a new lump or a change in the shape of your back",
}

# The confirming question about each red flag (and about either level, when only the model suspects
# one): plain words, one sign, answerable with yes, no or not sure.
RED_FLAG_QUESTIONS: dict[str, str] = {
    "severe_breathlessness": "are you so short of breath right now that you can't speak in full sentences or walk?",
    "blue_lips_or_nails": "are your lips or fingernails blue or grey right now?",
    "reliever_not_helping": "is your quick-relief inhaler not helping your breathing right now?",
    "drowsy_or_confused_with_breathing_trouble": "are you drowsy or confused, with trouble breathing, right now?",
    "chest_pain": "do you have chest pain or pressure in your chest right now?",
    "cauda_equina": (
        "have you lost control of your bladder or bowels, or do you have numbness around your groin or bottom,"
        " or weakness or numbness in both legs?"
    ),
    "serious_injury": "did this back pain start after a serious fall or accident?",
    "injury_fracture_risk": "have you had a fall or a knock while taking steroid tablets for a long time?",
    "fever": "do you have a fever or chills right now?",
    "unexplained_weight_loss": "have you lost weight recently without trying?",
    "history_of_cancer": "have you yourself had cancer, now or in the past?",
    "night_pain_not_eased_by_rest": "is the pain there at night and not eased by rest or lying still?",
    "lump_or_back_shape_change": "have you noticed a new lump, or a change in the shape of your back?",
    "emergency": (
        "right now, do you have severe trouble breathing, blue lips, chest pain, a reliever that isn't helping,"
        " or numbness around your groin or in both legs?"
    ),
    "urgent": (
        "do you have a fever or chills, weight loss you can't explain, a history of cancer, pain at night"
        " that rest doesn't ease, or a new lump on your back?"
    ),
}

LABELS: dict[str, str] = {
    "upper_back": "upper back",
    "shoulders": "shoulders",
    "between_shoulder_blades": "between the shoulder blades",
    "under_shoulder_blades": "just under the shoulder blades",
    "mid_back": "mid-back",
    "ribs": "around the ribs",
    "lower_back": "lower back",
    "neck": "neck",
    "during_flare": "during flare-ups",
    "after_coughing": "after coughing fits",
    "after_flare": "after a flare-up has calmed down",
    "lying_flat": "worse lying flat",
    "with_movement": "with movement or lifting",
    "during_sleep": "during sleep",
    "constant": "all the time",
    "after_new_medication": "since a new medicine",
    "when_using_inhaler": "when using the inhaler",
    "dull_ache": "dull ache",
    "tightness": "tightness",
    "burning": "burning or pulling",
    "stiffness": "stiffness",
    "sharp": "sharp or stabbing",
    "oral_steroids": "steroid tablets",
    "inhaled_steroids": "steroid (preventer) inhaler",
    "frequent_reliever": "frequent reliever inhaler use",
    "new_treatment": "a new treatment",
    "none": "no asthma medicines",
    "asthma_related": "looks like asthma-related muscle strain",
    "medication_related": "medication may be contributing",
    "other_cause": "probably something other than asthma: get it checked",
    "unclear": "the pattern is unclear: get it checked",
    "emergency": "emergency signs: told to call 911",
    "urgent": "warning signs: told to see a doctor within 24 hours",
}


def join(phrases: Iterable[str]) -> str:
    """ "a, b and c" — how a person lists things."""
    items = list(phrases)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def explain(reasons: Iterable[Reason]) -> str:
    """The reasons as one readable clause."""
    return join(REASONS[r] for r in reasons)


def label(value: object) -> str:
    """A slot value, or a list of them, in plain words; unknown values are shown as they are."""
    if value is None or value == []:
        return "not given"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return join(label(v) for v in value)
    return LABELS.get(str(value), str(value))
