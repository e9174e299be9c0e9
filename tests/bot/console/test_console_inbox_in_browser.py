"""The review inbox in headless Chromium: log in, open the inbox, click a line, land on that message.

The console runs as its own process (`python -m bot.console`, as `make run` serves it) on a copy of the
inbox's held conversations. Screenshots are saved under var/screenshots/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from bot.launcher import Stack
from tests.bot.console.console_support import PASSWORD
from tests.bot.console.inbox_support import MISS, said_at

# The console process and the browser page, as the console's browser test starts them.
from tests.bot.console.test_console_in_browser import console, page  # noqa: F401
from tests.bot.web.browser import ARTIFACTS


@pytest.fixture
def db_path(inbox_seed: Path, tmp_path: Path) -> Path:
    path = tmp_path / "tracker.db"
    shutil.copy(inbox_seed, path)
    return path


def test_from_the_inbox_to_the_message_in_its_transcript(console: Stack, page: Page, db_path: Path) -> None:  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{console.console_url}/inbox")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Review inbox")).to_be_visible()

    line = page.locator("table.inbox tbody tr.possible_miss").filter(has_text=MISS)
    expect(line).to_contain_text("Possible missed red flag")
    expect(line).to_contain_text("history of cancer")
    page.screenshot(path=str(ARTIFACTS / "console-inbox.png"), full_page=True)
    line.get_by_role("link", name=MISS).click()

    anchor = f"m-{said_at(db_path, 'inbox-miss', MISS)}"
    expect(page.get_by_role("heading", name="Transcript")).to_be_visible()
    assert page.url.endswith(f"/conversations/inbox-miss#{anchor}")
    target = page.locator(":target")
    expect(target).to_have_attribute("id", anchor)
    expect(target).to_contain_text(MISS)
    expect(target).to_be_in_viewport()
    page.screenshot(path=str(ARTIFACTS / "console-inbox-message.png"), full_page=False)
