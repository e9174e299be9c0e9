"""Checks the booking details a patient types, so staff can really reach them.

Phone numbers are read by `phonenumbers` (Google's libphonenumber metadata for every region): the form takes
a number staff can dial from the clinic, valid as dialled from the US or written with +country code. The
de-identification (bot/privacy/) finds emails with the same pattern, and phone numbers more broadly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from phonenumbers import Leniency, PhoneNumber, PhoneNumberFormat, PhoneNumberMatcher, format_number

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
CLINIC_REGION = "US"
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


def email_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in EMAIL.finditer(text)]


def dialable_numbers(text: str) -> list[PhoneNumber]:
    """The phone numbers staff can call: valid, as dialled from the clinic's country or with +country code."""
    return [m.number for m in PhoneNumberMatcher(text, CLINIC_REGION, leniency=Leniency.VALID)]


def formatted(number: PhoneNumber) -> str:
    """(512) 555-0134 for a North American number (+1, as the clinic dials it), +44 20 7946 0958 for any other."""
    home = number.country_code == 1
    return format_number(number, PhoneNumberFormat.NATIONAL if home else PhoneNumberFormat.INTERNATIONAL)


def parse_contact(text: str) -> Contact | None:
    """The first email address in the text, else its first phone number staff can dial."""
    emails = email_spans(text)
    if emails:
        start, end = emails[0]
        return Contact("email", text[start:end].lower())
    numbers = dialable_numbers(text)
    return Contact("phone", formatted(numbers[0])) if numbers else None


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
