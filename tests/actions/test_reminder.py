"""After a red-flag reply: a reminder of what to do now, and no way back into self-care."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.reminder import SELF_CARE_ANSWERS, ActionRedFlagReminder, answer_first
from tests.support import TrackerFactory, responses


def asked(topic: str) -> dict[str, Any]:
    """The parse data of a question about the article, as the ResponseSelector leaves it."""
    return {"response_selector": {"faq": {"response": {"intent_response_key": f"faq/{topic}"}}}}


@pytest.mark.parametrize(
    ("intent", "parse_data", "expected"),
    [
        ("thanks", {}, None),
        ("describe_pain", {}, None),
        ("bot_challenge", {}, "utter_iamabot"),
        ("faq", asked("what_clinic_does"), "utter_faq/what_clinic_does"),
        ("faq", asked("can_asthma_cause_back_pain"), "utter_faq/can_asthma_cause_back_pain"),
        *(("faq", asked(topic), None) for topic in sorted(SELF_CARE_ANSWERS)),
        ("faq", {}, None),
    ],
)
def test_what_is_answered_before_the_reminder(intent: str, parse_data: dict, expected: str | None) -> None:
    assert answer_first(parse_data, intent) == expected


@pytest.mark.parametrize(
    ("level", "intent", "extra", "expected"),
    [
        ("emergency", "thanks", {}, ["utter_reminder_emergency"]),
        ("emergency", "describe_pain", {}, ["utter_reminder_emergency"]),
        ("urgent", "affirm", {}, ["utter_reminder_urgent"]),
        ("urgent", "faq", asked("stretches"), ["utter_reminder_urgent"]),
        ("emergency", "faq", asked("what_clinic_does"), ["utter_faq/what_clinic_does", "utter_reminder_emergency"]),
    ],
)
async def test_every_message_after_a_red_flag_gets_the_reminder_of_its_level(
    make_tracker: TrackerFactory,
    dispatcher: CollectingDispatcher,
    domain: dict,
    level: str,
    intent: str,
    extra: dict,
    expected: list[str],
) -> None:
    tracker = make_tracker(slots={"red_flag_level": level, "assessment": level}, intent=intent, **extra)
    events = await ActionRedFlagReminder().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == expected
    assert [e["name"] for e in events if e["event"] == "followup"] == ["action_listen"]


def test_the_reminders_say_what_to_do_now_and_the_urgent_one_that_a_visit_is_not_today(domain: dict) -> None:
    emergency = domain["responses"]["utter_reminder_emergency"][0]["text"]
    urgent = domain["responses"]["utter_reminder_urgent"][0]["text"]
    assert emergency.startswith("Please call 911 now")
    assert urgent.startswith("Please see a doctor today") and "won't be today" in urgent
