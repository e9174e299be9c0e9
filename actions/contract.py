"""The slot contract of DESIGN.md: canonical values shared by NLU, actions, console and tests."""

from __future__ import annotations

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


def entity_for_value(value: str) -> str:
    """Which entity a canonical value belongs to; canonical values are unique across entities."""
    for entity, values in SLOT_VALUES.items():
        if value in values:
            return entity
    raise KeyError(f"{value!r} is not a canonical value of the slot contract")
