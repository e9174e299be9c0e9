"""The console tests' data: conversations held with the real assistant (tools/held_conversations.py,
stored_events.py), and what they contain.

The expected figures come from Rasa's own `DialogueStateTracker` (retrieved through the tracker
store), not from the console's SQL, so a bug in the console's summaries shows up as a mismatch.
"""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import html
import re
import shutil
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import httpx2
from playwright.sync_api import Page, expect
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.console.conversation_summaries import refresh
from bot.console.database import open_database
from bot.console.outcomes import FALLBACK_ACTIONS, HIDDEN_GREETING
from bot.console.users import create_user
from bot.stack import Stack
from tools import held_conversations as held
from tools.rasa_cli import ROOT, rasa
from tools.servers import free_port, isolated_stack

PASSWORD = "correct horse battery staple"
# Copies of each kind of held conversation, spread over 60 days: more than two pages of the list.
COPIES = 14


@dataclass(frozen=True)
class Truth:
    """One conversation's outcomes, read from Rasa's tracker."""

    started_at: float
    last_at: float
    turns: int
    texts: tuple[str, ...]
    assessment: str | None
    red_flag: bool
    offered: bool
    requested: bool
    completed: bool
    fallbacks: int


async def read_truths(path: Path) -> dict[str, Truth]:
    """Every stored conversation's outcomes, computed from the trackers Rasa rebuilds."""
    store = held.sqlite_store(path)
    found = {}
    for sender in await store.keys():
        tracker = await store.retrieve_full_tracker(sender)
        assert tracker is not None
        # The patient's messages: the widget's unseen greeting is not one.
        users = [e for e in tracker.events if isinstance(e, UserUttered) and e.text != HIDDEN_GREETING]
        actions = [e.action_name for e in tracker.events if isinstance(e, ActionExecuted)]
        assessments = [e.value for e in tracker.events if isinstance(e, SlotSet) and e.key == "assessment" and e.value]
        found[sender] = Truth(
            started_at=tracker.events[0].timestamp,
            last_at=tracker.events[-1].timestamp,
            turns=len(users),
            texts=tuple(e.text or "" for e in users),
            assessment=assessments[-1] if assessments else None,
            red_flag="action_red_flag" in actions,
            offered="utter_offer_booking" in actions,
            requested=any(
                isinstance(e, SlotSet) and e.key == "booking_requested" and e.value is True for e in tracker.events
            ),
            completed="action_save_booking" in actions,
            fallbacks=sum(action in FALLBACK_ACTIONS for action in actions),
        )
    store.engine.dispose()
    return found


def seeded(held_db: Path, folder: Path) -> tuple[Path, dict[str, Truth]]:
    """The held conversations (tools/held_conversations.py's scripts) made two months of them in a copy, and what
    they contain."""
    path = folder / "seed.db"
    shutil.copy(held_db, path)
    held.built(path, COPIES, time.time())
    refresh(open_database(f"sqlite:///{path}"))  # as the console does when it starts
    return path, asyncio.run(read_truths(path))


ROW_LINK = re.compile(r'<tr class="[^"]*">\s*<td><a href="/conversations/([^"]+)">')


async def listed(client: httpx2.AsyncClient, query: str = "") -> tuple[list[str], int]:
    """Every conversation id the list shows for a query, following the pages; and the total it states."""
    ids: list[str] = []
    page = 1
    while True:
        response = await client.get(f"/conversations?{query}&page={page}")
        assert response.status_code == 200
        ids += [unquote(i) for i in ROW_LINK.findall(response.text)]
        total = int(re.search(r'<p class="count">(\d+) conversation', response.text).group(1))  # type: ignore[union-attr]
        if 'rel="next"' not in response.text:
            return ids, total
        page += 1


MARKERS = ROOT / "markers" / "markers.yml"


def evaluate_markers(db_path: Path, folder: Path) -> dict[str, Counter[str]]:
    """Per conversation, how many times each marker applied, from Rasa's CSV."""
    endpoints = folder / "endpoints.yml"
    endpoints.write_text(f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{db_path}"\n')
    output = folder / "markers.csv"
    result = rasa(
        "evaluate", "markers", "all", "--config", str(MARKERS), "--endpoints", str(endpoints),
        "--domain", str(ROOT / "domain.yml"), "--no-stats", str(output),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    found: dict[str, Counter[str]] = defaultdict(Counter)
    with output.open() as f:
        for row in csv.DictReader(f):
            found[row["sender_id"]][row["marker"]] += 1
    return found


def stack_with_console(workdir: Path, web: bool) -> Stack:
    """The real servers with the staff console, on free ports, and a staff account (sam) in their database."""
    tracker_db = workdir / "tracker.db"
    stack = dataclasses.replace(isolated_stack(workdir, tracker_db, web=web), console_port=free_port())
    create_user(open_database(f"sqlite:///{tracker_db}"), "sam", PASSWORD, "staff")
    return stack


def log_in_at(page: Page, url: str, username: str = "sam") -> None:
    """Opens a console page, which asks to log in first, and logs in (as sam, staff): the page then shows."""
    page.goto(url)
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


# A message with a NUL, a bidi override and an escape sequence, as stored before the doors cleaned text.
STORED = "my upper back\x00 aches between my shoulder\x00blades \u202eright now\x1b[0m"


async def store_message(db_path: Path, sender: str, text: str) -> None:
    """The message saved straight into the tracker database, as an older version of the assistant let it in."""
    store = SQLTrackerStore(Domain.load(str(ROOT / "domain.yml")), dialect="sqlite", db=str(db_path))
    events = [ActionExecuted("action_listen"), UserUttered(text, {"name": "describe_pain", "confidence": 0.9})]
    await store.save(DialogueStateTracker.from_events(sender, events))
    store.engine.dispose()


ROW = re.compile(
    r'<tr class="[^"]*">\s*<td><a href="/conversations/(?P<id>[^"]+)">[^<]*</a></td>\s*'
    r'<td class="message"><a [^>]*>(?P<first>[^<]*)</a></td>\s*<td class="num">(?P<turns>\d+)</td>\s*'
    r'<td><span class="assessment [^"]*">(?P<assessment>[^<]*)</span></td>\s*<td>(?P<red_flag>[^<]*)</td>\s*'
    r"<td>(?P<booking>[^<]*)</td>"
)


async def list_rows(client: httpx2.AsyncClient, query: str) -> list[dict[str, str]]:
    """The list's rows as a person reads them: id, first message, turns, assessment, red flag, booking."""
    page = (await client.get(f"/conversations?{query}")).text
    return [{k: html.unescape(v) for k, v in m.groupdict().items()} for m in ROW.finditer(page)]
