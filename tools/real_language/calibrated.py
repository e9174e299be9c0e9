"""A red-flag classifier of its own, calibrated, to weigh against DIET as the screen's second opinion.

The screen asks the confirming question on the intent classifier's suspicion alone when DIET ranks a red-flag
intent at or above a threshold. DIET's confidences are not probabilities: it is very sure of red flags in long
benign stories. The candidate measured against it: logistic regression on word and character
n-grams of the NLU training data (red flags of each level against everything else; the hedged `red_flag_possible`
examples left out), its probabilities calibrated by 5-fold sigmoid scaling (scikit-learn, already pinned for
Rasa). It trains in seconds and needs no download.
`python -m tools.real_language.threshold --second-opinion calibrated` sweeps it; it is not in the pipeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline

from bot.incoming import clean_text, normalise
from bot.stack import ROOT
from clinic.red_flags import INTENT_OF_LEVEL, POSSIBLE_INTENT, Level
from tools.nlu_data import examples, unannotated

NLU_DATA = ROOT / "data" / "nlu"
# The classes, in the classifier's order: no red flag, then each level.
CLASSES = (Level.NONE, Level.URGENT, Level.EMERGENCY)


def training_set(folder: Path = NLU_DATA) -> tuple[list[str], list[int]]:
    """Every NLU training example as the door passes it, with its class (an index into CLASSES)."""
    index = {INTENT_OF_LEVEL[level]: CLASSES.index(level) for level in CLASSES if level is not Level.NONE}
    texts, labels = [], []
    for path in sorted(folder.glob("*.yml")):
        for name, text in examples(path):
            intent = name.split("/")[0]
            if intent != POSSIBLE_INTENT:
                texts.append(normalise(clean_text(unannotated(text))))
                labels.append(index.get(intent, 0))
    return texts, labels


def trained(texts: Sequence[str], labels: Sequence[int]) -> Pipeline:
    """The classifier, fitted; its probabilities come from 5-fold sigmoid calibration."""
    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
            ("characters", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)),
        ]
    )
    regression = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
    return make_pipeline(features, CalibratedClassifierCV(regression, method="sigmoid", cv=5)).fit(texts, labels)


def scores(classifier: Pipeline, texts: Sequence[str]) -> list[dict[str, float]]:
    """Each text's probability of a red flag at each level, as the screen records the classifier's scores."""
    return [
        {level.value: float(p) for level, p in zip(CLASSES, row, strict=True) if level is not Level.NONE}
        for row in classifier.predict_proba(list(texts))
    ]
