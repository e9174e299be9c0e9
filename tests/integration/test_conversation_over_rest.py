"""The whole assistant for real: action server + Rasa server + SQLite tracker store, over REST."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.stack import Stack
from clinic.questions import FORM_QUESTIONS, PAIN_QUESTIONS
from clinic.red_flags import Level
from clinic.safety_check import SIGNS, UNSURE_BUTTON, Sign
from tests.integration.running_assistant import assert_booked_visit_slots
from tests.support import off_contract
from tools.rasa_cli import ROOT
from tools.servers import (
    NO_SIGNS,
    answer_safety_check,
    assert_asks_safety_check,
    chat,
    say,
    text_of,
    titles,
)

OPENING = "I get a dull ache between my shoulder blades after coughing fits, worse when I lie down"
# What patients say after a red-flag reply, expecting the conversation to go on as before.
AFTER_A_RED_FLAG = ("thanks", "ok", "a dull ache between my shoulder blades after coughing", "yes", "no")
RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
# The words of every question of the pain form (the safety check's two, then the pain questions).
QUESTIONS = {q: RESPONSES[f"utter_ask_{q}"][0]["text"] for q in FORM_QUESTIONS}
YES_NO_UNSURE = ["Yes", "No", "Not sure"]


@pytest.fixture(scope="module")
def stack(assistant: Stack) -> Stack:
    """The session's assistant (tests/conftest.py), the web app too for the proxy's tests."""
    return assistant


@pytest.fixture(scope="module")
def tracker_db(assistant_db: Path) -> Path:
    return assistant_db


def tracker_of(tracker_db: Path, sender: str) -> DialogueStateTracker:
    """The conversation as the Rasa server saved it."""
    store = SQLTrackerStore(Domain.load(str(ROOT / "domain.yml")), dialect="sqlite", db=str(tracker_db))
    tracker = asyncio.run(store.retrieve(sender))
    assert tracker is not None
    return tracker


def sign(flag: str) -> Sign:
    """The safety check's row (button) for a red flag."""
    return next(s for s in SIGNS if s.flag == flag)


def tells_to_call_911(said: str) -> bool:
    return "call 911 now" in said.lower()


def tells_to_see_a_doctor_today(said: str) -> bool:
    """The urgent reply or reminder: a doctor today, not 911 now (911 only if it gets worse)."""
    said = said.lower()
    return "doctor" in said and "today" in said and not tells_to_call_911(said)


def asks_a_form_question(replies: list[dict], questions: tuple[str, ...] = FORM_QUESTIONS) -> bool:
    """Whether the replies ask one of these questions of the pain form (in the domain's words)."""
    return any(QUESTIONS[q] in (r.get("text") or "") for r in replies for q in questions)


def assert_only_the_reminder(replies: list[dict], level: Level) -> None:
    """After a red-flag reply: what to do now as the last word, and no question, assessment, advice or booking offer."""
    said = text_of(replies)
    if level is Level.EMERGENCY:
        assert tells_to_call_911(replies[-1].get("text") or ""), said
        assert "Start over" in titles(replies), said
    else:
        assert tells_to_see_a_doctor_today(replies[-1].get("text") or ""), said
    assert not asks_a_form_question(replies), said
    assert "usual pattern" not in said and "what you've told me" not in said, said  # no assessment
    assert not any(advice in said.lower() for advice in ("stretch", "heat", "belly breathing", "posture")), said
    assert "booking request" not in said and "Yes, book a visit" not in titles(replies), said


