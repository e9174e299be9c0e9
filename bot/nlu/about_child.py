"""Whether a message is about a child: the assistant is for adults (docs/design.md), so the screen says so.

A child is the patient when the writer names one ("my son", "our 9 yo", "my 12 year old") and then says
something of them ("my son has...", "my daughter's back", "my 9 yo is wheezing"; not "I caught my
son's cold"), gives their age
("my son, 9,") or asks for them ("asking for my son"). A child only mentioned ("I carry my toddler all
day") is not the patient, and an age of 18 or more is an adult's ("my 25 year old son", "I'm a 45 year
old"). The words are in terms/context.yml (`child`); the text is the screen's normalised text.
"""

from __future__ import annotations

import re
from typing import Any

ADULT_AGE = 18
_AGE = r"(?P<age>\d{1,2}) ?-?(?:(?:years?|yrs?) ?-?old|yo|y/o|(?P<young>(?:months?|weeks?|days?) ?-?old))"


def _either(phrases: list[str]) -> str:
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


class ChildMentions:
    """The child-patient test, compiled from the word lists."""

    def __init__(self, spec: dict[str, Any]) -> None:
        who, says = _either(spec["who"]), _either(spec["says"])
        self.mention = re.compile(
            rf"(?P<asking>(?:{_either(spec['asking'])}) )?\b(?:my|our) "
            rf"(?:{_AGE}(?: (?:{who}))?|(?:{who}))\b"
            rf"(?P<given>(?:,? ?\(|, |,? (?:aged|age|who is|is) )(?P<given_age>\d{{1,2}})\b)?"
            rf"(?P<says>(?:'s(?! (?:{_either(spec['caught'])})\b)|s'| (?:{says}))\b)?"
        )
        self.baby = re.compile(r"\b(?:baby|little one)\b")
        self.pregnancy = re.compile(rf"\b(?:{_either(spec['pregnancy'])})\b")

    def about_child(self, text: str) -> bool:
        """Whether the (normalised) message is written for a child patient."""
        pregnant = bool(self.pregnancy.search(text))
        for match in self.mention.finditer(text):
            if not (match["asking"] or match["given"] or match["says"]):
                continue
            if pregnant and self.baby.search(match[0]):
                continue
            age = match["given_age"] or match["age"]
            if match["young"] or age is None or int(age) < ADULT_AGE:
                return True
        return False
