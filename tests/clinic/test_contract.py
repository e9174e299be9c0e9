"""Slot values outside the contract (typed "/intent{...}" on Rasa's port, a forged action call) are dropped in
one place, and no action crashes on them."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.assessment import ActionAssess, ActionSummary
from actions.pain_form import ValidatePainForm
from actions.safety import ActionAnswerRedFlag
from clinic.contract import YES_NO_SLOTS, canonical, contract_slots
from tests.support import TrackerFactory, responses, slot_sets

ODD = [{"a": 1}, ["x"], [{"a": 1}], [["upper_back"]], 3, 2.5, True, "", "x" * 10_000, "UPPER_BACK", None, []]


@pytest.mark.parametrize(
    ("slot", "readings", "kept"),
    [
        ("pain_location", ("mid_back",), "mid_back"),
        ("pain_location", (["x"], "ribs"), "ribs"),
        ("pain_location", ({"a": 1},), None),
        ("pain_location", ([["upper_back"]],), None),
        ("pain_location", ("Upper back",), None),
        ("pain_location", (["neck", "ribs"],), "neck"),
        ("pain_timing", ({"a": 1},), None),
        ("pain_timing", ([{"a": 1}, "lying_flat", 3, "lying_flat"],), ["lying_flat"]),
        ("pain_timing", (["after_coughing"], ["lying_flat", "after_coughing"]), ["after_coughing", "lying_flat"]),
        ("pain_quality", (True,), None),
        ("pain_quality", ("sharp",), "sharp"),
        ("medication", ("none",), ["none"]),
        ("medication", ([None, "oral_steroids"],), ["oral_steroids"]),
    ],
)
def test_only_the_contracts_values_are_kept(slot: str, readings: tuple[Any, ...], kept: Any) -> None:
    assert canonical(slot, *readings) == kept


@pytest.mark.parametrize("odd", ODD)
def test_every_contract_slot_drops_an_odd_value_and_keeps_the_rest(odd: Any) -> None:
    slots = {
        "pain_location": odd,
        "pain_timing": odd,
        "pain_quality": odd,
        "medication": odd,
        "assessment": odd,
        "follows_flares": odd if odd is not True else "yes",
        "patient_name": "Sara",
    }
    kept = contract_slots(slots)
    contract = {"pain_location", "pain_timing", "pain_quality", "medication", "assessment", "follows_flares"}
    assert {name: kept[name] for name in contract} == dict.fromkeys(contract)
    assert kept["patient_name"] == "Sara"


def test_yes_no_answers_are_kept_only_as_booleans() -> None:
    kept = contract_slots({"follows_flares": False, "pain_persistent": True, "booking_requested": "yes"})
    assert (kept["follows_flares"], kept["pain_persistent"], kept["booking_requested"]) == (False, True, None)


def test_the_yes_no_slots_are_the_domains_bool_slots(domain: dict[str, Any]) -> None:
    assert {name for name, slot in domain["slots"].items() if slot["type"] == "bool"} == YES_NO_SLOTS


# What Rasa sets from `/describe_pain{"pain_timing":{"a":1},"pain_location":["x"]}` sent to its port.
TYPED = '/describe_pain{"pain_timing":{"a":1},"pain_location":["x"]}'
ODD_ENTITIES = [{"entity": "pain_timing", "value": {"a": 1}}, {"entity": "pain_location", "value": ["x"]}]


@pytest.mark.parametrize("odd", [{"a": 1}, ["x"], [{"a": 1}], 3])
async def test_the_pain_form_ignores_odd_values_and_asks_its_first_question(
    odd: Any, make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    slots = {"pain_location": odd, "pain_timing": [odd], "pain_quality": odd, "medication": odd}
    events = [
        {"event": "user", "text": TYPED, "parse_data": {"intent": {"name": "describe_pain"}}},
        *({"event": "slot", "name": name, "value": value} for name, value in slots.items()),
    ]
    tracker = make_tracker(slots=slots, text=TYPED, events=events, entities=ODD_ENTITIES, active_loop="pain_form")
    result = slot_sets(await ValidatePainForm().run(dispatcher, tracker, domain))
    assert {name: result[name] for name in slots} == dict.fromkeys(slots)
    assert result["requested_slot"] == "pain_location"
    assert "utter_fallback_offer_help" not in responses(dispatcher)  # no jump to the booking offer


async def test_assessment_and_summary_leave_odd_values_out(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    slots = {
        "pain_location": ["x"],
        "pain_timing": [{"a": 1}, "after_coughing"],
        "pain_quality": {"a": 1},
        "medication": [{"a": 1}],
        "follows_flares": {"a": 1},
        "eases_with_control": True,
        "assessment": {"a": 1},
    }
    tracker = make_tracker(slots=slots, text=TYPED, entities=ODD_ENTITIES)
    assessed = slot_sets(await ActionAssess().run(dispatcher, tracker, domain))
    assert assessed["assessment"] in ("asthma_related", "unclear")
    await ActionSummary().run(dispatcher, tracker, domain)
    summary = dispatcher.messages[-1]["summary"]
    assert "after coughing" in summary and "'a'" not in summary and "['x']" not in summary


async def test_a_cleared_red_flag_keeps_the_facts_even_beside_odd_earlier_values(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    raised = {
        "event": "user",
        "text": "my chest feels funny after coughing",
        "parse_data": {
            "intent": {"name": "red_flag_possible"},
            "entities": [{"entity": "pain_timing", "value": "after_coughing"}],
        },
    }
    slots = {"pain_timing": [{"a": 1}], "red_flag_answer": "no", "red_flag_check": None}
    tracker = make_tracker(slots=slots, intent="deny", events=[raised])
    result = slot_sets(await ActionAnswerRedFlag().run(dispatcher, tracker, domain))
    assert result["pain_timing"] == ["after_coughing"]
