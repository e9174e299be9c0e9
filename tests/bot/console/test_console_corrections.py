"""Correcting what the assistant misread, in the transcript of a conversation held with the real assistant."""

from __future__ import annotations

import time
from pathlib import Path

import httpx2
import pytest
import sqlalchemy as sa
import yaml
from sanic import Sanic

from bot.console.conversation_summaries import refresh
from bot.console.corrections import intent_choices, parsed
from bot.console.retention import purge
from clinic.database.tables import audit_log, corrections
from tests.bot.console.console_support import STORED, store_message
from tests.bot.console.correcting import correct, message_id
from tools.console_client import csrf_token
from tools.held_conversations import DAY, SCRIPTS

SORE = SCRIPTS["emergency"][0]  # "my upper back has been sore after my asthma flare"
LIPS = SCRIPTS["emergency"][3]  # a definite emergency the assistant only asked about (after the safety check)


def audited(app: Sanic, prefix: str) -> list[tuple[str, str, str, str]]:
    with app.ctx.engine.connect() as connection:
        return [
            tuple(r)
            for r in connection.execute(
                sa.select(audit_log.c.username, audit_log.c.action, audit_log.c.target, audit_log.c.detail)
                .where(audit_log.c.action.startswith(prefix))
                .order_by(audit_log.c.id)
            )
        ]


def corrected_line(page: str) -> str:
    start = page.index('<p class="corrected">')
    return " ".join(page[start : page.index("</p>", start)].split())


async def test_a_correction_is_made_shown_changed_removed_and_audited_each_time(
    app: Sanic, staff: httpx2.AsyncClient, admin: httpx2.AsyncClient
) -> None:
    event_id = message_id(app.ctx.engine, "emergency", SORE)
    before = await staff.get("/conversations/emergency")
    assert f'id="c-{event_id}"' in before.text and 'class="corrected"' not in before.text
    assert "Correct this reading" in before.text

    made = await correct(
        staff, "emergency", event_id, "describe_pain",
        {"upper back": "upper_back", "sore": "sharp", "after my asthma flare": "after_flare"},
    )  # fmt: skip
    assert made.status_code == 302 and made.headers["location"] == f"/conversations/emergency#c-{event_id}"
    shown = corrected_line((await staff.get("/conversations/emergency")).text)
    assert "Corrected by <b>sam</b>" in shown and "describe_pain" in shown and "sharp (sore)" in shown
    assert "first by" not in shown and "red flag <b>none</b>" in shown

    changed = await correct(
        admin, "emergency", event_id, "describe_pain",
        {"upper back": "upper_back", "SORE": "dull_ache", "after my asthma flare": "after_flare"},
    )  # fmt: skip
    assert changed.status_code == 302
    page = (await admin.get("/conversations/emergency")).text
    shown = corrected_line(page)
    assert "Corrected by <b>ada</b>" in shown and "(first by sam," in shown
    assert "dull_ache (sore)" in shown and "sharp" not in shown
    assert "Change this correction" in page
    with app.ctx.engine.connect() as connection:
        row = connection.execute(sa.select(corrections)).one()
    assert (row.event_id, row.conversation_id, row.created_by, row.updated_by) == (event_id, "emergency", "sam", "ada")

    removed = await admin.post(
        "/corrections/remove",
        data={"csrf_token": csrf_token(page), "conversation_id": "emergency", "event_id": str(event_id)},
    )
    assert removed.status_code == 302
    assert 'class="corrected"' not in (await admin.get("/conversations/emergency")).text

    detail = f"event {event_id}: describe_pain; pain_location=upper_back; pain_quality=%s; pain_timing=after_flare; red flag none"
    assert audited(app, "correction_") == [
        ("sam", "correction_made", "emergency", detail % "sharp"),
        ("ada", "correction_changed", "emergency", detail % "dull_ache"),
        ("ada", "correction_removed", "emergency", f"event {event_id}"),
    ]


async def test_a_red_flag_correction_shows_its_level_and_flag_and_the_form_starts_from_it(
    app: Sanic, staff: httpx2.AsyncClient
) -> None:
    event_id = message_id(app.ctx.engine, "emergency", LIPS)
    assert (
        await correct(staff, "emergency", event_id, "red_flag_emergency", flags=("blue_lips_or_nails",))
    ).status_code == 302
    page = (await staff.get("/conversations/emergency")).text
    assert "red flag <b>emergency</b> (blue lips or nails)" in corrected_line(page)
    assert f'<a href="/corrections/{event_id}">Change this correction</a>' in page
    form = (await staff.get(f"/corrections/{event_id}")).text
    assert "the assistant read: intent <b>red_flag_possible</b>" in form and LIPS in form
    assert "<option selected>red_flag_emergency</option>" in form
    assert 'value="blue_lips_or_nails" checked' in form and "Remove correction" in form
    assert audited(app, "view_message") == [("sam", "view_message", "emergency", f"event {event_id}")] * 2


async def test_the_form_starts_from_what_the_assistant_read(app: Sanic, staff: httpx2.AsyncClient) -> None:
    form = (await staff.get(f"/corrections/{message_id(app.ctx.engine, 'emergency', SORE)}")).text
    assert "<option selected>describe_pain</option>" in form
    assert 'name="words_0" value="upper back"' in form and "<option selected>upper_back</option>" in form
    assert '" checked>' not in form and "Remove correction" not in form
    assert (await staff.get("/corrections/999999999")).status_code == 404


