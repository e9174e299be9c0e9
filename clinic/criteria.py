"""The clinic article's criteria for telling asthma-related back pain from other causes.

Each rule below quotes the article (shared/source-article.md) it comes from. The result
says what the pattern *usually* means and why; it is never a diagnosis. No Rasa
imports: the assessment action calls `assess` and turns the result into messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Outcome(str, Enum):
    """The values of the `assessment` slot that the criteria can produce."""

    ASTHMA_RELATED = "asthma_related"
    MEDICATION_RELATED = "medication_related"
    OTHER_CAUSE = "other_cause"
    UNCLEAR = "unclear"


class Reason(str, Enum):
    """One observation from the patient's answers, as the article words it."""

    FOLLOWS_FLARES = "follows_flares"
    EASES_WITH_CONTROL = "eases_with_control"
    HELPED_BY_SUPPORT = "helped_by_support"
    TYPICAL_FEEL = "typical_feel"
    TYPICAL_PLACE = "typical_place"
    LYING_FLAT = "lying_flat"
    NOT_FOLLOWING_FLARES = "not_following_flares"
    WORSE_WITH_MOVEMENT = "worse_with_movement"
    DOES_NOT_BUDGE = "does_not_budge"
    SHARP = "sharp"
    UNTYPICAL_PLACE = "untypical_place"
    NEW_TREATMENT = "new_treatment"
    INHALER_POSTURE = "inhaler_posture"
    LONG_TERM_STEROIDS = "long_term_steroids"
    RECURRING = "recurring"
    RESCUE_INHALER = "rescue_inhaler"
    TOO_LITTLE_KNOWN = "too_little_known"


# "Follows or flares during breathing trouble"; "pain that shows up after an attack".
FLARE_TIMINGS = frozenset({"during_flare", "after_coughing", "after_flare"})
# "Feels worse during normal movement, sleep, or lifting" -> likely something else.
MOVEMENT_TIMINGS = frozenset({"with_movement", "during_sleep"})
# "A dull ache", "tightness", "stiffness", "a pulling or burning sensation"; not "sharp or stabbing".
ASTHMA_QUALITIES = frozenset({"dull_ache", "tightness", "stiffness", "burning"})
# "Upper back and shoulders", "between the ribs", "just under the shoulder blades",
# "between the shoulder blades", "mid-back", "around the ribcage"; and the muscles that jump in
# to support the lungs include "even your neck and spine stabilizers".
ASTHMA_LOCATIONS = frozenset(
    {"upper_back", "shoulders", "between_shoulder_blades", "under_shoulder_blades", "mid_back", "ribs", "neck"}
)
# The one place in the slot contract that the article names neither among the places nor the muscles.
UNTYPICAL_LOCATIONS = frozenset({"lower_back"})
INHALER_MEDICATIONS = frozenset({"frequent_reliever", "inhaled_steroids"})
# What points away from asthma strain: the article's other culprits and what it calls untypical.
# With any of them goes "get it checked", whatever else the pain follows (clinic/advice.py).
POINTS_ELSEWHERE = frozenset(
    {
        Reason.NOT_FOLLOWING_FLARES,
        Reason.WORSE_WITH_MOVEMENT,
        Reason.DOES_NOT_BUDGE,
        Reason.SHARP,
        Reason.UNTYPICAL_PLACE,
    }
)


@dataclass(frozen=True)
class PainReport:
    """What the patient told the assistant; None means not asked yet or "not sure"."""

    location: str | None = None
    timing: frozenset[str] = field(default_factory=frozenset)
    quality: str | None = None
    medication: frozenset[str] = field(default_factory=frozenset)
    follows_flares: bool | None = None
    eases_with_control: bool | None = None
    helped_by_support: bool | None = None
    worse_with_movement: bool | None = None
    persistent: bool | None = None
    started_after_new_treatment: bool | None = None

    def follows(self) -> bool | None:
        """Whether the pain follows breathing trouble, from the answer or from its timing."""
        if self.follows_flares is not None:
            return self.follows_flares
        return True if self.timing & FLARE_TIMINGS else None

    def worse_moving(self) -> bool | None:
        """Whether it is worse with movement, lifting or sleep regardless of breathing."""
        if self.worse_with_movement is not None:
            return self.worse_with_movement
        return True if self.timing & MOVEMENT_TIMINGS else None

    def started_with_new_treatment(self) -> bool:
        """Whether the pain began soon after a new treatment, from its timing or from the answer."""
        return "after_new_medication" in self.timing or self.started_after_new_treatment is True

    def recurring(self) -> bool:
        """ "Keeps showing up after flares (or just won't go away)"."""
        return bool(self.persistent) or "constant" in self.timing


@dataclass(frozen=True)
class Assessment:
    """The outcome, the observations behind it, and whether the article says: get seen."""

    outcome: Outcome
    reasons: tuple[Reason, ...]
    see_clinic: bool


def medication_reasons(report: PainReport) -> tuple[Reason, ...]:
    """ "How asthma medications can contribute to back pain": what the patient's medicines may add."""
    checks = (
        # "If your back pain spiked soon after starting a new treatment, bring it up with your doctor."
        (report.started_with_new_treatment(), Reason.NEW_TREATMENT),
        # "Inhalers, when used frequently or in poor posture ... can strain the upper back and shoulders."
        (
            "when_using_inhaler" in report.timing and bool(report.medication & INHALER_MEDICATIONS),
            Reason.INHALER_POSTURE,
        ),
        # "Long-term use of corticosteroids (especially oral ones) can cause: muscle weakness over time,
        # joint stiffness or soreness, changes in posture and coordination."
        ("oral_steroids" in report.medication, Reason.LONG_TERM_STEROIDS),
    )
    return tuple(reason for holds, reason in checks if holds)


