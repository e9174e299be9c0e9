"""The contract's slots as the Rasa server fills them, in a form or not: a value outside the contract never enters
the tracker.

Rasa's `action_extract_slots` maps every entity of a message to its slot before any form runs, and calls this
action (by its reserved name) with what it extracted; the events returned here take the place of its own. A date
of birth read as a timing, or a place the synonyms don't know, is dropped before it is stored, exported or shown.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction

from actions.tracking import entity_values, value_before_latest_message
from clinic.contract import SLOT_VALUES, canonical


def contract_value(tracker: Tracker, slot: str, value: Any) -> str | list[str] | None:
    """The contract's reading of the slot's new value, another extractor's reading of the message if it has none."""
    return canonical(slot, value, entity_values(tracker, slot))


class ValidateSlotMappings(ValidationAction):
    """Keeps only the contract's values; when a message gave none, the slot keeps what it held before."""

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return [
            SlotSet(slot, contract_value(tracker, slot, value) or value_before_latest_message(tracker, slot))
            for slot, value in tracker.slots_to_validate().items()
            if slot in SLOT_VALUES
        ]
