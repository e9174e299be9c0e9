"""The red-flag classifier: what it learns from, what its scores say, and that only its own file loads."""

from __future__ import annotations

from pathlib import Path

import pytest
import skops.io as sio
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.red_flag_classifier import CLASSES, SCORES_KEY, RedFlagClassifier, labelled
from bot.nlu.red_flag_screen import level_at
from bot.stack import ROOT
from clinic.red_flags import Level
from tools.real_language.threshold import configured

RESOURCE = Resource("red_flag_classifier")
CONTEXT = ExecutionContext(GraphSchema({}), "test")
PLAIN = [
    "my lips are turning blue and I can't breathe",
    "I've had a fever and chills with this back pain",
    "a dull ache between my shoulder blades after coughing",
]


def test_the_hedged_examples_are_left_out_and_each_level_is_its_class() -> None:
    texts, labels = labelled(
        [
            ("my lips are blue", "red_flag_emergency"),
            ("I have a fever", "red_flag_urgent"),
            ("my chest feels funny", "red_flag_possible"),
            ("my  lower back\u200b aches", "describe_pain"),
            ("what is asthma?", "faq"),
        ]
    )
    assert texts == ["my lips are blue", "I have a fever", "my lower back aches", "what is asthma?"]
    assert [CLASSES[label] for label in labels] == [Level.EMERGENCY, Level.URGENT, Level.NONE, Level.NONE]


def trained_in(folder: Path) -> RedFlagClassifier:
    """Trained on the project's NLU data as `rasa train` does, saved, and loaded back from its model storage."""
    storage = LocalModelStorage(folder)
    data = TrainingData().merge(*(load_data(str(path)) for path in sorted((ROOT / "data" / "nlu").glob("*.yml"))))
    RedFlagClassifier.create({}, storage, RESOURCE, CONTEXT).train(data)
    return RedFlagClassifier.load({}, storage, RESOURCE, CONTEXT)


@pytest.fixture(scope="module")
def classifier(tmp_path_factory: pytest.TempPathFactory) -> RedFlagClassifier:
    return trained_in(tmp_path_factory.mktemp("model"))


def scored(classifier: RedFlagClassifier, texts: list[str]) -> list[dict[Level, float]]:
    return [m.get(SCORES_KEY) for m in classifier.process([Message(data={"text": text}) for text in texts])]


def test_its_scores_are_probabilities_and_rank_the_plain_cases(classifier: RedFlagClassifier) -> None:
    emergency, urgent, benign = scored(classifier, PLAIN)
    for score in (emergency, urgent, benign):
        assert set(score) == {Level.EMERGENCY, Level.URGENT} and all(0.0 <= p <= 1.0 for p in score.values())
    assert emergency[Level.EMERGENCY] > 0.5 > benign[Level.EMERGENCY]
    assert urgent[Level.URGENT] > 0.5 > benign[Level.URGENT]


def test_every_training_gives_the_same_scores(classifier: RedFlagClassifier, tmp_path: Path) -> None:
    # What DIET's second opinion never did: the hold-outs' emergencies caught moved with its seed.
    assert scored(trained_in(tmp_path), PLAIN) == scored(classifier, PLAIN)


def test_a_saved_file_holding_anything_else_refuses_to_load(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    with storage.write_to(RESOURCE) as folder:
        sio.dump({"scores": Path("/etc/passwd")}, folder / "red_flag_classifier.skops")
    with pytest.raises(ValueError, match="pathlib"):
        RedFlagClassifier.load({}, storage, RESOURCE, CONTEXT)


def test_an_untrained_classifier_says_so() -> None:
    untrained = RedFlagClassifier.create({}, LocalModelStorage(Path("/nonexistent")), RESOURCE, CONTEXT)
    with pytest.raises(RuntimeError, match="rasa train"):
        untrained.process([Message(data={"text": "my back hurts"})])


OPENINGS = [
    "hey my back hurts",
    "my back is sore",
    "my lower back hurts",
    "my back hurts so bad",
    "ugh my back",
    "I've got back pain",
    "I have asthma and now my back hurts too",
    "my back has been hurting since my asthma got worse",
]


def test_a_plain_opening_raises_no_suspicion(classifier: RedFlagClassifier) -> None:
    # The commonest first messages: a suspicion here would open the conversation with a question about red flags.
    thresholds = configured()  # config.yml's, as the assistant runs
    for text, score in zip(OPENINGS, scored(classifier, OPENINGS), strict=True):
        assert level_at(score, thresholds) is Level.NONE, (text, score)
