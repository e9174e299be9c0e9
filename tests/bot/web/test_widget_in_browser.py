"""The homepage widget in headless Chromium against the real stack: actions, Rasa and the web app.

Screenshots, timings and the axe results are saved under var/screenshots/ on every run.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Dialog, Page, ViewportSize, expect, sync_playwright

from bot.launcher import start, stop, wait_until_up
from bot.stack import Stack, services
from clinic.config import load_clinic
from clinic.red_flags import Level
from clinic.safety_check import NONE_BUTTON, check_buttons
from tests.bot.web.browser import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, Widget, save_artifact

UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
OPENING = "I get a dull ache between my shoulder blades after coughing fits, worse when I lie down"
DESKTOP = ViewportSize(width=1280, height=800)
PHONE = ViewportSize(width=360, height=740)
NONE_OF_THESE = NONE_BUTTON["title"]

Servers = tuple[Stack, dict[str, subprocess.Popen[bytes]]]


def tracker_db(stack: Stack) -> Path:
    return stack.endpoints.parent / "tracker.db"  # isolated_stack puts them side by side


def patient_messages(stack: Stack, conversation: str) -> list[str]:
    """What the tracker store holds as the patient's messages in this conversation, in order."""
    with sqlite3.connect(tracker_db(stack)) as db:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id", (conversation,)
        ).fetchall()
    return [json.loads(data)["text"] for (data,) in rows]


def check_titles(level: Level) -> list[str]:
    """The safety check's buttons at a level: every sign, then "None of these" and "Not sure"."""
    return [b["title"] for b in check_buttons(level)]


def none_of_these(widget: Widget) -> str:
    """ "None of these" tapped for both questions of the safety check; the reply to the second."""
    assert widget.offered() == check_titles(Level.EMERGENCY)
    widget.pick(NONE_OF_THESE)
    assert widget.offered() == check_titles(Level.URGENT)
    return widget.pick(NONE_OF_THESE)


@pytest.fixture
def servers(assistant_servers: Servers) -> Iterator[Servers]:
    """The session's assistant (tests/conftest.py) and its processes, for a test that stops one and starts it again:
    whatever the test did, each server is up again afterwards for the tests after it."""
    yield assistant_servers
    stack, processes = assistant_servers
    for service in services(stack):
        if processes[service.name].poll() is not None:
            processes[service.name] = start(service.command(stack), stack, service.name)
        wait_until_up(service.health_url, processes[service.name], timeout=180)


