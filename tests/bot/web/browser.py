"""Driving the chat widget in headless Chromium the way a patient would: click, type, tab, read.

Chromium is Debian's (`/usr/bin/chromium`, installed by `make browser`); Playwright never
downloads a browser here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page

from tests.support import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = ROOT / "var" / "screenshots"  # git-ignored; rewritten on every run
REPLY_TIMEOUT_MS = 60_000

_SHADOW = "document.getElementById('frontier-chat-widget').shadowRoot"


def save_artifact(name: str, data: Any) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path


class Widget:
    """The widget on a page, seen through its roles and labels (Playwright pierces the shadow root)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.launcher = page.get_by_role("button", name=re.compile(r"^Chat with"))
        self.panel = page.get_by_role("dialog", name=re.compile("back-pain assistant"))
        self.input = page.get_by_label("Your message")
        self.error = page.get_by_role("alert")
        self.retry = page.get_by_role("button", name="Retry")
        self.messages = page.locator("#frontier-chat-widget .msg:not(.typing)")
        self.bot_messages = page.locator("#frontier-chat-widget .msg.bot:not(.typing)")
        self.quick_replies = page.get_by_role("group", name="Quick replies").get_by_role("button")

    def open(self) -> str:
        """Click the launcher; the greeting of a new conversation (or nothing new for an old one)."""
        before = self.bot_messages.count()
        self.launcher.click()
        return self.wait_for_reply(before) if before == 0 else ""

    def say(self, text: str) -> str:
        """Type a message and press Enter; the assistant's reply."""
        before = self.bot_messages.count()
        self.input.fill(text)
        self.input.press("Enter")
        return self.wait_for_reply(before)

    def pick(self, title: str) -> str:
        """Click a quick-reply button; the assistant's reply."""
        before = self.bot_messages.count()
        self.quick_reply(title).click()
        return self.wait_for_reply(before)

    def offered(self) -> list[str]:
        """The titles of the quick replies on offer now."""
        return [title.strip() for title in self.quick_replies.all_text_contents()]

    def quick_reply(self, title: str) -> Locator:
        return self.page.get_by_role("group", name="Quick replies").get_by_role("button", name=title, exact=True)

    def wait_for_reply(self, before: int) -> str:
        """Wait until the assistant has answered (no request in flight, more bot messages); their text."""
        self.page.wait_for_function(
            f"""before => {{
                const root = {_SHADOW};
                return root.querySelector('.log').getAttribute('aria-busy') === 'false'
                    && root.querySelectorAll('.msg.bot:not(.typing)').length > before;
            }}""",
            arg=before,
            timeout=REPLY_TIMEOUT_MS,
        )
        return "\n".join(self.bot_messages.all_text_contents()[before:])

    def send_and_wait(self, text: str) -> None:
        """Type a message, press Enter and wait until the request is over, whatever the answer."""
        self.input.fill(text)
        self.input.press("Enter")
        self.page.wait_for_function(
            f"() => {_SHADOW}.querySelector('.log').getAttribute('aria-busy') === 'false'", timeout=REPLY_TIMEOUT_MS
        )

    def transcript(self) -> list[str]:
        """Every bubble as a screen reader reads it: "Assistant: ..." or "You: ..."."""
        return self.messages.all_text_contents()

    def conversation_id(self) -> str:
        stored: str = self.page.evaluate(
            "() => JSON.parse(sessionStorage.getItem(Object.keys(sessionStorage).find(k => k.startsWith('frontier-chat:')))).id"
        )
        return stored

    def focused(self) -> str:
        """The accessible name (or text) of what has keyboard focus inside the widget; '' if nothing."""
        name: str = self.page.evaluate(
            f"""() => {{
                const active = {_SHADOW}.activeElement;
                return active ? (active.getAttribute('aria-label') || active.textContent || active.id).trim() : '';
            }}"""
        )
        return name

    def tab_to(self, name: str, key: str = "Tab", limit: int = 40) -> None:
        """Press `key` until the control named `name` has focus, as a keyboard user would."""
        for _ in range(limit):
            self.page.keyboard.press(key)
            if self.focused() == name:
                return
        raise AssertionError(f"{name!r} not reachable with {key} in {limit} presses")
