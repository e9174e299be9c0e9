"""Mistyped and disguised red-flag words are read as the words they are; no other word is changed.

Read each row as: the screen reads "<typed>" (lower case, as the matcher folds it) as "<read>".
The respeller is the screen's own, built from its terms (bot/nlu/terms/*.yml).
"""

from __future__ import annotations

import pytest

from bot.nlu.red_flag_matcher import matcher
from bot.nlu.spelling import one_edit, term_words


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        # one edit from a key word of five letters or more
        ("chset pain", "chest pain"),  # two letters swapped
        ("cehst pain", "chest pain"),
        ("i cant brethe", "i cant breathe"),  # a letter dropped
        ("coughing up bloood", "coughing up blood"),  # a letter added
        ("feaver and chills", "fever and chills"),
        ("my lipps are blue", "my lips are blue"),  # a key word's form ("lips" of "lip")
        ("predisone every day", "prednisone every day"),
        # leetspeak
        ("ch3st pain", "chest pain"),
        ("coughing up bl00d", "coughing up blood"),
        ("my l1ps are blu3", "my lips are blue"),
        ("f3v3r", "fever"),
        ("p@in in my ch3$t", "pain in my chest"),
        # letters spaced out
        ("c h e s t pain", "chest pain"),
        ("my l i p s are b l u e", "my lips are blue"),
        ("c-h-e-s-t p.a.i.n", "chest pain"),
        ("a c h e s t pain", "a chest pain"),  # the single letters around the word stay
        ("c h 3 s t pain.", "chest pain."),
    ],
)
def test_mistyped_and_disguised_key_words_are_read_as_themselves(typed: str, read: str) -> None:
    assert matcher().readable(typed) == read


@pytest.mark.parametrize(
    "typed",
    [
        # common English words one edit from a key word ("best", "chess" from "chest"; "hips" from "lips")
        "the best pain relief",
        "i play chess",
        "my hips hurt",
        "my lisp",
        "a chesty cough",
        "the gable end of the house",  # a dictionary word, however rare in text
        "my parents arent worried",  # a contraction without its apostrophe is no typo of "parent"
        "it shouldn't hurt",  # nor is "shouldn" of "should"
        # short words: too often another word, a name or an abbreviation
        "chst",
        "i was with chet",
        "fevr",
        # digits and single letters that spell no key word
        "l4 l5 disc",
        "vitamin b12",
        "4am and 10lb",
        "u s a",
        "e.g. a.m.",
        "b4 i go",
        # words in other languages and scripts
        "me duele la espalda",
        "у меня болит спина",
    ],
)
def test_other_words_are_left_as_typed(typed: str) -> None:
    assert matcher().readable(typed) == typed


def test_the_key_words_come_from_the_terms_without_their_regexes_and_macro_names() -> None:
    assert term_words(["$CHEST {pain|pains} * {in|on}", "{loads of|/\\d+/} {puff|puffs}", "=Legs"]) == {
        "legs",
        "pain",
        "pains",
        "in",
        "on",
        "loads",
        "of",
        "puff",
        "puffs",
    }


def test_one_edit_covers_a_drop_a_swap_a_change_and_an_addition() -> None:
    near = set(one_edit("chest"))
    assert {"chst", "hcest", "chess", "chesst"} <= near
    assert "hcset" not in near  # two swaps away
