"""Reading Rasa NLU YAML files in tests: example lines, annotations, synonyms."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot.stack import ROOT

ANNOTATION = re.compile(r"\[([^\]]+)\]\((\w+)\)")
# A phrase the test set gives its value explicitly: its words are no synonym, or the rules would learn them.
VALUED_ANNOTATION = re.compile(r'\[([^\]]+)\]\{"entity":\s*"(\w+)",\s*"value":\s*"(\w+)"\}')
TRAINING_FILES = sorted((ROOT / "data" / "nlu").glob("*.yml"))
SYNONYMS = ROOT / "data" / "nlu" / "synonyms.yml"


def example_lines(path: Path) -> list[tuple[dict[str, Any], str]]:
    """(block, example) for every example line of an NLU file: intents, synonyms and the rest."""
    lines = []
    for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
        for line in str(block.get("examples") or "").splitlines():
            text = line.strip().removeprefix("- ").strip()
            if text:
                lines.append((block, text))
    return lines


def examples(path: Path) -> list[tuple[str, str]]:
    """(intent, example) pairs of an NLU file."""
    return [(block["intent"], text) for block, text in example_lines(path) if "intent" in block]


def unannotated(text: str) -> str:
    """The example as a patient would type it: "[upper back](pain_location)" -> "upper back"."""
    return VALUED_ANNOTATION.sub(r"\1", ANNOTATION.sub(r"\1", text))


def annotated_values(text: str) -> list[tuple[str, str]]:
    """(entity, value) of every annotation: the synonym's canonical value, or the one given explicitly."""
    canonical = synonyms()
    short = [(entity, canonical.get(words.lower(), words.lower())) for words, entity in ANNOTATION.findall(text)]
    return short + [(entity, value) for _words, entity, value in VALUED_ANNOTATION.findall(text)]


def synonyms() -> dict[str, str]:
    """Each phrasing's canonical value, as Rasa's EntitySynonymMapper maps it."""
    return {text.lower(): block["synonym"] for block, text in example_lines(SYNONYMS) if "synonym" in block}
