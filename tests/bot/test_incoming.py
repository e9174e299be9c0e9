"""What either door (web proxy, Rasa's port) makes of a patient's message before anything reads or stores it."""

from __future__ import annotations

import csv
import io

import pytest

from bot.incoming import BadMessage, clean_text, fold_look_alikes, message_from, normalise


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("my back hurts", "my back hurts"),
        ("line one\nline two\twith a tab", "line one\nline two\twith a tab"),
        ("hi\x00 there", "hi  there"),
        ("ache\x00between", "ache between"),  # a word after a NUL stays a word of its own
        ("bell\x07 escape\x1b[31m del\x7f c1\x85", "bell  escape [31m del  c1 "),
        ("\r\n", " \n"),
        ("lone \ud800 surrogate \udfff", "lone \ufffd surrogate \ufffd"),
        ("pair \ud83d\ude00 joined", "pair \U0001f600 joined"),
        ("\u202eevil\u202c text \u2066iso\u2069", "evil text iso"),
        ("مرحبا ظهري يؤلمني", "مرحبا ظهري يؤلمني"),  # Arabic needs no bidi controls
        ("שלום \u200f mark", "שלום \u200f mark"),  # the right-to-left mark only nudges: kept
        ("👩‍⚕️ family 👨‍👩‍👧 ok", "👩‍⚕️ family 👨‍👩‍👧 ok"),  # zero-width joiners kept
        ("背中が痛い", "背中が痛い"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),  # shown escaped, not rewritten
    ],
)
def test_cleaning_keeps_the_words_and_drops_what_breaks_storage_or_display(sent: str, kept: str) -> None:
    cleaned = clean_text(sent)
    assert cleaned == kept
    cleaned.encode("utf-8")  # storable, showable
    csv.writer(io.StringIO()).writerow([cleaned])  # exportable


@pytest.mark.parametrize(
    ("value", "status", "reason"),
    [
        (None, 400, "Type a message"),
        (42, 400, "Type a message"),
        (["hi"], 400, "Type a message"),
        ("", 400, "Type a message"),
        (" \n\t ", 400, "Type a message"),
        ("\x00\x01\u202e", 400, "Type a message"),  # nothing left once cleaned
        ("x" * 2001, 413, "2,001 characters"),
    ],
)
def test_unusable_messages_are_refused_with_a_reason(value: object, status: int, reason: str) -> None:
    with pytest.raises(BadMessage) as refused:
        message_from(value, 2000)
    assert (refused.value.status, reason in refused.value.problem) == (status, True)


def test_a_message_at_the_limit_is_taken_cleaned() -> None:
    assert message_from("é" * 1999 + "\x00", 2000) == "é" * 1999


# Look-alike letters written as escapes, so that a reader sees which is which.
CYRILLIC_E, CYRILLIC_I, CYRILLIC_O, CYRILLIC_A, CYRILLIC_ER, CYRILLIC_ES = (
    "\u0435",
    "\u0456",
    "\u043e",
    "\u0430",
    "\u0440",
    "\u0441",
)
GREEK_OMICRON = "\u03bf"
RUSSIAN = "у меня болит спина"  # "my back hurts"
GREEK = "πόνος στην πλάτη"


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        # Look-alike letters of other scripts in Latin words (Unicode's confusables table).
        (f"I have ch{CYRILLIC_E}st pain right now", "I have chest pain right now"),
        (f"my l{CYRILLIC_I}ps are blue", "my lips are blue"),
        (f"{CYRILLIC_ES}h{CYRILLIC_E}st {CYRILLIC_ER}{CYRILLIC_A}in", "chest pain"),
        (f"bl{CYRILLIC_O}{CYRILLIC_O}d", "blood"),
        (f"bl{GREEK_OMICRON * 2}d", "blood"),
        ("MY L\u0406PS", "MY LIPS"),  # a capital look-alike of I is an I, not the table's "l"
        # a word of look-alikes alone, in a message written in Latin letters
        (f"my {CYRILLIC_ES}\u04bb{CYRILLIC_E}\u0455 hurts", "my ches hurts"),
        # NFKC: full-width and mathematical letters, ligatures, odd spaces
        ("ｃｈｅｓｔ\u3000ｐａｉｎ", "chest pain"),
        ("𝐜𝐡𝐞𝐬𝐭 pain", "chest pain"),
        ("\ufb01ne", "fine"),
        ("chest\u00a0pain\u2003now", "chest pain now"),
        # invisible characters, wherever they are; joiners and marks only inside Latin words
        ("ch\u200best p\u00adain\u2060 now\ufeff", "chest pain now"),
        ("li\u200dps bl\u200cue br\u200eeathe", "lips blue breathe"),
        ("👩\u200d⚕️ family 👨\u200d👩\u200d👧 ok", "👩\u200d⚕️ family 👨\u200d👩\u200d👧 ok"),
        ("شكر\u200cا שלום \u200f mark", "شكر\u200cا שלום \u200f mark"),
        # spacing
        ("  chest   pain\t\tnow  ", "chest pain now"),
        ("line one \n\n\n  line two\u2028three", "line one\nline two\nthree"),
        # text in another script stays as typed, look-alike letters and all
        (RUSSIAN, RUSSIAN),
        (GREEK, GREEK),
        (
            f"{CYRILLIC_ES}{CYRILLIC_O}{CYRILLIC_ER}",
            f"{CYRILLIC_ES}{CYRILLIC_O}{CYRILLIC_ER}",
        ),  # alone, in no Latin message
        ("背中が痛い", "背中が痛い"),
        ("naïve café señor straße", "naïve café señor straße"),
        ('/describe_pain{"pain_location": "neck"}', '/describe_pain{"pain_location": "neck"}'),
    ],
)
def test_a_message_is_read_as_the_patient_sees_it(typed: str, read: str) -> None:
    assert message_from(typed, 2000) == read
    assert normalise(read) == read  # what one door forwards, the next takes as it is


def test_a_mixed_word_in_a_message_in_another_script_stays_as_typed() -> None:
    # A Russian word typed with one Latin "a" is still Russian: its look-alikes outnumber the Latin letter.
    russian = f"у меня {CYRILLIC_ER}a{CYRILLIC_ES}{CYRILLIC_A}"
    assert fold_look_alikes(russian) == russian


def test_a_message_that_spelled_out_is_too_long_is_refused_with_a_reason() -> None:
    with pytest.raises(BadMessage) as refused:
        message_from("\ufdfa" * 200, 2000)  # one character that NFKC spells as 18
    assert refused.value.status == 413
    assert "3,600 characters long with its special characters written out" in refused.value.problem
