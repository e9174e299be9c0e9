"""The pain form's validation: no repeated questions, "not sure", merged answers."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.pain_form import CHECK_ACTIONS, ValidatePainForm
from tests.support import TrackerFactory, responses, slot_event, slot_sets, user_said


async def test_multi_fact_opening_skips_what_the_patient_already_said(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    said = "a dull ache between my shoulder blades after coughing fits, worse when i lie down"
    facts = {
        "pain_location": "between_shoulder_blades",
        "pain_quality": "dull_ache",
        "pain_timing": ["after_coughing", "lying_flat"],
    }
    events = [user_said(said), *(slot_event(k, v) for k, v in facts.items())]
    tracker = make_tracker(slots=facts, text=said, events=events, active_loop="pain_form")
    result = slot_sets(await ValidatePainForm().run(dispatcher, tracker, domain))
    assert result["pain_timing"] == ["after_coughing", "lying_flat"]
    # "after coughing fits" already says it follows breathing trouble: next is asthma control.
    assert result["requested_slot"] == "eases_with_control"


async def test_not_sure_skips_the_question_and_moves_on(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    slots = {"pain_location": "mid_back", "pain_timing": ["during_flare"], "requested_slot": "pain_quality"}
    tracker = make_tracker(slots=slots, text="not sure tbh", intent="unsure", active_loop="pain_form")
    result = slot_sets(await ValidatePainForm().run(dispatcher, tracker, domain))
    assert result["unsure_about"] == ["pain_quality"]
    assert result["requested_slot"] == "eases_with_control"
    assert responses(dispatcher) == ["utter_not_sure_ok"]


async def test_a_later_timing_is_added_to_the_earlier_one(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    events = [
        user_said("it hurts after coughing"),
        slot_event("pain_timing", ["after_coughing"]),
        user_said("and also when i lie flat"),
        slot_event("pain_timing", ["lying_flat"]),
    ]
    tracker = make_tracker(slots={"pain_timing": ["lying_flat"]}, events=events, active_loop="pain_form")
    result = slot_sets(await ValidatePainForm().run(dispatcher, tracker, domain))
    assert result["pain_timing"] == ["after_coughing", "lying_flat"]


async def test_naming_a_medicine_replaces_an_earlier_none(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    events = [
        user_said("no meds", "deny"),
        slot_event("medication", ["none"]),
        user_said("oh wait i take prednisone", "inform_medication"),
        slot_event("medication", ["oral_steroids"]),
    ]
    tracker = make_tracker(slots={"medication": ["oral_steroids"]}, events=events, active_loop="pain_form")
    result = slot_sets(await ValidatePainForm().run(dispatcher, tracker, domain))
    assert result["medication"] == ["oral_steroids"]


async def test_a_value_outside_the_contract_is_not_kept(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    events = [user_said("my elbow"), slot_event("pain_location", "elbow")]
    tracker = make_tracker(slots={"pain_location": "elbow"}, events=events, active_loop="pain_form")
    result = slot_sets(await ValidatePainForm().run(dispatcher, tracker, domain))
    assert result["pain_location"] is None
    # Every question is still open, so the Rasa form itself asks the first one again.
    assert result.get("requested_slot", "pain_location") == "pain_location"


async def test_pain_that_does_not_follow_flares_skips_the_asthma_control_questions(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    slots = {
        "pain_location": "lower_back",
        "pain_timing": ["with_movement"],
        "pain_quality": "sharp",
        "follows_flares": False,
        "requested_slot": "follows_flares",
    }
    tracker = make_tracker(
        slots=slots, intent="deny", events=[user_said("no", "deny"), slot_event("follows_flares", False)]
    )
    result = slot_sets(await ValidatePainForm().run(dispatcher, tracker, domain))
    assert result["requested_slot"] == "pain_persistent"


async def test_the_form_ends_when_everything_needed_is_known(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    slots = {**ANSWERED, "medication": ["inhaled_steroids"]}
    events = [user_said("flovent", "inform_medication"), slot_event("medication", ["inhaled_steroids"])]
    tracker = make_tracker(slots=slots, events=events, active_loop="pain_form")
    result = slot_sets(await ValidatePainForm().run(dispatcher, tracker, domain))
    assert result["requested_slot"] is None


async def test_the_entity_rulers_reading_wins_over_a_model_span_outside_the_contract(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    said = "between my shoulder blades after coughing fits"
    entities = [
        {"entity": "pain_location", "value": "between_shoulder_blades", "extractor": "PainFactExtractor"},
        {"entity": "pain_location", "value": said, "extractor": "DIETClassifier"},
    ]
    events = [user_said(said), slot_event("pain_location", said)]
    tracker = make_tracker(slots={"pain_location": said}, text=said, events=events, entities=entities)
    result = slot_sets(await ValidatePainForm().run(dispatcher, tracker, domain))
    assert result["pain_location"] == "between_shoulder_blades"


async def test_a_description_that_asked_something_gets_the_answer_before_the_next_question(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    said = "my mid back aches after coughing fits, why does lying flat make it worse?"
    facts = {"pain_location": "mid_back", "pain_quality": "dull_ache", "pain_timing": ["after_coughing"]}
    events = [user_said(said), *(slot_event(k, v) for k, v in facts.items())]
    tracker = make_tracker(
        slots=facts,
        text=said,
        events=events,
        active_loop="pain_form",
        answers_question="utter_faq/why_lying_flat_hurts",
    )
    result = slot_sets(await ValidatePainForm().run(dispatcher, tracker, domain))
    assert responses(dispatcher) == ["utter_faq/why_lying_flat_hurts"]
    assert result["requested_slot"] == "eases_with_control"


# Everything before the medicines answered: what the medicine answer leads to next.
ANSWERED = {
    "pain_location": "upper_back",
    "pain_timing": ["after_flare"],
    "pain_quality": "tightness",
    "eases_with_control": True,
    "helped_by_support": True,
    "worse_with_movement": False,
    "pain_persistent": False,
}
NEW_TREATMENT_QUESTION = "started_after_new_treatment"


def new_treatment_row(name, medication, asked_next, answer=None, **slots):
    """answer: the last message, as (intent, slot, value); by default, the medicine answer."""
    last = answer or ("inform_medication", "medication", medication)
    return pytest.param({**ANSWERED, **slots, "medication": medication}, last, asked_next, id=name)


@pytest.mark.parametrize(
    ("slots", "answer", "asked_next"),
    [
        new_treatment_row(
            "a new treatment -> did the pain start soon after it?", ["new_treatment"], NEW_TREATMENT_QUESTION
        ),
        new_treatment_row(
            "a new treatment among others -> asked too", ["inhaled_steroids", "new_treatment"], NEW_TREATMENT_QUESTION
        ),
        new_treatment_row(
            "a new treatment, pain not following flares -> still asked (a yes decides)",
            ["new_treatment"],
            NEW_TREATMENT_QUESTION,
            follows_flares=False,
            pain_timing=["with_movement"],
            eases_with_control=None,  # not asked once the pain doesn't follow flares
            helped_by_support=None,
        ),
        new_treatment_row(
            "a new treatment, timing already 'since a new medicine' -> not asked, done",
            ["new_treatment"],
            None,
            pain_timing=["after_flare", "after_new_medication"],
        ),
        new_treatment_row("no new treatment -> not asked, done", ["oral_steroids"], None),
        new_treatment_row("no medicines -> not asked, done", ["none"], None),
        new_treatment_row(
            "a new treatment, 'not sure' to the question before -> not asked again, done",
            ["new_treatment"],
            None,
            unsure_about=[NEW_TREATMENT_QUESTION],
        ),
        new_treatment_row(
            "yes, it started soon after -> done",
            ["new_treatment"],
            None,
            answer=("affirm", NEW_TREATMENT_QUESTION, True),
            started_after_new_treatment=True,
        ),
        new_treatment_row(
            "no, it didn't -> done",
            ["new_treatment"],
            None,
            answer=("deny", NEW_TREATMENT_QUESTION, False),
            started_after_new_treatment=False,
        ),
    ],
)
async def test_the_new_treatment_question_is_asked_only_when_a_new_treatment_leaves_it_open(
    make_tracker: TrackerFactory,
    dispatcher: CollectingDispatcher,
    domain: dict,
    slots: dict,
    answer: tuple[str, str, object],
    asked_next: str | None,
) -> None:
    intent, slot, value = answer
    events = [user_said("my answer", intent), slot_event(slot, value)]
    tracker = make_tracker(slots=slots, intent=intent, events=events, active_loop="pain_form")
    result = slot_sets(await ValidatePainForm().run(dispatcher, tracker, domain))
    assert result["requested_slot"] == asked_next


async def test_not_sure_about_the_new_treatment_question_ends_the_form(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    slots = {**ANSWERED, "medication": ["new_treatment"], "requested_slot": NEW_TREATMENT_QUESTION}
    tracker = make_tracker(slots=slots, text="not sure", intent="unsure", active_loop="pain_form")
    result = slot_sets(await ValidatePainForm().run(dispatcher, tracker, domain))
    assert result["unsure_about"] == [NEW_TREATMENT_QUESTION]
    assert result["requested_slot"] is None
    assert responses(dispatcher) == ["utter_not_sure_ok"]


def test_the_new_treatment_question_has_yes_no_and_not_sure_buttons(domain: dict) -> None:
    question = domain["responses"][f"utter_ask_{NEW_TREATMENT_QUESTION}"][0]
    assert "start soon after you began it?" in question["text"]
    assert [b["payload"] for b in question["buttons"]] == ["/affirm", "/deny", "/unsure"]


@pytest.mark.parametrize(("intent", "value"), [("affirm", True), ("deny", False)])
def test_yes_and_no_fill_the_new_treatment_answer_only_while_it_is_asked(
    domain: dict, intent: str, value: bool
) -> None:
    mappings = domain["slots"][NEW_TREATMENT_QUESTION]["mappings"]
    [mapping] = [m for m in mappings if m["intent"] == intent]
    assert mapping["value"] is value
    assert mapping["conditions"] == [{"active_loop": "pain_form", "requested_slot": NEW_TREATMENT_QUESTION}]


async def test_the_safety_check_comes_before_any_pain_question_even_after_a_full_description(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    facts = {"pain_location": "mid_back", "pain_quality": "tightness", "pain_timing": ["after_coughing"]}
    events = [user_said("tight mid back after coughing"), *(slot_event(k, v) for k, v in facts.items())]
    tracker = make_tracker(slots=facts, events=events, active_loop="pain_form", checked=False)
    assert slot_sets(await ValidatePainForm().run(dispatcher, tracker, domain))["requested_slot"] == "safety_emergency"
    answered = make_tracker(
        slots={**facts, "safety_emergency": "none"}, events=events, active_loop="pain_form", checked=False
    )
    assert slot_sets(await ValidatePainForm().run(dispatcher, answered, domain))["requested_slot"] == "safety_urgent"


@pytest.mark.parametrize("level", ["emergency", "urgent"])
async def test_not_sure_about_a_safety_question_hands_over_to_the_red_flag_reply(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict, level: str
) -> None:
    slot = f"safety_{level}"
    slots = {"safety_emergency": "none", slot: "unsure", "requested_slot": slot}
    tracker = make_tracker(slots=slots, text="not sure", intent="unsure", active_loop="pain_form", checked=False)
    events = await ValidatePainForm().run(dispatcher, tracker, domain)
    sets = slot_sets(events)
    assert sets["red_flag_check"] == {"level": level, "ask": "", "flags": [], "resume": None}
    assert sets["red_flag_answer"] == "unsure"
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    assert [e for e in events if e["event"] == "followup"] == []  # the rule for "not sure" gives the reply
    assert "unsure_about" not in sets  # never skipped like a pain question


async def test_a_safety_question_unanswered_twice_is_never_skipped_the_phone_and_a_booking_come_instead(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    asked = {"event": "bot", "metadata": {"utter_action": "utter_ask_safety_emergency"}}
    events = [
        user_said("my back"),
        asked,
        user_said("hmm"),
        asked,
        user_said("dull ache"),
        slot_event("pain_quality", "dull_ache"),
    ]
    slots = {"pain_location": "mid_back", "pain_quality": "dull_ache", "requested_slot": "safety_emergency"}
    tracker = make_tracker(slots=slots, events=events, active_loop="pain_form", checked=False)
    result = await ValidatePainForm().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_fallback_offer_help"]
    assert "safety_emergency" not in slot_sets(result) and "unsure_about" not in slot_sets(result)
    assert {"event": "active_loop", "name": None, "timestamp": None} in result


@pytest.mark.parametrize(
    ("asked_before", "expected"),
    [(0, ["utter_ask_safety_emergency"]), (1, ["utter_safety_check_hint", "utter_ask_safety_emergency"])],
)
async def test_the_safety_question_lists_every_sign_and_asked_again_says_how_to_answer(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict, asked_before: int, expected: list[str]
) -> None:
    asked = {"event": "bot", "metadata": {"utter_action": "utter_ask_safety_emergency"}}
    tracker = make_tracker(events=[user_said("x")] + [asked, user_said("x")] * asked_before, checked=False)
    await CHECK_ACTIONS[0]().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == expected
    titles = [b["title"] for b in dispatcher.messages[-1]["buttons"]]
    assert titles[-2:] == ["None of these", "Not sure"] and "Chest pain or pressure" in titles and "Skip" not in titles
