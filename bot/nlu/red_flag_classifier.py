"""NLU component: a red-flag classifier of its own, the red-flag screen's second opinion.

The screen's words catch the signs they were written for; on a message they find nothing in, this
classifier's probability of a red flag at each level decides whether the patient is asked about one
(bot/nlu/red_flag_screen.py, `model_threshold`). DIET's intent confidences did that job before, and were
neither probabilities nor stable: it was very sure of red flags in long benign stories, and the hold-outs'
emergencies caught moved by up to four from one training seed to the next (docs/evaluation.md).

What it is: logistic regression on word (1-2) and character (2-5) n-grams of the NLU training examples,
red flags of each level against everything else (the hedged `red_flag_possible` examples are left out:
they are neither), its probabilities calibrated by 5-fold sigmoid scaling. scikit-learn is already pinned
for Rasa; it trains in seconds, is the same on every training, and needs no download. It is saved with
skops, as Rasa saves its own scikit-learn classifier, and loads only the types listed here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import skops.io as sio
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline
from typing_extensions import Self

from bot.incoming import clean_text, normalise
from clinic.red_flags import INTENT_OF_LEVEL, POSSIBLE_INTENT, Level

# Where each message's scores go, for the screen: {level: probability} for the two red-flag levels.
SCORES_KEY = "red_flag_scores"
# The classes, in the classifier's order: no red flag, then each level.
CLASSES = (Level.NONE, Level.URGENT, Level.EMERGENCY)
_FILE = "red_flag_classifier.skops"
# What a saved classifier may hold beyond skops' own trusted types; anything else refuses to load.
_TRUSTED = [
    "scipy.sparse._csr.csr_matrix",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
]


def labelled(examples: Iterable[tuple[str, str]]) -> tuple[list[str], list[int]]:
    """(text, intent) examples as the door passes their text, each with its class (an index into CLASSES)."""
    index = {INTENT_OF_LEVEL[level]: CLASSES.index(level) for level in CLASSES if level is not Level.NONE}
    pairs = [
        (normalise(clean_text(text)), index.get(intent, 0)) for text, intent in examples if intent != POSSIBLE_INTENT
    ]
    return [text for text, _ in pairs], [label for _, label in pairs]


def trained(texts: Sequence[str], labels: Sequence[int]) -> Pipeline:
    """The classifier, fitted; its probabilities come from 5-fold sigmoid calibration."""
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    characters = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
    regression = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
    classifier = make_pipeline(
        FeatureUnion([("words", words), ("characters", characters)]),
        CalibratedClassifierCV(regression, method="sigmoid", cv=5),
    ).fit(texts, labels)
    # The n-grams min_df pruned are kept only to be inspected: 20 MB of the saved file.
    del characters.stop_words_
    return classifier


def scores(classifier: Pipeline, texts: Sequence[str]) -> list[dict[Level, float]]:
    """Each text's probability of a red flag at each level."""
    return [
        {level: float(p) for level, p in zip(CLASSES, row, strict=True) if level is not Level.NONE}
        for row in classifier.predict_proba(list(texts))
    ]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class RedFlagClassifier(GraphComponent):
    """Puts each message's probability of a red flag at each level under SCORES_KEY."""

    def __init__(self, model_storage: ModelStorage, resource: Resource, classifier: Pipeline | None) -> None:
        self._storage = model_storage
        self._resource = resource
        self.classifier = classifier

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Self:
        return cls(model_storage, resource, None)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> Self:
        with model_storage.read_from(resource) as folder:
            path = folder / _FILE
            untrusted = sorted(set(sio.get_untrusted_types(file=path)) - set(_TRUSTED))
            if untrusted:
                raise ValueError(f"{path.name} holds types this classifier never saves: {untrusted}")
            return cls(model_storage, resource, sio.load(path, trusted=_TRUSTED))

    def train(self, training_data: TrainingData) -> Resource:
        examples = ((m.get(TEXT), m.get(INTENT)) for m in training_data.intent_examples)
        self.classifier = trained(*labelled(examples))
        with self._storage.write_to(self._resource) as folder:
            sio.dump(self.classifier, folder / _FILE)
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self.classifier is None:
            raise RuntimeError("The red-flag classifier was never trained: run `rasa train`.")
        for message, found in zip(
            messages, scores(self.classifier, [m.get(TEXT) or "" for m in messages]), strict=True
        ):
            message.set(SCORES_KEY, found)
        return messages
