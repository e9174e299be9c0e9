"""The review inbox in headless Chromium: log in, open the inbox, click a line, land on that message.

The console runs as its own process (`python -m bot.console`, as `make run` serves it) on a copy of the
inbox's held conversations, and finds the inbox's lines itself, in the background, as it does in service.
Screenshots are saved under var/screenshots/.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from bot.database.tables import inbox_items, inbox_state
from bot.launcher import Stack
from tests.bot.console.inbox_support import MISS, said_at

# The console process and the browser page, as the console's browser test starts them.
from tests.bot.console.test_console_in_browser import console, log_in_at, page  # noqa: F401
from tests.bot.web.browser import ARTIFACTS


@pytest.fixture
def db_path(inbox_seed: Path, tmp_path: Path) -> Path:
    """The held conversations with the inbox not folded yet: the served console must find the lines itself."""
    path = tmp_path / "tracker.db"
    shutil.copy(inbox_seed, path)
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(inbox_items.delete())
        connection.execute(inbox_state.update().values(last_event_id=0))
    engine.dispose()
    return path


def folded_by_the_console(path: Path, timeout_s: float = 60) -> None:
    """Waits until the console's background task has folded the inbox (it starts with the server)."""
    engine = sa.create_engine(f"sqlite:///{path}")
    deadline = time.monotonic() + timeout_s
    try:
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                if connection.execute(sa.select(inbox_state.c.last_event_id)).scalar_one() > 0:
                    return
            time.sleep(0.5)
    finally:
        engine.dispose()
    raise AssertionError(f"the console did not fold the inbox within {timeout_s} s")


def test_from_the_inbox_to_the_message_in_its_transcript(console: Stack, page: Page, db_path: Path) -> None:  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    folded_by_the_console(db_path)
    log_in_at(page, f"{console.console_url}/inbox")
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
