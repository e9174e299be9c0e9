"""The web app without Rasa: pages, widget files, the chat proxy's checks, errors and CORS."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from aiohttp import web

from bot.web.widget import WIDGET_FILES
from clinic.config import load_clinic
from tests.bot.web.inprocess import call, fake_rasa, replying, serving, settings
from tools.servers import free_port

SENDER = str(uuid.uuid4())
HELLO = {"sender": SENDER, "message": "hi"}
CLINIC_SITE = "https://www.frontierallergy.example"
LISTED = frozenset({CLINIC_SITE})


async def test_the_homepage_is_the_article_with_the_clinic_details_and_the_widget() -> None:
    clinic = load_clinic()
    async with serving(settings()) as (url, client):
        home = await call(client, "GET", f"{url}/")
        visit = await call(client, "GET", f"{url}/visit")
    assert "<h1>Can Asthma Cause Back Pain?</h1>" in home.body and "Dr. Neha Reshamwala" in home.body
    assert clinic.phone in home.body and clinic.address in home.body
    assert "some people with asthma react badly to aspirin and painkillers like it" in home.body  # the NSAID caution
    assert home.body.count('<script src="/widget/widget.js" defer></script>') == 1
    policy = home.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert clinic.booking_url in visit.body and '<script src="/widget/widget.js"' in visit.body


async def test_widget_files_are_served_small_and_revalidated() -> None:
    async with serving(settings()) as (url, client):
        js = await call(client, "GET", f"{url}/widget/widget.js")
        css = await call(client, "GET", f"{url}/widget/widget.css")
    assert js.headers["Content-Type"].startswith("text/javascript") and css.headers["Content-Type"].startswith(
        "text/css"
    )
    assert js.headers["Cache-Control"] == css.headers["Cache-Control"] == "no-cache"
    size = len(js.body.encode()) + len(css.body.encode())
    assert size == sum(f.stat().st_size for f in WIDGET_FILES.iterdir())
    assert size < 40_000, f"widget assets grew to {size} bytes"


async def test_the_widget_gets_the_clinic_name_and_retention_from_clinic_yml() -> None:
    async with serving(settings()) as (url, client):
        config = await call(client, "GET", f"{url}/api/config")
    clinic = load_clinic()
    assert config.body == {
        "clinicName": clinic.name,
        "phone": clinic.phone,
        "retentionDays": clinic.retention_days,
        "maxMessageChars": 2000,
    }


async def test_a_message_is_forwarded_and_only_text_and_buttons_come_back() -> None:
    received: list[dict[str, Any]] = []
    replies: list[dict[str, Any]] = [
        {"recipient_id": SENDER, "text": "Where does it hurt?", "buttons": [{"title": "Upper back", "payload": "/x"}]},
        {"recipient_id": SENDER, "image": "https://tracker.example/pixel.gif"},
        {"recipient_id": SENDER, "text": "Or type it.", "custom": {"script": "alert(1)"}},
    ]
    async with fake_rasa(replying(replies, received)) as rasa, serving(settings(rasa)) as (url, client):
        reply = await call(client, "POST", f"{url}/api/chat", json=HELLO)
    assert received == [HELLO]
    assert (reply.status, reply.body) == (
        200,
        {
            "messages": [
                {"text": "Where does it hurt?", "buttons": [{"title": "Upper back", "payload": "/x"}]},
                {"text": "Or type it.", "buttons": []},
            ]
        },
    )


async def test_requests_rasa_must_not_see_are_refused_with_a_reason() -> None:
    received: list[dict[str, Any]] = []
    cases: list[tuple[Any, int, str]] = [
        ({"sender": "patient-1", "message": "hi"}, 400, "random UUID"),
        ({"sender": str(uuid.uuid1()), "message": "hi"}, 400, "random UUID"),  # time-based: guessable
        ({"sender": SENDER.upper(), "message": "hi"}, 400, "random UUID"),
        ({"sender": SENDER, "message": "   "}, 400, "Type a message"),
        ({"sender": SENDER, "message": 42}, 400, "Type a message"),
        ({"sender": SENDER, "message": "x" * 2001}, 413, "2,001 characters"),
        (["not", "an", "object"], 400, "Send JSON"),
    ]
    longest = {"sender": SENDER, "message": "é" * 2000}
    async with fake_rasa(replying([{"text": "Thanks."}], received)) as rasa, serving(settings(rasa)) as (url, client):
        for body, status, reason in cases:
            refused = await call(client, "POST", f"{url}/api/chat", json=body)
            assert (refused.status, reason in refused.body["error"]) == (status, True), body
        garbled = await call(
            client, "POST", f"{url}/api/chat", data=b"\xff\xfe{", headers={"Content-Type": "application/json"}
        )
        accepted = await call(client, "POST", f"{url}/api/chat", json=longest)
    assert garbled.status == 400 and "Send JSON" in garbled.body["error"]
    assert accepted.status == 200
    assert received == [longest]


async def test_an_unreachable_or_slow_rasa_is_a_clear_retryable_error() -> None:
    async def slow(_request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(2)
        return web.json_response([])

    async with serving(settings(f"http://127.0.0.1:{free_port()}")) as (url, client):
        down = await call(client, "POST", f"{url}/api/chat", json=HELLO)
    async with fake_rasa(slow) as rasa, serving(settings(rasa, rasa_timeout_s=0.3)) as (url, client):
        stuck = await call(client, "POST", f"{url}/api/chat", json=HELLO)
    assert [down.status, stuck.status] == [502, 504]
    for reply in (down, stuck):
        assert "can't be reached right now" in reply.body["error"] and "try again" in reply.body["error"]


async def test_a_message_rasa_failed_to_answer_is_never_silence() -> None:
    """Rasa's error statuses (bot/server/rest.py) and its `200 []` become the clinic's phone and a retry."""

    async def failing(_request: web.Request) -> web.StreamResponse:
        return web.json_response({"error": "the action server is not answering"}, status=503)

    async with fake_rasa(failing) as rasa, serving(settings(rasa)) as (url, client):
        broken = await call(client, "POST", f"{url}/api/chat", json=HELLO)
    async with fake_rasa(replying([], [])) as rasa, serving(settings(rasa)) as (url, client):
        empty = await call(client, "POST", f"{url}/api/chat", json=HELLO)
    nothing_to_show = [{"recipient_id": SENDER, "image": "https://example.org/x.gif"}]
    async with fake_rasa(replying(nothing_to_show, [])) as rasa, serving(settings(rasa)) as (url, client):
        imageless = await call(client, "POST", f"{url}/api/chat", json=HELLO)
    phone = load_clinic().phone
    for reply in (broken, empty, imageless):
        assert reply.status == 503
        assert "try again in a moment" in reply.body["error"] and phone in reply.body["error"]


async def test_only_listed_sites_may_embed_the_widget() -> None:
    received: list[dict[str, Any]] = []
    rasa_says_hello = replying([{"text": "Hello"}], received)
    async with fake_rasa(rasa_says_hello) as rasa, serving(settings(rasa, allowed_origins=LISTED)) as (url, client):
        asks = {"Origin": CLINIC_SITE, "Access-Control-Request-Method": "POST"}
        preflight = await call(client, "OPTIONS", f"{url}/api/chat", headers=asks)
        listed = await call(client, "POST", f"{url}/api/chat", json=HELLO, headers={"Origin": CLINIC_SITE})
        own_page = await call(client, "POST", f"{url}/api/chat", json=HELLO, headers={"Origin": url})
        others = [
            await call(client, method, f"{url}/api/{path}", json=HELLO, headers={"Origin": other})
            for other in ("https://evil.example", f"{CLINIC_SITE}.evil.example", "null")
            for method, path in (("POST", "chat"), ("GET", "config"))
        ]
    assert preflight.status == 204 and preflight.headers["Access-Control-Allow-Origin"] == CLINIC_SITE
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]
    assert listed.status == 200 and listed.headers["Access-Control-Allow-Origin"] == CLINIC_SITE
    assert own_page.status == 200 and "Access-Control-Allow-Origin" not in own_page.headers
    assert {r.status for r in others} == {403}
    assert not any("Access-Control-Allow-Origin" in r.headers for r in others)
    assert len(received) == 2  # the listed site and the app's own page; nothing from the others
