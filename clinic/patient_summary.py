"""The end-of-conversation summary a patient can share with their doctor."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clinic.wording import label

LINES = (
    ("Where", "pain_location"),
    ("When", "pain_timing"),
    ("Feels like", "pain_quality"),
    ("Comes with or after breathing trouble", "follows_flares"),
    ("Eases when asthma is controlled", "eases_with_control"),
    ("Helped by breathing exercises or posture", "helped_by_support"),
    ("Worse with movement, lifting or sleep", "worse_with_movement"),
    ("Keeps coming back or won't go away", "pain_persistent"),
    ("Asthma medicines", "medication"),
    ("Started soon after a new treatment", "started_after_new_treatment"),
    ("What the assistant found", "assessment"),
)


def summarise(slots: Mapping[str, Any]) -> str:
    """One line per answer, in plain words; "not given" for what wasn't answered."""
    unsure = set(slots.get("unsure_about") or ())
    lines = []
    for title, slot in LINES:
        value = "not sure" if slot in unsure and slots.get(slot) in (None, []) else label(slots.get(slot))
        lines.append(f"- {title}: {value}")
    lines.append("(This is not a diagnosis.)")
    return "\n".join(lines)