def test_a_whole_conversation_through_to_a_stored_booking(stack: Stack, tracker_db: Path) -> None:
    sender = f"it-{uuid.uuid4()}"
    greeting = text_of(say(stack, sender, "hi"))
    assert "Frontier Allergy" in greeting and "not a doctor" in greeting and "911" in greeting

    check = say(stack, sender, OPENING)
    assert_asks_safety_check(check, Level.EMERGENCY)  # before any pain question: every emergency sign
    assert not asks_a_form_question(check, PAIN_QUESTIONS)
    replies = answer_safety_check(stack, sender)  # none of them, then none of the urgent signs
    assert "under control" in text_of(replies)  # only asks what it still needs: not where, when or how
    assert titles(replies) == YES_NO_UNSURE

    assert "breathing exercises or a better posture" in text_of(say(stack, sender, "yes it does"))
    assert "normal movement, lifting or sleep" in text_of(say(stack, sender, "yeah"))
    assert "keep coming back" in text_of(say(stack, sender, "no"))
    assert "asthma medicines" in text_of(say(stack, sender, "no"))

    assessment = text_of(say(stack, sender, "i use flovent twice a day"))
    assert "usual pattern of asthma-related back pain" in assessment
    assert "Relief starts with calming your lungs" in assessment
    assert "stretching of your upper back" in assessment and "Belly breathing" in assessment
    assert "react badly to aspirin" in assessment
    assert "booking request" in assessment

    assert "name" in text_of(say(stack, sender, "yes please"))
    assert "phone number or email" in text_of(say(stack, sender, "Sara Lopez"))
    assert "doesn't look like a phone number" in text_of(say(stack, sender, "555-01"))
    assert "When would suit you" in text_of(say(stack, sender, "512-555-0134"))
    done = text_of(say(stack, sender, "tuesday morning"))
    assert "I've sent your request to the clinic" in done and "(512) 555-0134" in done
    assert "summary you can share with your doctor" in done
    assert "same-day" not in done  # that is only said after an urgent sign

    assert_booked_visit_slots(tracker_of(tracker_db, sender))

    engine = sa.create_engine(f"sqlite:///{tracker_db}")
    with engine.connect() as connection:
        rows = (
            connection.execute(sa.text("SELECT * FROM booking_requests WHERE conversation_id = :c"), {"c": sender})
            .mappings()
            .all()
        )
    assert len(rows) == 1
    assert (rows[0]["patient_name"], rows[0]["contact"], rows[0]["preferred_time"]) == (
        "Sara Lopez",
        "(512) 555-0134",
        "tuesday morning",
    )
    assert rows[0]["assessment"] == "asthma_related" and rows[0]["status"] == "new"


def test_no_medicines_is_an_answer_and_the_assessment_follows(stack: Stack, tracker_db: Path) -> None:
    """'No' to the medicines question is stored as `none`, not asked again, and the assessment comes next."""
    sender = f"it-{uuid.uuid4()}"
    say(stack, sender, OPENING)
    answer_safety_check(stack, sender)
    for answer in ("yes it does", "yeah", "no"):
        say(stack, sender, answer)
    assert "asthma medicines" in text_of(say(stack, sender, "no"))
    assessment = text_of(say(stack, sender, "no"))
    assert "usual pattern of asthma-related back pain" in assessment and "asthma medicines" not in assessment
    assert tracker_of(tracker_db, sender).get_slot("medication") == ["none"]


def test_a_new_treatment_gets_asked_about_and_pain_that_started_soon_after_it_is_put_down_to_medicines(
    stack: Stack, tracker_db: Path
) -> None:
    sender = f"it-{uuid.uuid4()}"
    say(stack, sender, "hi")
    assert_asks_safety_check(say(stack, sender, "I get tightness in my upper back during flare-ups"), Level.EMERGENCY)
    assert "under control" in text_of(answer_safety_check(stack, sender))
    for _ in range(4):  # asthma control, breathing exercises, movement, keeps coming back
        question = text_of(say(stack, sender, "no"))
    assert "asthma medicines" in question

    replies = say(stack, sender, "i just started dupixent")
    assert "Did the back pain start soon after you began it?" in text_of(replies)
    assert titles(replies) == YES_NO_UNSURE

    assessment = text_of(say(stack, sender, "yes"))
    assert "your asthma medicines may be adding to it" in assessment
    assert "soon after a new asthma treatment" in assessment
    assert "Don't stop or change a medicine on your own" in assessment
    tracker = tracker_of(tracker_db, sender)
    assert tracker.get_slot("medication") == ["new_treatment"]
    assert tracker.get_slot("started_after_new_treatment") is True
    assert tracker.get_slot("assessment") == "medication_related"


