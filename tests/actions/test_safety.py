"""The red-flag and fallback actions, run as the action server runs them."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.safety import (
    ActionAnswerRedFlag,
    ActionAskRedFlagAnswer,
    ActionHandleFallback,
    ActionRedFlag,
    ActionStartRedFlagCheck,
    ValidateRedFlagCheckForm,
)
from clinic.red_flags import RED_FLAGS, Check, Level
from clinic.safety_check import signs_to_ask
from clinic.wording import red_flag_reason
from tests.support import ROOT, TrackerFactory, responses, slot_sets

DOMAIN = ROOT / "domain.yml"

ADVICE = {"utter_advice_stretching", "utter_advice_heat", "utter_advice_breathing", "utter_advice_posture"}


def definite(level: str, *flags: str) -> dict[str, Any]:
    return {"level": level, "tier": "definite", "flags": list(flags), "ask": None}


def possible(level: str, ask: str, *flags: str) -> dict[str, Any]:
    return {"level": level, "tier": "possible", "flags": list(flags), "ask": ask}


async def test_emergency_mid_form_sends_911_stops_the_form_and_gives_no_advice(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = make_tracker(
        text="my lips are going kind of blue and i cant catch my breath",
        intent="red_flag_emergency",
        active_loop="pain_form",
        red_flag=definite("emergency", "blue_lips_or_nails", "severe_breathlessness"),
    )
    events = await ActionRedFlag().run(dispatcher, tracker, domain)
    assert responses(dispatcher)[0] == "utter_emergency"
    assert not ADVICE & set(responses(dispatcher))
    assert any(e["event"] == "active_loop" and e["name"] is None for e in events)
    assert slot_sets(events)["assessment"] == "emergency"
    reason = dispatcher.messages[1]["reason"]
    assert "blue or grey lips" in reason and "severe trouble breathing" in reason


async def test_urgent_tells_to_see_a_doctor_today_recommends_no_routine_booking_and_starts_the_reminders(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = make_tracker(
        text="my back aches and i've had a fever since yesterday",
        intent="red_flag_urgent",
        red_flag=definite("urgent", "fever"),
    )
    events = await ActionRedFlag().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_urgent"]
    assert "fever" in dispatcher.messages[0]["reason"]
    assert slot_sets(events) == {
        "assessment": "urgent",
        "requested_slot": None,
        "booking_recommended": False,
        "red_flag_level": "urgent",
        "red_flag_check": None,
        "red_flag_answer": None,
    }


async def test_start_of_the_check_remembers_the_sign_and_the_form_to_go_back_to(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = make_tracker(
        text="i think my legs are a bit numb",
        intent="red_flag_possible",
        active_loop="pain_form",
        red_flag=possible("emergency", "cauda_equina"),
    )
    events = await ActionStartRedFlagCheck().run(dispatcher, tracker, domain)
    check = Check.from_slot(slot_sets(events)["red_flag_check"])
    assert check == Check(Level.EMERGENCY, "cauda_equina", (), "pain_form")
    assert dispatcher.messages == []


async def test_a_check_at_the_start_goes_on_to_the_pain_questions(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = make_tracker(intent="red_flag_possible", red_flag=possible("emergency", "chest_pain"))
    events = await ActionStartRedFlagCheck().run(dispatcher, tracker, domain)
    assert slot_sets(events)["red_flag_check"]["resume"] == "pain_form"


@pytest.mark.parametrize(("level", "asked"), [(Level.URGENT, False), (Level.EMERGENCY, True)])
async def test_a_suspicion_naming_no_sign_after_that_levels_check_was_answered(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict, level: Level, asked: bool
) -> None:
    # "at night", the answer to the timing question, read by the classifier alone as a possible urgent sign.
    raised = {"intent": {"name": "red_flag_possible"}, "entities": [{"entity": "pain_timing", "value": "during_sleep"}]}
    tracker = make_tracker(
        text="at night",
        intent="red_flag_possible",
        active_loop="pain_form",
        red_flag={"level": level.value, "tier": "possible", "flags": [], "ask": ""},
        slots={"safety_emergency": "none", "safety_urgent": "none", "pain_timing": ["after_coughing"]},
        events=[{"event": "user", "text": "at night", "parse_data": raised}],
    )
    events = await ActionStartRedFlagCheck().run(dispatcher, tracker, domain)
    if asked:  # an emergency can't wait: its check comes again
        assert Check.from_slot(slot_sets(events)["red_flag_check"]) == Check(level, "", (), "pain_form")
    else:  # the questions go on, the timing kept, with no list of signs again
        assert slot_sets(events) == {"pain_timing": ["after_coughing", "during_sleep"]}
        assert {"event": "followup", "name": "pain_form", "timestamp": None} in events
    assert dispatcher.messages == []


async def test_the_question_names_the_sign_and_offers_yes_no_not_sure(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    check = Check(Level.EMERGENCY, "chest_pain").as_slot()
    await ActionAskRedFlagAnswer().run(dispatcher, make_tracker(slots={"red_flag_check": check}), domain)
    message = dispatcher.messages[0]
    assert message["text"] == "To be safe: do you have chest pain or pressure in your chest right now?"
    assert [b["title"] for b in message["buttons"]] == ["Yes", "No", "Not sure"]
    assert [b["payload"] for b in message["buttons"]] == ["/affirm", "/deny", "/unsure"]


@pytest.mark.parametrize("level", [Level.EMERGENCY, Level.URGENT])
async def test_a_model_only_suspicion_brings_that_levels_safety_check_forward_with_every_sign(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict, level: Level
) -> None:
    check = Check(level, "").as_slot()
    tracker = make_tracker(slots={"red_flag_check": check, "signs_cleared": ["chest_pain"]})
    await ActionAskRedFlagAnswer().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == [f"utter_ask_safety_{level.value}"]
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]]
    assert titles == [s.title for s in signs_to_ask(level, ["chest_pain"])] + ["None of these", "Not sure"]
    assert "Chest pain or pressure" not in titles  # already ruled out by a "no"


async def test_yes_to_a_list_of_signs_asks_again_which_one(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = make_tracker(slots={"red_flag_check": Check(Level.EMERGENCY, "").as_slot()})
    answer = ValidateRedFlagCheckForm().validate_red_flag_answer("yes", dispatcher, tracker, domain)
    assert answer == {"red_flag_answer": None, "red_flag_unclear": True}


@pytest.mark.parametrize(
    ("value", "unclear_before", "expected"),
    [
        ("yes", None, {"red_flag_answer": "yes", "red_flag_unclear": None}),
        ("no", True, {"red_flag_answer": "no", "red_flag_unclear": None}),
        ("banana", None, {"red_flag_answer": None, "red_flag_unclear": True}),
        ("banana", True, {"red_flag_answer": "unsure", "red_flag_unclear": None}),
        (None, None, {"red_flag_answer": None}),
    ],
    ids=["yes", "no after an unclear answer", "unclear: ask again", "unclear twice: not sure", "nothing yet"],
)
def test_answers_to_the_question(
    make_tracker: TrackerFactory,
    dispatcher: CollectingDispatcher,
    domain: dict,
    value: str,
    unclear_before: bool | None,
    expected: dict,
) -> None:
    tracker = make_tracker(slots={"red_flag_unclear": unclear_before})
    assert ValidateRedFlagCheckForm().validate_red_flag_answer(value, dispatcher, tracker, domain) == expected


def assert_handed_to_the_reply(events: list[dict], answer: str) -> None:
    """The answer is kept for the rule that runs action_red_flag next (data/stories/red_flags.yml), and
    nothing else is handed over to: no follow-up action, so `rasa test` replays the same turn."""
    assert slot_sets(events)["red_flag_answer"] == answer
    assert [e for e in events if e["event"] == "followup"] == []


async def test_yes_hands_over_to_the_red_flag_action_which_sends_911(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    slots = {
        "red_flag_check": Check(Level.EMERGENCY, "chest_pain", (), "pain_form").as_slot(),
        "red_flag_answer": "yes",
    }
    handed = await ActionAnswerRedFlag().run(dispatcher, make_tracker(slots=slots, intent="affirm"), domain)
    assert_handed_to_the_reply(handed, "yes")
    assert dispatcher.messages == []

    events = await ActionRedFlag().run(dispatcher, make_tracker(slots=slots, intent="affirm"), domain)
    assert responses(dispatcher)[0] == "utter_emergency"
    assert "chest pain" in dispatcher.messages[1]["reason"]
    assert slot_sets(events)["assessment"] == "emergency"
    assert slot_sets(events)["red_flag_check"] is None
    assert [e["name"] for e in events if e["event"] == "followup"] == ["action_listen"]


async def test_no_carries_on_with_the_form_that_was_under_way(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    slots = {"red_flag_check": Check(Level.EMERGENCY, "chest_pain", (), "pain_form").as_slot(), "red_flag_answer": "no"}
    events = await ActionAnswerRedFlag().run(dispatcher, make_tracker(slots=slots), domain)
    assert responses(dispatcher) == ["utter_red_flag_cleared"]
    assert {"event": "followup", "name": "pain_form", "timestamp": None} in events
    assert "assessment" not in slot_sets(events)
    assert slot_sets(events)["red_flag_check"] is None


async def test_no_keeps_the_facts_of_the_message_that_raised_the_question(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    raised = {
        "intent": {"name": "red_flag_possible"},
        "entities": [
            {"entity": "pain_location", "value": "lower_back"},
            {"entity": "pain_quality", "value": "dull_ache"},
            {"entity": "pain_timing", "value": "with_movement"},
            {"entity": "pain_location", "value": "my lower back"},
        ],
    }
    slots = {
        "red_flag_check": Check(Level.EMERGENCY, "cauda_equina", (), "pain_form").as_slot(),
        "red_flag_answer": "no",
        "pain_timing": ["after_coughing"],
    }
    events = [{"event": "user", "text": "...", "parse_data": raised}, {"event": "user", "text": "no"}]
    result = await ActionAnswerRedFlag().run(
        dispatcher, make_tracker(slots=slots, intent="deny", events=events), domain
    )
    kept = slot_sets(result)
    assert (kept["pain_location"], kept["pain_quality"]) == ("lower_back", "dull_ache")
    assert kept["pain_timing"] == ["after_coughing", "with_movement"]
    assert {"event": "followup", "name": "pain_form", "timestamp": None} in result


async def test_no_to_blue_lips_beside_a_fever_still_gets_the_urgent_reply(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    slots = {
        "red_flag_check": Check(Level.EMERGENCY, "blue_lips_or_nails", ("fever",)).as_slot(),
        "red_flag_answer": "no",
    }
    handed = await ActionAnswerRedFlag().run(dispatcher, make_tracker(slots=slots, intent="deny"), domain)
    assert_handed_to_the_reply(handed, "no")
    events = await ActionRedFlag().run(dispatcher, make_tracker(slots=slots, intent="deny"), domain)
    assert responses(dispatcher) == ["utter_urgent"]
    assert "fever" in dispatcher.messages[0]["reason"]
    assert slot_sets(events)["assessment"] == "urgent"


async def test_no_to_a_list_of_signs_rules_out_that_levels_check_and_no_to_one_sign_rules_out_that_sign(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    listed = {"red_flag_check": Check(Level.URGENT, "", (), "pain_form").as_slot(), "red_flag_answer": "no"}
    events = await ActionAnswerRedFlag().run(dispatcher, make_tracker(slots=listed, intent="deny"), domain)
    assert slot_sets(events)["safety_urgent"] == "none" and "signs_cleared" not in slot_sets(events)
    one = {"red_flag_check": Check(Level.EMERGENCY, "chest_pain", (), "pain_form").as_slot(), "red_flag_answer": "no"}
    events = await ActionAnswerRedFlag().run(dispatcher, make_tracker(slots=one, intent="deny"), domain)
    assert slot_sets(events)["signs_cleared"] == ["chest_pain"] and "safety_emergency" not in slot_sets(events)


async def test_no_after_a_red_flag_reply_gets_the_reminder_never_the_questions_again(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    slots = {
        "red_flag_check": Check(Level.EMERGENCY, "chest_pain").as_slot(),
        "red_flag_answer": "no",
        "red_flag_level": "urgent",
        "assessment": "urgent",
    }
    events = await ActionAnswerRedFlag().run(dispatcher, make_tracker(slots=slots, intent="deny"), domain)
    assert dispatcher.messages == []
    assert [e["name"] for e in events if e["event"] == "followup"] == ["action_red_flag_reminder"]


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["severe_breathlessness"], ["utter_emergency", "utter_emergency_reason", "utter_emergency_breathing"]),
        (
            ["blue_lips_or_nails", "chest_pain"],
            ["utter_emergency", "utter_emergency_reason", "utter_emergency_breathing"],
        ),
        (["cauda_equina"], ["utter_emergency", "utter_emergency_reason"]),
        (["serious_injury"], ["utter_emergency", "utter_emergency_reason"]),
        (["chest_pain"], ["utter_emergency", "utter_emergency_reason"]),
    ],
    ids=["breathless", "blue lips and chest pain", "cauda equina", "serious injury", "chest pain"],
)
async def test_what_to_do_while_waiting_fits_the_sign(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict, flags: list[str], expected: list[str]
) -> None:
    tracker = make_tracker(intent="red_flag_emergency", red_flag=definite("emergency", *flags))
    await ActionRedFlag().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == expected


async def test_not_sure_about_the_emergency_signs_gets_911_without_naming_a_sign(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    slots = {"red_flag_check": Check(Level.EMERGENCY, "").as_slot(), "red_flag_answer": "unsure"}
    events = await ActionRedFlag().run(dispatcher, make_tracker(slots=slots, intent="unsure"), domain)
    assert responses(dispatcher) == ["utter_emergency", "utter_emergency_unsure"]
    assert slot_sets(events)["red_flag_level"] == "emergency"


async def test_an_urgent_reply_after_an_emergency_one_keeps_the_emergency_reminders(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = make_tracker(
        slots={"red_flag_level": "emergency"}, intent="red_flag_urgent", red_flag=definite("urgent", "fever")
    )
    events = await ActionRedFlag().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_urgent"]
    assert slot_sets(events)["red_flag_level"] == "emergency"


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


def reply(response: str, **slots: str) -> str:
    """A red-flag response's text as the patient reads it."""
    responses = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"]
    return " ".join(r["text"] for r in responses[response]).format(**slots)


