"""A pain question not answered is asked once more with help and Skip, then left; nothing loops."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

from actions.pain_form import SKIP_BUTTON, ValidatePainForm
from actions.safety import ActionHandleFallback
from clinic.questions import PAIN_QUESTIONS
from tests.support import TrackerFactory, responses, slot_event, slot_sets, user_said

FORM_STARTED = {"event": "active_loop", "name": "pain_form"}
LOCATION_KNOWN = {"pain_location": "upper_back"}


def asked(question: str) -> dict[str, Any]:
    """The form's question as the tracker holds it: a bot message naming its response."""
    return {"event": "bot", "text": "?", "metadata": {"utter_action": f"utter_ask_{question}"}}


def ask_action(question: str) -> Any:
    executor = ActionExecutor()
    executor.register_package("actions")
    return executor.actions[f"action_ask_{question}"]


def test_every_pain_question_is_asked_by_its_own_action(domain: dict) -> None:
    executor = ActionExecutor()
    executor.register_package("actions")
    for question in PAIN_QUESTIONS:
        assert f"action_ask_{question}" in domain["actions"], f"domain.yml does not list action_ask_{question}"
        assert f"action_ask_{question}" in executor.actions
        assert f"utter_ask_{question}" in domain["responses"]


async def test_the_first_asking_is_the_question_as_written(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = make_tracker(slots=LOCATION_KNOWN, events=[FORM_STARTED], active_loop="pain_form")
    await ask_action("pain_timing")(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_ask_pain_timing"]
    assert dispatcher.messages[0]["buttons"] == []  # the response's own quick replies only


@pytest.mark.parametrize(
    ("question", "kind"),
    [("pain_timing", "a time or situation"), ("follows_flares", "a yes or no"), ("medication", "asthma medicine")],
)
async def test_asked_again_right_away_it_says_what_fits_and_offers_skip(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict, question: str, kind: str
) -> None:
    events = [FORM_STARTED, asked(question), user_said("blorf", "nlu_fallback")]
    tracker = make_tracker(slots=LOCATION_KNOWN, events=events, active_loop="pain_form")
    await ask_action(question)(dispatcher, tracker, domain)
    hint, again = dispatcher.messages
    assert kind in hint["text"] and "Skip" in hint["text"]
    assert again["response"] == f"utter_ask_{question}"  # with its quick replies, and Skip after them
    assert again["buttons"] == [{"title": "Skip", "payload": "/unsure"}]


@pytest.mark.parametrize(
    "events",
    [
        [FORM_STARTED, asked("pain_timing"), asked("pain_quality")],  # another question since
        [asked("pain_timing"), {"event": "active_loop", "name": None}, FORM_STARTED],  # the questions began afresh
    ],
)
async def test_not_asked_right_before_it_is_asked_plainly(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict, events: list
) -> None:
    tracker = make_tracker(slots=LOCATION_KNOWN, events=events, active_loop="pain_form")
    await ask_action("pain_timing")(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_ask_pain_timing"]


async def test_skip_leaves_the_question_and_the_next_one_is_asked(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    intent = SKIP_BUTTON["payload"].removeprefix("/")
    events = [FORM_STARTED, asked("pain_timing"), user_said("blorf", "nlu_fallback"), asked("pain_timing")]
    events.append(user_said(SKIP_BUTTON["payload"], intent))
    slots = {**LOCATION_KNOWN, "requested_slot": "pain_timing"}
    tracker = make_tracker(slots=slots, intent=intent, events=events, active_loop="pain_form")
    result = slot_sets(await ValidatePainForm().run(dispatcher, tracker, domain))
    assert result["unsure_about"] == ["pain_timing"]
    assert result["requested_slot"] == "pain_quality"
    assert responses(dispatcher) == ["utter_not_sure_ok"]


@pytest.mark.parametrize(
    ("times", "slots", "said", "unsure_about"),
    [
        (1, LOCATION_KNOWN, ["utter_not_understood"], None),  # the form then asks again, with help
        (2, LOCATION_KNOWN, ["utter_skip_question"], ["pain_timing"]),
        (2, {"unsure_about": ["pain_location"]}, ["utter_skip_question"], ["pain_location", "pain_timing"]),
    ],
)
async def test_a_misunderstood_answer_during_the_questions(
    make_tracker: TrackerFactory,
    dispatcher: CollectingDispatcher,
    domain: dict,
    times: int,
    slots: dict,
    said: list[str],
    unsure_about: list[str] | None,
) -> None:
    events = [FORM_STARTED]
    for _ in range(times):
        events += [asked("pain_timing"), user_said("qwpoeiru", "nlu_fallback")]
    tracker = make_tracker(
        slots={**slots, "requested_slot": "pain_timing"}, intent="nlu_fallback", events=events, active_loop="pain_form"
    )
    result = slot_sets(await ActionHandleFallback().run(dispatcher, tracker, domain))
    assert responses(dispatcher) == said
    assert result.get("unsure_about") == unsure_about


async def test_nothing_understood_offers_the_phone_and_a_booking_and_the_questions_stop(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    events = [FORM_STARTED, asked("pain_location"), user_said("blorf", "nlu_fallback")]
    events += [asked("pain_location"), user_said("qwpoeiru", "nlu_fallback")]
    slots = {"requested_slot": "pain_location"}
    tracker = make_tracker(slots=slots, intent="nlu_fallback", events=events, active_loop="pain_form")
    events = await ActionHandleFallback().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_fallback_offer_help"]
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    assert slot_sets(events) == {"requested_slot": None}
    assert events[-1]["event"] == "followup" and events[-1]["name"] == "action_listen"  # no question after it


async def test_after_the_offer_a_further_misunderstanding_is_not_met_with_the_same_words(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    offered = {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_fallback_offer_help"}}
    events = [user_said("blorf", "nlu_fallback"), user_said("qwpoeiru", "nlu_fallback"), offered]
    events.append(user_said("???", "nlu_fallback"))
    await ActionHandleFallback().run(dispatcher, make_tracker(intent="nlu_fallback", events=events), domain)
    assert responses(dispatcher) == ["utter_ask_rephrase"]


async def test_an_unusable_answer_to_a_question_asked_once_gets_it_asked_again(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    events = [FORM_STARTED, asked("pain_location"), user_said("my elbow", "describe_pain")]
    events.append(slot_event("pain_location", "elbow"))
    slots = {"pain_location": "elbow", "requested_slot": "pain_location"}
    tracker = make_tracker(slots=slots, events=events, active_loop="pain_form")
    result = slot_sets(await ValidatePainForm().run(dispatcher, tracker, domain))
    assert result["pain_location"] is None
    assert result.get("requested_slot", "pain_location") == "pain_location"
    assert "unsure_about" not in result and responses(dispatcher) == []


async def test_an_answer_to_another_question_leaves_a_twice_asked_one(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    events = [FORM_STARTED, asked("pain_timing"), user_said("it's a dull ache", "describe_pain")]
    events += [slot_event("pain_quality", "dull_ache"), asked("pain_timing")]
    events += [user_said("it's in my upper back", "describe_pain"), slot_event("pain_location", "upper_back")]
    slots = {"pain_location": "upper_back", "pain_quality": "dull_ache", "requested_slot": "pain_timing"}
    tracker = make_tracker(slots=slots, events=events, active_loop="pain_form")
    result = slot_sets(await ValidatePainForm().run(dispatcher, tracker, domain))
    assert result["unsure_about"] == ["pain_timing"]
    assert result["requested_slot"] == "follows_flares"
    assert responses(dispatcher) == ["utter_skip_question"]


async def test_twice_an_unusable_answer_and_nothing_else_offers_help_and_stops(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    events = [FORM_STARTED, asked("pain_location"), user_said("my elbow", "describe_pain")]
    events += [slot_event("pain_location", "elbow"), asked("pain_location")]
    events += [user_said("my elbow!!", "describe_pain"), slot_event("pain_location", "elbow")]
    slots = {"pain_location": "elbow", "requested_slot": "pain_location"}
    tracker = make_tracker(slots=slots, events=events, active_loop="pain_form")
    events = await ValidatePainForm().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_fallback_offer_help"]
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    assert slot_sets(events)["requested_slot"] is None


@pytest.mark.parametrize("intent", ["red_flag_possible", "red_flag_emergency", "stop", "request_booking", "faq"])
async def test_a_message_for_another_rule_is_left_to_it_even_on_a_twice_asked_question(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict, intent: str
) -> None:
    # Nothing to validate: the form rejects the message and that intent's rule replies (911, stop, ...).
    events = [FORM_STARTED, asked("pain_timing"), user_said("blorf", "nlu_fallback"), asked("pain_timing")]
    events.append(user_said("...", intent))
    slots = {**LOCATION_KNOWN, "requested_slot": "pain_timing"}
    tracker = make_tracker(slots=slots, intent=intent, events=events, active_loop="pain_form")
    result = slot_sets(await ValidatePainForm().run(dispatcher, tracker, domain))
    assert set(result) <= {"requested_slot"}
    assert responses(dispatcher) == []


def bot_said(response: str) -> dict[str, Any]:
    return {"event": "bot", "text": "...", "metadata": {"utter_action": response}}


@pytest.mark.parametrize(("intent", "reply"), [("out_of_scope", "utter_out_of_scope"), ("faq", "utter_faq/what_helps")])
async def test_after_another_reply_a_twice_asked_question_is_not_asked_a_third_time(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict, intent: str, reply: str
) -> None:
    events = [FORM_STARTED, asked("pain_timing"), user_said("blorf", "nlu_fallback"), asked("pain_timing")]
    events += [user_said("zzz zzz", intent), bot_said(reply)]
    slots = {**LOCATION_KNOWN, "requested_slot": "pain_timing"}
    tracker = make_tracker(slots=slots, intent=intent, events=events, active_loop="pain_form")
    result = slot_sets(await ValidatePainForm().run(dispatcher, tracker, domain))
    assert result["unsure_about"] == ["pain_timing"]
    assert result["requested_slot"] == "pain_quality"
    assert responses(dispatcher) == ["utter_skip_question"]


async def test_after_the_fallback_skipped_it_the_form_goes_on_without_a_second_notice(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    events = [FORM_STARTED, asked("pain_timing"), user_said("blorf", "nlu_fallback"), asked("pain_timing")]
    events += [user_said("qwpoeiru", "nlu_fallback"), bot_said("utter_skip_question")]
    events.append(slot_event("unsure_about", ["pain_timing"]))
    slots = {**LOCATION_KNOWN, "unsure_about": ["pain_timing"], "requested_slot": "pain_timing"}
    tracker = make_tracker(slots=slots, intent="nlu_fallback", events=events, active_loop="pain_form")
    result = slot_sets(await ValidatePainForm().run(dispatcher, tracker, domain))
    assert result["requested_slot"] == "pain_quality"
    assert responses(dispatcher) == []


@pytest.mark.parametrize(
    ("previous", "reply"), [(None, "utter_out_of_scope"), ("utter_out_of_scope", "utter_fallback_offer_help")]
)
async def test_another_topic_twice_running_gets_the_phone_and_a_booking_the_second_time(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict, previous: str | None, reply: str
) -> None:
    events = [user_said("zzz zzz", "out_of_scope")]
    if previous:
        events = [user_said("asdf", "out_of_scope"), bot_said(previous), *events]
    tracker = make_tracker(intent="out_of_scope", events=events)
    await ActionHandleFallback().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == [reply]