@pytest.mark.parametrize(
    ("intent", "entities", "flags", "reason"),
    [
        ("describe_pain", {"lower back": "lower_back"}, (), "is not in the message"),
        ("describe_pain", {"upper back": "not_a_value"}, (), "not a value of the slot contract"),
        ("describe_pain", {"upper back": ""}, (), "needs both its words and a value"),
        ("make_coffee", {}, (), "choose an intent from the list"),
        ("red_flag_emergency", {}, (), "needs a red flag of level emergency"),
        ("red_flag_urgent", {}, ("fever", "chest_pain"), "needs a red flag of level urgent"),
        ("describe_pain", {}, ("chest_pain",), "is red_flag_emergency"),
        ("describe_pain", {}, ("no_such_flag",), "unknown red flags"),
    ],
)
async def test_a_correction_that_does_not_fit_the_message_domain_or_contract_is_refused(
    app: Sanic, staff: httpx2.AsyncClient, intent: str, entities: dict[str, str], flags: tuple[str, ...], reason: str
) -> None:
    response = await correct(staff, "emergency", message_id(app.ctx.engine, "emergency", SORE), intent, entities, flags)
    assert response.status_code == 400 and reason in response.text
    # The form again, with what was entered, so nothing typed is lost.
    assert "Save correction" in response.text
    assert all(f'value="{words}"' in response.text for words in entities)
    with app.ctx.engine.connect() as connection:
        assert connection.execute(sa.select(corrections)).first() is None
    assert audited(app, "correction_") == []


async def test_only_a_patient_message_of_that_conversation_can_be_corrected(
    app: Sanic, staff: httpx2.AsyncClient
) -> None:
    other = message_id(app.ctx.engine, "booked", SCRIPTS["booked"][0])
    greeting = message_id(app.ctx.engine, "emergency", "/greet")
    for event_id in (other, greeting, greeting + 1, 10**9):
        assert (await correct(staff, "emergency", event_id, "greet")).status_code == 404
    with app.ctx.engine.connect() as connection:
        assert connection.execute(sa.select(corrections)).first() is None


async def test_staff_can_correct_but_not_export(app: Sanic, staff: httpx2.AsyncClient) -> None:
    event_id = message_id(app.ctx.engine, "emergency", LIPS)
    assert (
        await correct(staff, "emergency", event_id, "red_flag_emergency", flags=("blue_lips_or_nails",))
    ).status_code == 302
    page = (await staff.get("/conversations/emergency")).text
    assert "Corrected by <b>sam</b>" in page and "/exports/learning/" not in page  # no export links offered
    for path in (
        "/exports/learning/nlu.yml",
        "/exports/learning/red_flags.yml",
        "/exports/learning/stories.yml",
        "/exports/learning/story.yml?conversation=emergency",
    ):
        response = await staff.get(path)
        assert response.status_code == 403 and "admins only" in response.text, path
        assert "content-disposition" not in response.headers and LIPS not in response.text
    assert audited(app, "export_") == []


async def test_retention_deletes_a_conversations_corrections_with_it(app: Sanic, staff: httpx2.AsyncClient) -> None:
    old = "declined-00000"
    event_id = message_id(app.ctx.engine, old, SCRIPTS["declined"][0])
    assert (await correct(staff, old, event_id, "describe_pain", {"upper back": "upper_back"})).status_code == 302
    purge(app.ctx.engine, 1, time.time() + 61 * DAY, app.ctx.settings.idle_s, app.ctx.settings.max_s)
    with app.ctx.engine.connect() as connection:
        assert connection.execute(sa.select(corrections).where(corrections.c.event_id == event_id)).first() is None


def test_the_form_offers_the_domains_intents_and_each_faq_answer() -> None:
    choices = intent_choices()
    assert {"describe_pain", "inform_details", "red_flag_emergency", "faq/can_inhaler_cause_it"} <= set(choices)
    assert "faq" not in choices and "nlu_fallback" not in choices


def test_a_possible_red_flag_may_carry_the_flag_it_asks_about() -> None:
    correction = parsed(LIPS, "red_flag_possible", [], [], ["blue_lips_or_nails"])
    assert correction.level.value == "emergency" and correction.red_flags == ("blue_lips_or_nails",)


async def test_text_stored_before_the_doors_cleaned_it_breaks_no_export_of_what_was_learned(
    app: Sanic, db_path: Path, staff: httpx2.AsyncClient, admin: httpx2.AsyncClient
) -> None:
    await store_message(db_path, "stored-nul", STORED)
    refresh(app.ctx.engine)
    event_id = message_id(app.ctx.engine, "stored-nul", STORED)
    made = await correct(
        staff, "stored-nul", event_id, "describe_pain", {"upper back": "upper_back", "aches": "dull_ache"}
    )
    assert made.status_code == 302
    for path in ("/exports/learning/nlu.yml", "/exports/learning/stories.yml"):
        response = await admin.get(path)
        assert response.status_code == 200, path
        assert not any(c in response.text for c in ("\x00", "\x1b", "\u202e")), path
        assert "my [upper back]" in response.text and "shoulder blades right now" in response.text
        yaml.safe_load(response.text)