@pytest.fixture(scope="module")
def stack(assistant: Stack) -> Stack:
    """The session's assistant (tests/conftest.py); its web app lists the partner site's origin."""
    return assistant


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser session (its own sessionStorage) at desktop size."""
    context = browser.new_context(viewport=DESKTOP)
    yield context.new_page()
    context.close()


def test_a_patient_chats_through_to_an_assessment_and_a_booking(stack: Stack, page: Page) -> None:
    widget = Widget(page)
    page.goto(f"{stack.web_url}/")
    expect(widget.panel).to_be_hidden()
    started = time.monotonic()
    greeting = widget.open()
    first_reply_s = time.monotonic() - started
    save_artifact("widget-first-reply.json", {"seconds": round(first_reply_s, 2)})
    assert "Frontier Allergy" in greeting and "not a doctor" in greeting and "911" in greeting
    expect(widget.panel).to_contain_text("Automated assistant, not a doctor")
    expect(widget.panel.get_by_text("Emergency?")).to_be_visible()
    expect(widget.panel.get_by_role("link", name="911")).to_have_attribute("href", "tel:911")
    expect(widget.panel).to_contain_text(
        "stored on Frontier Allergy's server for 365 days; only clinic staff can read it"
    )
    assert first_reply_s < 15, f"the greeting took {first_reply_s:.1f} s"

    assert "under control" not in widget.say(OPENING)  # the safety check comes first
    assert "under control" in none_of_these(widget)
    assert f"You: {NONE_OF_THESE}" in widget.transcript()  # the title is shown, not the /deny payload
    assert [b.strip() for b in widget.quick_replies.all_text_contents()] == ["Yes", "No", "Not sure"]
    assert "breathing exercises or a better posture" in widget.pick("Yes")
    assert widget.transcript()[-2] == "You: Yes"  # the title is shown, not the /affirm payload
    assert "normal movement, lifting or sleep" in widget.pick("Yes")
    assert "keep coming back" in widget.pick("No")
    assert "asthma medicines" in widget.pick("No")
    assessment = widget.say("i use flovent twice a day")
    assert "usual pattern of asthma-related back pain" in assessment and "booking request" in assessment
    page.screenshot(path=ARTIFACTS / "widget-desktop.png")

    assert "name" in widget.pick("Yes, book a visit")
    assert "phone number or email" in widget.say("Sara Lopez")
    assert "When would suit you" in widget.say("512-555-0134")
    done = widget.say("tuesday morning")
    assert "I've sent your request to the clinic" in done
    link = widget.bot_messages.get_by_role("link", name="https://frontierallergy.example/book").last
    expect(link).to_have_attribute("rel", re.compile(r"\bnoopener\b"))
    expect(link).to_have_attribute("target", "_blank")

    conversation = widget.conversation_id()
    assert UUID4.fullmatch(conversation)
    with sqlite3.connect(tracker_db(stack)) as db:
        bookings = db.execute(
            "SELECT patient_name, contact FROM booking_requests WHERE conversation_id = ?", (conversation,)
        ).fetchall()
    assert bookings == [("Sara Lopez", "(512) 555-0134")]


def test_the_conversation_survives_a_reload_and_another_page_and_start_over_begins_anew(
    stack: Stack, page: Page
) -> None:
    widget = Widget(page)
    page.goto(f"{stack.web_url}/")
    widget.open()
    widget.say(OPENING)
    conversation, transcript = widget.conversation_id(), widget.transcript()

    page.reload()
    expect(widget.panel).to_be_visible()
    assert (widget.conversation_id(), widget.transcript()) == (conversation, transcript)
    first = NONE_OF_THESE  # the safety check's buttons are still on offer
    assert first in widget.offered()
    assert "not a doctor" not in widget.pick(first)  # carries on; no new greeting

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Book a visit").click()
    expect(page).to_have_url(f"{stack.web_url}/visit")
    expect(widget.panel).to_be_visible()
    assert widget.conversation_id() == conversation
    assert widget.transcript()[: len(transcript)] == transcript
    second = NONE_OF_THESE  # the check's second question
    assert second in widget.offered()
    assert "not a doctor" not in widget.pick(second)
    # One conversation on the server, in order, across the reload and the other page.
    said = patient_messages(stack, conversation)
    assert said[:2] == ["/greet", OPENING] and len(said) == 4
    assert transcript[-1] != widget.transcript()[-1] and f"You: {first}" in widget.transcript()

    page.get_by_role("button", name="Start over").click()
    greeting = widget.wait_for_reply(0)
    assert "not a doctor" in greeting
    assert widget.conversation_id() != conversation and UUID4.fullmatch(widget.conversation_id())
    assert len(widget.transcript()) == 1 and widget.transcript()[0].startswith("Assistant: Hi")


def test_html_and_script_text_is_shown_as_text_and_never_runs(stack: Stack, page: Page) -> None:
    dialogs: list[str] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    widget = Widget(page)
    page.goto(f"{stack.web_url}/")
    widget.open()
    attack = "<img src=x onerror=alert(1)>"
    widget.send_and_wait(attack)
    widget.send_and_wait('<script>alert("2")</script> and <b>bold</b>')
    assert f"You: {attack}" in widget.transcript()
    assert 'You: <script>alert("2")</script> and <b>bold</b>' in widget.transcript()
    expect(
        page.locator("#frontier-chat-widget .log img, #frontier-chat-widget .log script, #frontier-chat-widget .log b")
    ).to_have_count(0)
    page.wait_for_timeout(500)  # give an onerror handler the time it would need
    assert dialogs == []


def test_the_whole_flow_works_with_the_keyboard_alone(stack: Stack, page: Page) -> None:
    widget = Widget(page)
    page.goto(f"{stack.web_url}/")
    widget.tab_to("Chat with Frontier Allergy's back-pain assistant")
    outline = page.evaluate(
        "() => getComputedStyle(document.getElementById('frontier-chat-widget').shadowRoot.activeElement).outlineStyle"
    )
    assert outline != "none"  # focus is visible
    page.keyboard.press("Enter")
    assert "not a doctor" in widget.wait_for_reply(0)
    assert widget.focused() == "fc-input"

    def answer(text: str) -> str:
        before = widget.bot_messages.count()
        page.keyboard.type(text)
        page.keyboard.press("Enter")
        return widget.wait_for_reply(before)

    def choose(title: str) -> str:
        before = widget.bot_messages.count()
        widget.tab_to(title, key="Shift+Tab")
        page.keyboard.press("Enter")
        reply = widget.wait_for_reply(before)
        assert widget.focused() == "fc-input"  # back to typing, without reaching for the mouse
        return reply

    answer(OPENING)  # the safety check: each sign a real button, named by its words
    for title in check_titles(Level.EMERGENCY):
        button = widget.quick_reply(title)
        assert button.evaluate("element => element.tagName") == "BUTTON"
        expect(button).to_have_accessible_name(title)
    choose(NONE_OF_THESE)
    assert widget.offered() == check_titles(Level.URGENT)
    assert "under control" in choose(NONE_OF_THESE)
    assert "breathing exercises or a better posture" in choose("Yes")
    assert "normal movement, lifting or sleep" in choose("Yes")
    assert "keep coming back" in choose("No")
    assert "asthma medicines" in choose("No")
    assert "usual pattern of asthma-related back pain" in choose("Daily controller inhaler (steroid)")
    assert "name" in choose("Yes, book a visit")
    assert "phone number or email" in answer("Sam Keys")
    assert "When would suit you" in answer("sam@example.com")
    assert "I've sent your request to the clinic" in answer("any weekday afternoon")

    page.keyboard.press("Escape")
    expect(widget.panel).to_be_hidden()
    assert widget.focused() == "Chat with Frontier Allergy's back-pain assistant"
    page.keyboard.press("Enter")
    expect(widget.panel).to_be_visible()
    widget.tab_to("Close chat", key="Shift+Tab")
    page.keyboard.press("Enter")
    expect(widget.panel).to_be_hidden()
    assert widget.focused() == "Chat with Frontier Allergy's back-pain assistant"


def test_a_phone_sized_screen_gets_the_whole_chat_without_sideways_scrolling(stack: Stack, browser: Browser) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    widget = Widget(page)
    page.goto(f"{stack.web_url}/")
    launcher = widget.launcher.bounding_box()
    assert launcher is not None and launcher["x"] >= 0 and launcher["x"] + launcher["width"] <= PHONE["width"]
    widget.launcher.tap()
    widget.wait_for_reply(0)
    widget.say(OPENING)
    panel = widget.panel.bounding_box()
    assert panel == {"x": 0, "y": 0, "width": PHONE["width"], "height": PHONE["height"]}
    for control in (widget.input, page.get_by_role("button", name="Send"), *widget.quick_replies.all()):
        box = control.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], control
        assert box["height"] >= 24  # big enough to tap
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=ARTIFACTS / "widget-phone.png")
    context.close()


def test_axe_finds_no_serious_or_critical_violations(stack: Stack, browser: Browser) -> None:
    axe = Axe()
    found: dict[str, list[dict[str, str]]] = {}
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        widget = Widget(page)
        page.goto(f"{stack.web_url}/")
        found[f"{label} page, chat closed"] = audit(axe, page)
        widget.open()
        widget.say(OPENING)  # a reply with quick replies
        found[f"{label} chat open"] = audit(axe, page)
        context.close()
    save_artifact("widget-axe.json", found)
    serious = {
        where: [v for v in violations if v["impact"] in ("serious", "critical")] for where, violations in found.items()
    }
    assert serious == {where: [] for where in found}


def audit(axe: Axe, page: Page) -> list[dict[str, str]]:
    results = axe.run(page)
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": str(len(v["nodes"]))}
        for v in results.response["violations"]
    ]


@pytest.fixture
def partner_site(stack: Stack, partner_origin: str, tmp_path: Path) -> Iterator[str]:
    """Another site on its own origin whose page embeds the widget with one tag and a config object."""
    (tmp_path / "index.html").write_text(
        f"""<!doctype html><html lang="en"><head><title>Partner</title></head><body>
        <h1>Our partner page</h1>
        <script>window.FrontierChatConfig = {{ clinicName: "Frontier Allergy Austin",
            colors: {{ primary: "#7a1f5c", onPrimary: "#ffffff" }} }};</script>
        <script src="{stack.web_url}/widget/widget.js" defer></script></body></html>"""
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    port = int(partner_origin.rsplit(":", 1)[1])
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"{partner_origin}/"
        server.shutdown()


def test_the_widget_works_on_another_site_with_its_own_settings(stack: Stack, partner_site: str, page: Page) -> None:
    """The origin is listed in WIDGET_ORIGINS; the page's settings win over the defaults."""
    widget = Widget(page)
    page.goto(partner_site)
    assert "not a doctor" in widget.open()
    expect(widget.panel.get_by_role("heading")).to_have_text("Frontier Allergy Austin back-pain assistant")
    expect(widget.launcher).to_have_css("background-color", "rgb(122, 31, 92)")
    widget.say(OPENING)  # the chat itself crosses origins too
    assert patient_messages(stack, widget.conversation_id()) == ["/greet", OPENING]


