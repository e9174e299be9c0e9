"""Log records lose exception messages and warning text, keep what an operator needs to find the fault."""

from __future__ import annotations

import logging
import sys

import pytest

from bot.server.logs import redact

PHRASE = "Quillonmarsh"


def record(name: str, msg: str, args: tuple[object, ...] = (), exc_info: object = None) -> logging.LogRecord:
    return logging.LogRecord(name, logging.ERROR, __file__, 1, msg, args, exc_info)  # type: ignore[arg-type]


def test_an_exception_keeps_its_types_and_frames_but_not_its_messages() -> None:
    try:
        try:
            raise ValueError(f"patient said {PHRASE}")
        except ValueError as inner:
            raise RuntimeError(f"[parameters: ('{PHRASE}',)]") from inner
    except RuntimeError:
        logged = redact(
            record("actions.booking_form", "Could not store the booking request of %s", ("abc",), sys.exc_info())
        )
    text = logging.Formatter().format(logged)
    assert PHRASE not in text
    assert "Could not store the booking request of abc" in text
    assert "builtins.ValueError (message withheld)" in text and "builtins.RuntimeError (message withheld)" in text
    assert "test_logs.py" in text  # where it happened


def test_a_python_warning_keeps_where_and_what_kind_but_not_its_text() -> None:
    formatted = f"/x/rasa/core/processor.py:630: UserWarning: Invalid entity specification: {PHRASE}\n"
    logged = redact(record("py.warnings", "%s", (formatted,)))
    assert logged.getMessage() == "/x/rasa/core/processor.py:630: UserWarning (the warning's text is withheld)"


def test_other_records_are_left_alone() -> None:
    assert (
        redact(record("rasa.core.run", "Rasa server is up on %s", ("5005",))).getMessage()
        == "Rasa server is up on 5005"
    )


def test_the_operating_systems_errors_keep_their_reason() -> None:
    try:
        raise OSError(98, "address already in use")
    except OSError:
        logged = redact(record("sanic.error", "Unable to start", (), sys.exc_info()))
    assert "builtins.OSError: [Errno 98] address already in use" in logging.Formatter().format(logged)


@pytest.mark.parametrize(
    ("msg", "args", "logged"),
    [
        (  # sanic's log of a request whose handling failed: the console's search holds a patient's name
            "Exception occurred while handling uri: %s",
            (f"'http://127.0.0.1:8001/conversations?q={PHRASE}&page=2'",),
            "Exception occurred while handling uri: 'http://127.0.0.1:8001/conversations'",
        ),
        (
            "Handler %s failed for uri: %s",
            ("failed", f"'http://h/x#{PHRASE}'"),
            "Handler failed failed for uri: 'http://h/x'",
        ),
        ("Calling %s", (f"http://127.0.0.1:5055/webhook?name={PHRASE}",), "Calling http://127.0.0.1:5055/webhook"),
        ("Refused %s from %s", ("a?b", 3), "Refused a?b from 3"),  # no URL: left alone
    ],
)
def test_urls_lose_their_query(msg: str, args: tuple[object, ...], logged: str) -> None:
    assert redact(record("sanic.error", msg, args)).getMessage() == logged


def test_an_exception_logged_as_the_message_is_named_not_quoted() -> None:
    logged = redact(record("sanic.error", ValueError(f"no row for {PHRASE}")))  # type: ignore[arg-type]
    assert logged.getMessage() == "builtins.ValueError (message withheld)"
