"""Phone numbers in a patient's words, for de-identification.

`phonenumbers` (Google's libphonenumber metadata) reads any digit run that could be a number in one of the
regions patients write from; the booking form (clinic/contact.py) takes fewer, only those staff can dial.
A number that leaves the clinic is worse than a digit run too many replaced.
"""

from __future__ import annotations

import re

from phonenumbers import Leniency, PhoneNumberMatcher

from bot.privacy.patterns import SSN, YEAR_RANGE

# How patients write numbers without a country code: the clinic's own, then the national formats of the
# English-speaking countries and of the languages most spoken beside English (a number written with +country
# code is read in any region). Each adds its trunk prefixes and lengths (0207 946 0958, 0412 345 678).
PATIENT_REGIONS = ("US", "GB", "IE", "AU", "NZ", "IN", "MX", "DE", "FR", "PH")
# Shorter digit runs are years, doses and counts ("since 2019", "10000 steps"); a local number has 7.
MIN_DIGITS = 7


def possible_numbers(text: str) -> list[tuple[int, int]]:
    """Every digit run that could be a phone number in one of the patients' regions (overlapping finds included)."""
    found = []
    for region in PATIENT_REGIONS:
        for match in PhoneNumberMatcher(text, region, leniency=Leniency.POSSIBLE):
            digits = re.sub(r"\D", "", match.raw_string)
            raw = match.raw_string.strip()
            if len(digits) >= MIN_DIGITS and not YEAR_RANGE.fullmatch(raw) and not SSN.fullmatch(raw):
                # "(07700 900222)": the bracket before it is the sentence's, not the number's
                opened = raw.startswith("(") and ")" not in raw
                found.append((match.start + opened, match.end))
    return found
