"""NLU component: the red-flag screen, run on every message after the intent classifier.

It screens what the patient typed (bot/nlu/red_flag_matcher.py, decided by clinic/red_flags.py):
- a definite red flag makes the intent `red_flag_emergency` or `red_flag_urgent`, so the dialogue
  answers it first, in the middle of a form too;
- a possible one, or a red flag only the red-flag classifier suspects (bot/nlu/red_flag_classifier.py,
  at or above `model_threshold`), makes it `red_flag_possible`: the dialogue asks about that sign first;
- the intent classifier's own red-flag intent never stands on its own;
- a message about a child makes it `about_child` (the assistant is for adults: that reply points to the
  child's doctor and names the 911 signs), unless it holds a definite emergency, which gets 911 at once.
The decision goes into the parse data as `red_flag` ({level, tier, flags, ask, child}) for the actions.

Typed text never skips the screen: Rasa's `/intent@confidence{entities}` syntax would replace the
intent after this component, so a slash message that is not a plain button payload, or in which a
red flag was found, loses its leading slash and stays ordinary text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.description_first import attach_answer, gives_way, make_description
from bot.nlu.red_flag_classifier import SCORES_KEY
from bot.nlu.red_flag_matcher import matcher, screen
from bot.nlu.rule_component import RuleComponent
from clinic.contract import SLOT_VALUES
from clinic.red_flags import LEVEL_OF_INTENT, POSSIBLE_INTENT, Level, Screen, Tier

RED_FLAG_KEY = "red_flag"
# What the assistant's own buttons send: "/intent" or "/intent{"slot":"canonical value"}".
_BUTTON_PAYLOAD = re.compile(r'/([a-z_]+)(?:\{"([a-z_]+)":\s?"([a-z_]+)"\})?')
# A command typed alone that no button offers ("/EXTERNAL_reminder"): its words mean nothing to a patient.
_TYPED_COMMAND = re.compile(r"/\S+")


# DIET's red-flag intents: never trusted on their own (the second opinion is bot/nlu/red_flag_classifier.py).
RED_FLAG_INTENTS = frozenset({*LEVEL_OF_INTENT, POSSIBLE_INTENT})


def model_scores(message: Message) -> dict[Level, float]:
    """The red-flag classifier's probability of a red flag at each level: the screen's second opinion."""
    return dict(message.get(SCORES_KEY) or {})


def level_at(scores: Mapping[Level, float], thresholds: Mapping[Level, float]) -> Level:
    """The most severe red-flag level the classifier's probability reaches that level's threshold for."""
    levels = [level for level, probability in scores.items() if probability >= thresholds[level]]
    return max(levels, key=lambda level: level.rank, default=Level.NONE)


def thresholds_of(config: Mapping[str, Any]) -> dict[Level, float]:
    """`model_threshold` of the screen's config, one per red-flag level."""
    given = {Level(level): float(value) for level, value in config["model_threshold"].items()}
    if set(given) != {Level.EMERGENCY, Level.URGENT}:
        raise ValueError(f"model_threshold needs one threshold for emergency and one for urgent, not {given}")
    return given


def is_button_payload(text: str) -> bool:
    """A plain payload of the kind the assistant's buttons send, with a contract value if any."""
    match = _BUTTON_PAYLOAD.fullmatch(text.strip())
    if not match:
        return False
    slot, value = match.group(2), match.group(3)
    return slot is None or value in SLOT_VALUES.get(slot, ())


def as_parse_data(result: Screen, scores: Mapping[Level, float]) -> dict[str, Any]:
    """The decision, with the classifier's scores behind it (for the review inbox and `make eval`)."""
    return {
        "level": result.level.value,
        "tier": result.tier.value,
        "flags": list(result.flags),
        "ask": result.ask,
        "child": result.child,
        "model": {level.value: round(confidence, 4) for level, confidence in scores.items()},
    }


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RedFlagScreen(RuleComponent, IntentClassifier):
    """Sets the intent a red flag calls for, from the patient's words."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # A red flag the classifier is this sure of gets the question, never more (config.yml says how
        # they were chosen).
        # The classifier's next guess behind a red flag the screen does not back stands only this sure (the
        # FallbackClassifier's threshold in config.yml) or when it is a question.
        return {"model_threshold": {"emergency": 0.35, "urgent": 0.5}, "next_guess_confidence": 0.45}

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.thresholds = thresholds_of(self.config)
        self.next_guess_confidence = float(self.config["next_guess_confidence"])
        matcher()  # built once, when the model loads, not on the first patient's message

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            scores = model_scores(message)
            result = screen(text, level_at(scores, self.thresholds))
            message.set(RED_FLAG_KEY, as_parse_data(result, scores), add_to_output=True)
            if text.lstrip().startswith("/") and (result.tier is not Tier.NONE or not is_button_payload(text)):
                message.set(TEXT, text.lstrip().lstrip("/"))
                if result.tier is Tier.NONE and _TYPED_COMMAND.fullmatch(text.strip()):
                    # Not understood, whatever the classifier makes of its words (it read one as "stop").
                    message.set(INTENT, {"name": "nlu_fallback", "confidence": 1.0}, add_to_output=True)
                    continue
            self._set_intent(message, result)
        return messages

    def _set_intent(self, message: Message, result: Screen) -> None:
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") not in RED_FLAG_INTENTS]
        if result.intent:
            top = {"name": result.intent, "confidence": 1.0}
            ranking = [top, *ranking]
        elif (message.get(INTENT) or {}).get("name") in RED_FLAG_INTENTS:
            # The classifier's red flag without the screen's backing: its next guess stands when it is sure of
            # it or it is a question, unless the message describes the pain and that guess gives way to a
            # description (bot/nlu/description_first.py). A guess it is unsure of ("about a child" at 0.01 for an
            # adult's sciatica) is no reading at all: the classifier took the message for symptoms, so it is a
            # description, and the pain questions start with the safety check.
            guess: dict[str, Any] = ranking[0] if ranking else {}
            name = str(guess.get("name") or "")
            sure = name == "faq" or float(guess.get("confidence") or 0.0) >= self.next_guess_confidence
            if not sure or gives_way(message, name):
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
                attach_answer(message, name)
                make_description(message)
                return
            top = guess
        else:
            return
        message.set(INTENT, top, add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
