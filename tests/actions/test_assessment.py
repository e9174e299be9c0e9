"""The assessment and summary actions: what the patient reads after the questions."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.assessment import ActionAssess, ActionSummary
from tests.support import TrackerFactory, responses, slot_sets

ASTHMA_PATTERN = {
    "pain_location": "between_shoulder_blades",
    "pain_timing": ["after_coughing", "lying_flat"],
    "pain_quality": "dull_ache",
    "eases_with_control": True,
    "helped_by_support": True,
    "worse_with_movement": False,
    "pain_persistent": False,
    "medication": ["inhaled_steroids"],
}


async def test_asthma_pattern_is_explained_in_the_articles_terms_with_self_care(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    events = await ActionAssess().run(dispatcher, make_tracker(slots=ASTHMA_PATTERN), domain)
    assert slot_sets(events) == {"assessment": "asthma_related", "booking_recommended": False}
    sent = responses(dispatcher)
    assert sent[0] == "utter_assessment_asthma_related"
    said = dispatcher.messages[0]["reasons"]
    assert said.startswith("It hurts after coughing fits. It eases when your asthma is under control.")
    assert "It's a dull ache." in said and "You feel it between your shoulder blades." in said
    assert "It's worse when you lie flat." in said
    assert sent[1] == "utter_advice_calm_lungs"
    assert {"utter_advice_stretching", "utter_advice_breathing", "utter_advice_nsaids"} <= set(sent)


@pytest.mark.parametrize(
    ("changes", "assessment"),
    [
        ({"pain_timing": ["with_movement"], "follows_flares": False}, "other_cause"),
        ({"pain_timing": ["after_new_medication"]}, "medication_related"),
        ({"medication": ["new_treatment"], "started_after_new_treatment": True}, "medication_related"),
        ({"pain_quality": "sharp"}, "unclear"),
    ],
    ids=["moves-not-breathing", "new-treatment", "started-soon-after-new-treatment", "sharp"],
)
async def test_other_outcomes_recommend_a_visit(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict, changes: dict, assessment: str
) -> None:
    events = await ActionAssess().run(dispatcher, make_tracker(slots={**ASTHMA_PATTERN, **changes}), domain)
    assert slot_sets(events) == {"assessment": assessment, "booking_recommended": True}
    assert responses(dispatcher)[0] == f"utter_assessment_{assessment}"


async def test_steroid_tablets_with_pain_worse_on_movement_get_the_other_cause_reply_naming_the_tablets(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    slots = {**ASTHMA_PATTERN, "worse_with_movement": True, "medication": ["oral_steroids"]}
    events = await ActionAssess().run(dispatcher, make_tracker(slots=slots), domain)
    assert slot_sets(events)["assessment"] == "other_cause"
    reasons = dispatcher.messages[0]["reasons"]
    assert reasons.startswith("It's worse when you move, lift or sleep, whatever your breathing is doing.")
    assert reasons.endswith(
        "You take steroid tablets. Taken for a long time, they can slowly weaken muscles or make joints stiff or sore."
        " A short course is not long-term use."
    )
    assert responses(dispatcher) == [
        "utter_assessment_other_cause",
        "utter_advice_other_cause",
        "utter_advice_medication",
        "utter_advice_nsaids",
    ]


async def test_sharp_pain_worse_moving_after_a_new_treatment_keeps_those_reasons_and_says_get_it_checked(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    slots = {
        **ASTHMA_PATTERN,
        "pain_timing": ["after_new_medication", "with_movement"],
        "pain_quality": "sharp",
        "worse_with_movement": True,
        "medication": ["new_treatment"],
    }
    events = await ActionAssess().run(dispatcher, make_tracker(slots=slots), domain)
    assert slot_sets(events) == {"assessment": "medication_related", "booking_recommended": True}
    reasons = dispatcher.messages[0]["reasons"]
    assert reasons.startswith("It started soon after a new asthma treatment.")
    assert "It hurts with movement or lifting." in reasons and "It's sharp or stabbing." in reasons
    assert responses(dispatcher) == [
        "utter_assessment_medication_related",
        "utter_advice_medication",
        "utter_advice_other_cause",
        "utter_advice_posture",
        "utter_advice_nsaids",
    ]


async def test_a_rescue_inhaler_user_hears_what_frequent_use_means_and_gets_the_review(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    slots = {**ASTHMA_PATTERN, "medication": ["inhaled_steroids", "frequent_reliever"]}
    events = await ActionAssess().run(dispatcher, make_tracker(slots=slots), domain)
    assert slot_sets(events)["assessment"] == "asthma_related"
    assert dispatcher.messages[0]["reasons"].endswith(
        "You use a rescue inhaler. Needing it more than twice a week can mean your asthma is not well controlled."
    )
    assert responses(dispatcher)[-2:] == ["utter_advice_asthma_review", "utter_advice_nsaids"]


async def test_summary_lists_what_was_reported_in_plain_words(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    tracker = make_tracker(slots={**ASTHMA_PATTERN, "assessment": "asthma_related", "unsure_about": ["follows_flares"]})
    await ActionSummary().run(dispatcher, tracker, domain)
    summary = dispatcher.messages[0]["summary"]
    assert "- Where: between the shoulder blades" in summary
    assert "- When: after coughing fits and worse lying flat" in summary
    assert "- Comes with or after breathing trouble: not sure" in summary
    assert "- Asthma medicines: daily controller inhaler (steroid)" in summary
    assert "looks like asthma-related muscle strain" in summary
    assert "not a diagnosis" in summary


async def test_summary_tells_the_doctor_the_pain_started_soon_after_a_new_treatment(
    make_tracker: TrackerFactory, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    slots = {"medication": ["new_treatment"], "started_after_new_treatment": True, "assessment": "medication_related"}
    await ActionSummary().run(dispatcher, make_tracker(slots=slots), domain)
    summary = dispatcher.messages[0]["summary"]
    assert "- Asthma medicines: a new treatment\n- Started soon after a new treatment: yes\n" in summary
