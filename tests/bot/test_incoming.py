"""What either door (web proxy, Rasa's port) makes of a patient's message before anything reads or stores it."""

from __future__ import annotations

import csv
import io

import pytest

from bot.incoming import BadMessage, clean_text, message_from


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
    assert message_from("é" * 1999 + "\x00", 2000) == "é" * 1999 + " "
