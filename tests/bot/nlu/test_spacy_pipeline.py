"""The project's own spaCy pipeline: built from the synonyms, it finds the contract's entities."""

from __future__ import annotations

from pathlib import Path

import spacy

from actions.contract import SLOT_VALUES
from bot.nlu.spacy_pipeline import build, ruler_patterns


def test_every_canonical_value_has_ruler_patterns() -> None:
    covered = {(p["label"], p["id"]) for p in ruler_patterns()}
    assert covered == {(entity, value) for entity, values in SLOT_VALUES.items() for value in values}


def test_the_saved_pipeline_finds_several_facts_in_one_message(tmp_path: Path) -> None:
    build(tmp_path / "pipeline")
    nlp = spacy.load(tmp_path / "pipeline")
    doc = nlp(
        "I get a dull ache between my shoulder blades after coughing fits, worse when I lie down. I take prednisone"
    )
    found = {(e.label_, e.ent_id_) for e in doc.ents}
    assert found == {
        ("pain_quality", "dull_ache"),
        ("pain_location", "between_shoulder_blades"),
        ("pain_timing", "after_coughing"),
        ("pain_timing", "lying_flat"),
        ("medication", "oral_steroids"),
    }
    assert nlp.pipe_names == ["entity_ruler"]
