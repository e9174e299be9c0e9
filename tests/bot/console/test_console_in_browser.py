"""The console in headless Chromium, served by its own process as `make run` serves it.

A staff member logs in, filters to conversations that sent a booking request, opens one,
marks it reviewed and exports the list. Screenshots are saved under var/screenshots/.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from bot.console.tables import open_database
from bot.console.users import create_user
from bot.launcher import start, stop, wait_until_up
from bot.stack import Stack, console_command
from tests.bot.console.console_support import PASSWORD, Truth
from tests.bot.web.browser import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS
from tools.servers import free_port


@pytest.fixture
def console(db_path: Path, tmp_path: Path) -> Iterator[Stack]:
    """`python -m bot.console` on a free port, reading the tracker store named in its endpoints.yml."""
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{db_path}"\n')
    create_user(open_database(f"sqlite:///{db_path}"), "sam", PASSWORD, "staff")
    stack = Stack(web_port=None, console_port=free_port(), endpoints=endpoints, log_dir=tmp_path / "log")
    process = start(console_command(stack), stack, "console")
    try:
        wait_until_up(f"{stack.console_url}/login", process, timeout=120)
        yield stack
    finally:
        stop([process])


@pytest.fixture
def page() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser: Browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        yield context.new_page()
        browser.close()


def log_in_at(page: Page, url: str, username: str = "sam") -> None:
    """Opens a console page, which asks to log in first, and logs in (as sam, staff): the page then shows."""
    page.goto(url)
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_log_in_filter_to_bookings_review_one_and_export(console: Stack, page: Page, truths: dict[str, Truth]) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    booked = {s for s, t in truths.items() if t.completed}

    log_in_at(page, f"{console.console_url}/conversations")
    expect(page.get_by_role("heading", name="Conversations")).to_be_visible()

    page.get_by_label("Booking").select_option("completed")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("p.count")).to_contain_text(f"{len(booked)} conversations")
    page.screenshot(path=str(ARTIFACTS / "console-list.png"), full_page=True)

    page.locator("table.list tbody tr").first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Transcript")).to_be_visible()
    expect(page.locator("p.facts")).to_contain_text("booking request sent")
    page.get_by_role("button", name="Mark reviewed").click()
    expect(page.locator("strong.review")).to_have_text("reviewed")
    expect(page.locator(".review-box")).to_contain_text("by sam")
    page.screenshot(path=str(ARTIFACTS / "console-transcript.png"), full_page=True)

    page.go_back()
    page.go_back()
    page.get_by_label("Review").select_option("reviewed")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("p.count")).to_contain_text("1 conversation")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export these as CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert len(rows) == 1 and rows[0]["conversation_id"] in booked
    assert rows[0]["booking_completed"] == "True" and rows[0]["review_status"] == "reviewed"
