"""NLU component: a message with no word in it is not understood, whatever the classifier guessed.

DIET reads any string by its character n-grams and is sure of something for "blorf" (a description),
"qwpoeiru" (stop, which ended the questions) or "???" (an FAQ question). A message whose words are
none of the million English word forms of spacy-lookups-data's `lexeme_prob` table (brand names and
chat words like "ventolin", "idk", "thx" are in it), or that is nothing but punctuation, becomes
`nlu_fallback` with no entities, so the patient is asked to say it another way. Emoji and button payloads pass.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.rule_component import RuleComponent
from bot.nlu.spelling import english_words
from bot.nlu.term_patterns import fold

_WORD = re.compile(r"[^\W\d_]+")
_PUNCTUATION_ONLY = re.compile(r"[\s!-/:-@\[-`{-~¡-¿…–—‘’“”]*")


def has_no_words(text: str) -> bool:
    """Letters that make no known word, or nothing but punctuation."""
    if text.lstrip().startswith("/"):
        return False
    words = _WORD.findall(fold(text))
    if words:
        return not any(word in english_words() for word in words)
    return bool(_PUNCTUATION_ONLY.fullmatch(text)) and bool(text.strip())


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class NoWordsFallback(RuleComponent, IntentClassifier):
    """Makes a message with no word in it `nlu_fallback`."""

    def __init__(self, config: dict) -> None:
        super().__init__(config)
        english_words()  # loaded with the model, not on the first patient's message

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if has_no_words(message.get(TEXT) or ""):
                # Nor does it state anything: the classifier's entities in "blorf" would fill a slot.
                message.set(INTENT, {"name": "nlu_fallback", "confidence": 1.0}, add_to_output=True)
                message.set(ENTITIES, [], add_to_output=True)
        return messages
