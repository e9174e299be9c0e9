"""Red-flag words as patients mistype or disguise them, read as the words they are.

The screen matches terms on lemmas, so "chset pain", "ch3st pain" and "c h e s t pain" would be
nothing to it. Before it reads a message, each of these shapes becomes the key word it spells, and
only a key word (a word of the screen's terms, bot/nlu/terms/*.yml, or a form of one):
- letters spaced out ("c h e s t", "l-i-p-s"): a run of single letters that spells a key word;
- leetspeak ("ch3st", "bl00d", "l1ps"): a word of letters and the digits or signs that stand for them,
  when reading those as letters spells a key word;
- a typo ("chset", "brethe", "bleding"): a word of five letters or more that no common English word is
  spelled like, one edit (a letter dropped, added, changed, or two swapped) from a key word, when that
  key word is the most frequent of the words one edit away.
A common English word is never changed ("best" stays "best", not "chest"): a word of the dictionary
(WordNet's lemmas and the lemma table of spacy-lookups-data, the tokenizer's contractions), or one more
frequent than about one in fifteen million words of its `lexeme_prob` table. All of it is read offline.
The message the patient typed and staff see is not changed: only what the screen reads.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache, lru_cache
from typing import Any, cast

from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.util import load_language_data, registry

# Key words shorter than this are never spelled out of single letters or digits ("l 5", "b4" are not).
MIN_KEY_LETTERS = 4
# Words shorter than this are never taken for a typo: a short word one edit from a key word is often
# another word, a name or an abbreviation ("chet", "lisp").
MIN_TYPO_LETTERS = 5
# The log probability from which a word counts as common English, and is never respelled.
COMMON = -16.5
LETTERS = "abcdefghijklmnopqrstuvwxyz"
# What each digit or sign stands for in leetspeak.
LEET = {"0": "o", "1": "il", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
MAX_LEET_CHOICES = 16
# How many words' readings as typos are remembered: patients' words repeat, and each costs a few hundred lookups.
TYPOS_REMEMBERED = 50_000

# A word of ASCII letters, not part of a contraction ("shouldn't" is no typo of "should").
_TYPO = re.compile(rf"(?<![^\W\d_])(?<!')[a-z]{{{MIN_TYPO_LETTERS},}}(?![^\W\d_]|')")
_LEET = re.compile(r"(?<![\w@$])[a-z0-9@$]*[a-z][a-z0-9@$]*(?![\w@$])")
_HAS_LEET = re.compile(r"[0-9@$]")
_SPACED = re.compile(r"(?<!\S)(?:[a-z0-9@$][ .\-]){2,}[a-z0-9@$](?![^\s.,!?;:])")
# What in a term is no word: a /regex/ and a $MACRO's name (its words are terms of their own).
_NOT_WORDS = re.compile(r"/[^/\s]+/|\$[A-Z_]+")
_WORD = re.compile(r"[^\W\d_]+")
# One reading of single letters from some letter on: ((letters left that are no word, pieces), where its
# first piece ends, the key word that piece spells or None for a letter left alone).
_Reading = tuple[tuple[int, int], int, "str | None"]


def english_table(name: str) -> dict[str, Any]:
    """One of spacy-lookups-data's English tables as a plain dict: spaCy's Table would hash its keys again, which
    takes seconds for the word probabilities at every server start."""
    return cast(dict[str, Any], load_language_data(registry.lookups.get("en")[name]))


@cache
def english_words() -> Mapping[str, float]:
    """Word forms with their log probability in English text; read from the installed package, once."""
    return english_table("lexeme_prob")


def term_words(terms: Iterable[str]) -> set[str]:
    """The words of terms written in the term language (bot/nlu/term_patterns.py)."""
    return {w for term in terms for w in _WORD.findall(_NOT_WORDS.sub(" ", term).lower())}


def one_edit(word: str) -> Iterator[str]:
    """Every string one edit from `word` (Damerau: a letter dropped, swapped with the next, changed or added)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    for left, right in splits:
        if right:
            yield left + right[1:]
            if len(right) > 1:
                yield left + right[1] + right[0] + right[2:]
            for letter in LETTERS:
                yield left + letter + right[1:]
        for letter in LETTERS:
            yield left + letter + right


