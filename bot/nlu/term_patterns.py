"""Concept terms in patients' words, compiled into spaCy token patterns matched on lemmas.

The term language of bot/nlu/terms/*.yml, shared by the red-flag screen and the pain-fact extractor:
- words are matched on their dictionary form (lemma), lower case: "lip" matches "lips", "fell" matches "fall";
- {a|b|c} is one of several words or phrases;
- *  stands for up to 3 other words in the same sentence, ** for up to 8;
- =word is that exact word form ("=legs" is not "leg");
- $NAME is one of the word lists under `words`; /regex/ is a word matching that pattern.
The pipeline is blank English with the lookup lemmatizer of spacy-lookups-data: nothing is downloaded.
"""

from __future__ import annotations

import itertools
import re
from typing import Any, cast

import spacy
from spacy.language import Language
from spacy.pipeline import Lemmatizer

GAPS = {"*": 3, "**": 8}
GAP_STOPS = ("not", "n't", "nt", "no", "never", "nor", "but", "however")
_UNIT = re.compile(r"\{[^}]*\}|\*\*|\*|/[^/\s]+/|\S+")
_MACRO = re.compile(r"\$([A-Z_]+)")


def fold(text: str) -> str:
    """Lower case (the lemma tables are lower case) and straight apostrophes, keeping every offset."""
    lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")


def normalise(text: str) -> str:
    """Folded, with single spaces and "9yo" split into "9 yo"."""
    text = fold(text)
    text = re.sub(r"\b(\d+)(yo|y/o|yr|yrs)\b", r"\1 \2", text)  # "my 9yo" -> "my 9 yo"
    return re.sub(r"\s+", " ", text).strip()


def base_pipeline() -> Language:
    """Blank English with lemmas and sentences: what the concept terms are matched on."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("sentencizer")
    nlp.initialize()
    # The lookup table's one surprise in patients' words: "does" is the plural of "doe" there.
    cast(Lemmatizer, nlp.get_pipe("lemmatizer")).lookups.get_table("lemma_lookup")["does"] = "do"
    return nlp


def _expand_macros(term: str, words: dict[str, str]) -> str:
    while _MACRO.search(term):
        term = _MACRO.sub(lambda m: words[m.group(1)], term)
    return term


def _alternatives(unit: str, lemmas: Language) -> list[list[dict[str, Any]]]:
    """The token patterns one unit of a term can match: a word, a {a|b} choice, a gap or a /regex/."""
    if unit in GAPS:
        # A gap never crosses a sentence's end, a negation or a "but": "legs, and I don't get any tingling".
        gap = {"ORTH": {"NOT_IN": [".", "!", "?", ";"]}, "LOWER": {"NOT_IN": list(GAP_STOPS)}, "OP": "?"}
        return [[gap] * GAPS[unit]]
    choices = unit[1:-1].split("|") if unit.startswith("{") and unit.endswith("}") else [unit]
    single: list[str] = []
    patterns: list[list[dict[str, Any]]] = []
    for choice in choices:
        if choice.startswith("/") and choice.endswith("/") and len(choice) > 2:
            patterns.append([{"LOWER": {"REGEX": f"^(?:{choice[1:-1]})$"}}])
            continue
        if choice.startswith("="):  # this exact word form: "=legs" is both legs, not "leg"
            patterns.append([{"LOWER": t.lower_} for t in lemmas.make_doc(normalise(choice[1:]))])
            continue
        tokens = [t.lemma_ or t.lower_ for t in lemmas(normalise(choice))]
        if len(tokens) == 1:
            single.append(tokens[0])
        else:
            patterns.append([{"LEMMA": lemma} for lemma in tokens])
    if single:
        patterns.append([{"LEMMA": {"IN": sorted(set(single))}}])
    return patterns


def term_patterns(term: str, words: dict[str, str], lemmas: Language) -> list[list[dict[str, Any]]]:
    """Every spaCy token pattern a term stands for; no pattern crosses a sentence boundary."""
    units = [_alternatives(u, lemmas) for u in _UNIT.findall(_expand_macros(term, words))]
    patterns = []
    for combination in itertools.product(*units):
        tokens = [dict(token) for part in combination for token in part]
        for token in tokens[1:]:
            token["IS_SENT_START"] = False
        patterns.append(tokens)
    return patterns
