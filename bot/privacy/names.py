"""People's names in a patient's words, without a named-entity model (none can be downloaded here).

A word is taken for a name:
- after the words that introduce one: "my name is", "I'm", "call me", a title ("Dr", "Mrs"), a relative or
  someone close ("my husband John", "my daughter Mary Smith", "my friend's dad");
- when it is capitalised inside a sentence and is none of the words the assistant's NLU knows (its training
  data, its terms: clinical words, body parts, medicine brands): patients capitalise names, places and brands;
- at a sentence's start, when it is a first name or surname (Faker's name lists, 86 locales) and no common
  English word (spaCy's word frequencies), or a word rarely seen in English: "John says", "Sanjay and I",
  but "Will this help".
Erring towards replacing: a place or a shop name goes too, which Safe Harbor asks for anyway.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import faker.providers.person
import yaml

from bot.nlu.no_words import english_words
from clinic.contact import INTRODUCTION

ROOT = Path(__file__).resolve().parents[2]
# Examples whose words are not the NLU's vocabulary: the booking form's answers hold names on purpose, the
# other topics places ("is it going to rain in austin").
NOT_VOCABULARY = frozenset({"inform_details", "out_of_scope"})
# A word at least this frequent in English is a word first ("Will", "Hope", "Bill", "Grace"), a name second.
COMMON = -12.5
# A word this rare in English, capitalised and unknown to the NLU, is a name even where a sentence starts.
RARE = -17.0
LOOK_BACK = 60  # characters: the longest "my best friend's husband, called" before a name
KIN = (
    r"(?:husband|wife|partner|spouse|boyfriend|girlfriend|fianc[eé]e?|son|daughter|child|kid|baby|mother|mom|mum"
    r"|mommy|mummy|mama|father|dad|daddy|papa|brother|sister|sibling|twin|aunt|auntie|uncle|cousin|nephew|niece"
    r"|grandma|grandmother|granny|nan|nana|grandpa|grandfather|grandad|granddad|grandson|granddaughter|friend"
    r"|neighbou?r|carer|caregiver|roommate|flatmate|housemate|colleague|coworker|boss|teacher|coach|doctor|gp"
    r"|nurse|physio|therapist|pharmacist|stepson|stepdaughter|stepmom|stepdad|in-law|ex)"
)
TITLE = r"(?:dr|doctor|mr|mrs|ms|miss|mx|prof|professor|nurse|sister|father|rev|sir|dame)"
# The place a name may follow: the word or words that introduce it, then an optional "called", "named" or comma.
_BEFORE_NAME = re.compile(
    rf"(?:\b(?:my|our|his|her|their|your)\s+(?:\w+['’]s\s+)?{KIN}s?\b|\b{TITLE}\b\.?|\b{INTRODUCTION}\b"
    r"|\b(?:called|named|regards|thanks|cheers|love|from)\b)[,:]?\s+(?:(?:is|was|called|named)\s+)?$",
    re.I,
)
# Letters with apostrophes and hyphens (O'Neil, Chloe-Anne); not letters joined to digits (SpO2, FEV1).
_WORD = re.compile(r"(?<!\w)[^\W\d_]+(?:['’][^\W\d_]+)*(?:-[^\W\d_]+)*(?!\w)")
_PARTICLES = frozenset(
    {
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "da",
        "das",
        "dos",
        "di",
        "du",
        "le",
        "la",
        "bin",
        "ibn",
        "al",
        "st",
    }
)
_SENTENCE_END = re.compile(r"(?:[.!?;:\n\"“(…]|\s[-–—])\s*$")
_WEEK_AND_YEAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december christmas easter i i'm i've i'll i'd ok okay".split()
)


@cache
def known_words() -> frozenset[str]:
    """Every word of the NLU's terms, and of its training data that it writes in lowercase somewhere: one it
    only capitalises is a name or a place."""
    words: set[str] = set(_WEEK_AND_YEAR)
    for path in sorted((ROOT / "bot" / "nlu" / "terms").glob("*.yml")):
        words |= {
            w for text in strings_in(yaml.safe_load(path.read_text(encoding="utf-8"))) for w in _WORD.findall(text)
        }
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            if block.get("intent") not in NOT_VOCABULARY:
                words |= {w for w in _WORD.findall(str(block.get("examples") or "")) if w.islower()}
    return frozenset(w.lower() for w in words)


def strings_in(data: Any) -> list[str]:
    """Every string in parsed YAML, keys included (the terms' comments are no terms)."""
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in (*strings_in(k), *strings_in(v))]
    if isinstance(data, list):
        return [s for item in data for s in strings_in(item)]
    return [data] if isinstance(data, str) else []