def test_an_emergency_mid_questions_goes_straight_to_911_and_start_over_forgets_it(
    stack: Stack, tracker_db: Path
) -> None:
    sender = f"it-{uuid.uuid4()}"
    say(stack, sender, "my upper back has been sore after my asthma flare")
    assert asks_a_form_question(answer_safety_check(stack, sender), PAIN_QUESTIONS)
    replies = text_of(say(stack, sender, "and now my lips have gone bluish and grey"))
    assert tells_to_call_911(replies)
    assert "stretch" not in replies.lower() and "heat" not in replies.lower()

    assert "Let's start over" in text_of(say(stack, sender, "start over"))
    tracker = tracker_of(tracker_db, sender)
    assert tracker.get_slot("assessment") is None and tracker.get_slot("pain_location") is None
    assert tracker.get_slot("red_flag_level") is None


def test_a_possible_red_flag_is_asked_about_and_yes_sends_911(stack: Stack, tracker_db: Path) -> None:
    sender = f"it-{uuid.uuid4()}"
    say(stack, sender, "hi")
    replies = say(stack, sender, "my lower back aches and i think my legs might be going a bit numb")
    assert text_of(replies).startswith("To be safe") and text_of(replies).endswith("?")  # about that one sign
    assert titles(replies) == YES_NO_UNSURE
    assert "911" not in text_of(replies)

    answer = text_of(say(stack, sender, "/affirm"))
    assert tells_to_call_911(answer)
    tracker = tracker_of(tracker_db, sender)
    assert tracker.get_slot("assessment") == "emergency"
    assert tracker.active_loop_name is None


def test_safety_check_an_emergency_sign_tapped_gets_911_at_once(stack: Stack, tracker_db: Path) -> None:
    sender = f"it-{uuid.uuid4()}"
    check = say(stack, sender, OPENING)
    assert_asks_safety_check(check, Level.EMERGENCY)
    chest = sign("chest_pain")
    assert {"title": chest.title, "payload": chest.says} in check[-1]["buttons"]

    replies = say(stack, sender, chest.says)  # what tapping the button sends
    assert tells_to_call_911(text_of(replies)) and not asks_a_form_question(replies)
    tracker = tracker_of(tracker_db, sender)
    assert (tracker.get_slot("assessment"), tracker.get_slot("red_flag_level")) == ("emergency", "emergency")
    assert tracker.active_loop_name is None


def test_safety_check_an_urgent_sign_tapped_gets_a_doctor_today(stack: Stack, tracker_db: Path) -> None:
    sender = f"it-{uuid.uuid4()}"
    assert_asks_safety_check(say(stack, sender, OPENING), Level.EMERGENCY)
    check = say(stack, sender, "no")
    assert_asks_safety_check(check, Level.URGENT)
    fever = sign("fever")
    assert {"title": fever.title, "payload": fever.says} in check[-1]["buttons"]

    replies = say(stack, sender, fever.says)
    assert tells_to_see_a_doctor_today(text_of(replies)) and not asks_a_form_question(replies)
    tracker = tracker_of(tracker_db, sender)
    assert (tracker.get_slot("assessment"), tracker.get_slot("red_flag_level")) == ("urgent", "urgent")
    assert tracker.active_loop_name is None


@pytest.mark.parametrize("level", [Level.EMERGENCY, Level.URGENT])
def test_safety_check_not_sure_gets_that_levels_reply_without_naming_a_sign(
    stack: Stack, tracker_db: Path, level: Level
) -> None:
    sender = f"it-{uuid.uuid4()}"
    check = say(stack, sender, OPENING)
    assert_asks_safety_check(check, Level.EMERGENCY)
    if level is Level.URGENT:
        check = say(stack, sender, NO_SIGNS[0])
        assert_asks_safety_check(check, Level.URGENT)
    assert UNSURE_BUTTON in check[-1]["buttons"]

    replies = text_of(say(stack, sender, UNSURE_BUTTON["payload"]))
    assert "weren't sure" in replies
    assert tells_to_call_911(replies) if level is Level.EMERGENCY else tells_to_see_a_doctor_today(replies)
    tracker = tracker_of(tracker_db, sender)
    assert (tracker.get_slot("assessment"), tracker.get_slot("red_flag_level")) == (level.value, level.value)
    assert not asks_a_form_question(say(stack, sender, "thanks"))


