"""The learning loop in headless Chromium: an admin opens a transcript, corrects a message the assistant
misread (a definite emergency it only asked about), and downloads the corrections as NLU training data.
Served by its own process as `make run` serves it; screenshots under var/screenshots/.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from playwright.sync_api import Page, expect

from bot.console.database import open_database
from bot.console.users import create_user
from bot.stack import Stack
from tests.bot.console.console_support import PASSWORD
from tests.bot.web.browser import ARTIFACTS
from tools.held_conversations import SCRIPTS

LIPS = SCRIPTS["emergency"][3]  # after the safety check: a hedged sign, read as a possible red flag


def test_an_admin_corrects_a_message_in_the_transcript_and_downloads_it_as_nlu_data(
    console: Stack, page: Page, db_path: Path
) -> None:
    create_user(open_database(f"sqlite:///{db_path}"), "ada", PASSWORD, "admin")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    page.goto(f"{console.console_url}/conversations/emergency")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Transcript")).to_be_visible()

    message = page.locator("li.msg.patient", has_text=LIPS)
    expect(message.locator(".nlu")).to_contain_text("red_flag_possible")
    message.get_by_role("link", name="Correct this reading").click()
    expect(page.get_by_role("heading", name="Correct what the assistant read")).to_be_visible()
    page.get_by_label("Intent").select_option("red_flag_emergency")
    page.get_by_label("blue lips or nails").check()
    page.screenshot(path=str(ARTIFACTS / "console-correction-form.png"), full_page=True)
    page.get_by_role("button", name="Save correction").click()

    corrected = page.locator("li.msg.patient", has_text=LIPS).locator(".corrected")
    expect(corrected).to_contain_text("Corrected by ada")
    expect(corrected).to_contain_text("red_flag_emergency")
    expect(corrected).to_contain_text("emergency (blue lips or nails)")
    page.screenshot(path=str(ARTIFACTS / "console-correction.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="all corrections as NLU training data").click()
    assert download.value.suggested_filename.startswith("corrections-")
    nlu = yaml.safe_load(Path(download.value.path()).read_text(encoding="utf-8"))["nlu"]
    assert nlu == [{"intent": "red_flag_emergency", "examples": f"- {LIPS}\n"}]
