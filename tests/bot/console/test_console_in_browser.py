"""The console in headless Chromium, served by its own process as `make run` serves it.

A staff member logs in, filters to conversations that sent a booking request, opens one,
marks it reviewed and exports the list. Screenshots are saved under var/screenshots/.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from playwright.sync_api import Page, expect

from bot.stack import Stack
from tests.bot.console.console_support import Truth, log_in_at
from tests.bot.web.browser import ARTIFACTS


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
