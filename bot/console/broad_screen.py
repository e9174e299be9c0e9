"""A deliberately broad second screen for the review inbox: every red-flag concept word, whatever its context.

The assistant's own screen (bot/nlu/red_flag_matcher.py) weighs each mention's context: a denied,
hypothetical, someone else's or long-past sign, or a word its `except`/`needs` rules rule out, raises
nothing. Staff want to see those messages anyway, because that weighing is where a real red flag
can be missed. So this screen reuses the same concept terms (bot/nlu/terms/red_flags.yml, compiled
once by the same matcher) and keeps every definite or possible term it finds, ignoring context,
exceptions and conditions, but reading mistyped and disguised words as the screen reads them. It only
sorts messages for review; it never answers a patient.
"""

from __future__ import annotations

from functools import lru_cache

from bot.incoming import normalise
from bot.nlu.red_flag_matcher import matcher

# The term tiers that name a sign; `except` and `needs` terms only qualify one.
SIGN_TIERS = frozenset({"definite", "possible"})


@lru_cache(maxsize=4096)
def red_flag_words(text: str) -> tuple[str, ...]:
    """The red flags whose concept words the text contains, in the order of the project's flag list."""
    screen = matcher()
    # Normalised as the doors normalise messages now: one stored before then may hold look-alike letters.
    doc = screen.nlp(screen.readable(normalise(text)))
    found = set()
    for match_id, _start, _end in screen.matcher(doc):
        flag, tier = screen.nlp.vocab.strings[match_id].split("|")
        if tier in SIGN_TIERS:
            found.add(flag)
    return tuple(flag for flag in screen.otherwise if flag in found)
