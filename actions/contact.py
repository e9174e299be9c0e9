"""Checks the booking details a patient types, so staff can really reach them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.privacy.contacts import dialable_numbers, email_spans, formatted

# How patients introduce themselves (also where bot/privacy/names.py looks for names in any message).
INTRODUCTION = r"(?:my name is|my name's|name is|name's|i am|i'm|im|it's|its|this is|call me)"
_NAME_PREFIX = re.compile(rf"^(?:hi,? )?{INTRODUCTION}(?:\s+|$)", re.I)
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


def parse_contact(text: str) -> Contact | None:
    """The first email address in the text, else its first phone number staff can dial."""
    emails = email_spans(text)
    if emails:
        start, end = emails[0]
        return Contact("email", text[start:end].lower())
    numbers = dialable_numbers(text)
    return Contact("phone", formatted(numbers[0].number)) if numbers else None


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
