"""A message that describes the pain is a description, even when the classifier read it as something else."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.description_first import DescriptionFirst
from bot.nlu.pain_facts import PainFactExtractor

ANSWER = {"faq": {"response": {"utter_action": "utter_faq/why_lying_flat_hurts", "confidence": 0.9}}}


def classified(text: str, intent: str) -> Message:
    """A message as the classifiers and the pain-fact extractor leave it."""
    message = Message(
        data={
            "text": text,
            "intent": {"name": intent, "confidence": 0.7},
            "intent_ranking": [{"name": intent, "confidence": 0.7}],
            "response_selector": ANSWER,
        }
    )
    return DescriptionFirst({}).process(PainFactExtractor({}).process([message]))[0]


@pytest.mark.parametrize(
    ("text", "classifier", "expected"),
    [
        ("my mid back aches after coughing fits, why does lying flat make it worse?", "faq", "describe_pain"),
        ("hi! dull ache between my shoulder blades", "greet", "describe_pain"),
        ("I'm on prednisone and symbicort", "out_of_scope", "inform_medication"),
        ("sharp pain low down when I lift, no idea what it is", "nlu_fallback", "describe_pain"),
        # what the patient did not describe keeps its meaning
        ("why does lying flat make it worse?", "faq", "faq"),
        ("can prednisone cause back pain?", "faq", "faq"),
        ("no, not after coughing", "deny", "deny"),
        ("yes, my lower back", "affirm", "affirm"),
        # a long story that states pain facts is no yes, no, start-over or booking detail
        ("no idea why but every time I cough my lower back feels like it got hit", "deny", "describe_pain"),
        ("ok so it started again, a tight ache under my shoulder blades after the flare", "affirm", "describe_pain"),
        ("starting over with a new inhaler and now my upper back aches after coughing", "restart", "describe_pain"),
        ("not sure what it is, a dull ache across my ribs that comes after coughing fits", "unsure", "describe_pain"),
        ("stop, my back is fine", "stop", "stop"),
    ],
)
def test_the_intent_a_message_gets(text: str, classifier: str, expected: str) -> None:
    assert classified(text, classifier).get("intent")["name"] == expected


def test_a_description_that_asks_keeps_the_answer_for_the_form() -> None:
    message = classified("my upper back gets tight after an attack, why does lying flat hurt?", "faq")
    assert message.get("answers_question") == "utter_faq/why_lying_flat_hurts"
    assert message.get("intent_ranking")[0]["name"] == "describe_pain"


def test_a_description_read_as_small_talk_has_no_answer_to_give() -> None:
    assert classified("hello, my lower back is stiff", "greet").get("answers_question") is None


@pytest.mark.parametrize(
    ("text", "confidence", "answered"),
    [
        ("sore between my shoulder blades after an attack. could it be my inhaler?", 0.82, True),
        ("my back hurts after coughing, is that normal", 0.66, True),
        # the selector's guess at a question it wasn't made for is not given as an answer
        ("my lower back aches when I lift, what can I do about it?", 0.25, False),
        # no question asked, however sure the selector is
        ("ribs hurt after coughing. lol", 0.9, False),
    ],
)
def test_a_description_the_classifier_saw_as_one_gets_an_answer_only_to_a_question(
    text: str, confidence: float, answered: bool
) -> None:
    message = Message(
        data={
            "text": text,
            "intent": {"name": "describe_pain", "confidence": 1.0},
            "response_selector": {"faq": {"response": {"utter_action": "utter_faq/x", "confidence": confidence}}},
        }
    )
    found = DescriptionFirst({}).process(PainFactExtractor({}).process([message]))[0]
    assert (found.get("answers_question") == "utter_faq/x") is answered
    assert found.get("intent")["name"] == "describe_pain"
