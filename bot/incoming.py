"""What the assistant accepts as a patient's message, whichever way it comes (the web proxy or Rasa's port).

Text from outside is cleaned before anything reads or stores it, because what it stores is read again
by the NLU, the staff console and its CSV exports:
- control characters (C0 but tab and newline, DEL, C1) become a space: a NUL breaks Python's csv writer
  and ends SQLite's view of a string, so words after it could not be searched; a space keeps words apart;
- lone surrogates (JSON allows "\\ud800") become U+FFFD: they can't be encoded as UTF-8, and spaCy,
  the database and every page would fail on them;
- bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069, the "Trojan Source" characters)
  are removed: they only reorder how text is drawn, so a message could show staff something other than what
  it says. Arabic or Hebrew needs none of them (the Unicode bidi algorithm orders them by itself); the
  left-to-right and right-to-left marks (U+200E, U+200F, U+061C), which only nudge it, are kept, as are
  zero-width joiners (emoji sequences, Persian).

A patient's message is then normalised (`normalise`), so that the NLU and the red-flag screen read the
words as the patient sees them on the screen, whatever code points spell them: "chest" typed with a
Cyrillic "е", in full-width letters or with a zero-width space inside is "chest". What is stored, shown to
staff, searched and exported is this normalised text too: the transcript holds the words the assistant
answered, a staff search for "chest" finds them, and corrections export what the model reads. Only the
code points of look-alike letters, invisible characters and spacing are lost, none of which the patient saw.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

from confusable_homoglyphs import categories, confusables

# The longest message either door forwards: a longer one costs Rasa seconds and a lot of memory.
MAX_MESSAGE_CHARS = 2000

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Characters that draw nothing wherever they are: the soft hyphen, the combining grapheme joiner, Hangul
# and Khmer fillers, the Mongolian vowel separator, the zero-width space, the word joiner and invisible
# operators, deprecated format characters, the zero-width no-break space (BOM), shorthand format controls.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u200b\u2060-\u2064\u206a-\u206f\u3164\ufeff\uffa0"
    "\U0001bca0-\U0001bca3]"
)
# Characters that draw nothing but have a job in some scripts or in emoji (joiners, direction marks,
# variation selectors): removed only between two Latin letters, where they have none.
_JOINERS = re.compile("[\u200c-\u200f\u061c\ufe00-\ufe0f]+")
_WORD = re.compile(r"\S+")
_SPACES = re.compile(r"[^\S\n]+")
_LINE_BREAKS = re.compile("[\u2028\u2029]")
_BLANK_LINES = re.compile(r" ?\n ?(?:\n ?)*")


class BadMessage(Exception):
    """A request the assistant won't take, with the HTTP status and a reason in plain words."""

    def __init__(self, problem: str, status: int = 400) -> None:
        super().__init__(problem)
        self.problem = problem
        self.status = status


def clean_text(text: str) -> str:
    """The text safe to process, store, search, show and export (see the module's docstring)."""
    # UTF-16 round trip: a proper surrogate pair becomes its character, a lone surrogate U+FFFD.
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return _BIDI_CONTROL.sub("", _CONTROL.sub(" ", text))


@cache
def latin_look_alikes() -> dict[str, str]:
    """Each letter of another script that Unicode's confusables table says looks like a Latin letter, and
    that letter: Cyrillic "е" is "e", Greek "ο" is "o", Cherokee "Ꭺ" is "A"."""
    found = {}
    for char, glyphs in confusables.confusables_data.items():
        if len(char) != 1 or not char.isalpha() or categories.alias(char) == "LATIN":
            continue
        latin = next((g["c"] for g in glyphs if len(g["c"]) == 1 and g["c"].isascii() and g["c"].isalpha()), None)
        if latin:
            # The table gives "I" and "l" one prototype, "l"; a capital that looks like one is an "I".
            found[char] = "I" if char.isupper() and latin == "l" else latin
    return found


def _is_latin(char: str) -> bool:
    return char.isalpha() and categories.alias(char) == "LATIN"


def _kind(word: str) -> tuple[str, int]:
    """("latin" | "look-alike" | "other" | "", letters) of a word: Latin letters among look-alikes of them,
    nothing but look-alikes, a letter of another script that looks like no Latin one, or no letter at all."""
    letters = [c for c in word if c.isalpha()]
    if any(c not in latin_look_alikes() and not _is_latin(c) for c in letters):
        return "other", len(letters)
    if any(_is_latin(c) for c in letters):
        return "latin", len(letters)
    return ("look-alike" if letters else ""), len(letters)


def fold_look_alikes(text: str) -> str:
    """Look-alike letters of other scripts made Latin, in words that are Latin otherwise.

    A word is folded when its other letters are Latin and either outnumber the look-alikes ("chеst") or
    the message is written in Latin letters (its Latin words hold more letters than words of other
    scripts): then "сһеѕt" and a word of look-alikes alone are read in Latin too. A message in Russian or
    Greek keeps every word as typed, look-alike letters and all. Folding twice changes nothing.
    """
    words = [(m, *_kind(m.group())) for m in _WORD.finditer(text)]
    latin_letters = sum(n for _m, kind, n in words if kind == "latin")
    in_latin = latin_letters > sum(n for _m, kind, n in words if kind == "other")
    pieces, end = [], 0
    for match, kind, _n in words:
        word = match.group()
        if kind == "latin" and not in_latin:
            look_alikes = sum(c in latin_look_alikes() for c in word)
            fold = sum(_is_latin(c) for c in word) > look_alikes
        else:
            fold = in_latin and kind in ("latin", "look-alike")
        if fold:
            pieces += [text[end : match.start()], "".join(latin_look_alikes().get(c, c) for c in word)]
            end = match.end()
    return "".join([*pieces, text[end:]])


def _drop_joiners_in_latin_words(text: str) -> str:
    def between_latin(found: re.Match[str]) -> str:
        before, after = text[found.start() - 1 : found.start()], text[found.end() : found.end() + 1]
        return "" if before and after and _is_latin(before) and _is_latin(after) else found.group()

    return _JOINERS.sub(between_latin, text)


def normalise(text: str) -> str:
    """The message as the patient sees it, spelled in the code points its words are written in.

    Unicode NFKC (full-width and mathematical letters, ligatures, odd spaces), invisible characters
    removed, look-alike letters of other scripts folded to Latin in Latin words (`fold_look_alikes`),
    runs of spaces and tabs one space, blank lines one line break, no space at either end.
    """
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    text = unicodedata.normalize("NFKC", _drop_joiners_in_latin_words(fold_look_alikes(text)))
    text = _SPACES.sub(" ", _LINE_BREAKS.sub("\n", text))
    return _BLANK_LINES.sub("\n", text).strip()


def message_from(value: Any, max_chars: int) -> str:
    """The cleaned, normalised message of a request's "message" field; BadMessage when it isn't a usable one."""
    if not isinstance(value, str):
        raise BadMessage("Type a message first.")
    if len(value) > max_chars:
        raise BadMessage(
            f"That message is {len(value):,} characters long; please keep it under {max_chars:,}.", status=413
        )
    message = normalise(clean_text(value))
    if not message:
        raise BadMessage("Type a message first.")
    if len(message) > max_chars:  # NFKC spells some characters out: "ﷺ" is 18 letters
        raise BadMessage(
            f"That message is {len(message):,} characters long with its special characters written out;"
            f" please keep it under {max_chars:,}.",
            status=413,
        )
    return message
