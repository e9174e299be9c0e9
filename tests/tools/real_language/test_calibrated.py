"""The calibrated red-flag classifier weighed against DIET: its training set and what its scores say."""

from __future__ import annotations

from pathlib import Path

import pytest
from sklearn.pipeline import Pipeline

from clinic.red_flags import Level
from tools.real_language.calibrated import CLASSES, scores, trained, training_set


def test_the_hedged_examples_are_left_out_and_every_level_is_there() -> None:
    texts, labels = training_set()
    assert len(texts) == len(labels) > 1000
    assert {CLASSES[label] for label in labels} == {Level.NONE, Level.URGENT, Level.EMERGENCY}


def test_an_nlu_file_reads_as_its_classes(tmp_path: Path) -> None:
    (tmp_path / "nlu.yml").write_text(
        "version: '3.1'\nnlu:\n"
        "- intent: red_flag_emergency\n  examples: |\n    - my lips are blue\n"
        "- intent: red_flag_possible\n  examples: |\n    - my chest feels funny\n"
        "- intent: describe_pain\n  examples: |\n    - my [lower back](pain_location) aches\n",
        encoding="utf-8",
    )
    assert training_set(tmp_path) == (["my lips are blue", "my lower back aches"], [2, 0])


@pytest.fixture(scope="module")
def classifier() -> Pipeline:
    return trained(*training_set())


def test_its_scores_are_probabilities_and_rank_the_plain_cases(classifier: Pipeline) -> None:
    emergency, urgent, benign = scores(
        classifier,
        ["my lips are turning blue and I can't breathe", "I've had a fever and chills with this back pain",
         "a dull ache between my shoulder blades after coughing"],
    )  # fmt: skip
    for score in (emergency, urgent, benign):
        assert set(score) == {"emergency", "urgent"} and all(0.0 <= p <= 1.0 for p in score.values())
    assert emergency["emergency"] > 0.5 > benign["emergency"]
    assert urgent["urgent"] > 0.5 > benign["urgent"]
