"""Patient-facing words for the criteria's reasons and for the slot values.

Reasons are said back in short sentences, in what the patient told us ("It hurts after coughing fits."),
as observations, never as a diagnosis. docs/content-sources.md says where each one comes from.
"""

from __future__ import annotations

from collections.abc import Iterable

from clinic.contract import SLOT_VALUES
from clinic.criteria import FLARE_TIMINGS, MOVEMENT_TIMINGS, PainReport, Reason

REASONS: dict[Reason, str] = {
    Reason.FOLLOWS_FLARES: "It comes with or after breathing trouble.",
    Reason.EASES_WITH_CONTROL: "It eases when your asthma is under control.",
    Reason.HELPED_BY_SUPPORT: "Breathing exercises or better posture help it.",
    Reason.TYPICAL_FEEL: "{feel} That's how this kind of pain usually feels.",
    Reason.TYPICAL_PLACE: "You feel it {place}. Muscles there help out when breathing is hard.",
    Reason.LYING_FLAT: "It's worse when you lie flat. After a flare, the back muscles can stay tense even at rest.",
    Reason.NOT_FOLLOWING_FLARES: "It doesn't follow your asthma flares.",
    Reason.WORSE_WITH_MOVEMENT: "It's worse when you move, lift or sleep, whatever your breathing is doing.",
    Reason.DOES_NOT_BUDGE: "It won't go away, even when your asthma is under control.",
    Reason.SHARP: "It's sharp or stabbing. Back pain from asthma usually isn't.",
    Reason.UNTYPICAL_PLACE: (
        "You feel it {place}. This kind of strain usually shows up in the upper or mid-back, shoulders or ribs."
    ),
    # "These effects are usually subtle and happen gradually. If your back pain spiked soon after
    # starting a new treatment, bring it up with your doctor."
    Reason.NEW_TREATMENT: (
        "It started soon after a new asthma treatment. Medicine side effects usually build up slowly,"
        " so your doctor should know about this."
    ),
    Reason.INHALER_POSTURE: (
        "It comes on when you use your inhaler. Using an inhaler hunched over can strain the upper back and shoulders."
    ),
    # "Long-term use of corticosteroids (especially oral ones)": a short course is not that.
    Reason.LONG_TERM_STEROIDS: (
        "You take steroid tablets. Taken for a long time, they can slowly weaken muscles or make joints stiff or sore."
        " A short course is not long-term use."
    ),
    Reason.RECURRING: "It keeps coming back or won't go away.",
    # NHLBI / GINA: a rescue inhaler needed more than twice a week means the asthma is not well controlled.
    Reason.RESCUE_INHALER: (
        "You use a rescue inhaler. Needing it more than twice a week can mean your asthma is not well controlled."
    ),
    Reason.TOO_LITTLE_KNOWN: "I don't know enough yet about how it relates to your breathing.",
}

# A reason the patient's timing gave is said back as that timing: "It hurts after coughing fits."
TIMING_ECHOES: dict[Reason, frozenset[str]] = {
    Reason.FOLLOWS_FLARES: FLARE_TIMINGS,
    Reason.WORSE_WITH_MOVEMENT: MOVEMENT_TIMINGS,
    Reason.RECURRING: frozenset({"constant"}),
}
PLACES: dict[str, str] = {
    "upper_back": "in your upper back",
    "shoulders": "in your shoulders",
    "between_shoulder_blades": "between your shoulder blades",
    "under_shoulder_blades": "just under your shoulder blades",
    "mid_back": "in your mid-back",
    "ribs": "around your ribs",
    "lower_back": "in your lower back",
    "neck": "in your neck",
}
FEELS: dict[str, str] = {
    "dull_ache": "It's a dull ache.",
    "tightness": "It feels tight.",
    "burning": "It burns or pulls.",
    "stiffness": "It feels stiff.",
    "sharp": "It's sharp or stabbing.",
}

# How each red flag of clinic/red_flags.py is named back to the patient.
RED_FLAG_PHRASES: dict[str, str] = {
    "severe_breathlessness": "severe trouble breathing",
    "blue_lips_or_nails": "blue or grey lips or fingernails",
    "reliever_not_helping": "a rescue inhaler that isn't helping",
    "drowsy_or_confused_with_breathing_trouble": "feeling drowsy or confused and short of breath",
    "chest_pain": "chest pain or pressure",
    "cauda_equina": "back pain with bladder or bowel problems, a numb groin or bottom, or both legs weak or numb",
    "serious_injury": "back pain after a bad fall or accident",
    "sudden_severe_pain": "sudden bad back or chest pain, or pain with sweats, feeling sick or fainting",
    "coughing_blood_breathless": "coughing up blood while short of breath",
    "peak_flow_red_zone": "a peak flow under half of your best",
    "injury_fracture_risk": "back pain after a fall or a knock",
    "fever": "a fever or chills with back pain",
    "unexplained_weight_loss": "weight loss you can't explain",
    # DESIGN.md's urgent list: "a history of cancer", with back pain.
    "history_of_cancer": "back pain when you have or have had cancer",
    "night_pain_not_eased_by_rest": "pain that rest doesn't ease, especially at night",
    "lump_or_back_shape_change": "a new lump or a change in the shape of your back",
    "fragility_fracture": "sudden back or rib pain after a cough, sneeze or lift, when your bones may be weak",
    "one_leg_weakness": "one leg getting weaker, or a foot that drops or drags",
    "reliever_overuse": "needing your rescue inhaler more often than every 4 hours, or a peak flow in your yellow zone",
    "coughing_blood": "coughing up blood",
    "pregnancy_with_cramps_or_bleeding": "back pain in pregnancy with cramps or bleeding",
}

