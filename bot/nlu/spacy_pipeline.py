"""Build the project's own spaCy pipeline for Rasa's SpacyNLP: blank English, saved to a folder.

Rasa loads spaCy models by name or path; none can be downloaded here, so this one is built from
spaCy itself. It only tokenizes: the contract's facts are found by bot/nlu/pain_facts.py.
Usage: python -m bot.nlu.spacy_pipeline [OUTPUT_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT = ROOT / "build" / "spacy" / "frontier_backpain_en"


def build(output: Path = DEFAULT_OUTPUT) -> spacy.language.Language:
    """Create and save the pipeline; Rasa's SpacyNLP loads it from this path."""
    nlp = spacy.blank("en")
    nlp.meta["name"] = "frontier_backpain_en"
    nlp.meta["version"] = "2.0.0"
    output.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    return nlp


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT
    build(target)
    print(f"spaCy pipeline (blank English) saved to {target}")