def test_the_emergency_reply_leads_with_the_action_and_fits_every_emergency() -> None:
    text = reply("utter_emergency")
    assert text.startswith("Call 911 now, or go to the nearest emergency room.")
    assert "don't drive yourself" in text and "Tell the 911 operator that you have asthma." in text
    assert "Unlock your door, and ask someone to stay with you." in text
    assert "inhaler" not in text, "a fall or numb legs is no reason to use an inhaler"
    assert " if " not in text.lower()


def test_the_breathing_emergency_adds_the_action_plans_red_zone_step() -> None:
    assert reply("utter_emergency_breathing") == (
        "While you wait, use your rescue inhaler the way your asthma action plan says."
    )


@pytest.mark.parametrize("flag", [f.name for f in RED_FLAGS if f.level is Level.URGENT])
def test_the_urgent_reply_names_who_to_call_today_without_nested_brackets(flag: str) -> None:
    text = reply("utter_urgent", reason=red_flag_reason([flag]))
    assert text.startswith(f"Please see a doctor today about {red_flag_reason([flag])}.")
    assert "Call your own doctor now." in text and "go to urgent care" in text
    assert text.count("(") == text.count(")") <= 1, text


def test_no_rule_offers_the_routine_booking_right_after_a_red_flag_reply() -> None:
    rules = yaml.safe_load((ROOT / "data" / "stories" / "red_flags.yml").read_text(encoding="utf-8"))["rules"]
    for rule in rules:
        actions = [step.get("action") for step in rule["steps"] if "action" in step or "active_loop" in step]
        if "action_red_flag" in actions:
            after = actions[actions.index("action_red_flag") + 1 :]
            assert not {"utter_offer_booking", "booking_form", "action_start_booking"} & set(after), rule["rule"]
