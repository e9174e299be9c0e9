"""Build the project's own spaCy pipeline: blank English plus an entity ruler.

The ruler's patterns come from the entity synonyms in data/nlu/synonyms.yml, so one list of
phrasings feeds both spaCy and Rasa's EntitySynonymMapper. No model is downloaded.
Usage: python -m bot.nlu.spacy_pipeline [OUTPUT_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, cast

import spacy
import yaml
from spacy.pipeline import EntityRuler

from actions.contract import entity_for_value

ROOT = Path(__file__).resolve().parents[2]
SYNONYMS = ROOT / "data" / "nlu" / "synonyms.yml"
DEFAULT_OUTPUT = ROOT / "build" / "spacy" / "frontier_backpain_en"


def ruler_patterns(synonyms_file: Path = SYNONYMS) -> list[dict[str, Any]]:
    """One token pattern per phrasing, labelled with the entity its canonical value belongs to.

    Single-word canonical values ("neck", "sharp") are phrasings too: Rasa needs no synonym for them.
    """
    nlp = spacy.blank("en")
    patterns = []
    for entry in yaml.safe_load(synonyms_file.read_text(encoding="utf-8"))["nlu"]:
        value = entry["synonym"]
        phrases: list[str] = [line.strip().removeprefix("- ").strip() for line in entry["examples"].splitlines()]
        if "_" not in value:
            phrases.append(value)
        for phrase in (p for p in phrases if p):
            tokens = [{"LOWER": t.lower_} for t in nlp.make_doc(phrase)]
            patterns.append({"label": entity_for_value(value), "pattern": tokens, "id": value})
    return patterns


def build(output: Path = DEFAULT_OUTPUT) -> spacy.language.Language:
    """Create and save the pipeline; Rasa's SpacyNLP loads it from this path."""
    nlp = spacy.blank("en")
    nlp.meta["name"] = "frontier_backpain_en"
    nlp.meta["version"] = "1.0.0"
    ruler = cast(
        EntityRuler, nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": None, "overwrite_ents": True})
    )
    ruler.add_patterns(ruler_patterns())
    output.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    return nlp


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT
    pipeline = build(target)
    print(
        f"spaCy pipeline with {len(cast(EntityRuler, pipeline.get_pipe('entity_ruler')))} ruler patterns saved to {target}"
    )