def test_safety_check_a_suspected_sign_is_asked_about_first_and_a_no_leaves_it_off_the_list(
    stack: Stack, tracker_db: Path
) -> None:
    sender = f"it-{uuid.uuid4()}"
    assert_asks_safety_check(say(stack, sender, "my upper back has been sore after my asthma flare"), Level.EMERGENCY)
    question = say(stack, sender, "my chest feels a bit funny too")
    said = text_of(question)
    assert said.startswith("To be safe") and "chest" in said.lower() and said.endswith("?")  # that one sign
    assert titles(question) == YES_NO_UNSURE and "911" not in said

    carried_on = say(stack, sender, "no")
    assert text_of(carried_on).startswith("Thank you for checking. Let's carry on.")
    assert_asks_safety_check(carried_on, Level.EMERGENCY, cleared=["chest_pain"])  # the check, where it was
    assert sign("chest_pain").title not in titles(carried_on)
    assert "911" not in text_of(carried_on)
    assert asks_a_form_question(answer_safety_check(stack, sender), PAIN_QUESTIONS)  # then the pain questions
    tracker = tracker_of(tracker_db, sender)
    assert tracker.get_slot("assessment") is None and tracker.get_slot("red_flag_level") is None
    assert tracker.get_slot("pain_location") == "upper_back"
    assert tracker.get_slot("signs_cleared") == ["chest_pain"]
    assert tracker.active_loop_name == "pain_form"


def test_a_question_about_a_child_gets_the_childs_doctor_and_the_911_signs_not_the_adult_questions(
    stack: Stack, tracker_db: Path
) -> None:
    sender = f"it-{uuid.uuid4()}"
    replies = say(
        stack, sender, "my 9 year old daughter has a sore lower back after her asthma attack, what can she do?"
    )
    said = text_of(replies)
    assert "child's doctor" in said and "911" in said
    assert not asks_a_form_question(replies) and "stretch" not in said.lower()
    tracker = tracker_of(tracker_db, sender)
    assert tracker.active_loop_name is None and tracker.get_slot("assessment") is None


def test_after_the_emergency_reply_every_message_gets_the_911_reminder_until_start_over(
    stack: Stack, tracker_db: Path
) -> None:
    sender = f"it-{uuid.uuid4()}"
    assert tells_to_call_911(text_of(say(stack, sender, "my lips are turning blue and I can't breathe")))
    for message in (*AFTER_A_RED_FLAG, "I'd like to book a visit"):  # no booking either: 911 is the only way
        assert_only_the_reminder(say(stack, sender, message), Level.EMERGENCY)
    tracker = tracker_of(tracker_db, sender)
    assert (tracker.get_slot("assessment"), tracker.get_slot("red_flag_level")) == ("emergency", "emergency")
    assert tracker.active_loop_name is None

    assert "Let's start over" in text_of(say(stack, sender, "start over"))
    afresh = say(stack, sender, AFTER_A_RED_FLAG[2])
    assert_asks_safety_check(afresh, Level.EMERGENCY)  # the pain description starts the questions again
    assert not tells_to_call_911(text_of(afresh))
    assert tracker_of(tracker_db, sender).get_slot("red_flag_level") is None


def test_after_the_urgent_reply_every_message_gets_the_reminder_but_a_visit_can_still_be_booked(
    stack: Stack, tracker_db: Path
) -> None:
    sender = f"it-{uuid.uuid4()}"
    urgent = text_of(say(stack, sender, "I've had a fever and chills with this back pain"))
    assert tells_to_see_a_doctor_today(urgent) and "booking request" not in urgent
    for message in (*AFTER_A_RED_FLAG, "any easy stretches i can do at home?"):  # no self-care advice either
        assert_only_the_reminder(say(stack, sender, message), Level.URGENT)
    answered = say(stack, sender, "can my inhaler cause back pain?")  # the article's answer, then the reminder
    assert len(answered) > 1 and "inhaler" in text_of(answered[:-1]).lower()
    assert tells_to_see_a_doctor_today(answered[-1]["text"])

    assert "name" in text_of(say(stack, sender, "I'd like to book a visit"))  # asked for: the booking form
    assert "phone number or email" in text_of(say(stack, sender, "Sara Lopez"))
    assert "When would suit you" in text_of(say(stack, sender, "512-555-0134"))
    done = text_of(say(stack, sender, "tuesday morning"))
    assert "I've sent your request to the clinic" in done
    assert "not a same-day visit" in done and tells_to_see_a_doctor_today(done)
    engine = sa.create_engine(f"sqlite:///{tracker_db}")
    with engine.connect() as connection:
        booked = connection.execute(
            sa.text("SELECT patient_name, assessment FROM booking_requests WHERE conversation_id = :c"), {"c": sender}
        ).all()
    assert [tuple(b) for b in booked] == [("Sara Lopez", "urgent")]


