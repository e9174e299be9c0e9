"""The clinic article's criteria (DESIGN.md "The distinguishing criteria"), one row per pain pattern.

Read each row as: "the patient reports <pattern>" -> "the bot says it usually means <outcome>,
because of <reasons>, and does / does not tell them to book a visit".
"""

from __future__ import annotations

import pytest

from clinic.criteria import Outcome, PainReport, Reason, assess

R = Reason
ASTHMA = Outcome.ASTHMA_RELATED
MEDICATION = Outcome.MEDICATION_RELATED
OTHER = Outcome.OTHER_CAUSE
UNCLEAR = Outcome.UNCLEAR


def case(name, report, outcome, reasons=(), see_clinic=True, absent=()):
    return pytest.param(report, outcome, set(reasons), see_clinic, set(absent), id=name)


def report(**kw) -> PainReport:
    """A PainReport taking plain sets for the list slots."""
    for key in ("timing", "medication"):
        if key in kw:
            kw[key] = frozenset(kw[key])
    return PainReport(**kw)


ROWS = [
    # --- "Asthma-related back pain usually follows or flares during breathing trouble,
    #      eases when asthma is controlled, improves with breathing or posture support" ---
    case(
        "dull ache between shoulder blades after coughing, eases with control -> asthma_related",
        report(
            location="between_shoulder_blades", timing={"after_coughing"}, quality="dull_ache", eases_with_control=True
        ),
        ASTHMA,
        {R.FOLLOWS_FLARES, R.EASES_WITH_CONTROL, R.TYPICAL_FEEL, R.TYPICAL_PLACE},
        see_clinic=False,
        absent={R.RECURRING},
    ),
    case(
        "said it follows flares and eases with control, nothing else known -> asthma_related",
        report(follows_flares=True, eases_with_control=True),
        ASTHMA,
        {R.FOLLOWS_FLARES, R.EASES_WITH_CONTROL},
        see_clinic=False,
    ),
    case(
        "mid-back tightness during flares, helped by breathing exercises / posture -> asthma_related",
        report(location="mid_back", timing={"during_flare"}, quality="tightness", helped_by_support=True),
        ASTHMA,
        {R.FOLLOWS_FLARES, R.HELPED_BY_SUPPORT},
        see_clinic=False,
    ),
    case(
        "burning around the ribs after a flare, helped by posture support -> asthma_related",
        report(location="ribs", timing={"after_flare"}, quality="burning", helped_by_support=True),
        ASTHMA,
        {R.FOLLOWS_FLARES, R.HELPED_BY_SUPPORT, R.TYPICAL_FEEL},
        see_clinic=False,
    ),
    case(
        "follows flares but nothing known about what eases it -> unclear",
        report(location="upper_back", timing={"after_coughing"}, quality="dull_ache"),
        UNCLEAR,
        {R.FOLLOWS_FLARES},
    ),
    # --- "Worse when lying flat, because the back muscles stay braced" vs "worse during sleep" ---
    case(
        "worse lying flat after a flare, follows flares and eases -> asthma_related (LYING_FLAT)",
        report(
            location="upper_back", timing={"after_flare", "lying_flat"}, quality="tightness", eases_with_control=True
        ),
        ASTHMA,
        {R.LYING_FLAT, R.FOLLOWS_FLARES, R.EASES_WITH_CONTROL},
        see_clinic=False,
        absent={R.WORSE_WITH_MOVEMENT},
    ),
    case(
        "same pattern but worse during sleep (regardless of breathing) -> other_cause",
        report(
            location="upper_back", timing={"after_flare", "during_sleep"}, quality="tightness", eases_with_control=True
        ),
        OTHER,
        {R.WORSE_WITH_MOVEMENT},
        absent={R.LYING_FLAT},
    ),
    case(
        "worse during sleep, nothing else -> other_cause",
        report(timing={"during_sleep"}),
        OTHER,
        {R.WORSE_WITH_MOVEMENT},
    ),
    # --- "If the pain doesn't follow asthma flares ... other culprits" ---
    case(
        "doesn't follow flares -> other_cause",
        report(location="upper_back", quality="dull_ache", follows_flares=False),
        OTHER,
        {R.NOT_FOLLOWING_FLARES},
        absent={R.FOLLOWS_FLARES},
    ),
    case(
        "doesn't follow flares, on inhaled steroids only -> other_cause (not medication)",
        report(location="mid_back", follows_flares=False, medication={"inhaled_steroids"}),
        OTHER,
        {R.NOT_FOLLOWING_FLARES},
    ),
    # --- "Feels worse during normal movement ... or lifting, it's likely something else" ---
    case(
        "worse with movement or lifting, even though it follows flares and eases -> other_cause",
        report(location="upper_back", follows_flares=True, eases_with_control=True, worse_with_movement=True),
        OTHER,
        {R.WORSE_WITH_MOVEMENT},
    ),
    case(
        "timing 'with movement' after coughing -> other_cause",
        report(location="lower_back", timing={"with_movement", "after_coughing"}, quality="dull_ache"),
        OTHER,
        {R.WORSE_WITH_MOVEMENT, R.UNTYPICAL_PLACE},
    ),
    # --- "If the pain doesn't budge" ---
    case(
        "follows flares but doesn't ease with control and won't go away -> other_cause",
        report(location="upper_back", timing={"after_flare"}, eases_with_control=False, persistent=True),
        OTHER,
        {R.DOES_NOT_BUDGE, R.RECURRING},
    ),
    case(
        "constant pain that asthma control doesn't ease -> other_cause",
        report(location="shoulders", timing={"constant"}, eases_with_control=False),
        OTHER,
        {R.DOES_NOT_BUDGE, R.RECURRING},
    ),
    # --- "Most people don't describe sharp or stabbing pain"; places outside the article's list ---
    case(
        "sharp pain, otherwise an asthma pattern -> unclear",
        report(location="upper_back", timing={"after_coughing"}, quality="sharp", eases_with_control=True),
        UNCLEAR,
        {R.SHARP, R.FOLLOWS_FLARES},
    ),
    case(
        "lower back, otherwise an asthma pattern -> unclear",
        report(location="lower_back", timing={"after_flare"}, quality="dull_ache", eases_with_control=True),
        UNCLEAR,
        {R.UNTYPICAL_PLACE, R.FOLLOWS_FLARES},
    ),
    # "The muscles ... jump in to support your lungs. That includes ... even your neck and spine stabilizers."
    case(
        "neck, otherwise an asthma pattern -> asthma_related",
        report(location="neck", timing={"during_flare"}, quality="stiffness", helped_by_support=True),
        ASTHMA,
        {R.TYPICAL_PLACE, R.FOLLOWS_FLARES, R.HELPED_BY_SUPPORT},
        see_clinic=False,
        absent={R.UNTYPICAL_PLACE},
    ),
    # --- "How asthma medications can contribute to back pain" ---
    case(
        "spiked soon after starting a new treatment -> medication_related",
        report(location="upper_back", timing={"after_new_medication"}, medication={"new_treatment"}),
        MEDICATION,
        {R.NEW_TREATMENT},
    ),
    case(
        "new treatment wins over an asthma pattern -> medication_related",
        report(timing={"after_new_medication", "after_flare"}, eases_with_control=True),
        MEDICATION,
        {R.NEW_TREATMENT},
    ),
    case(
        "new treatment, said the pain started soon after it -> medication_related",
        report(location="upper_back", medication={"new_treatment"}, started_after_new_treatment=True),
        MEDICATION,
        {R.NEW_TREATMENT},
    ),
    case(
        "new treatment, started soon after it, worse with movement -> medication_related, movement kept",
        report(
            timing={"with_movement"}, medication={"new_treatment", "oral_steroids"}, started_after_new_treatment=True
        ),
        MEDICATION,
        {R.NEW_TREATMENT, R.LONG_TERM_STEROIDS, R.WORSE_WITH_MOVEMENT},
    ),
    case(
        "sharp, worse moving, spiked after a new treatment -> medication_related, sharp and movement kept",
        report(
            location="mid_back",
            timing={"after_new_medication", "with_movement"},
            quality="sharp",
            medication={"new_treatment"},
        ),
        MEDICATION,
        {R.NEW_TREATMENT, R.WORSE_WITH_MOVEMENT, R.SHARP},
    ),
    case(
        "new treatment, doesn't follow flares, lower back -> medication_related, both kept",
        report(
            location="lower_back", follows_flares=False, medication={"new_treatment"}, started_after_new_treatment=True
        ),
        MEDICATION,
        {R.NEW_TREATMENT, R.NOT_FOLLOWING_FLARES, R.UNTYPICAL_PLACE},
    ),
    case(
        "sharp pain when using the inhaler -> medication_related, sharp kept",
        report(timing={"when_using_inhaler"}, quality="sharp", medication={"inhaled_steroids"}),
        MEDICATION,
        {R.INHALER_POSTURE, R.SHARP},
    ),
    case(
        "new treatment, but the pain didn't start soon after it, asthma pattern -> asthma_related",
        report(
            location="between_shoulder_blades",
            timing={"after_coughing"},
            eases_with_control=True,
            medication={"new_treatment"},
            started_after_new_treatment=False,
        ),
        ASTHMA,
        {R.FOLLOWS_FLARES, R.EASES_WITH_CONTROL},
        see_clinic=False,
        absent={R.NEW_TREATMENT},
    ),
    case(
        "new treatment, not sure when the pain started, doesn't follow flares -> other_cause",
        report(location="mid_back", follows_flares=False, medication={"new_treatment"}),
        OTHER,
        {R.NOT_FOLLOWING_FLARES},
        absent={R.NEW_TREATMENT},
    ),
    case(
        "hurts when using the inhaler, on a steroid inhaler -> medication_related",
        report(location="shoulders", timing={"when_using_inhaler"}, medication={"inhaled_steroids"}),
        MEDICATION,
        {R.INHALER_POSTURE},
    ),
    case(
        "hurts when using the inhaler, frequent reliever use -> medication_related",
        report(location="upper_back", timing={"when_using_inhaler"}, medication={"frequent_reliever"}),
        MEDICATION,
        {R.INHALER_POSTURE},
    ),
    case(
        "hurts when using the inhaler but also worse when lifting -> other_cause, inhaler named",
        report(timing={"when_using_inhaler", "with_movement"}, medication={"frequent_reliever"}),
        OTHER,
        {R.WORSE_WITH_MOVEMENT, R.INHALER_POSTURE},
    ),
    case(
        "hurts when using the inhaler, doesn't follow flares -> other_cause, inhaler named",
        report(timing={"when_using_inhaler"}, follows_flares=False, medication={"inhaled_steroids"}),
        OTHER,
        {R.NOT_FOLLOWING_FLARES, R.INHALER_POSTURE},
    ),
    # --- "Feels worse during normal movement, sleep, or lifting ... something else entirely", even on
    #     steroid tablets, whose effects "are usually subtle and happen gradually": named as contributing ---
    case(
        "steroid tablets and the pain doesn't follow flares -> other_cause, steroids named",
        report(location="mid_back", quality="stiffness", follows_flares=False, medication={"oral_steroids"}),
        OTHER,
        {R.NOT_FOLLOWING_FLARES, R.LONG_TERM_STEROIDS},
    ),
    case(
        "steroid tablets, worse with movement or lifting -> other_cause, steroids named",
        report(location="upper_back", quality="stiffness", worse_with_movement=True, medication={"oral_steroids"}),
        OTHER,
        {R.WORSE_WITH_MOVEMENT, R.LONG_TERM_STEROIDS},
    ),
    case(
        "steroid tablets, worse during sleep -> other_cause, steroids named",
        report(timing={"during_sleep"}, medication={"oral_steroids", "inhaled_steroids"}),
        OTHER,
        {R.WORSE_WITH_MOVEMENT, R.LONG_TERM_STEROIDS},
    ),
    case(
        "steroid tablets, sharp pain not following flares -> other_cause, steroids named",
        report(location="lower_back", quality="sharp", follows_flares=False, medication={"oral_steroids"}),
        OTHER,
        {R.NOT_FOLLOWING_FLARES, R.SHARP, R.LONG_TERM_STEROIDS},
    ),
    case(
        "steroid tablets, pain that doesn't budge -> other_cause, steroids named",
        report(timing={"after_flare", "constant"}, eases_with_control=False, medication={"oral_steroids"}),
        OTHER,
        {R.DOES_NOT_BUDGE, R.LONG_TERM_STEROIDS},
    ),
    case(
        "steroid tablets but the pain follows flares and eases -> asthma_related",
        report(location="upper_back", timing={"after_coughing"}, medication={"oral_steroids"}, eases_with_control=True),
        ASTHMA,
        {R.FOLLOWS_FLARES},
        see_clinic=False,
        absent={R.LONG_TERM_STEROIDS},
    ),
    case(
        "steroid tablets and stiffness, nothing about flares known -> unclear (the tablets decide nothing alone)",
        report(location="mid_back", quality="stiffness", medication={"oral_steroids"}),
        UNCLEAR,
        {R.TYPICAL_FEEL, R.TYPICAL_PLACE},
        absent={R.LONG_TERM_STEROIDS},
    ),
    # --- "If your back pain keeps showing up after asthma flares (or just won't go away), don't wait it out" ---
    case(
        "asthma pattern that keeps coming back -> asthma_related, book a visit",
        report(location="between_shoulder_blades", timing={"after_coughing"}, eases_with_control=True, persistent=True),
        ASTHMA,
        {R.FOLLOWS_FLARES, R.RECURRING},
        see_clinic=True,
    ),
    case(
        "asthma pattern, not recurring -> asthma_related, no visit needed",
        report(
            location="between_shoulder_blades", timing={"after_coughing"}, eases_with_control=True, persistent=False
        ),
        ASTHMA,
        {R.FOLLOWS_FLARES},
        see_clinic=False,
        absent={R.RECURRING},
    ),
    # --- NHLBI / GINA: a rescue inhaler needed more than twice a week = asthma not well controlled ---
    case(
        "asthma pattern, uses a rescue inhaler -> asthma_related, rescue inhaler named",
        report(location="ribs", timing={"after_coughing"}, eases_with_control=True, medication={"frequent_reliever"}),
        ASTHMA,
        {R.FOLLOWS_FLARES, R.RESCUE_INHALER},
        see_clinic=False,
    ),
    case(
        "asthma pattern, controller inhaler only -> asthma_related, no rescue inhaler named",
        report(location="ribs", timing={"after_coughing"}, eases_with_control=True, medication={"inhaled_steroids"}),
        ASTHMA,
        {R.FOLLOWS_FLARES},
        see_clinic=False,
        absent={R.RESCUE_INHALER},
    ),
    case(
        "worse with movement, uses a rescue inhaler -> other_cause, rescue inhaler named",
        report(worse_with_movement=True, medication={"frequent_reliever"}),
        OTHER,
        {R.WORSE_WITH_MOVEMENT, R.RESCUE_INHALER},
    ),
    case(
        "nothing known but a rescue inhaler -> unclear, rescue inhaler named",
        report(medication={"frequent_reliever"}),
        UNCLEAR,
        {R.TOO_LITTLE_KNOWN, R.RESCUE_INHALER},
    ),
    # --- Nothing to go on ---
    case("nothing known -> unclear, too little known", report(), UNCLEAR, {R.TOO_LITTLE_KNOWN}),
    case(
        "only 'not sure' answers -> unclear, too little known",
        report(medication={"none"}),
        UNCLEAR,
        {R.TOO_LITTLE_KNOWN},
    ),
]


@pytest.mark.parametrize(("pain", "outcome", "reasons", "see_clinic", "absent"), ROWS)
def test_article_criteria(pain, outcome, reasons, see_clinic, absent) -> None:
    result = assess(pain)
    assert result.outcome is outcome, result
    assert reasons <= set(result.reasons), result
    assert not absent & set(result.reasons), result
    assert result.see_clinic is see_clinic, result


def test_too_little_known_is_the_only_reason_when_nothing_is_known() -> None:
    assert assess(PainReport()).reasons == (Reason.TOO_LITTLE_KNOWN,)


def test_steroid_tablets_come_last_in_an_other_cause_reply_as_something_that_can_add_to_it() -> None:
    result = assess(report(timing={"with_movement", "constant"}, medication={"oral_steroids"}))
    assert result.reasons == (Reason.WORSE_WITH_MOVEMENT, Reason.RECURRING, Reason.LONG_TERM_STEROIDS)
