"""NLU component: the deterministic red-flag layer behind the intent classifier.

Runs last in the pipeline. When the patterns of actions/red_flags.py find a red flag, or the
classifier itself ranks a red-flag intent high enough, the message's intent becomes
`red_flag_emergency` or `red_flag_urgent` — whichever is more severe — so the dialogue
answers it first, also in the middle of a form and also when the model never saw the phrasing.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from actions.red_flags import INTENT_OF_LEVEL, LEVEL_OF_INTENT, Level, screen


def model_level(message: Message, threshold: float) -> Level:
    """The most severe red-flag intent the classifier ranked at or above the threshold."""
    ranked = [message.get(INTENT) or {}, *(message.get(INTENT_RANKING_KEY) or [])]
    levels = [
        LEVEL_OF_INTENT[item["name"]]
        for item in ranked
        if item.get("name") in LEVEL_OF_INTENT and (item.get("confidence") or 0.0) >= threshold
    ]
    return max(levels, key=lambda level: level.rank, default=Level.NONE)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RedFlagScreen(GraphComponent, IntentClassifier):
    """Raises a message's intent to the red flag its text shows."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # A red-flag intent ranked this high by the model counts even when it isn't the top one.
        return {"model_threshold": 0.3}

    def __init__(self, config: dict[str, Any]) -> None:
        self.threshold = float(config["model_threshold"])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RedFlagScreen:
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            patterns = screen(message.get(TEXT) or "").level
            model = model_level(message, self.threshold)
            level = max(patterns, model, key=lambda lv: lv.rank)
            current = (message.get(INTENT) or {}).get("name")
            if level is Level.NONE or current == INTENT_OF_LEVEL[level]:
                continue
            raised = {"name": INTENT_OF_LEVEL[level], "confidence": 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != raised["name"]]
            message.set(INTENT, raised, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [raised, *ranking], add_to_output=True)
        return messages
