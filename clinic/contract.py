"""The slot contract of DESIGN.md: canonical values shared by NLU, actions, console and tests.

A slot can hold anything the Rasa server was sent: "/describe_pain{"pain_timing":{"a":1}}" on Rasa's
port, or a call to the action server, sets whatever JSON it likes. The actions read the slots through
`contract_slots`, so a value outside the contract is dropped there, in one place, and never reaches
the criteria (where a dict or list would crash set lookups) or the patient.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SLOT_VALUES: dict[str, tuple[str, ...]] = {
    "pain_location": (
        "upper_back",
        "shoulders",
        "between_shoulder_blades",
        "under_shoulder_blades",
        "mid_back",
        "ribs",
        "lower_back",
        "neck",
    ),
    "pain_timing": (
        "during_flare",
        "after_coughing",
        "after_flare",
        "lying_flat",
        "with_movement",
        "during_sleep",
        "constant",
        "after_new_medication",
        "when_using_inhaler",
    ),
    "pain_quality": ("dull_ache", "tightness", "burning", "stiffness", "sharp"),
    "medication": ("oral_steroids", "inhaled_steroids", "frequent_reliever", "new_treatment", "none"),
}
ASSESSMENTS = ("emergency", "urgent", "asthma_related", "medication_related", "other_cause", "unclear")
LIST_SLOTS = frozenset({"pain_timing", "medication"})
# The yes/no slots of domain.yml: the pain form's answers and what the assessment and booking set.
YES_NO_SLOTS = frozenset(
    {
        "follows_flares",
        "eases_with_control",
        "helped_by_support",
        "worse_with_movement",
        "pain_persistent",
        "started_after_new_treatment",
        "booking_recommended",
        "booking_requested",
        "red_flag_unclear",
    }
)


def entity_for_value(value: str) -> str:
    """Which entity a canonical value belongs to; canonical values are unique across entities."""
    for entity, values in SLOT_VALUES.items():
        if value in values:
            return entity
    raise KeyError(f"{value!r} is not a canonical value of the slot contract")


def known_values(slot: str, *readings: Any) -> list[str]:
    """The contract's values among the readings (each a value or a list of them), in order, once each.

    Anything else (other words, numbers, dicts, lists in lists) is dropped.
    """
    allowed = SLOT_VALUES[slot]
    values = (v for reading in readings for v in (reading if isinstance(reading, list) else [reading]))
    return list(dict.fromkeys(v for v in values if isinstance(v, str) and v in allowed))


def canonical(slot: str, *readings: Any) -> str | list[str] | None:
    """The slot's value from the readings: all known values for a list slot, the first for a single one.

    The readings are, say, the slot's value and the other extractors' values for the same message:
    when the model reads "between my shoulder blades after coughing fits" as one place, the pain-fact
    extractor's "between_shoulder_blades" is used instead.
    """
    known = known_values(slot, *readings)
    if slot in LIST_SLOTS:
        return known or None
    return known[0] if known else None


def contract_slots(slots: Mapping[str, Any]) -> dict[str, Any]:
    """The slots with each value the contract defines kept only when it is one: others become None."""
    kept = dict(slots)
    for slot in SLOT_VALUES:
        kept[slot] = canonical(slot, slots.get(slot))
    for slot in YES_NO_SLOTS:
        kept[slot] = slots.get(slot) if isinstance(slots.get(slot), bool) else None
    kept["assessment"] = slots.get("assessment") if slots.get("assessment") in ASSESSMENTS else None
    return kept
