"""The charts page: headline figures that match the trackers, and real SVG charts."""

from __future__ import annotations

import asyncio
import re
from datetime import date, datetime, timedelta
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import httpx2

from bot.console.chart_numbers import Day
from bot.console.charts import CHARTS
from tests.bot.console.console_support import Truth

RANGE = "from=2000-01-01&to=2100-01-01"


def headline(page: str, label: str) -> int:
    found = re.search(rf"<b>(\d+)</b> {label}", page)
    assert found, label
    return int(found.group(1))


async def test_the_headline_figures_match_the_trackers(staff: httpx2.AsyncClient, truths: dict[str, Truth]) -> None:
    page = (await staff.get(f"/charts?{RANGE}")).text
    assert headline(page, "conversations") == len(truths)
    assert headline(page, "with a red flag shown") == sum(t.red_flag for t in truths.values())
    assert headline(page, "offered a visit") == sum(t.offered for t in truths.values())
    assert headline(page, "booking requests sent") == sum(t.completed for t in truths.values())
    assert headline(page, "with a fallback") == sum(t.fallbacks > 0 for t in truths.values())
    fallbacks, turns = sum(t.fallbacks for t in truths.values()), sum(t.turns for t in truths.values())
    assert f"({fallbacks} of {turns} patient messages" in page
    last = datetime.now(ZoneInfo("America/Chicago")).date()  # no day after today; 366 days at most
    for name in CHARTS:
        assert f'src="/charts/svg/{name}?from={last - timedelta(days=365)}&amp;to={last}"' in page


async def test_each_chart_is_an_svg_with_its_title(staff: httpx2.AsyncClient) -> None:
    titles = {
        "conversations": "Conversations per day",
        "assessments": "Assessment mix",
        "bookings": "Booking rate",
        "fallbacks": "Fallback rate",
    }
    assert set(titles) == set(CHARTS)
    for name, title in titles.items():
        response = await staff.get(f"/charts/svg/{name}")
        assert response.status_code == 200 and response.headers["content-type"] == "image/svg+xml"
        root = ElementTree.fromstring(response.content)
        assert root.tag.endswith("svg") and title in response.text
    assert (await staff.get("/charts/svg/nonsense")).status_code == 404


async def test_the_default_range_is_the_last_30_days(staff: httpx2.AsyncClient, truths: dict[str, Truth]) -> None:
    zone = ZoneInfo("America/Chicago")
    today = datetime.now(zone).date()
    recent = sum((today - datetime.fromtimestamp(t.started_at, zone).date()).days < 30 for t in truths.values())
    assert headline((await staff.get("/charts")).text, "conversations") == recent


def test_daily_rates_are_shares_and_empty_days_have_none() -> None:
    day = Day(date(2026, 1, 5), conversations=4, bookings=1, turns=20, fallbacks=3)
    assert (day.booking_rate, day.fallback_rate) == (0.25, 0.15)
    assert Day(date(2026, 1, 6)).booking_rate is None


async def test_a_page_asked_for_while_charts_are_drawn_answers_before_them(staff: httpx2.AsyncClient) -> None:
    """matplotlib (like the database and argon2) runs in worker threads, not on the event loop every request shares."""
    answered: list[str] = []

    async def get(path: str) -> None:
        response = await staff.get(path)
        assert response.status_code == 200, path
        answered.append(path)

    drawing = [asyncio.create_task(get(f"/charts/svg/{name}")) for name in CHARTS]
    await asyncio.sleep(0.01)
    await get("/bookings")
    await asyncio.gather(*drawing)
    assert answered.index("/bookings") < len(drawing), answered