def test_typed_slash_syntax_cannot_skip_the_screen_through_the_proxy(stack: Stack, tracker_db: Path) -> None:
    sender = str(uuid.uuid4())
    chat(stack, sender, "/greet")
    replies = chat(stack, sender, "/describe_pain@1.0 my lips are turning blue and I can't breathe")
    assert tells_to_call_911(text_of(replies))
    assert tracker_of(tracker_db, sender).get_slot("assessment") == "emergency"


def test_typed_slash_syntax_reaches_rasa_as_words_but_offered_buttons_still_work(
    stack: Stack, tracker_db: Path
) -> None:
    sender = str(uuid.uuid4())
    chat(stack, sender, "/greet")
    chat(stack, sender, '/describe_pain{"pain_location":"neck"}')  # typed, never offered
    typed = [
        e["text"] for e in tracker_of(tracker_db, sender).as_dialogue().as_dict()["events"] if e["event"] == "user"
    ]
    assert typed[-1] == 'describe_pain{"pain_location":"neck"}'

    question = chat(stack, sender, "my chest feels a bit funny and my upper back aches")
    assert [b["payload"] for b in question[-1]["buttons"]] == ["/affirm", "/deny", "/unsure"]
    assert text_of(chat(stack, sender, "/deny")).startswith("Thank you for checking.")


def test_a_value_outside_the_contract_never_reaches_the_stored_conversation(stack: Stack, tracker_db: Path) -> None:
    sender = str(uuid.uuid4())
    say(stack, sender, "my back hurts after coughing")
    # Typed on Rasa's own port, slash syntax is read as words: the model takes part of them for a timing.
    say(stack, sender, '/describe_pain{"pain_quality":"Maria Garcia","pain_timing":"14/03/1968"}')
    tracker = tracker_of(tracker_db, sender)
    events = tracker.as_dialogue().as_dict()["events"]
    read = [e["value"] for e in tracker.latest_message.entities if e["entity"] == "pain_timing"]
    assert any("14/03/1968" in str(value) for value in read), f"{read}: pick a message the model misreads"
    assert off_contract(events) == []
    assert tracker.get_slot("pain_timing") == ["after_coughing"]


def test_a_long_story_that_asks_gets_the_answer_then_the_questions_with_its_facts_kept(
    stack: Stack, tracker_db: Path
) -> None:
    sender = f"it-{uuid.uuid4()}"
    story = (
        "So this has been going on for about two weeks. Every time I cough my mid back aches, and it's "
        "worst after a bad day with my asthma. Why does it hurt more when I lie flat?"
    )
    replies = say(stack, sender, story)
    said = text_of(replies)
    # The answer to the question, then the safety check, then the next pain question: not where, when or how again.
    assert "lying flat" in said.lower() or "lie flat" in said.lower()
    assert_asks_safety_check(replies, Level.EMERGENCY)
    after = answer_safety_check(stack, sender)
    assert not asks_a_form_question([*replies, *after], ("pain_location", "pain_timing", "pain_quality"))
    assert titles(after) == YES_NO_UNSURE
    tracker = tracker_of(tracker_db, sender)
    assert (tracker.get_slot("pain_location"), tracker.get_slot("pain_quality")) == ("mid_back", "dull_ache")
    assert "after_coughing" in tracker.get_slot("pain_timing")
    assert tracker.active_loop_name == "pain_form"
