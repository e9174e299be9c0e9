"""The learning loop in headless Chromium, the whole path: log in, open the inbox, click a line, land on that
message in its transcript, correct what the assistant read, download the corrections as NLU training data.

The console runs as its own process (`python -m bot.console`, as `make run` serves it) on a copy of the
inbox's held conversations, and finds the inbox's lines itself, in the background, as it does in service.
Screenshots are saved under var/screenshots/.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from playwright.sync_api import Page, expect

from bot.console.database import open_database
from bot.console.users import create_user
from bot.stack import Stack
from clinic.database.tables import inbox_items, inbox_state
from tests.bot.console.console_support import PASSWORD, log_in_at
from tests.bot.console.inbox_support import MISS, said_at
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


def test_from_the_inbox_to_a_corrected_message_to_nlu_training_data(console: Stack, page: Page, db_path: Path) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    create_user(open_database(f"sqlite:///{db_path}"), "ada", PASSWORD, "admin")  # exports are for admins
    folded_by_the_console(db_path)
    log_in_at(page, f"{console.console_url}/inbox", "ada")
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

    # Someone else's cancer is no red flag: the reading to keep is the pain it describes.
    target.get_by_role("link", name="Correct this reading").click()
    expect(page.get_by_role("heading", name="Correct what the assistant read")).to_be_visible()
    page.get_by_label("Intent").select_option("describe_pain")
    for row in page.locator("input[name^=words_]").all():  # the form starts from the assistant's reading
        row.fill("")
    for choice in page.locator("select[name^=value_]").all():
        choice.select_option("")
    for n, (words, value) in enumerate([("upper back", "upper_back"), ("after coughing", "after_coughing")]):
        page.locator(f"input[name=words_{n}]").fill(words)
        page.locator(f"select[name=value_{n}]").select_option(value)
    for flag in page.locator("input[name=red_flag]:checked").all():
        flag.uncheck()
    page.get_by_role("button", name="Save correction").click()
    expect(page.locator("li.msg.patient", has_text=MISS).locator(".corrected")).to_contain_text("Corrected by ada")

    with page.expect_download() as download:
        page.get_by_role("link", name="all corrections as NLU training data").click()
    nlu = yaml.safe_load(Path(download.value.path()).read_text(encoding="utf-8"))["nlu"]
    assert [entry["intent"] for entry in nlu] == ["describe_pain"]
    (example,) = [line.removeprefix("- ") for line in nlu[0]["examples"].splitlines()]
    assert '[upper back]{"entity": "pain_location", "value": "upper_back"}' in example
    assert '[after coughing]{"entity": "pain_timing", "value": "after_coughing"}' in example
    assert re.sub(r"\[([^\]]+)\]\{[^}]*\}", r"\1", example) == MISS
