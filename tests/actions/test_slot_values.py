"""The contract's slots as Rasa's slot extraction fills them: only the contract's values reach the tracker."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.slot_values import ValidateSlotMappings
from tests.support import TrackerFactory, slot_event, slot_sets, user_said


def entity(name: str, value: str, extractor: str = "DIETClassifier") -> dict[str, Any]:
    return {"entity": name, "value": value, "extractor": extractor}


# (what was said before, the message's entities, what Rasa extracted into the slot, what the tracker keeps)
CASES = [
    pytest.param(
        [],
        [entity("pain_timing", "after_coughing"), entity("pain_timing", "14/03/1968")],
        ("pain_timing", ["after_coughing", "14/03/1968"]),
        ["after_coughing"],
        id="a date of birth read as a timing is dropped",
    ),
    pytest.param(
        [user_said("it started after coughing"), slot_event("pain_timing", ["after_coughing"])],
        [entity("pain_timing", "02/11/1975")],
        ("pain_timing", ["02/11/1975"]),
        ["after_coughing"],
        id="only a date: the earlier timing stays",
    ),
    pytest.param(
        [],
        [entity("pain_location", "my elbow"), entity("pain_location", "lower_back", "PainFactExtractor")],
        ("pain_location", "my elbow"),
        "lower_back",
        id="another extractor's canonical place instead of words",
    ),
    pytest.param(
        [],
        [entity("pain_quality", "Maria")],
        ("pain_quality", "Maria"),
        None,
        id="a name read as a quality is dropped",
    ),
    pytest.param(
        [],
        [entity("medication", "oral_steroids")],
        ("medication", ["oral_steroids", {"a": 1}]),
        ["oral_steroids"],
        id="a typed dict in a list is dropped",
    ),
    pytest.param(
        [user_said("lower back", "inform"), slot_event("pain_location", "lower_back"), {"event": "restart"}],
        [],
        ("pain_location", "elbow"),
        None,
        id="nothing from before a restart comes back",
    ),
]


@pytest.mark.parametrize(("before", "entities", "extracted", "kept"), CASES)
async def test_only_the_contracts_values_reach_the_tracker(
    before: list[dict[str, Any]],
    entities: list[dict[str, Any]],
    extracted: tuple[str, Any],
    kept: Any,
    make_tracker: TrackerFactory,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    slot, value = extracted
    message = user_said("what the patient typed", entities=entities)
    tracker = make_tracker(slots={slot: value}, entities=entities, events=[*before, message, slot_event(slot, value)])
    assert slot_sets(await ValidateSlotMappings().run(dispatcher, tracker, domain)) == {slot: kept}


async def test_slots_outside_the_contract_are_left_to_their_own_validation(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = [user_said("yes", "affirm"), slot_event("follows_flares", True), slot_event("pain_location", "ribs")]
    tracker = make_tracker(slots={"follows_flares": True, "pain_location": "ribs"}, events=events)
    assert slot_sets(await ValidateSlotMappings().run(dispatcher, tracker, domain)) == {"pain_location": "ribs"}


def test_the_rasa_server_calls_it_by_its_reserved_name(domain: dict[str, Any]) -> None:
    assert ValidateSlotMappings().name() == "action_validate_slot_mappings"
    assert "action_validate_slot_mappings" in domain["actions"]
