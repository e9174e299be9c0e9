"""The red-flag and fallback actions, run as the action server runs them."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.safety import ActionHandleFallback, ActionRedFlag
from tests.support import TrackerFactory, responses, slot_sets

ADVICE = {"utter_advice_stretching", "utter_advice_heat", "utter_advice_breathing", "utter_advice_posture"}


async def test_emergency_mid_form_sends_911_stops_the_form_and_gives_no_advice(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = make_tracker(
        text="my lips are going kind of blue and i cant catch my breath",
        intent="red_flag_emergency",
        active_loop="pain_form",
    )
    events = await ActionRedFlag().run(dispatcher, tracker, domain)
    assert responses(dispatcher)[0] == "utter_emergency"
    assert not ADVICE & set(responses(dispatcher))
    assert any(e["event"] == "active_loop" and e["name"] is None for e in events)
    assert slot_sets(events)["assessment"] == "emergency"
    reason = dispatcher.messages[1]["reason"]
    assert "blue or grey lips" in reason and "severe trouble breathing" in reason


async def test_model_only_emergency_still_gets_911(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = make_tracker(text="something is really wrong with me", intent="red_flag_emergency")
    events = await ActionRedFlag().run(dispatcher, tracker, domain)
    assert responses(dispatcher)[0] == "utter_emergency"
    assert dispatcher.messages[1]["reason"] == "the symptoms you describe"
    assert slot_sets(events)["assessment"] == "emergency"


async def test_urgent_tells_to_see_a_doctor_within_24_hours_and_recommends_booking(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = make_tracker(text="my back aches and i've had a fever since yesterday", intent="red_flag_urgent")
    events = await ActionRedFlag().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_urgent"]
    assert "fever" in dispatcher.messages[0]["reason"]
    assert slot_sets(events) == {"assessment": "urgent", "requested_slot": None, "booking_recommended": True}


async def test_patterns_raise_an_urgent_intent_to_emergency(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = make_tracker(text="fever and chest pain", intent="red_flag_urgent")
    events = await ActionRedFlag().run(dispatcher, tracker, domain)
    assert responses(dispatcher)[0] == "utter_emergency"
    assert slot_sets(events)["assessment"] == "emergency"


def user(intent: str) -> dict:
    return {"event": "user", "text": "?", "parse_data": {"intent": {"name": intent}}}


async def test_first_misunderstanding_asks_to_rephrase(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = make_tracker(intent="nlu_fallback", events=[user("greet"), user("nlu_fallback")])
    await ActionHandleFallback().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_ask_rephrase"]


async def test_second_misunderstanding_in_a_row_offers_the_phone_and_a_booking(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = make_tracker(intent="nlu_fallback", events=[user("greet"), user("nlu_fallback"), user("nlu_fallback")])
    await ActionHandleFallback().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_fallback_offer_help"]
