"""What the experiment reads from the project: the classifier's training examples and the corpus sets, by name.

The sets are an explicit list, not whatever the corpus holds today: a hold-out added later (holdout_8 and on)
was not part of this experiment, and reading it here would spend it. Model selection reads only SELECTION;
LATER is loaded only to report on variants already chosen (measure.py --final), and never printed.
"""

from __future__ import annotations

from collections.abc import Iterable

from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.incoming import clean_text, normalise
from bot.nlu.red_flag_classifier import labelled
from tools.nlu_data import TRAINING_FILES
from tools.real_language.corpus import HOLDOUTS, Example
from tools.real_language.evaluate import corpus_sets, holdout_of

# Chosen on: the corpus the terms were written against, and the hold-outs already read when it ran.
SELECTION = ("sourced", "unsourced", "holdout_2", "holdout_3")
# Reported only for the variants chosen on SELECTION (variants.CHOSEN).
LATER = ("holdout_4", "holdout_5", "holdout_6", "holdout_7")
# The team's held-out NLU phrasings (tests/nlu/test_nlu.yml): reported beside the others, never used to choose.
TEAM = "team"


def training() -> tuple[list[str], list[int]]:
    """The red-flag classifier's training texts and classes, as `rasa train` gives them to it."""
    data = TrainingData().merge(*(load_data(str(path)) for path in TRAINING_FILES))
    return labelled((m.get(TEXT), m.get(INTENT)) for m in data.intent_examples)


def key(name: str) -> str:
    """The short name of one of tools/real_language/evaluate.py's sets."""
    holdout = holdout_of(name)
    if holdout:
        return holdout.removesuffix(".yml")
    if "(sourced)" in name:
        return "sourced"
    if "without a source" in name:
        return "unsourced"
    if name.startswith("team-written"):
        return TEAM
    raise ValueError(f"a set this experiment does not know: {name!r}")


def corpus(later: bool = False) -> list[tuple[str, list[Example]]]:
    """The sets by short name, in evaluate.py's order: SELECTION and TEAM, and LATER when `later`.

    A message from any other hold-out file is dropped from every set, not only from its own.
    """
    wanted = (*SELECTION, TEAM, *(LATER if later else ()))
    excluded = {file for file in HOLDOUTS if file.removesuffix(".yml") not in wanted}
    sets = [(key(name), examples) for name, examples in corpus_sets()]
    return [(name, [e for e in examples if e.file not in excluded]) for name, examples in sets if name in wanted]


def as_passed(examples: Iterable[Example]) -> list[str]:
    """The messages as the door passes them to the NLU (bot/incoming.py), as the classifier sees them."""
    return [normalise(clean_text(e.text)) for e in examples]
