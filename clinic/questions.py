"""Which pain-form questions still need asking, so the patient is never asked twice.

A question is skipped when the patient already told us (in any words), said "not sure",
or when the answer no longer changes what the article's criteria conclude.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from clinic.contract import LIST_SLOTS, SLOT_VALUES, canonical, contract_slots, known_values
from clinic.criteria import FLARE_TIMINGS, MOVEMENT_TIMINGS, PainReport
from clinic.safety_check import CHECK_SLOTS, NONE

# The order the form asks in: first where/when/how, then the article's distinguishing
# questions, then medicines and, for a new treatment, whether the pain started soon after it.
PAIN_QUESTIONS = (
    "pain_location",
    "pain_timing",
    "pain_quality",
    "follows_flares",
    "eases_with_control",
    "helped_by_support",
    "worse_with_movement",
    "pain_persistent",
    "medication",
    "started_after_new_treatment",
)
# The structured safety check comes before them all: no assessment or advice without it (clinic/safety_check.py).
SAFETY_QUESTIONS = tuple(CHECK_SLOTS.values())
FORM_QUESTIONS = (*SAFETY_QUESTIONS, *PAIN_QUESTIONS)


def report_from_slots(slots: Mapping[str, Any]) -> PainReport:
    """The criteria's view of the conversation's slots, values outside the contract left out."""
    slots = contract_slots(slots)
    return PainReport(
        location=slots.get("pain_location"),
        timing=frozenset(slots.get("pain_timing") or ()),
        quality=slots.get("pain_quality"),
        medication=frozenset(slots.get("medication") or ()),
        follows_flares=slots.get("follows_flares"),
        eases_with_control=slots.get("eases_with_control"),
        helped_by_support=slots.get("helped_by_support"),
        worse_with_movement=slots.get("worse_with_movement"),
        persistent=slots.get("pain_persistent"),
        started_after_new_treatment=slots.get("started_after_new_treatment"),
    )


def answered_by_timing(timing: frozenset[str]) -> set[str]:
    """Questions the timing answers: "after coughing fits" already says it follows flares."""
    answered = set()
    if timing & FLARE_TIMINGS:
        answered.add("follows_flares")
    if timing & MOVEMENT_TIMINGS:
        answered.add("worse_with_movement")
    if "constant" in timing:
        answered.add("pain_persistent")
    if "after_new_medication" in timing:
        answered.add("started_after_new_treatment")
    return answered


def open_questions(slots: Mapping[str, Any], unsure_about: Iterable[str]) -> list[str]:
    """The pain-form questions still to ask, in order (a value outside the contract is no answer)."""
    safety = [q for q in SAFETY_QUESTIONS if slots.get(q) != NONE]
    slots = contract_slots(slots)
    report = report_from_slots(slots)
    skip = set(unsure_about) | answered_by_timing(report.timing)
    # Pain that doesn't follow flares, or is worse with movement, already points away from
    # asthma: whether asthma control or breathing exercises ease it no longer matters.
    if report.follows() is False or report.worse_moving() is True:
        skip |= {"eases_with_control", "helped_by_support"}
    # Only a new treatment raises "did it start soon after you began it?" (the article: "if your
    # back pain spiked soon after starting a new treatment, bring it up with your doctor").
    if "new_treatment" not in report.medication:
        skip.add("started_after_new_treatment")
    return [*safety, *(q for q in PAIN_QUESTIONS if q not in skip and slots.get(q) in (None, []))]


def merge_list(slot: str, previous: Any, new: Any) -> list[str]:
    """Add what the patient just said to what they said before; "none" yields to real medicines."""
    merged = known_values(slot, previous, new)
    if len(merged) > 1 and "none" in merged:
        merged.remove("none")
    return merged


def facts_of(entities: Iterable[Mapping[str, Any]], slots: Mapping[str, Any]) -> dict[str, Any]:
    """The pain and medicine slots a message's entities fill, kept as the pain form keeps them."""
    said = {}
    for slot in SLOT_VALUES:
        kept = canonical(slot, [e.get("value") for e in entities if e.get("entity") == slot])
        if kept:
            said[slot] = merge_list(slot, slots.get(slot), kept) if slot in LIST_SLOTS else kept
    return said