@pytest.mark.parametrize(
    ("server", "explained"),
    [
        ("rasa", ["We can't reach the assistant right now"]),
        ("actions", ["try again in a moment", load_clinic().phone]),  # Rasa answers, but can't run the actions
    ],
)
def test_when_a_server_goes_down_the_patient_sees_why_keeps_the_message_and_can_retry(
    servers: Servers, page: Page, server: str, explained: list[str]
) -> None:
    stack, processes = servers
    widget = Widget(page)
    page.goto(f"{stack.web_url}/")
    widget.open()
    widget.say(OPENING)
    choice = NONE_OF_THESE  # the safety check's answer that carries on (its first buttons are emergency signs)
    assert choice in widget.offered()

    stop([processes[server]])
    widget.quick_reply(choice).click()
    for words in [*explained, "Your message is kept"]:
        expect(widget.error).to_contain_text(words)
    assert widget.transcript()[-1] == f"You: {choice} (not sent)"

    service = next(s for s in services(stack) if s.name == server)
    processes[server] = start(service.command(stack), stack, server)
    wait_until_up(service.health_url, processes[server], timeout=180)
    before = widget.bot_messages.count()
    widget.retry.click()
    assert widget.wait_for_reply(before)
    expect(widget.error).to_be_hidden()
    assert f"You: {choice}" in widget.transcript() and f"You: {choice} (not sent)" not in widget.transcript()
    assert len(patient_messages(stack, widget.conversation_id())) == 3  # sent once, after the retry
