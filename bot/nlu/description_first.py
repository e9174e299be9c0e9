"""NLU component: a message that describes the pain is a description, even when it also asks something.

Patients open with long stories that end in a question ("...is that normal?", "could it be my
inhaler?"); the classifier often reads those as an FAQ question, small talk or nothing it knows, and
the patient got an answer in place of the questions, with every fact they stated lost. When the
pain-fact extractor found facts stated outside a question (bot/nlu/pain_facts.py), this component
makes the intent `describe_pain` (or `inform_medication` when only medicines were named), so the
dialogue fills the slots and asks what it still needs. When such a description also asks something
the ResponseSelector can answer, its answer goes into the parse data as `answers_question`: the pain
form gives it before its next question. Runs before the red-flag screen, which overrides it.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.pain_facts import ASKS_QUESTION, DESCRIBES_PAIN, PainFactExtractor
from bot.nlu.rule_component import RuleComponent

ANSWERS_QUESTION = "answers_question"
DESCRIBE_PAIN = "describe_pain"
INFORM_MEDICATION = "inform_medication"
DESCRIPTION_INTENTS = frozenset({DESCRIBE_PAIN, INFORM_MEDICATION})
# What the classifier may have made of a description; "stop" and a booking request keep their meaning.
READ_AS_DESCRIPTION = frozenset({"faq", "out_of_scope", "nlu_fallback", "greet", "thanks", "goodbye"})
# What it may have made of a long one: a story that states pain facts is no yes, no, "not sure", start-over
# or booking detail. A short answer keeps its meaning ("no, not after coughing").
READ_AS_DESCRIPTION_WHEN_LONG = frozenset({"affirm", "deny", "unsure", "restart", "inform_details"})
LONG = 8  # words
# How sure the ResponseSelector must be of its answer to a question asked inside a description.
ANSWER_CONFIDENCE = 0.5


def description_intent(facts: list[dict[str, Any]]) -> str:
    """describe_pain, unless medicines are all the message names."""
    medicines_only = bool(facts) and all(f.get("entity") == "medication" for f in facts)
    return INFORM_MEDICATION if medicines_only else DESCRIBE_PAIN


def read_as_description(text: str) -> frozenset[str]:
    """The intents that give way to a description in a message of this length."""
    if len(text.split()) >= LONG:
        return READ_AS_DESCRIPTION | READ_AS_DESCRIPTION_WHEN_LONG | DESCRIPTION_INTENTS
    return READ_AS_DESCRIPTION | DESCRIPTION_INTENTS


def chosen_answer(message: Message, least_confidence: float) -> str | None:
    """The response the ResponseSelector chose for the message's question, e.g. "utter_faq/what_helps"."""
    selector = message.get("response_selector") or {}
    response = (selector.get("faq") or {}).get("response") or {}
    return response.get("utter_action") if (response.get("confidence") or 0.0) >= least_confidence else None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class DescriptionFirst(RuleComponent, IntentClassifier):
    """Makes a message that states pain facts a description."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"answer_confidence": ANSWER_CONFIDENCE}

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            if not gives_way(message, intent):
                continue
            attach_answer(message, intent, float(self.config["answer_confidence"]))
            if intent not in DESCRIPTION_INTENTS:
                make_description(message)
        return messages


def gives_way(message: Message, intent: str | None) -> bool:
    """Whether the message states pain facts and the classifier's `intent` gives way to a description."""
    return bool(message.get(DESCRIBES_PAIN)) and intent in read_as_description(message.get(TEXT) or "")


def attach_answer(message: Message, intent: str | None, least_confidence: float = ANSWER_CONFIDENCE) -> None:
    """The answer to a question the description also asks, for the pain form to give before its next question.

    The classifier's own "faq" is sure enough that it asks; otherwise the words must ask."""
    if intent == "faq" or message.get(ASKS_QUESTION):
        answer = chosen_answer(message, 0.0 if intent == "faq" else least_confidence)
        if answer:
            message.set(ANSWERS_QUESTION, answer, add_to_output=True)


def make_description(message: Message) -> None:
    """The message's intent becomes describe_pain (inform_medication when it names only medicines)."""
    facts = [e for e in message.get(ENTITIES) or [] if e.get("extractor") == PainFactExtractor.__name__]
    top = {"name": description_intent(facts), "confidence": 1.0}
    ranking = [top, *(r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != top["name"])]
    message.set(INTENT, top, add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
