"""Dates, ages over 89, identifiers and web addresses in a patient's words: the HIPAA Safe Harbor identifiers
that have a written shape (45 CFR 164.514(b)(2); Microsoft Presidio's recognisers list the same kinds).

No library finds these in chat text as patients type them: datefinder misses "14th of March" and "on 3 march",
Presidio's date patterns are numeric only and its recognisers need a spaCy model. Each shape here is tested in
tests/bot/privacy/. What stays: years alone, weekdays, months alone, times, doses, counts, pain scores ("7/10"),
percentages, weights and ages up to 89 — what the clinic's exports are for.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import date

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_YEAR = r"(?:(?:18|19|20)\d\d|'\d\d)"
_NUMERIC_DATE = re.compile(r"(?<![\d/.-])(\d{1,4})([/.-])(\d{1,2})\2(\d{2,4})(?![\d/-]|\.\d)")
_WORDY_DATES = [
    # March 14 1968, Mar 14th, March 14, '68, 14-Mar-1968, 14th of March 1968, the 3rd of march, March 1968
    re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s*{_YEAR}\b)?", re.I),
    re.compile(rf"\b{_DAY}(?:\s+of)?[\s-]+{_MONTH}(?:,?[\s-]*{_YEAR}\b)?", re.I),
    re.compile(rf"\b{_MONTH}(?:\s+of)?[\s-]+{_YEAR}\b", re.I),
    re.compile(r"(?<![\d/])(?:0?[1-9]|1[0-2])/(?:18|19|20)\d\d\b"),  # 03/1968
]
# "may" is a month only as "May" or beside a year; "I may 2" is a verb.
_MODAL_MAY = re.compile(r"^may\b", re.I)
OLDEST_AGE = 89  # Safe Harbor: an age over 89 is an identifier ("90 or older" is not)
OLDEST_LIVING = 120  # "im 155" is a weight
_AGE = re.compile(
    r"\b(?:(?:aged?|age of|i'?m|i am|(?:s?he|they)'?s|(?:s?he|who) is|turned|turning)\s+(\d{2,3})\b(?!\s*%)"
    r"|(\d{2,3})\s*(?:years?|yrs?|y)\s*(?:old|/o|o\b)|(\d{2,3})-year-old)",
    re.I,
)
_BORN_IN = re.compile(r"\bborn\s+(?:in\s+)?((?:18|19|20)\d\d)\b", re.I)
# Safe Harbor's numbers and codes, named by the words before them (Presidio's context words): social security,
# insurance, member, record, account, licence, passport, NHS and national insurance numbers, plates.
_ID_WORDS = (
    r"(?:ssn|social security(?: number| no\.?| #)?|(?:member|membership|subscriber|policy|group|insurance|medicare"
    r"|medicaid|patient|record|medical record|account|acct|license|licence|passport|nhs|national insurance|ni"
    r"|mrn|chart|case|claim|plate|registration|reg|id|identification)(?: number| no\.?| #| id| num)?|mrn)"
)
# A code has a digit; groups after it are digits or capitals ("QQ 12 34 56 C", "KX19 ABC").
_CODE = r"(?=[A-Za-z-]*\d|[A-Z]{1,3}\s\d)[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9](?:\s(?:\d{1,4}|[A-Z]{1,3}\b)){0,4}"
_NAMED_ID = re.compile(rf"\b(?i:{_ID_WORDS})\s*(?:is|was|:|#|=)?\s*(?:is\s+)?({_CODE})")
SSN = re.compile(r"(?<![\d-])\d{3}[- ]\d{2}[- ]\d{4}(?![\d-])")
# A long digit run (6 or more, or 8 or more in groups: cards, NHS numbers; "10 000 steps" is a count) or a code
# that mixes letters and digits with 5 digits or more (W123456789) or twice over (1EG4-TE5-MK73, AB123456C);
# not an amount ("250mcg", "50000IU").
# A range of years ("2015-2016", "2019/20") is no number, whatever its length.
YEAR_RANGE = re.compile(r"(?:19|20)\d\d\s*[-–/]\s*(?:(?:19|20)?\d\d)")
_LONG_DIGITS = re.compile(r"(?<![\w.,])(?:\d{6,}|\d{2,6}(?:[ -]\d{2,6}){1,4})(?![\w.,]\d)")
_AMOUNT = re.compile(r"\d+[a-z]{1,4}", re.I)  # 50000IU, 250mcg
_CODE_TOKEN = re.compile(r"(?<![\w-])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*(?![\w-])")
_URL = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"']+"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|edu|gov|io|co|uk|us|info|me|ly|app|health|biz|ca|au)"
    r"\b(?:/[^\s<>\"']*)?",
    re.I,
)
_IP = re.compile(r"(?<![\w.:])(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7})(?![\w.:])", re.I)


def valid_day(day: int, month: int, year: int) -> bool:
    year = year + (1900 if year >= 30 else 2000) if year < 100 else year
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def date_spans(text: str) -> list[tuple[int, int]]:
    """Calendar dates: a day and a month, or a month and a year (14/03/1968, 1961-07-04, March 14 1968, May 2019)."""
    found = []
    for match in _NUMERIC_DATE.finditer(text):
        first, middle, last = match.group(1), int(match.group(3)), match.group(4)
        if len(first) == 4 and len(last) <= 2:  # 1961-07-04
            ok = valid_day(int(last), middle, int(first))
        elif len(first) <= 2 and len(last) in (2, 4):  # 14/03/1968 or 03/14/1968
            ok = valid_day(int(first), middle, int(last)) or valid_day(middle, int(first), int(last))
        else:
            ok = False
        if ok:
            found.append((match.start(), match.end()))
    for pattern in _WORDY_DATES:
        for match in pattern.finditer(text):
            words = match.group(0)
            if _MODAL_MAY.match(words) and not words.startswith("May") and not re.search(r"\d{4}", words):
                continue
            found.append((match.start(), match.end()))
    return found


def age_spans(text: str, this_year: int | None = None) -> list[tuple[int, int]]:
    """Ages over 89, said or implied by a year of birth: the number alone, so "90+ years old" reads on."""
    found = []
    for match in _AGE.finditer(text):
        group = next(g for g in (1, 2, 3) if match.group(g))
        if OLDEST_AGE < int(match.group(group)) <= OLDEST_LIVING:
            found.append((match.start(group), match.end(group)))
    now = this_year or date.today().year
    for match in _BORN_IN.finditer(text):
        if now - int(match.group(1)) > OLDEST_AGE:
            found.append((match.start(1), match.end(1)))
    return found


def is_code(token: str) -> bool:
    """A code, not a dose, a spinal level or a test name: 5 digits or more, or letters and digits mixed twice."""
    if _AMOUNT.fullmatch(token):
        return False
    digits = sum(c.isdigit() for c in token)
    runs = len(re.findall(r"[A-Za-z]+|\d+", token))
    return any(c.isalpha() for c in token) and (digits >= 5 or (digits >= 3 and runs >= 4))


def identifier_spans(text: str) -> list[tuple[int, int]]:
    """Social security numbers, and numbers named by the words before them ("member ID W1234")."""
    found = [(m.start(), m.end()) for m in SSN.finditer(text)]
    return found + [m.span(1) for m in _NAMED_ID.finditer(text)]


def number_spans(text: str) -> list[tuple[int, int]]:
    """Long digit runs and codes that are no phone number: cards, record numbers, plates."""
    found = [
        m.span()
        for m in _LONG_DIGITS.finditer(text)
        if sum(c.isdigit() for c in m.group(0)) >= (6 if m.group(0).isdigit() else 8)
        and not YEAR_RANGE.fullmatch(m.group(0))
    ]
    return found + [(m.start(), m.end()) for m in _CODE_TOKEN.finditer(text) if is_code(m.group(0))]


def url_spans(text: str) -> list[tuple[int, int]]:
    """Web addresses and IP addresses."""
    found = [(m.start(), m.end() - len(m.group(0)) + len(m.group(0).rstrip(".,;:!?)"))) for m in _URL.finditer(text)]
    for match in _IP.finditer(text):
        try:
            ipaddress.ip_address(match.group(0))
        except ValueError:
            continue
        found.append((match.start(), match.end()))
    return found
