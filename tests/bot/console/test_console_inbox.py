"""The review inbox on conversations held with the real assistant (inbox_support.py), read as staff read it.

Every line is checked against the stored events: the category it is listed under and the message it
links to. `rasa evaluate markers` runs once for the module and must count the fallbacks the inbox lists.
"""

from __future__ import annotations

import html
import re
import shutil
from collections import Counter
from pathlib import Path

import httpx2
import pytest
import sqlalchemy as sa
import yaml

from bot.console.inbox_fold import CATEGORIES
from bot.console.outcomes import FALLBACK_ACTIONS
from clinic.database.tables import conversations, inbox_items
from tests.bot.console.console_support import evaluate_markers
from tests.bot.console.inbox_support import FALSE_ALARM, LOOP_QUESTION, LOW, MISS, OTHER_TOPIC, SCRIPTS, said_at, stored
from tools.console_client import csrf_token
from tools.rasa_cli import ROOT

LINE = re.compile(
    r'<tr class="(?P<category>[a-z_]+)">\s*<td>[^<]*</td>\s*<td>[^<]*</td>\s*'
    r'<td class="message"><a href="/conversations/(?P<conversation>[^"#]+)#m-(?P<event>\d+)">(?P<text>[^<]*)</a></td>'
)
COUNT = re.compile(
    r'<li class="(?P<category>[a-z_]+)"><a href="/inbox\?category=[a-z_]+"[^>]*>[^<]*</a> <b>(?P<n>\d+)</b>'
)


@pytest.fixture
def db_path(inbox_seed: Path, tmp_path: Path) -> Path:
    """A copy of the held conversations (each test may dismiss lines): the console fixtures read this one."""
    path = tmp_path / "tracker.db"
    shutil.copy(inbox_seed, path)
    return path


@pytest.fixture(scope="module")
def markers(inbox_seed: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Counter[str]]:
    return evaluate_markers(inbox_seed, tmp_path_factory.mktemp("inbox-markers"))


async def inbox_lines(client: httpx2.AsyncClient, category: str = "") -> list[dict[str, str]]:
    page = await client.get(f"/inbox?category={category}")
    assert page.status_code == 200
    return [{k: html.unescape(v) for k, v in m.groupdict().items()} for m in LINE.finditer(page.text)]


def lines_of(lines: list[dict[str, str]], conversation: str) -> set[tuple[str, int]]:
    return {(line["category"], int(line["event"])) for line in lines if line["conversation"] == conversation}


async def test_a_possible_miss_a_false_alarm_and_a_loop_are_listed_in_their_categories_most_risky_first(
    staff: httpx2.AsyncClient, db_path: Path
) -> None:
    lines = await inbox_lines(staff)
    assert ("possible_miss", said_at(db_path, "inbox-miss", MISS)) in lines_of(lines, "inbox-miss")
    assert ("possible_false_alarm", said_at(db_path, "inbox-false-alarm", FALSE_ALARM)) in lines_of(
        lines, "inbox-false-alarm"
    )
    # The line of a loop is the second asking of the same question.
    askings = [
        i for i, bot in stored(db_path, "inbox-loop", "bot") if bot["metadata"].get("utter_action") == LOOP_QUESTION
    ]
    assert len(askings) >= 2 and ("loop", askings[1]) in lines_of(lines, "inbox-loop")
    # The emergency was raised on red-flag words and the patient did not deny it: no false alarm; nothing missed.
    assert not {c for c, _ in lines_of(lines, "inbox-emergency")} & {"possible_miss", "possible_false_alarm"}
    ranks = [CATEGORIES.index(line["category"]) for line in lines]
    assert ranks == sorted(ranks) and ranks[0] == 0
    assert next(line["text"] for line in lines if line["category"] == "possible_miss") == MISS

    # The link lands on that message in its transcript.
    miss = next(line for line in lines if line["category"] == "possible_miss")
    transcript = (await staff.get(f"/conversations/{miss['conversation']}")).text
    assert re.search(rf'<li class="msg patient[^"]*" id="m-{miss["event"]}">.*?{re.escape(MISS)}', transcript, re.S)


async def test_fallbacks_and_conversations_that_ended_without_an_assessment_are_listed(
    staff: httpx2.AsyncClient, db_path: Path
) -> None:
    lines = await inbox_lines(staff)
    # Another topic gets the polite redirect: a fallback, in the inbox and in the conversation's own count.
    other = said_at(db_path, "inbox-other-topic", OTHER_TOPIC)
    assert ("fallback", other) in lines_of(lines, "inbox-other-topic")
    assert "· 1 fallback" in (await staff.get("/conversations/inbox-other-topic")).text
    loop_fallbacks = [e for c, e in lines_of(lines, "inbox-loop") if c == "fallback"]
    assert len(loop_fallbacks) == 2  # "blorf" and "???", each once
    # Ended (quiet for two hours) without an assessment: the last patient message is listed; the emergency
    # had one, and the conversation still going has not ended.
    ended = {line["conversation"] for line in lines if line["category"] == "no_assessment"}
    assert ended == set(SCRIPTS) - {"inbox-emergency", "inbox-ongoing"}
    assert ("no_assessment", said_at(db_path, "inbox-other-topic", OTHER_TOPIC)) in lines_of(lines, "inbox-other-topic")


