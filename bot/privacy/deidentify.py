"""De-identification of a patient's words before they leave the clinic (learning exports, CSV files).

Every finder of this package runs on the text; overlapping finds are joined into one, which is replaced
by a stand-in of the most specific kind found there. The stand-ins are made-up details of the same kind,
not [PHONE]-style tags: an exported test story replays through the booking form, which asks again for a
name or number it can't read, and Rasa reads "[words](...)" in its training data as an annotation.
Each stand-in is fictional by construction: 555-0100 numbers and example.com are reserved for fiction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.privacy.addresses import address_spans
from bot.privacy.names import name_spans, names_given
from bot.privacy.patterns import age_spans, date_spans, identifier_spans, number_spans, url_spans
from bot.privacy.phones import possible_numbers
from clinic.contact import email_spans

KINDS = ("name", "phone", "email", "url", "date", "age", "address", "id")
STAND_INS = {
    "email": "patient@example.com",
    "url": "https://example.com",
    "date": "01/01/2000",
    "age": "90+",  # Safe Harbor's own category for an age over 89
    "address": "1 Example Street",
    "id": "000-00-0000",
    "phone": "(512) 555-0100",
    "name": "Maria Garcia",
}


@dataclass(frozen=True)
class Detail:
    """A personal detail's place in the text and its kind (one of KINDS)."""

    start: int
    end: int
    kind: str

    @property
    def stand_in(self) -> str:
        return STAND_INS[self.kind]


def finders(names: tuple[str, ...]) -> list[tuple[str, Callable[[str], Iterable[tuple[int, int]]]]]:
    """(kind, finder), the most specific first: where finds overlap, the first kind names the whole."""
    return [
        ("email", email_spans),
        ("url", url_spans),
        ("date", date_spans),
        ("age", age_spans),
        ("address", address_spans),
        ("id", identifier_spans),
        ("phone", possible_numbers),
        ("id", number_spans),
        ("name", name_spans),
        ("name", lambda text: known_name_spans(text, names)),
    ]


def details(text: str, names: Iterable[str] = ()) -> list[Detail]:
    """The personal details in the text, in order and apart; `names` are names given elsewhere in the conversation."""
    spans = [
        (start, end, rank, kind)
        for rank, (kind, finder) in enumerate(finders(tuple(names)))
        for start, end in finder(text)
        if start < end
    ]
    merged: list[tuple[int, int, int, str]] = []
    for start, end, rank, kind in sorted(spans):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), *min(last[2:], (rank, kind)))
        else:
            merged.append((start, end, rank, kind))
    return [Detail(start, end, kind) for start, end, _rank, kind in merged]


def known_name_spans(text: str, names: Iterable[str]) -> list[tuple[int, int]]:
    """Each name given elsewhere, and each word of it, as a whole word in any case."""
    names = [n.strip() for n in names if n.strip()]
    words = set(names) | {w for n in names for w in n.split() if len(w) > 1}
    if not words:
        return []
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return [m.span() for m in re.finditer(rf"(?<!\w)(?:{alternatives})(?!\w)", text, re.IGNORECASE)]


def deidentified(text: str, names: Iterable[str] = ()) -> str:
    """The text with each personal detail replaced by its stand-in."""
    out, at = [], 0
    for detail in details(text, tuple(names)):
        out += [text[at : detail.start], detail.stand_in]
        at = detail.end
    return "".join([*out, text[at:]])


def conversation_names(texts: Iterable[str], given: Iterable[str] = ()) -> set[str]:
    """The names the patient gave (the booking form's, `given`) and those found in any of their messages."""
    return set(given) | {name for text in texts for name in names_given(text)}