class Respeller:
    """Rewrites a (lower-case) message so that mistyped or disguised key words read as themselves."""

    def __init__(self, key_words: Iterable[str], nlp: Language) -> None:
        """`nlp` is the screen's pipeline: its lemma table gives the forms of the key words."""
        self.lemmas = cast(Lemmatizer, nlp.get_pipe("lemmatizer")).lookups.get_table("lemma_lookup")
        self.keys = frozenset(w for w in key_words if len(w) >= MIN_KEY_LETTERS)
        self.longest = max(map(len, self.keys))
        self.key_lemmas = frozenset(self.lemma(w) for w in self.keys)
        self.english = english_words()
        # Words of the dictionary, however rare in text ("gable", "chesty"): WordNet's lemmas, the lemma
        # table's forms, and the tokenizer's contractions written without an apostrophe ("arent", "thats").
        self.dictionary = frozenset(
            itertools.chain(
                *english_table("lemma_index").values(),
                self.lemmas.values(),
                cast(Any, nlp.tokenizer).rules,
            )
        )
        self.typo = lru_cache(maxsize=TYPOS_REMEMBERED)(self._typo)

    def lemma(self, word: str) -> str:
        return str(self.lemmas.get(word, word))

    def __call__(self, text: str) -> str:
        text = _SPACED.sub(lambda m: self._spaced(m.group()), text)
        text = _LEET.sub(lambda m: self._leet(m.group()) if _HAS_LEET.search(m.group()) else m.group(), text)
        return _TYPO.sub(lambda m: self.typo(m.group()), text)

    def is_key(self, word: str) -> bool:
        return word in self.keys or (len(word) >= MIN_KEY_LETTERS and self.lemma(word) in self.key_lemmas)

    def _frequency(self, word: str) -> float:
        return float(self.english.get(word, COMMON))

    def _common(self, word: str) -> bool:
        return word in self.dictionary or word in self.lemmas or self.english.get(word, -math.inf) >= COMMON

    def _read_as_letters(self, chars: str) -> str | None:
        """The key word that `chars` spells when its digits and signs are read as letters, if any."""
        choices = [LEET.get(c, c) for c in chars]
        if math.prod(len(c) for c in choices) > MAX_LEET_CHOICES:
            return None
        return next((w for w in map("".join, itertools.product(*choices)) if self.is_key(w)), None)

    def _leet(self, word: str) -> str:
        return self._read_as_letters(word) or word

    def _spaced(self, run: str) -> str:
        """`run` (single letters, each apart from the next by one character) with the stretches that spell
        key words joined up: the reading that leaves the fewest letters that are no word, then the fewest
        pieces ("c h e s t p a i n" is "chest pain"; "a c h e s t" is "a chest", not "aches t")."""
        letters = run[::2]
        # best[i]: the best reading of letters[i:].
        best: list[_Reading] = [((0, 0), len(letters), None)] * (len(letters) + 1)
        for i in reversed(range(len(letters))):
            (left, pieces), _end, _word = best[i + 1]
            options: list[_Reading] = [((left + (letters[i] not in "ai"), pieces + 1), i + 1, None)]
            for end in range(i + MIN_KEY_LETTERS, min(i + self.longest, len(letters)) + 1):
                word = self._read_as_letters(letters[i:end])
                if word:
                    (left, pieces), _end, _word = best[end]
                    options.append(((left, pieces + 1), end, word))
            best[i] = min(options, key=lambda option: option[0])
        read, i = [], 0
        while i < len(letters):
            _cost, end, word = best[i]
            read.append((word or run[2 * i]) + run[2 * end - 1 : 2 * end])
            i = end
        return "".join(read)

    def _typo(self, word: str) -> str:
        if len(word) > self.longest + 1 or self._common(word) or self.is_key(word):
            return word
        near = sorted({w for w in one_edit(word) if self._common(w) or self.is_key(w)})
        best = max(near, key=self._frequency, default=None)
        return best if best is not None and self.is_key(best) else word