async def test_low_confidence_messages_are_listed_with_their_intent_and_confidence(
    staff: httpx2.AsyncClient, db_path: Path
) -> None:
    page = (await staff.get("/inbox?category=low_confidence")).text
    lines = [{k: html.unescape(v) for k, v in m.groupdict().items()} for m in LINE.finditer(page)]
    for line in lines:
        user = dict(stored(db_path, line["conversation"], "user"))[int(line["event"])]
        assert user["parse_data"]["intent"]["confidence"] < 0.6
    found = {
        (conversation, i)
        for conversation in SCRIPTS
        for i, user in stored(db_path, conversation, "user")
        if user["parse_data"]["intent"]["confidence"] < 0.6
    }
    assert {(line["conversation"], int(line["event"])) for line in lines} <= found
    assert ("inbox-low", said_at(db_path, "inbox-low", LOW)) in {
        (line["conversation"], int(line["event"])) for line in lines
    }


async def test_a_dismissed_line_leaves_the_inbox_and_the_dismissal_is_audited(
    staff: httpx2.AsyncClient, admin: httpx2.AsyncClient, db_path: Path
) -> None:
    page = await staff.get("/inbox?category=possible_miss")
    before = {m.group("category"): int(m.group("n")) for m in COUNT.finditer(page.text)}
    miss = said_at(db_path, "inbox-miss", MISS)
    form = {
        "csrf_token": csrf_token(page.text),
        "conversation_id": "inbox-miss",
        "event_id": str(miss),
        "category": "possible_miss",
        "back": "possible_miss",
    }
    assert (await staff.post("/inbox/dismiss", data={**form, "csrf_token": "forged"})).status_code == 403
    answer = await staff.post("/inbox/dismiss", data=form)
    assert answer.status_code == 302 and answer.headers["location"] == "/inbox?category=possible_miss"
    page = await staff.get("/inbox")
    after = {m.group("category"): int(m.group("n")) for m in COUNT.finditer(page.text)}
    assert ("possible_miss", miss) not in lines_of(await inbox_lines(staff), "inbox-miss")
    assert after == {**before, "possible_miss": before["possible_miss"] - 1}
    assert (await staff.post("/inbox/dismiss", data=form)).status_code == 404  # once only
    audit = (await admin.get("/audit?action=inbox_dismissed")).text
    assert "inbox-miss" in audit and "sam" in audit and f"possible_miss message {miss}" in audit
    assert "view_inbox" in (await admin.get("/audit?action=view_inbox")).text


async def test_the_charts_page_shows_the_open_lines_per_category(staff: httpx2.AsyncClient) -> None:
    page = (await staff.get("/inbox")).text
    listed = {m.group("category"): int(m.group("n")) for m in COUNT.finditer(page)}
    charts = (await staff.get("/charts?from=2000-01-01&to=2100-01-01")).text
    shown = {
        m.group(1): int(m.group(2))
        for m in re.finditer(
            r'<tr class="([a-z_]+)"><td><a href="/inbox\?category=\1">[^<]*</a></td><td class="num">(\d+)</td>', charts
        )
    }
    assert set(shown) == set(CATEGORIES) and shown == listed
    assert all(shown[c] > 0 for c in CATEGORIES)


def test_rasa_markers_count_the_fallbacks_the_inbox_lists(markers: dict[str, Counter[str]], inbox_seed: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{inbox_seed}")
    with engine.connect() as connection:
        fallbacks = Counter(
            connection.execute(sa.select(inbox_items.c.conversation_id).where(inbox_items.c.category == "fallback"))
            .scalars()
            .all()
        )
        summaries = dict(
            connection.execute(sa.select(conversations.c.conversation_id, conversations.c.fallbacks)).all()
        )
    engine.dispose()
    assert set(summaries) == set(SCRIPTS)
    for conversation in SCRIPTS:
        applied = markers.get(conversation, Counter())
        assert applied["fallback"] == fallbacks[conversation] == summaries[conversation], conversation
        assert bool(applied["red_flag_shown"]) == (conversation == "inbox-emergency")
    assert sum(fallbacks.values()) == 3


def test_the_fallback_marker_counts_the_replies_the_console_counts() -> None:
    config = yaml.safe_load((ROOT / "markers" / "markers.yml").read_text())
    assert {item["action"] for item in config["fallback"]["or"]} == FALLBACK_ACTIONS
