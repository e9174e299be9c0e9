"""Console inputs past any bound answer 404 or 400 within a second; every sender id Rasa takes opens.

The conversations here are stored straight into a fresh database (no assistant needed): what is tested is the
console's handling of ids, numbers and dates, not the conversations.
"""

from __future__ import annotations

import asyncio
import html
import re
import shutil
import time
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx2
import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Sanic

from bot.console.bounds import MAX_ID
from bot.console.charts import MAX_CHART_DAYS
from bot.console.console_app import create_app
from bot.console.console_settings import ConsoleSettings
from bot.console.conversation_summaries import refresh
from bot.console.database import open_database
from bot.console.inbox_fold import refresh_inbox
from bot.console.users import create_user
from clinic.database.revisions import upgrade
from tests.bot.console.console_support import PASSWORD
from tools.console_client import console_client, csrf_token, log_in
from tools.rasa_cli import ROOT

HUGE = "99999999999999999999"  # past SQLite's and PostgreSQL's largest integer
# Every character the issue found breaking a link, each alone and all together, and the ids no path can carry.
ODD_IDS = ["a=b", "a,b", "a#b", "a?b", "a/b", "a b", "x=1,y#2?z/ w", "100%", "a%2Fb", ".", "..", "~!@$&'()*+;é"]


async def store_conversations(db_path: Path) -> None:
    """One conversation per odd id, its patient message naming its place in ODD_IDS, read with low confidence (so
    the inbox lists it), saved as Rasa saves them."""
    store = SQLTrackerStore(Domain.load(str(ROOT / "domain.yml")), dialect="sqlite", db=str(db_path))
    for n, sender in enumerate(ODD_IDS):
        said = UserUttered(f"my upper back aches, message number {n}", {"name": "describe_pain", "confidence": 0.3})
        await store.save(DialogueStateTracker.from_events(sender, [ActionExecuted("action_listen"), said]))
    store.engine.dispose()


@pytest.fixture(scope="module")
def odd_seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db_path = tmp_path_factory.mktemp("odd-ids") / "tracker.db"
    upgrade(f"sqlite:///{db_path}")
    asyncio.run(store_conversations(db_path))
    engine = open_database(f"sqlite:///{db_path}")
    refresh(engine)
    refresh_inbox(engine, ConsoleSettings(database_url="").low_confidence)
    create_user(engine, "ada", PASSWORD, "admin")
    engine.dispose()
    return db_path


@pytest.fixture
def odd_app(odd_seed: Path, tmp_path: Path) -> Sanic:
    """The console on a copy of the odd ids' database (each test may change its own)."""
    shutil.copy(odd_seed, tmp_path / "tracker.db")
    return create_app(
        ConsoleSettings(database_url=f"sqlite:///{tmp_path / 'tracker.db'}"), name=f"bounds_{uuid.uuid4().hex}"
    )


@pytest.fixture
async def signed_in(odd_app: Sanic) -> AsyncIterator[httpx2.AsyncClient]:
    async with console_client(odd_app) as client:
        assert (await log_in(client, "ada", PASSWORD)).status_code == 302
        yield client


def links(page: str, pattern: str) -> set[str]:
    """Every href on the page that `pattern` matches from its start, as the browser would follow it."""
    return {html.unescape(href) for href in re.findall(rf'href="((?:{pattern})[^"]*)"', page)}


TRANSCRIPTS = r"/conversations/|/conversation\?"


