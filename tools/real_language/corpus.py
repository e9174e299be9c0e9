"""The real-language corpus (tests/real_language/*.yml): loading and checking its labels.

Usage: python -m tools.real_language.corpus   (checks every file and prints the counts)
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.stack import ROOT
from clinic.contract import SLOT_VALUES
from clinic.red_flags import LEVEL_OF_FLAG, Level

HERE = ROOT / "tests" / "real_language"  # the corpora: test data, beside the tests that read them
FILES = ("emergency.yml", "urgent.yml", "openings.yml", "tricky.yml", "second_collection.yml")
# Written from other pages and never read to write terms or training data: holdout_2 after the red-flag
# terms, holdout_3 (openings and stories, for what reaches the slots) before the pain terms, holdout_4
# (all levels) at the start of a round, before that round changed terms or data, holdout_5 to holdout_8
# (all levels) likewise at the start of each round after it.
HOLDOUTS = tuple(f"holdout_{n}.yml" for n in range(2, 9))
KINDS = frozenset(
    {"opening", "story", "answer", "denial", "family", "hypothetical", "question", "past", "vague", "caregiver"}
)


@dataclass(frozen=True)
class Example:
    """One labelled patient message."""

    id: str
    text: str
    level: Level
    flags: tuple[str, ...]
    kind: str
    slots: dict[str, tuple[str, ...]] = field(default_factory=dict)
    source: str | None = None  # the page's address; None when unsourced
    file: str = ""

    @property
    def sourced(self) -> bool:
        return self.source is not None


class CorpusError(ValueError):
    """A corpus entry that breaks the labelling rules of README.md."""


def _example(entry: dict[str, Any], file: str) -> Example:
    where = f"{file}: {entry.get('id', '?')}"
    text, flags = entry.get("text"), tuple(entry.get("flags") or ())
    if not isinstance(text, str) or not text.strip():
        raise CorpusError(f"{where}: no text")
    unknown = [f for f in flags if f not in LEVEL_OF_FLAG]
    if unknown:
        raise CorpusError(f"{where}: unknown flags {unknown}")
    level = Level(entry.get("level"))
    expected = max((LEVEL_OF_FLAG[f] for f in flags), key=lambda lv: lv.rank, default=Level.NONE)
    if level is not expected:
        raise CorpusError(f"{where}: level {level.value} but flags {list(flags)} say {expected.value}")
    if entry.get("kind") not in KINDS:
        raise CorpusError(f"{where}: kind must be one of {sorted(KINDS)}")
    slots: dict[str, tuple[str, ...]] = {}
    for slot, values in (entry.get("slots") or {}).items():
        values = tuple(values if isinstance(values, list) else [values])
        if slot not in SLOT_VALUES or any(v not in SLOT_VALUES[slot] for v in values):
            raise CorpusError(f"{where}: {slot}={list(values)} is not in the slot contract")
        if values:
            slots[slot] = values
    source = entry.get("source")
    if entry.get("unsourced") is True:
        url = None
    elif isinstance(source, dict) and str(source.get("url", "")).startswith("http") and source.get("title"):
        url = str(source["url"])
    else:
        raise CorpusError(f"{where}: needs source {{url, title}} or unsourced: true")
    return Example(str(entry["id"]), text, level, flags, str(entry["kind"]), slots, url, file)


def load(folder: Path = HERE, include_holdout: bool = False) -> list[Example]:
    """Every example of the corpus, checked; CorpusError on the first broken one."""
    examples = []
    for name in (*FILES, *HOLDOUTS) if include_holdout else FILES:
        path = folder / name
        if path.exists():
            examples += [_example(e, name) for e in yaml.safe_load(path.read_text(encoding="utf-8")) or []]
    duplicated = [i for i, n in Counter(e.id for e in examples).items() if n > 1]
    if duplicated:
        raise CorpusError(f"duplicate ids: {duplicated}")
    return examples


def main() -> int:
    try:
        examples = load(include_holdout=True)
    except (CorpusError, ValueError, yaml.YAMLError) as error:
        print(f"corpus error: {error}")
        return 1
    by_level = Counter(e.level.value for e in examples)
    by_flag = Counter(f for e in examples for f in e.flags)
    print(f"{len(examples)} examples; by level {dict(by_level)}; unsourced {sum(not e.sourced for e in examples)}")
    print(f"sources: {len({e.source for e in examples if e.source})}; by flag: {dict(sorted(by_flag.items()))}")
    print(f"by kind: {dict(Counter(e.kind for e in examples))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
