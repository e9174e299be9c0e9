"""The conversation list (filters, search, pages) and the transcript, against Rasa's own trackers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import httpx2
import pytest
import sqlalchemy as sa
from sanic import Sanic

from clinic.database.tables import audit_log
from tests.bot.console.console_support import Truth, listed
from tools.console_client import csrf_token
from tools.held_conversations import XSS_TEXT

CLINIC = ZoneInfo("America/Chicago")


def newest_first(truths: dict[str, Truth]) -> list[str]:
    return [s for s, _t in sorted(truths.items(), key=lambda item: (-item[1].started_at, item[0]))]


async def test_the_list_shows_every_conversation_newest_first_50_a_page(
    staff: httpx2.AsyncClient, truths: dict[str, Truth]
) -> None:
    ids, total = await listed(staff)
    assert total == len(truths) > 100
    assert ids == newest_first(truths)
    first = await staff.get("/conversations")
    assert first.text.count('<tr class="') == 50
    assert f"Page 1 of {pages(truths)}" in first.text


async def test_pages_do_not_overlap_and_a_page_past_the_end_shows_the_last(
    staff: httpx2.AsyncClient, truths: dict[str, Truth]
) -> None:
    order = newest_first(truths)
    second = await staff.get("/conversations?page=2")
    assert f"Page 2 of {pages(truths)}" in second.text
    assert f'/conversations/{order[50]}"' in second.text and f'/conversations/{order[49]}"' not in second.text
    beyond = await staff.get("/conversations?page=999")
    assert f"Page {pages(truths)} of {pages(truths)}" in beyond.text and f'/conversations/{order[-1]}"' in beyond.text


def pages(truths: dict[str, Truth]) -> int:
    return -(-len(truths) // 50)


FILTERS: list[tuple[str, Callable[[Truth], bool]]] = [
    ("assessment=asthma_related", lambda t: t.assessment == "asthma_related"),
    ("assessment=emergency", lambda t: t.assessment == "emergency"),
    ("assessment=none", lambda t: t.assessment is None),
    ("red_flag=yes", lambda t: t.red_flag),
    ("red_flag=no", lambda t: not t.red_flag),
    ("booking=offered", lambda t: t.offered),
    ("booking=requested", lambda t: t.requested),
    ("booking=completed", lambda t: t.completed),
    ("booking=none", lambda t: not t.requested and not t.completed),
    ("fallbacks=yes", lambda t: t.fallbacks > 0),
    ("fallbacks=no", lambda t: t.fallbacks == 0),
    ("red_flag=yes&booking=completed", lambda t: t.red_flag and t.completed),
    ("q=shoulder", lambda t: any("shoulder" in x.lower() for x in t.texts)),
    (
        "q=UPPER+tight",
        lambda t: any("upper" in x.lower() for x in t.texts) and any("tight" in x.lower() for x in t.texts),
    ),
    ("q=shoulder&fallbacks=yes", lambda t: t.fallbacks > 0 and any("shoulder" in x.lower() for x in t.texts)),
]


@pytest.mark.parametrize(("query", "expected"), FILTERS, ids=[q for q, _e in FILTERS])
async def test_each_filter_and_the_search_find_exactly_the_matching_conversations(
    staff: httpx2.AsyncClient, truths: dict[str, Truth], query: str, expected: Callable[[Truth], bool]
) -> None:
    ids, total = await listed(staff, query)
    wanted = {s for s, t in truths.items() if expected(t)}
    assert wanted, f"the test data has no conversation for {query}"
    assert set(ids) == wanted and total == len(wanted) == len(ids)


async def test_a_date_range_is_read_in_the_clinics_days(staff: httpx2.AsyncClient, truths: dict[str, Truth]) -> None:
    first = datetime.now(CLINIC).date() - timedelta(days=20)
    last = first + timedelta(days=9)

    def inside(t: Truth) -> bool:
        return first <= datetime.fromtimestamp(t.started_at, CLINIC).date() <= last

    ids, _total = await listed(staff, f"from={first}&to={last}")
    assert set(ids) == {s for s, t in truths.items() if inside(t)} and ids


@pytest.mark.parametrize("probe", ["' OR 1=1 --", "%", "_", "\\", "'; DROP TABLE events; --"])
async def test_sql_and_wildcards_in_the_search_find_nothing_extra(
    staff: httpx2.AsyncClient, truths: dict[str, Truth], probe: str
) -> None:
    found, total = await listed(staff, urlencode({"q": probe}))
    assert found == [] and total == 0
    _ids, everything = await listed(staff)
    assert everything == len(truths)  # and nothing was dropped


async def test_patient_html_is_shown_as_text_never_run(staff: httpx2.AsyncClient) -> None:
    listing = await staff.get("/conversations?q=pwned")
    page = await staff.get("/conversations/probe-xss")
    for body in (listing.text, page.text):
        assert "<script>alert" not in body and "<img src=x" not in body
        assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in body
    assert XSS_TEXT.split(">")[-1] in page.text  # the words after the markup are there too


async def test_the_transcript_shows_times_the_nlu_reading_and_highlights_failures(
    app: Sanic, staff: httpx2.AsyncClient, truths: dict[str, Truth]
) -> None:
    misunderstood = next(s for s, t in sorted(truths.items()) if t.fallbacks)
    page = (await staff.get(f"/conversations/{misunderstood}")).text
    assert '<li class="msg patient fallback' in page and "intent <b>nlu_fallback</b>" in page
    assert "action_handle_fallback" in page
    page = (await staff.get("/conversations/probe-xss")).text
    started = datetime.fromtimestamp(truths["probe-xss"].started_at, CLINIC).strftime("%Y-%m-%d %H:%M")
    assert f"Started {started}" in page

    booked = next(s for s, t in sorted(truths.items()) if t.completed and not t.red_flag)
    page = (await staff.get(f"/conversations/{booked}")).text
    assert "intent <b>describe_pain</b>" in page and "pain_location=" in page  # entities, with the words used
    assert "action_save_booking" in page and "booking_requested = true" in page  # actions and slot changes
    assert "form pain_form started" in page
    assert "booking request sent" in page

    two = (await staff.get("/conversations/probe-two-sessions")).text
    assert two.count('<li class="session">') == 2 and "red flag shown" in two


async def test_viewing_a_transcript_is_audited(app: Sanic, staff: httpx2.AsyncClient) -> None:
    await staff.get("/conversations/probe-formula")
    with app.ctx.engine.connect() as connection:
        entry = connection.execute(sa.select(audit_log).where(audit_log.c.action == "view_transcript")).one()
    assert (entry.username, entry.target) == ("sam", "probe-formula")


async def test_an_unknown_conversation_is_a_404(staff: httpx2.AsyncClient) -> None:
    assert (await staff.get("/conversations/nobody-said-this")).status_code == 404


async def post_form(client: httpx2.AsyncClient, path: str, **fields: str) -> httpx2.Response:
    page = await client.get("/conversations/probe-formula")
    return await client.post(
        path, data={"csrf_token": csrf_token(page.text), "conversation_id": "probe-formula", **fields}
    )


def audited(app: Sanic, action: str) -> list[tuple[str, str, str]]:
    with app.ctx.engine.connect() as connection:
        rows = connection.execute(sa.select(audit_log).where(audit_log.c.action == action).order_by(audit_log.c.id))
        return [(r.username, r.target, r.detail) for r in rows]


async def test_marking_reviewed_or_follow_up_shows_in_the_list_its_filter_and_the_audit_log(
    app: Sanic, staff: httpx2.AsyncClient
) -> None:
    assert (await post_form(staff, "/reviews", status="reviewed")).status_code == 302
    page = (await staff.get("/conversations/probe-formula")).text
    assert '<strong class="review reviewed">reviewed</strong>' in page and "by sam" in page
    assert (await listed(staff, "review=reviewed"))[0] == ["probe-formula"]
    assert "probe-formula" not in (await listed(staff, "review=unreviewed"))[0]

    await post_form(staff, "/reviews", status="follow_up")
    assert (await listed(staff, "review=follow_up"))[0] == ["probe-formula"]
    assert (await listed(staff, "review=reviewed"))[0] == []
    assert audited(app, "review_status") == [
        ("sam", "probe-formula", "reviewed"),
        ("sam", "probe-formula", "follow_up"),
    ]
    assert (await post_form(staff, "/reviews", status="deleted")).status_code == 400


async def test_notes_are_kept_with_author_shown_escaped_and_audited(app: Sanic, staff: httpx2.AsyncClient) -> None:
    await post_form(staff, "/notes", body="Called back, <b>left a voicemail</b>")
    await post_form(staff, "/notes", body="Second call: booked for Tuesday")
    page = (await staff.get("/conversations/probe-formula")).text
    assert "Called back, &lt;b&gt;left a voicemail&lt;/b&gt;" in page
    assert page.index("Called back") < page.index("Second call") and page.count('<span class="by">sam, ') == 2
    assert len(audited(app, "note_added")) == 2
    assert (await post_form(staff, "/notes", body="   ")).status_code == 400


async def test_tags_are_normalised_replaced_and_validated(app: Sanic, staff: httpx2.AsyncClient) -> None:
    await post_form(staff, "/tags", tags="Asthma, follow up, asthma")
    page = (await staff.get("/conversations/probe-formula")).text
    assert '<span class="tag">asthma</span><span class="tag">follow-up</span>' in page
    await post_form(staff, "/tags", tags="callback")
    assert '<span class="tag">callback</span></p>' in (await staff.get("/conversations/probe-formula")).text
    assert (await post_form(staff, "/tags", tags="<b>")).status_code == 400
    assert [d for _u, _t, d in audited(app, "tags_changed")] == ["asthma,follow-up", "callback"]
