"""Keep patient text out of the servers' logs at every level the clinic runs them at.

Rasa, rasa_sdk and our actions log exceptions whose messages can hold what a patient typed (a failed
SQL insert lists its parameters; an action server's error body is the whole tracker), and Rasa's
warnings quote parsed messages. Every log record is rewritten as it is made: an exception keeps its
types and stack frames (code, not data) but loses its messages (except the operating system's:
a refused connection, a port in use); a Python warning keeps its category
and where it was raised. A URL in a record (sanic logs the one whose handling failed) loses its query
string: the console's searches and filters are patients' names and words. `install` is called by the action server's entry point and, for Rasa, by
`--logging-config-file bot/server/logging.yml`.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

_installed = False


def describe_exception(error: BaseException) -> str:
    """Its stack frames and the chain of exception types, without any message that could quote a patient."""
    lines: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.format_tb(current.__traceback__)).rstrip()
        name = f"{type(current).__module__}.{type(current).__qualname__}"
        # The system's own errors (refused connections, ports in use, missing files) quote no patient.
        said = f": {current}" if isinstance(current, OSError) else " (message withheld)"
        lines.insert(0, f"{frames}\n{name}{said}")
        current = current.__cause__ or current.__context__
    return "Traceback (most recent call last):\n" + "\n  which led to:\n".join(lines)


def without_query(value: object) -> object:
    """A URL (or its repr, as sanic logs it) up to its path; any other value as it is."""
    if not isinstance(value, str) or "://" not in value:
        return value
    quote = value[0] if value[:1] in ("'", '"') else ""
    cut = min((i for i in (value.find("?"), value.find("#")) if i >= 0), default=-1)
    return value if cut < 0 else f"{value[:cut]}{quote}"


def redact(record: logging.LogRecord) -> logging.LogRecord:
    """The record without exception messages, warning text or URLs' queries."""
    exc_info: Any = record.exc_info
    if isinstance(record.msg, BaseException):  # `logger.exception(error)`: the message would be the error's text
        record.msg = f"{type(record.msg).__module__}.{type(record.msg).__qualname__} (message withheld)"
    if isinstance(record.args, tuple):
        record.args = tuple(without_query(arg) for arg in record.args)
    if exc_info and isinstance(exc_info, tuple) and isinstance(exc_info[1], BaseException):
        record.exc_text = describe_exception(exc_info[1])
        record.exc_info = None
    if record.name == "py.warnings":
        # logging.captureWarnings logs "%s" with "path:line: Category: text...": keep the first two.
        where_and_category = ": ".join(str(record.getMessage()).split(": ", 2)[:2])
        record.msg, record.args = "%s (the warning's text is withheld)", (where_and_category,)
    return record


def install() -> logging.Filter:
    """Redact every record made in this process from now on; route Python warnings through logging."""
    global _installed
    if not _installed:
        make_record = logging.getLogRecordFactory()

        def redacted_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
            return redact(make_record(*args, **kwargs))

        logging.setLogRecordFactory(redacted_record)
        logging.captureWarnings(True)
        _installed = True
    return logging.Filter()
