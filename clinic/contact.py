"""Checks the booking details a patient types, so staff can really reach them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PHONE = re.compile(r"\+?[\d(][\d\s().-]{6,}\d")
_NAME_PREFIX = re.compile(
    r"^(?:hi,? )?(?:my name is|my name's|name is|name's|i am|i'm|im|it's|its|this is|call me)(?:\s+|$)", re.I
)
# A name is letters (any script), spaces, hyphens, apostrophes and dots: nothing a spreadsheet runs as a formula
# (=HYPERLINK(...) was taken and repeated to the patient), no markup, no digits.
_NAME = re.compile(r"(?:[^\W\d_]|[ '’.-])+")
_LETTER = re.compile(r"[^\W\d_]")
MAX_NAME = 80
MAX_PREFERENCE = 200


@dataclass(frozen=True)
class Contact:
    """A normalised phone number or email address."""

    kind: str  # "phone" or "email"
    value: str


def contacts_in(text: str) -> list[tuple[int, int, Contact]]:
    """Every email address and US phone number (10 digits, optional +1) in the text, with its span."""
    found = [(m.start(), m.end(), Contact("email", m.group(0).lower())) for m in _EMAIL.finditer(text)]
    for match in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if len(digits) == 11 and digits.startswith("1"):
            digits = digits[1:]
        # NANP: area code and exchange never start with 0 or 1.
        if len(digits) == 10 and digits[0] not in "01" and digits[3] not in "01":
            found.append((match.start(), match.end(), Contact("phone", f"({digits[:3]}) {digits[3:6]}-{digits[6:]}")))
    return found


def parse_contact(text: str) -> Contact | None:
    """The first email address in the text, else its first US phone number."""
    found = [contact for _start, _end, contact in contacts_in(text)]
    return next((c for c in found if c.kind == "email"), found[0] if found else None)


def clean_name(text: str) -> str | None:
    """The name without "my name is" (accents composed: é typed as e + ´ is a letter); None unless a name is left."""
    name = _NAME_PREFIX.sub("", unicodedata.normalize("NFC", text).strip()).strip(" .!,")
    if len(name) > MAX_NAME or not _NAME.fullmatch(name) or not _LETTER.search(name):
        return None
    return name


def clean_preference(text: str) -> str | None:
    """The preferred day/time as typed, trimmed; None when empty or too long to be one."""
    preference = " ".join(text.split())
    if not preference or len(preference) > MAX_PREFERENCE:
        return None
    return preference
