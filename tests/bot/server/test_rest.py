"""Rasa's REST channel refuses what the web proxy refuses (the real server is tried in tests/integration)."""

from __future__ import annotations

import json

import pytest

from bot.incoming import BadMessage
from bot.server.rest import checked_request


def body(sender: object = "it-1", message: object = "hi") -> bytes:
    return json.dumps({"sender": sender, "message": message}).encode()


@pytest.mark.parametrize(
    ("sent", "status", "reason"),
    [
        (body(message="x" * 100_000), 413, "too long"),  # refused before it is parsed
        (body(message="\U0001f600" * 2001), 413, "2,001 characters"),
        (body(message="x" * 2001), 413, "2,001 characters"),
        (b"{not json", 400, "Send JSON"),
        (b"\xff\xfe{", 400, "Send JSON"),
        (b"", 400, "Send JSON"),
        (b"[1, 2]", 400, "Send JSON"),
        (b'"hi"', 400, "Send JSON"),
        (body(sender=None), 400, "sender"),
        (body(sender=7), 400, "sender"),
        (body(sender=""), 400, "sender"),
        (body(sender="a" * 256), 400, "sender"),
        (body(sender="a\x00b"), 400, "sender"),
        (body(message=None), 400, "Type a message"),
        (body(message=5), 400, "Type a message"),
        (body(message=["hi"]), 400, "Type a message"),
        (body(message="  "), 400, "Type a message"),
    ],
)
def test_what_the_proxy_would_refuse_is_refused_with_a_reason(sent: bytes, status: int, reason: str) -> None:
    with pytest.raises(BadMessage) as refused:
        checked_request(sent, 2000)
    assert (refused.value.status, reason in refused.value.problem) == (status, True)


def test_the_longest_message_in_the_widest_json_escaping_is_taken_cleaned() -> None:
    # json.dumps escapes every emoji as two \\uXXXX: 12 bytes a character.
    longest = "\U0001f600" * 1999 + "\x00"
    assert checked_request(body(message=longest), 2000)[1] == "\U0001f600" * 1999
    assert checked_request(body(message="hi \ud800"), 2000)[1] == "hi \ufffd"


@pytest.mark.parametrize(
    ("typed", "taken"),
    [
        ("/session_start", "session_start"),
        (" /back", "back"),
        ("/back pain again", "back pain again"),
        ("/backache", "/backache"),  # other slash text is the NLU's to judge (bot/nlu/red_flag_screen.py)
        ("/restart", "/restart"),  # a button's payload: "Start over"
        ("/affirm", "/affirm"),
    ],
)
def test_rasas_silent_session_intents_are_taken_as_words(typed: str, taken: str) -> None:
    assert checked_request(body(message=typed), 2000)[1] == taken
