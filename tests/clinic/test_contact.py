"""The booking details a patient types: can staff really reach them?

Read each row as: "the patient types <text>" -> "staff get <normalised contact>" (or None: ask again).
"""

from __future__ import annotations

import pytest

from clinic.contact import MAX_NAME, MAX_PREFERENCE, Contact, clean_name, clean_preference, parse_contact

NORMALISED = "(512) 555-0134"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("512-555-0134", Contact("phone", NORMALISED), id="dashes"),
        pytest.param("(512) 555 0134", Contact("phone", NORMALISED), id="brackets and spaces"),
        pytest.param("+1 512 555 0134", Contact("phone", NORMALISED), id="+1 country code"),
        pytest.param("1-512-555-0134", Contact("phone", NORMALISED), id="leading 1"),
        pytest.param("512.555.0134", Contact("phone", NORMALISED), id="dots"),
        pytest.param("call me on 5125550134", Contact("phone", NORMALISED), id="in a sentence, no separators"),
        pytest.param("my number is 512-555-0134 after 5pm", Contact("phone", NORMALISED), id="in a longer sentence"),
        pytest.param("555-0134", None, id="7 digits, no area code -> None"),
        pytest.param("123", None, id="123 -> None"),
        pytest.param("012-345-6789", None, id="area code starting with 0 -> None"),
        pytest.param("512-155-0134", None, id="exchange starting with 1 -> None"),
        pytest.param("512-555-01345", None, id="11 digits not starting with 1 -> None"),
        pytest.param("+44 20 7946 0958", Contact("phone", "+44 20 7946 0958"), id="abroad, with country code -> kept"),
        pytest.param("+33 6 12 34 56 78", Contact("phone", "+33 6 12 34 56 78"), id="a French mobile -> kept"),
        pytest.param("0207 946 0958", None, id="abroad, without country code: not dialable from here -> None"),
        pytest.param("+44 7700 900123", None, id="a number no operator is given (UK drama range) -> None"),
        pytest.param("five one two five five five", None, id="letters -> None"),
        pytest.param("abc-def-ghij", None, id="letter placeholders -> None"),
        pytest.param("", None, id="empty -> None"),
    ],
)
def test_phone_numbers(text: str, expected: Contact | None) -> None:
    assert parse_contact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("bob@example.com", Contact("email", "bob@example.com"), id="plain"),
        pytest.param("Bob.Smith@Example.COM", Contact("email", "bob.smith@example.com"), id="uppercase -> lowercased"),
        pytest.param(
            "email me at sara+clinic@mail.co.uk please", Contact("email", "sara+clinic@mail.co.uk"), id="in a sentence"
        ),
        pytest.param("bob@", None, id="bob@ -> None"),
        pytest.param("a@b", None, id="a@b (no domain ending) -> None"),
        pytest.param("@example.com", None, id="no local part -> None"),
        pytest.param("bob at example dot com", None, id="spelled out -> None"),
    ],
)
def test_email_addresses(text: str, expected: Contact | None) -> None:
    assert parse_contact(text) == expected


def test_email_is_preferred_when_both_are_given() -> None:
    assert parse_contact("512-555-0134 or bob@example.com") == Contact("email", "bob@example.com")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("my name is Sara Lopez", "Sara Lopez", id="'my name is' removed"),
        pytest.param("I'm Sara.", "Sara", id="'I'm' and full stop removed"),
        pytest.param("hi, my name's Tom", "Tom", id="'hi, my name's' removed"),
        pytest.param("  José Núñez  ", "José Núñez", id="accents kept, spaces trimmed"),
        pytest.param("Sara Lopez", "Sara Lopez", id="bare name kept"),
        pytest.param("123", None, id="digits only -> None"),
        pytest.param("", None, id="empty -> None"),
        pytest.param("   ", None, id="blank -> None"),
        pytest.param(
            "my name is",
            None,
            id="prefix only -> None",
        ),
        pytest.param("a" * 200, None, id="200 chars -> None"),
        pytest.param("a" * MAX_NAME, "a" * MAX_NAME, id="exactly the limit -> kept"),
        pytest.param("Mary-Jane O'Brien", "Mary-Jane O'Brien", id="hyphen and apostrophe kept"),
        pytest.param("Siobhán O’Neill", "Siobhán O’Neill", id="curly apostrophe kept"),
        pytest.param("Dr. J. R. Smith", "Dr. J. R. Smith", id="dots kept"),
        pytest.param("Jose\u0301 Nu\u0301n\u0303ez", "José Núñez", id="accents typed apart -> composed"),
        pytest.param("李小龍", "李小龍", id="other scripts kept"),
        pytest.param('=HYPERLINK("http://x.example","click")', None, id="spreadsheet formula -> None"),
        pytest.param("=cmd|' /C calc'!A0", None, id="DDE formula -> None"),
        pytest.param("+Sara", None, id="leading plus -> None"),
        pytest.param("@Sara", None, id="leading at -> None"),
        pytest.param("<b>Sara</b>", None, id="markup -> None"),
        pytest.param("Sara Lopez 2", None, id="digit -> None"),
        pytest.param("Sara_Lopez", None, id="underscore -> None"),
        pytest.param("'-.", None, id="no letter -> None"),
    ],
)
def test_clean_name(text: str, expected: str | None) -> None:
    assert clean_name(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("tuesday morning", "tuesday morning", id="kept"),
        pytest.param("  any  weekday\nafter 3pm  ", "any weekday after 3pm", id="spaces folded"),
        pytest.param("", None, id="empty -> None"),
        pytest.param(" \n\t ", None, id="blank -> None"),
        pytest.param("x" * MAX_PREFERENCE, "x" * MAX_PREFERENCE, id="exactly the limit -> kept"),
        pytest.param("x" * (MAX_PREFERENCE + 1), None, id="too long -> None"),
    ],
)
def test_clean_preference(text: str, expected: str | None) -> None:
    assert clean_preference(text) == expected
