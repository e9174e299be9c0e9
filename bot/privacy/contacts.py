"""Phone numbers and email addresses in a patient's words.

Phone numbers are found by `phonenumbers` (Google's libphonenumber metadata for every region): the booking
form takes only a number staff can dial from the clinic (valid, read as dialled from the US unless it starts
with +country code); the de-identification takes anything that could be a number in one of the regions
patients write from, because a number that leaves the clinic is worse than a digit run too many replaced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from phonenumbers import Leniency, PhoneNumber, PhoneNumberFormat, PhoneNumberMatcher, format_number

from bot.privacy.patterns import SSN, YEAR_RANGE

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
CLINIC_REGION = "US"
# How patients write numbers without a country code: the clinic's own, then the national formats of the
# English-speaking countries and of the languages most spoken beside English (a number written with +country
# code is read in any region). Each adds its trunk prefixes and lengths (0207 946 0958, 0412 345 678).
PATIENT_REGIONS = ("US", "GB", "IE", "AU", "NZ", "IN", "MX", "DE", "FR", "PH")
# Shorter digit runs are years, doses and counts ("since 2019", "10000 steps"); a local number has 7.
MIN_DIGITS = 7


@dataclass(frozen=True)
class Found:
    """A phone number's place in the text and the number read."""

    start: int
    end: int
    number: PhoneNumber


def dialable_numbers(text: str) -> list[Found]:
    """The phone numbers staff can call: valid, as dialled from the clinic's country or with +country code."""
    return [Found(m.start, m.end, m.number) for m in PhoneNumberMatcher(text, CLINIC_REGION, leniency=Leniency.VALID)]


def possible_numbers(text: str) -> list[Found]:
    """Every digit run that could be a phone number in one of the patients' regions (overlapping finds included)."""
    found = []
    for region in PATIENT_REGIONS:
        for match in PhoneNumberMatcher(text, region, leniency=Leniency.POSSIBLE):
            digits = re.sub(r"\D", "", match.raw_string)
            raw = match.raw_string.strip()
            if len(digits) >= MIN_DIGITS and not YEAR_RANGE.fullmatch(raw) and not SSN.fullmatch(raw):
                # "(07700 900222)": the bracket before it is the sentence's, not the number's
                opened = raw.startswith("(") and ")" not in raw
                found.append(Found(match.start + opened, match.end, match.number))
    return found


def formatted(number: PhoneNumber) -> str:
    """(512) 555-0134 for a North American number (+1, as the clinic dials it), +44 20 7946 0958 for any other."""
    home = number.country_code == 1
    return format_number(number, PhoneNumberFormat.NATIONAL if home else PhoneNumberFormat.INTERNATIONAL)


def email_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in EMAIL.finditer(text)]
