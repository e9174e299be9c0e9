"""The real-language corpus: labelled by the rules of its README, big enough, and never training data."""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher

import pytest

from clinic.red_flags import RED_FLAGS, Level
from tools.nlu_data import TRAINING_FILES, example_lines, unannotated
from tools.real_language.corpus import Example, load

# Near-copies: a training example this similar to a test message would make the test a memory test.
SIMILAR = 0.9


@pytest.fixture(scope="module")
def corpus() -> list[Example]:
    return load(include_holdout=True)


def stripped(text: str) -> str:
    """Lower case, no punctuation or emoji, single spaces: how messages are compared."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def training_texts() -> list[str]:
    return [stripped(unannotated(text)) for path in TRAINING_FILES for _block, text in example_lines(path)]


def test_sizes_and_every_flag_of_the_design(corpus: list[Example]) -> None:
    levels = Counter(e.level for e in corpus)
    assert len(corpus) >= 250
    assert levels[Level.EMERGENCY] >= 60 and levels[Level.URGENT] >= 40 and levels[Level.NONE] >= 150
    flags = Counter(f for e in corpus for f in e.flags)
    assert set(flags) == {f.name for f in RED_FLAGS}
    kinds = Counter(e.kind for e in corpus if e.level is Level.NONE)
    for kind in ("opening", "denial", "family", "hypothetical", "past"):
        assert kinds[kind] >= 5, kind


def test_most_messages_have_a_source(corpus: list[Example]) -> None:
    assert sum(e.sourced for e in corpus) >= 0.9 * len(corpus)
    assert len({e.source for e in corpus if e.source}) >= 150


def test_no_corpus_message_is_in_the_training_data_or_nearly(corpus: list[Example]) -> None:
    training = training_texts()
    exact = set(training)
    close = []
    matchers = [(other, SequenceMatcher(None, b=other, autojunk=False)) for other in training]  # each reads b once
    for example in corpus:
        text = stripped(example.text)
        assert text not in exact, example.id
        for other, matcher in matchers:
            matcher.set_seq1(text)
            if (
                matcher.real_quick_ratio() >= SIMILAR
                and matcher.quick_ratio() >= SIMILAR
                and matcher.ratio() >= SIMILAR
            ):
                close.append((example.id, other))
    assert close == []