# The confirming question about each red flag: plain words, one sign, answerable with yes, no or not sure
# (when only the model suspects a red flag, its level's safety check is asked instead: clinic/safety_check.py).
# Each asks whether the sign is there, so that "yes" always means it is: no "not" inside ("is your inhaler
# not helping?" invites a "no").
RED_FLAG_QUESTIONS: dict[str, str] = {
    "severe_breathlessness": "are you too short of breath right now to speak in full sentences or to walk?",
    "blue_lips_or_nails": "are your lips or fingernails blue or grey right now?",
    "reliever_not_helping": "is your breathing still bad after you use your rescue inhaler?",
    "drowsy_or_confused_with_breathing_trouble": "are you drowsy or confused, with trouble breathing, right now?",
    "chest_pain": "do you have chest pain or pressure in your chest right now?",
    "cauda_equina": (
        "have you lost control of your bladder or bowels, or are you unable to pee? Is your groin or bottom numb?"
        " Are both legs weak or numb?"
    ),
    "serious_injury": "did this back pain start after a serious fall or accident?",
    "sudden_severe_pain": "did severe pain in your back or chest start all of a sudden?",
    "coughing_blood_breathless": "are you coughing up blood and short of breath?",
    "peak_flow_red_zone": "is your peak flow under half of your best right now?",
    "injury_fracture_risk": "did your back pain start after a fall or a knock?",
    "fever": "do you have a fever or chills right now?",
    "unexplained_weight_loss": "have you lost about 10 pounds or more in the past year without trying?",
    "history_of_cancer": "have you yourself had cancer, now or in the past?",
    "night_pain_not_eased_by_rest": "does the pain keep going at night, even when you rest or lie still?",
    "lump_or_back_shape_change": "have you noticed a new lump, or a change in the shape of your back?",
    "fragility_fracture": "did the pain start suddenly after a cough, a sneeze or lifting something?",
    "one_leg_weakness": "is one of your legs getting weaker, or does one foot drop or drag when you walk?",
    "reliever_overuse": "do you need your rescue inhaler more than every 4 hours?",
    "coughing_blood": "are you coughing up blood?",
    "pregnancy_with_cramps_or_bleeding": "are you pregnant and having cramps or bleeding?",
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
    "inhaled_steroids": "daily controller inhaler (steroid)",
    "frequent_reliever": "rescue inhaler, often",
    "new_treatment": "a new treatment",
    "none": "no asthma medicines",
    "asthma_related": "looks like asthma-related muscle strain",
    "medication_related": "medication may be contributing",
    "other_cause": "probably something other than asthma: get it checked",
    "unclear": "the pattern is unclear: get it checked",
    "emergency": "emergency signs: told to call 911",
    "urgent": "warning signs: told to see a doctor today",
}


def join(phrases: Iterable[str]) -> str:
    """ "a, b and c" — how a person lists things."""
    items = list(phrases)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def explain(reasons: Iterable[Reason], report: PainReport) -> str:
    """The reasons as short sentences, in the place, feel and timing the patient gave."""
    return " ".join(say_back(reason, report) for reason in reasons)


def say_back(reason: Reason, report: PainReport) -> str:
    """One reason as the patient would recognise it: their own timing, place or feel where they gave one."""
    timings = [t for t in SLOT_VALUES["pain_timing"] if t in report.timing & TIMING_ECHOES.get(reason, frozenset())]
    if timings:
        return f"It hurts {label(timings)}."
    return REASONS[reason].format(place=PLACES.get(report.location or "", ""), feel=FEELS.get(report.quality or "", ""))


def red_flag_reason(flags: Iterable[str]) -> str:
    """The red flags the patient told us about, as the red-flag replies name them back."""
    return join(RED_FLAG_PHRASES[flag] for flag in flags) or "the symptoms you describe"


def label(value: object) -> str:
    """A slot value, or a list of them, in plain words; unknown values are shown as they are."""
    if value is None or value == []:
        return "not given"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return join(label(v) for v in value)
    return LABELS.get(str(value), str(value))