def other_cause_reasons(report: PainReport) -> tuple[Reason, ...]:
    """ "When back pain isn't actually from asthma"."""
    reasons: list[Reason] = []
    # "If the pain doesn't follow asthma flares, we have to consider other culprits."
    if report.follows() is False:
        reasons.append(Reason.NOT_FOLLOWING_FLARES)
    # "Feels worse during normal movement, sleep, or lifting, it's likely something else."
    # Worse lying flat while recovering from a flare is not this: see LYING_FLAT.
    if report.worse_moving():
        reasons.append(Reason.WORSE_WITH_MOVEMENT)
    # "If the pain doesn't budge": it won't go away and asthma control doesn't ease it.
    if report.eases_with_control is False and report.recurring():
        reasons.append(Reason.DOES_NOT_BUDGE)
    return tuple(reasons)


def asthma_reasons(report: PainReport) -> tuple[Reason, ...]:
    """ "Asthma-related back pain usually ..." and "what it feels like and where"."""
    checks = (
        (report.follows() is True, Reason.FOLLOWS_FLARES),
        (report.eases_with_control is True, Reason.EASES_WITH_CONTROL),
        (report.helped_by_support is True, Reason.HELPED_BY_SUPPORT),
        (report.quality in ASTHMA_QUALITIES, Reason.TYPICAL_FEEL),
        (report.location in ASTHMA_LOCATIONS, Reason.TYPICAL_PLACE),
        ("lying_flat" in report.timing and report.follows() is True, Reason.LYING_FLAT),
    )
    return tuple(reason for holds, reason in checks if holds)


def untypical_reasons(report: PainReport) -> tuple[Reason, ...]:
    """Features the article says asthma-related pain usually does not have."""
    checks = (
        (report.quality == "sharp", Reason.SHARP),
        (report.location in UNTYPICAL_LOCATIONS, Reason.UNTYPICAL_PLACE),
    )
    return tuple(reason for holds, reason in checks if holds)


def control_reasons(report: PainReport) -> tuple[Reason, ...]:
    """What the medicines say about asthma control, whatever the pain turns out to be.

    NHLBI and GINA: needing the rescue inhaler more than twice a week means the asthma is not well
    controlled, and the article: "Persistent tension ... could mean your asthma treatment isn't fully
    optimized". The slot says the patient uses one, not how often, so the reply asks the patient to judge.
    """
    return (Reason.RESCUE_INHALER,) if "frequent_reliever" in report.medication else ()


def assess(report: PainReport) -> Assessment:
    """Apply the article's criteria in order: a new treatment, other causes, the inhaler, the asthma pattern.

    The article's medicine effects "are usually subtle and happen gradually", while pain that
    "doesn't budge or feels worse during normal movement, sleep, or lifting" is "likely something
    else entirely". So only pain that began soon after a new treatment is put down to a medicine
    ahead of the other causes; beside them, the medicines that can contribute are named.
    """
    recurring = (Reason.RECURRING,) if report.recurring() else ()
    control = control_reasons(report)
    medication = medication_reasons(report)
    other = other_cause_reasons(report)
    untypical = untypical_reasons(report)

    # "That said, these effects are usually subtle and happen gradually. If your back pain spiked
    # soon after starting a new treatment, bring it up with your doctor": the one medicine finding the
    # article ties to when the pain began. It wins over everything, but keeps the rest: pain that is
    # sharp or worse with movement still needs checking for "something else entirely".
    new_treatment = Reason.NEW_TREATMENT in medication
    # "Even inhalers, when used frequently or in poor posture ... can strain the upper back and
    # shoulders", unless the pain points elsewhere: "muscle strain from posture or overuse" is also
    # one of the article's other culprits. Steroid tablets alone decide nothing: they tie the pain
    # to no time or movement.
    inhaler = Reason.INHALER_POSTURE in medication and not other
    if new_treatment or inhaler:
        reasons = medication + other + untypical + recurring + control
        return Assessment(Outcome.MEDICATION_RELATED, reasons, see_clinic=True)

    # "If the pain doesn't follow asthma flares, we have to consider other culprits"; if it "doesn't
    # budge or feels worse during normal movement, sleep, or lifting, it's likely something else
    # entirely". On steroid tablets too: "Don't assume every back twinge is from your asthma. That
    # assumption delays proper care." The medicines that can add to it are named last.
    if other:
        reasons = other + untypical + recurring + medication + control
        return Assessment(Outcome.OTHER_CAUSE, reasons, see_clinic=True)

    asthma = asthma_reasons(report)
    # "Follows or flares during breathing trouble" and "eases when asthma is controlled" or
    # "improves with breathing or posture support", with nothing the article calls untypical.
    relieved = Reason.EASES_WITH_CONTROL in asthma or Reason.HELPED_BY_SUPPORT in asthma
    if Reason.FOLLOWS_FLARES in asthma and relieved and not untypical:
        # "If your back pain keeps showing up after asthma flares (or just won't go away),
        # don't wait it out."
        return Assessment(Outcome.ASTHMA_RELATED, asthma + recurring + control, see_clinic=bool(recurring))

    known = asthma + untypical
    return Assessment(Outcome.UNCLEAR, (known or (Reason.TOO_LITTLE_KNOWN,)) + recurring + control, see_clinic=True)
