"""Street addresses, post boxes, US ZIP codes and UK postcodes in a patient's words.

`usaddress` (a conditional random field trained on US addresses) labels the words from a house number on:
street, apartment, city, state, ZIP, or not an address. A number only starts an address when a street word
follows it ("42 Elm Street", "17 Kings Road"); the CRF then says where the address ends ("..., Springfield,
IL 62704 and my back hurts"). Its own street-word list is too broad for chat ("5 day course", "7 mile run",
"4 of 6. is"), so a street word here is one of the common ones below that it also knows, or a UK one.
"""

from __future__ import annotations

import re
from functools import cache

import usaddress

_UK_STREET_WORDS = frozenset({"close", "gardens", "mews", "row", "terrace", "walk", "green"})
_COMMON_STREET_WORDS = frozenset(
    {"street", "st", "road", "rd", "avenue", "ave", "av", "boulevard", "blvd", "lane", "ln", "drive", "dr", "court"}
    | {"ct", "place", "pl", "crescent", "cres", "way", "circle", "cir", "parkway", "pkwy", "highway", "hwy"}
    | {"square", "sq", "trail", "trl", "grove", "alley", "plaza", "plz", "pike", "loop", "ter", "expressway"}
)
# Words that follow a number as a count, never as a street's name ("11 hour drive", "3 mile walk").
_COUNTED = frozenset(
    "minute minutes min mins hour hours hr hrs day days week weeks month months year years yr yrs mile miles km "
    "metre metres meter meters foot feet lb lbs pound pounds kg mg mcg ml puff puffs time times step steps of and "
    "the a to in on at is was my or for".split()
)
_STREET_TAIL = frozenset(
    {"StreetNamePostDirectional", "OccupancyType", "OccupancyIdentifier", "SubaddressType", "SubaddressIdentifier"}
    | {"PlaceName", "StateName", "ZipCode", "AddressNumberSuffix"}
)
# Where an address may end: after these, or a capitalised place name; never on a lowercase word it guessed.
_ENDS = frozenset({"StreetNamePostDirectional", "OccupancyIdentifier", "SubaddressIdentifier", "StateName", "ZipCode"})
_HOUSE = re.compile(r"(?<![\w/.-])\d{1,6}[A-Za-z]?(?![\w/.-]|\.\d)")
_OCCUPANCY_BEFORE = re.compile(
    r"\b(?:apt|apartment|flat|unit|suite|ste)\.?\s*#?\s*\w{1,5},?\s*$|#\s*\w{1,5},?\s*$", re.I
)
_NAMED_STREET = re.compile(
    r"\b(?:\d{1,5}[A-Za-z]?\s)?(?:[A-Z][a-z]+\s){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|Lane|Drive|Court|Place|Crescent|Way"
    r"|Terrace|Close|Gardens|Mews|Square|Parkway|Highway)\b\.?"
)
_PO_BOX = re.compile(r"\b(?:p\.?\s?o\.?\s?box|post office box)\s*#?\s*\d+", re.I)
_UK_POSTCODE = re.compile(r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b", re.I)
_US_STATES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK "
    "OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR"
).split()
_STATE = rf"(?:{'|'.join(_US_STATES)}|Texas|California|New York|Florida|Illinois|Colorado|Oklahoma|Louisiana)"
_PLACE = r"(?:[A-Z][a-z]+\s){0,2}[A-Z][a-z]+"  # a capitalised place name: "Round Rock", "Dripping Springs"
# A place, a state and a ZIP code ("Round Rock TX 78664", "Austin, Texas 78704"), a state in any case and a ZIP,
# a place before a UK postcode (a ZIP code named as one: the code alone).
_ZIP = r"\d{5}(?:-\d{4})?\b"
_NAMED_ZIP = re.compile(rf"\b(?:zip|zipcode|zip code)\s*(?:is|:)?\s*({_ZIP})", re.I)  # the code alone is replaced
_PLACE_CODES = [
    re.compile(rf"\b(?:{_PLACE},?\s+)?{_STATE}\.?,?\s+{_ZIP}"),
    re.compile(rf"\b{_STATE}\.?,?\s+{_ZIP}", re.I),
    re.compile(rf"\b{_PLACE},?\s+{_UK_POSTCODE.pattern}"),
]


@cache
def street_words() -> frozenset[str]:
    """The street words an address may have: the common ones usaddress knows, and UK ones it does not."""
    return frozenset(w for w in _COMMON_STREET_WORDS if w in usaddress.STREET_NAMES) | _UK_STREET_WORDS


def labelled(text: str, start: int) -> list[tuple[int, int, str, str]]:
    """(start, end, word, label) of the first words from `start` on, as usaddress reads them."""
    found, at = [], start
    for token, label in usaddress.parse(text[start : start + 200])[:16]:
        at = text.find(token, at)
        found.append((at, at + len(token), token.rstrip(".,;)\n").lower(), label))
        at += len(token)
    return found


def street_from(text: str, start: int) -> int | None:
    """The end of the street address that starts with the house number at `start`, if one does."""
    tokens = labelled(text, start)
    words = [word for _s, _e, word, _label in tokens]
    # The number, one to four words of a street's name, a street word.
    street_at = next((i for i in range(2, min(6, len(words))) if words[i] in street_words()), None)
    if street_at is None or any(w in _COUNTED or not w.isalnum() for w in words[1:street_at]):
        return None
    if tokens[0][3] != "AddressNumber" or tokens[street_at][3] != "StreetNamePostType":
        return None
    end = tokens[street_at][1]
    for token_start, token_end, _word, label in tokens[street_at + 1 :]:
        if label not in _STREET_TAIL:
            break
        if label in _ENDS or (label == "PlaceName" and text[token_start].isupper()):
            end = token_end
    return end


def address_spans(text: str) -> list[tuple[int, int]]:
    """Street addresses (with an apartment written before them), post boxes, ZIP codes and UK postcodes."""
    found = []
    for match in _HOUSE.finditer(text):
        end = street_from(text, match.start())
        if end is not None:
            before = _OCCUPANCY_BEFORE.search(text[: match.start()])
            found.append((before.start() if before else match.start(), end))
    for pattern in (_NAMED_STREET, _PO_BOX, _UK_POSTCODE, *_PLACE_CODES):
        found += [m.span() for m in pattern.finditer(text)]
    found += [m.span(1) for m in _NAMED_ZIP.finditer(text)]
    return found
