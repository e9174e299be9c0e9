"""Bad input on the real servers, through both doors: the widget's proxy (/api/chat) and Rasa's own port.

One stack for the whole table (action server, Rasa, web app, staff console): every input gets a clear
reply or a clear 4xx with a reason, never a 500 and never silence; afterwards every server is healthy
and nothing that was stored breaks a console page or export.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx2
import pytest

from bot.stack import Stack
from tests.bot.console.console_support import PASSWORD
from tools.console_client import log_in

REPLY = 200  # a reply the patient can read: at least one message with text or buttons


def message(text: Any, **extra: Any) -> Callable[[str], bytes]:
    """A well-formed request for the sender, with this message (json.dumps keeps a lone surrogate as \\udXXX)."""
    return lambda sender: json.dumps({"sender": sender, "message": text, **extra}).encode()


def fields(**body: Any) -> Callable[[str], bytes]:
    """A request with exactly these fields (the sender's own is dropped)."""
    return lambda _sender: json.dumps(body).encode()


def raw(body: bytes) -> Callable[[str], bytes]:
    return lambda _sender: body


@dataclass(frozen=True)
class Case:
    name: str
    body: Callable[[str], bytes]
    proxy: int  # the status the proxy answers (REPLY: a reply to read)
    rest: int  # the status Rasa's port answers
    said: str = ""  # words the reply must contain


NESTED = "/describe_pain" + '{"a":' * 300 + "1" + "}" * 300  # 1,815 characters
CASES = [
    Case("empty", message(""), 400, 400),
    Case("whitespace", message("  \n\t  "), 400, 400),
    Case("2,000 characters", message(("my back hurts " * 143)[:2000]), REPLY, REPLY),
    Case("2,001 characters", message("a" * 2001), 413, 413),
    Case("100,000 characters", message("my back hurts " * 7143), 413, 413),
    Case("invalid JSON", raw(b'{"sender": "x", "message": '), 400, 400),
    Case("not UTF-8", raw(b'{"sender": "\xff\xfe", "message": "hi"}'), 400, 400),
    Case("empty body", raw(b""), 400, 400),
    Case("JSON null", raw(b"null"), 400, 400),
    Case("JSON list", raw(b'["my back hurts"]'), 400, 400),
    Case("JSON string", raw(b'"my back hurts"'), 400, 400),
    Case("message a number", message(42), 400, 400),
    Case("message a list", message(["my back hurts"]), 400, 400),
    Case("message null", message(None), 400, 400),
    Case("no message", fields(sender=str(uuid.uuid4())), 400, 400),
    Case("sender a number", fields(sender=12345, message="hi"), 400, 400),
    Case("sender null", fields(sender=None, message="hi"), 400, 400),
    Case("sender a list", fields(sender=["a"], message="hi"), 400, 400),
    Case("NUL", message("my upper back hurts\x00 between my shoulder blades"), REPLY, REPLY),
    Case("only NULs", message("\x00\x00\x00"), 400, 400),
    Case("red flag after a NUL", message("my lips are\x00 turning blue"), REPLY, REPLY, said="911"),
    Case("red flag, Cyrillic look-alike", message("my l\u0456ps are turning blue"), REPLY, REPLY, said="911"),
    Case("red flag, full-width", message("ｍｙ ｌｉｐｓ ａｒｅ ｔｕｒｎｉｎｇ ｂｌｕｅ"), REPLY, REPLY, said="911"),
    Case("red flag, zero-width space", message("my li\u200bps are turning blue"), REPLY, REPLY, said="911"),
    Case("terminal escapes", message("\x1b[2J\x07my back hurts\x7f"), REPLY, REPLY),
    Case("lone surrogate", message("\ud800 my back hurts"), REPLY, REPLY),
    Case("only a lone surrogate", message("\udfff"), REPLY, REPLY),
    Case("RTL override", message("\u202emy back hurts after coughing\u202c"), REPLY, REPLY),
    Case("Arabic", message("ظهري يؤلمني بعد نوبة الربو"), REPLY, REPLY),
    Case("Hebrew with a mark", message("כואב לי הגב \u200f after coughing"), REPLY, REPLY),
    Case("Chinese", message("哮喘发作后我的背很痛"), REPLY, REPLY),
    Case("Spanish", message("me duele la espalda después de toser"), REPLY, REPLY),
    Case("emoji", message("😩 my back 🔥 hurts 👩\u200d⚕️"), REPLY, REPLY),
    Case("only emoji", message("😩😩😩"), REPLY, REPLY),
    Case("HTML script", message('<script>alert("x")</script> my back hurts'), REPLY, REPLY),
    Case("HTML image", message("<img src=x onerror=alert(1)>"), REPLY, REPLY),
    Case("SQL", message("'; DROP TABLE events; --"), REPLY, REPLY),
    Case("spreadsheet formula", message('=HYPERLINK("http://evil.example","x")'), REPLY, REPLY),
    Case("typed odd slot values", message('/describe_pain{"pain_timing":{"a":1},"pain_location":["x"]}'), REPLY, REPLY),
    Case("typed odd timing", message('/describe_pain{"pain_timing":{"a":1}}'), REPLY, REPLY),
    Case("/nlu_fallback", message("/nlu_fallback"), REPLY, REPLY),
    Case("/restart", message("/restart"), REPLY, REPLY),
    Case("/session_start", message("/session_start"), REPLY, REPLY),
    Case("/back", message("/back"), REPLY, REPLY),
    Case("/describe_pain@0.99", message("/describe_pain@0.99"), REPLY, REPLY),
    Case("deeply nested JSON payload", message(NESTED), REPLY, REPLY),
    Case("huge metadata", message("my back hurts", metadata={"x": "y" * 100_000}), REPLY, 413),
]


def post(url: str, body: bytes) -> tuple[int, Any]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def readable(replies: Any) -> str:
    """The text of the replies; fails the test when there is nothing to read."""
    assert isinstance(replies, list) and replies, "silence"
    assert all(r.get("text") or r.get("buttons") for r in replies), replies
    return "\n".join(r.get("text") or "" for r in replies)


def check(case: Case, status: int, body: Any, expected: int, replies: Callable[[Any], Any]) -> None:
    assert status == expected, (case.name, status, body)
    if expected == REPLY:
        assert case.said in readable(replies(body)), (case.name, body)
    else:
        assert isinstance(body.get("error"), str) and len(body["error"]) > 10, (case.name, body)


@pytest.fixture(scope="module")
def stack(assistant: Stack) -> Stack:
    """The session's assistant (tests/conftest.py), with the console and its staff account."""
    return assistant


def test_bad_input_gets_a_clear_answer_at_both_doors_and_breaks_nothing_stored(stack: Stack) -> None:
    log = stack.log_dir / "actions.log"
    logged_before = log.stat().st_size  # the servers are the session's: what other tests did is not this one's
    for case in CASES:
        status, body = post(f"{stack.web_url}/api/chat", case.body(str(uuid.uuid4())))
        check(case, status, body, case.proxy, lambda b: b["messages"])
        status, body = post(f"{stack.rasa_url}/webhooks/rest/webhook", case.body(f"bad-input-{uuid.uuid4()}"))
        check(case, status, body, case.rest, lambda b: b)

    for url in (f"{stack.actions_url}/health", f"{stack.rasa_url}/", f"{stack.web_url}/health"):
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200, url
    assert b"Traceback" not in log.read_bytes()[logged_before:]  # no action crashed


async def exported_once_summarised(client: httpx2.AsyncClient, sender: str) -> list[dict[str, str]]:
    """The conversations CSV once the console's background refresh has folded in `sender` (it runs every 2 s)."""
    deadline = time.monotonic() + 30
    while True:
        export = await client.get("/exports/conversations.csv")
        assert export.status_code == 200
        rows = list(csv.DictReader(io.StringIO(export.text)))
        if sender in {r["conversation_id"] for r in rows}:
            return rows
        assert time.monotonic() < deadline, "the console never listed the conversation"
        await asyncio.sleep(0.5)


async def test_what_bad_input_left_stored_opens_in_every_console_page_and_export(stack: Stack) -> None:
    sender = str(uuid.uuid4())
    post(f"{stack.rasa_url}/webhooks/rest/webhook", message("my upper back\x00 aches between the ribs")(sender))
    async with httpx2.AsyncClient(base_url=stack.console_url, timeout=60) as client:
        assert (await log_in(client, "sam", PASSWORD)).status_code == 302
        listing = await client.get("/conversations")
        assert listing.status_code == 200
        rows = await exported_once_summarised(client, sender)
        for row in rows:
            assert (await client.get(f"/conversations/{quote(row['conversation_id'])}")).status_code == 200
        for term in ("ribs", "aches", "%00", "%ED%A0%80", "%E2%80%AE", "%25", "_"):  # NUL, a lone surrogate, RLO
            assert (await client.get(f"/conversations?q={term}")).status_code == 200, term
        assert sender in (await client.get("/conversations", params={"q": "ribs"})).text  # a word after the NUL
        assert (await client.get("/exports/bookings.csv")).status_code == 200