@pytest.mark.parametrize(
    ("method", "path", "form", "status"),
    [
        ("GET", f"/corrections/{HUGE}", {}, 404),
        ("GET", f"/corrections/{HUGE * 300}", {}, 404),  # more digits than int() takes
        ("GET", f"/corrections/{MAX_ID}", {}, 404),
        ("GET", f"/bookings/{HUGE}", {}, 404),
        ("POST", f"/bookings/{HUGE}/status", {"status": "closed"}, 404),
        ("POST", f"/admin/users/{HUGE}/active", {"active": "1"}, 404),
        ("POST", "/corrections", {"event_id": HUGE, "conversation_id": "a=b", "intent": "greet"}, 404),
        ("POST", "/corrections", {"event_id": "²", "conversation_id": "a=b", "intent": "greet"}, 404),
        ("POST", "/corrections/remove", {"event_id": HUGE, "conversation_id": "a=b"}, 404),
        ("POST", "/inbox/dismiss", {"event_id": HUGE, "conversation_id": "a=b", "category": "low_confidence"}, 404),
        ("GET", f"/conversations?page={HUGE}", {}, 404),
        ("GET", "/conversations?page=100001", {}, 404),
        ("GET", f"/bookings?page={HUGE}", {}, 404),
        ("GET", f"/inbox?page={HUGE}", {}, 404),
        ("GET", f"/audit?page={HUGE}", {}, 404),
        ("GET", "/conversations?to=9999-12-31", {}, 400),
        ("GET", "/conversations?from=0001-01-01", {}, 400),
        ("GET", "/exports/conversations.csv?to=9999-12-31", {}, 400),
        ("GET", "/charts?to=9999-12-31", {}, 400),
        ("GET", "/charts/svg/bookings?from=0001-01-01&to=9999-12-31", {}, 400),
    ],
)
async def test_inputs_past_any_bound_answer_404_or_400_within_a_second(
    signed_in: httpx2.AsyncClient, method: str, path: str, form: dict[str, str], status: int
) -> None:
    token = csrf_token((await signed_in.get("/conversations")).text)
    started = time.monotonic()
    response = await signed_in.request(method, path, data={**form, "csrf_token": token} if method == "POST" else None)
    assert (response.status_code, time.monotonic() - started < 1) == (status, True)


@pytest.mark.parametrize("page", ["²", "x", "-3", "0", ""])
async def test_a_word_for_a_page_is_the_first_page(signed_in: httpx2.AsyncClient, page: str) -> None:
    for listing in ("/conversations", "/bookings", "/inbox", "/audit"):
        assert (await signed_in.get(listing, params={"page": page})).status_code == 200, listing


async def test_a_chart_over_a_century_draws_the_last_year_to_today_and_says_so(signed_in: httpx2.AsyncClient) -> None:
    page = await signed_in.get("/charts", params={"from": "2000-01-01", "to": "2099-12-31"})
    assert page.status_code == 200
    assert f"at most {MAX_CHART_DAYS} days" in page.text
    today = datetime.now(ZoneInfo("America/Chicago")).date()
    assert f'name="from" value="{today - timedelta(days=365)}"' in page.text  # the 366 days up to today
    assert f'name="to" value="{today}"' in page.text
    started = time.monotonic()
    chart = await signed_in.get("/charts/svg/bookings", params={"from": "2000-01-01", "to": "2099-12-31"})
    assert chart.status_code == 200 and time.monotonic() - started < 1


@pytest.mark.parametrize("n", range(len(ODD_IDS)))
async def test_every_sender_id_opens_from_the_list_the_inbox_and_after_a_correction(
    signed_in: httpx2.AsyncClient, n: int
) -> None:
    said = f"message number {n}<"  # the number ends there: 1 is not 10
    listed = (await signed_in.get("/conversations")).text
    opened = [href for href in links(listed, TRANSCRIPTS) if said in (await signed_in.get(href)).text]
    assert len(opened) == 1, ODD_IDS[n]
    inbox = (await signed_in.get("/inbox", params={"category": "low_confidence"})).text
    assert [href for href in links(inbox, TRANSCRIPTS) if said in (await signed_in.get(href)).text]

    transcript = await signed_in.get(opened[0])
    (correct,) = links(transcript.text, "/corrections/")
    form = (await signed_in.get(correct)).text
    fields = {k: html.unescape(v) for k, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)}
    back = await signed_in.post("/corrections", data={**fields, "intent": "describe_pain"})
    assert back.status_code == 302, back.text
    assert said in (await signed_in.get(back.headers["location"])).text
