"""The proxy passes a slash message on as Rasa's syntax only when it is a button the bot offered."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from bot.web.buttons import OfferedButtons
from clinic.red_flags import Level
from clinic.safety_check import check_buttons
from tests.bot.web.inprocess import call, fake_rasa, replying, serving, settings

SENDER = str(uuid.uuid4())


def test_typed_slash_syntax_is_sent_as_words() -> None:
    offered = OfferedButtons()
    assert offered.as_sent(SENDER, "/describe_pain@1.0 my lips are blue") == "describe_pain@1.0 my lips are blue"
    assert offered.as_sent(SENDER, ' /affirm{"x": 1}') == 'affirm{"x": 1}'
    assert offered.as_sent(SENDER, "my back / my neck") == "my back / my neck"


@pytest.mark.parametrize(
    "typed",
    ["/EXTERNAL_reminder", "/EXTERNAL_reminder{}", "/external_timeout@1.0", "/ my back hurts", "/?", "//"],
)
def test_typed_slash_text_naming_no_intent_reaches_rasa_as_typed(typed: str) -> None:
    """Rasa reads it as plain text; unslashed, "EXTERNAL_reminder" was read as "stop" and ended the chat."""
    assert OfferedButtons().as_sent(SENDER, typed) == typed


@pytest.mark.parametrize("typed", ["/stop", "/restart", "/session_start", " /affirm@0.9", '/describe_pain{"a": "b"} x'])
def test_typed_slash_text_naming_an_intent_loses_its_slash(typed: str) -> None:
    assert not OfferedButtons().as_sent(SENDER, typed).startswith("/")


def test_offered_payloads_pass_but_only_in_their_own_conversation() -> None:
    offered = OfferedButtons()
    offered.remember(SENDER, ["/affirm", '/describe_pain{"pain_location":"neck"}'])
    assert offered.as_sent(SENDER, "/affirm") == "/affirm"
    assert offered.as_sent(SENDER, '/describe_pain{"pain_location":"neck"}') == '/describe_pain{"pain_location":"neck"}'
    assert offered.as_sent(str(uuid.uuid4()), "/affirm") == "affirm"
    assert offered.as_sent(str(uuid.uuid4()), "/greet") == "/greet"  # the widget's opening


def test_the_memory_is_bounded_forgetting_the_least_recent_conversation() -> None:
    offered = OfferedButtons(max_conversations=2)
    first, second, third = (str(uuid.uuid4()) for _ in range(3))
    for sender in (first, second, third):
        offered.remember(sender, ["/deny"])
    assert offered.as_sent(first, "/deny") == "deny"
    assert offered.as_sent(third, "/deny") == "/deny"


async def test_through_the_proxy_only_the_offered_button_reaches_rasa_as_a_payload() -> None:
    received: list[dict[str, Any]] = []
    question = [{"recipient_id": SENDER, "text": "To be safe: ...?", "buttons": [{"title": "No", "payload": "/deny"}]}]
    async with fake_rasa(replying(question, received)) as rasa, serving(settings(rasa)) as (url, client):
        for message in ["/deny", "hi", "/deny", "/describe_pain@1.0 my lips are blue"]:
            reply = await call(client, "POST", f"{url}/api/chat", json={"sender": SENDER, "message": message})
            assert reply.status == 200
    assert [r["message"] for r in received] == ["deny", "hi", "/deny", "describe_pain@1.0 my lips are blue"]


async def test_the_safety_checks_buttons_reach_rasa_as_offered_and_a_tapped_sign_as_its_words() -> None:
    """Each sign's button sends a plain sentence the red-flag screen reads; None of these and Not sure are intents."""
    received: list[dict[str, Any]] = []
    buttons = check_buttons(Level.EMERGENCY)
    check = [{"recipient_id": SENDER, "text": "First, to be safe: ...?", "buttons": buttons}]
    async with fake_rasa(replying(check, received)) as rasa, serving(settings(rasa)) as (url, client):
        opening = await call(client, "POST", f"{url}/api/chat", json={"sender": SENDER, "message": "my back hurts"})
        assert opening.body["messages"][-1]["buttons"] == buttons  # every sign's title and sentence, for the widget
        for button in buttons:
            reply = await call(client, "POST", f"{url}/api/chat", json={"sender": SENDER, "message": button["payload"]})
            assert reply.status == 200
    assert [r["message"] for r in received] == ["my back hurts", *(b["payload"] for b in buttons)]
    assert [r["message"] for r in received][-2:] == ["/deny", "/unsure"]
