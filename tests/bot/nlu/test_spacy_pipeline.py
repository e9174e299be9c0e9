"""The spaCy pipeline Rasa loads by path: built here, blank English, nothing downloaded."""

from __future__ import annotations

from pathlib import Path

import spacy

from bot.nlu.spacy_pipeline import build


def test_the_saved_pipeline_loads_by_path_and_tokenizes(tmp_path: Path) -> None:
    build(tmp_path / "pipeline")
    nlp = spacy.load(tmp_path / "pipeline")
    assert [t.text for t in nlp("my back's gone again, can't bend")] == [
        "my",
        "back",
        "'s",
        "gone",
        "again",
        ",",
        "ca",
        "n't",
        "bend",
    ]
    assert nlp.meta["name"] == "frontier_backpain_en"