@cache
def person_names() -> frozenset[str]:
    """First names and surnames of every locale Faker ships, lowercased."""
    found: set[str] = set()
    for module in pkgutil.iter_modules(faker.providers.person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{module.name}").Provider
        for attribute in ("first_names", "first_names_male", "first_names_female", "last_names"):
            value = next((vars(k)[attribute] for k in provider.__mro__ if attribute in vars(k)), None)
            if isinstance(value, dict | list | tuple | set | frozenset):
                found |= {str(name).lower() for name in value}
    return frozenset(found)


def is_common(word: str) -> bool:
    table = english_words()
    return word in table and float(table[word]) > COMMON


def rare(word: str) -> bool:
    table = english_words()
    return word.lower() not in table or float(table[word.lower()]) < RARE


def known(word: str) -> bool:
    """A word the NLU knows, or a contraction or compound of one ("They'd", "X-rays", "ER-level")."""
    lowered = word.lower().replace("’", "'")
    parts = [p for p in re.split(r"-|'", lowered) if len(p) > 1]
    return lowered in known_words() or any(p in known_words() for p in parts)


def first_or_surname(word: str) -> bool:
    """A first name or surname of Faker's lists that is no common English word (nor one the NLU knows)."""
    lowered = word.lower()
    return lowered in person_names() and not is_common(lowered) and not known(word)


def capitalised(word: str) -> bool:
    """Capitalised as a name is: not an acronym ("ER", "CTs", "UTIs")."""
    capitals = sum(c.isupper() for c in word)
    return len(word) > 1 and word[0].isupper() and not word.isupper() and not (capitals > 1 and word.endswith("s"))


def stranger(word: str) -> bool:
    """Capitalised, and no word the NLU knows."""
    return capitalised(word) and not known(word)


def bare(match: re.Match[str]) -> tuple[str, int]:
    """The word without a possessive 's, and where it ends: "John's back" keeps its "'s"."""
    word = match.group(0)
    for suffix in ("'s", "’s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word.removesuffix(suffix), match.end() - len(suffix)
    return word, match.end()


def name_spans(text: str) -> list[tuple[int, int]]:
    """Where the text names a person (or a place): see the module's docstring."""
    words = list(_WORD.finditer(text))
    starts = {m.start() for m in words if sentence_start(text, m.start())}
    titled = title_case(text, words)
    found: list[tuple[int, int]] = []
    for index, match in enumerate(words):
        word, _end = bare(match)
        if found and match.start() < found[-1][1]:
            continue
        introduced = bool(_BEFORE_NAME.search(text[max(0, match.start() - LOOK_BACK) : match.start()]))
        if introduced:
            hit = stranger(word) or first_or_surname(word)
        elif stranger(word) and (match.start() in starts or titled):
            hit = first_or_surname(word) or rare(word)
        else:
            hit = stranger(word)
        if hit:
            found.append((particles_before(text, words, index), extended(text, words, index)))
    return found


def sentence_start(text: str, at: int) -> bool:
    return not text[:at].strip() or bool(_SENTENCE_END.search(text[max(0, at - 4) : at]))


def particles_before(text: str, words: list[re.Match[str]], index: int) -> int:
    """Where the name that words[index] is part of starts: "van der" of "Dr. van der Berg" too."""
    start = words[index].start()
    for match in reversed(words[:index]):
        if match.group(0).lower() not in _PARTICLES or text[match.end() : start].strip():
            break
        start = match.start()
    return start


def extended(text: str, words: list[re.Match[str]], index: int) -> int:
    """The end of the name that starts with words[index]: its surname, initials and particles too."""
    end = at = bare(words[index])[1]
    for match in words[index + 1 :]:
        if not re.fullmatch(r"\s*(?:[A-Z]\.\s*)*", text[at : match.start()]):
            break
        word, at = bare(match)
        if word.lower() in _PARTICLES:
            continue
        if not (stranger(word) or first_or_surname(word)):
            break
        end = at
    return end


def title_case(text: str, words: Iterable[re.Match[str]]) -> bool:
    """Most words capitalised (or in capitals): the capitals say nothing about names."""
    letters = [m.group(0) for m in words if len(m.group(0)) > 1]
    return len(letters) >= 3 and sum(w[0].isupper() for w in letters) >= 0.6 * len(letters)


def names_given(text: str) -> set[str]:
    """The names in the text, to be looked for in the conversation's other messages (in any case)."""
    return {text[start:end] for start, end in name_spans(text)}
