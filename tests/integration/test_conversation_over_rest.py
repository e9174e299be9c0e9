"""The whole assistant for real: action server + Rasa server + SQLite tracker store, over REST."""

from __future__ import annotations

import asyncio
import json
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.launcher import Stack, running
from tests.rasa_cli import ROOT
from tests.servers import isolated_stack


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("stack")


@pytest.fixture(scope="module")
def tracker_db(workdir: Path) -> Path:
    return workdir / "tracker.db"


@pytest.fixture(scope="module")
def stack(workdir: Path, tracker_db: Path) -> Iterator[Stack]:
    """The real servers on free ports, with their own tracker database; the web app for the proxy's tests."""
    config = isolated_stack(workdir, tracker_db, web=True)
    with running(config):
        yield config


def post(url: str, sender: str, message: str) -> Any:
    request = urllib.request.Request(
        url,
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def say(stack: Stack, sender: str, text: str) -> list[dict]:
    """A message to Rasa's REST channel."""
    return list(post(f"{stack.rasa_url}/webhooks/rest/webhook", sender, text))


def tracker_of(tracker_db: Path, sender: str) -> DialogueStateTracker:
    """The conversation as the Rasa server saved it."""
    store = SQLTrackerStore(Domain.load(str(ROOT / "domain.yml")), dialect="sqlite", db=str(tracker_db))
    tracker = asyncio.run(store.retrieve(sender))
    assert tracker is not None
    return tracker


def assert_booked_visit_slots(tracker: DialogueStateTracker) -> None:
    """The slots after the visit both conversation tests hold (test_scaled too): a dull ache between the shoulder
    blades after coughing fits, worse lying flat, inhaled steroids, asthma-related, a booking asked for."""
    assert tracker.get_slot("pain_location") == "between_shoulder_blades"
    assert tracker.get_slot("pain_timing") == ["after_coughing", "lying_flat"]
    assert tracker.get_slot("pain_quality") == "dull_ache"
    assert tracker.get_slot("medication") == ["inhaled_steroids"]
    assert tracker.get_slot("assessment") == "asthma_related"
    assert tracker.get_slot("booking_requested") is True


def text_of(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def test_a_whole_conversation_through_to_a_stored_booking(stack: Stack, tracker_db: Path) -> None:
    sender = f"it-{uuid.uuid4()}"
    greeting = text_of(say(stack, sender, "hi"))
    assert "Frontier Allergy" in greeting and "not a doctor" in greeting and "911" in greeting

    opening = "I get a dull ache between my shoulder blades after coughing fits, worse when I lie down"
    replies = say(stack, sender, opening)
    assert "under control" in text_of(replies)  # only asks what it still needs: not where, when or how
    assert [b["title"] for b in replies[-1]["buttons"]] == ["Yes", "No", "Not sure"]

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
    say(stack, sender, "I get a dull ache between my shoulder blades after coughing fits, worse when I lie down")
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
    assert "under control" in text_of(say(stack, sender, "I get tightness in my upper back during flare-ups"))
    for _ in range(4):  # asthma control, breathing exercises, movement, keeps coming back
        question = text_of(say(stack, sender, "no"))
    assert "asthma medicines" in question

    replies = say(stack, sender, "i just started dupixent")
    assert "Did the back pain start soon after you began it?" in text_of(replies)
    assert [b["title"] for b in replies[-1]["buttons"]] == ["Yes", "No", "Not sure"]

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
    replies = text_of(say(stack, sender, "and now my lips have gone bluish and grey"))
    assert replies.startswith("Call 911 now")
    assert "stretch" not in replies.lower() and "heat" not in replies.lower()

    assert "Let's start over" in text_of(say(stack, sender, "start over"))
    tracker = tracker_of(tracker_db, sender)
    assert tracker.get_slot("assessment") is None and tracker.get_slot("pain_location") is None


def test_a_possible_red_flag_is_asked_about_and_yes_sends_911(stack: Stack, tracker_db: Path) -> None:
    sender = f"it-{uuid.uuid4()}"
    say(stack, sender, "hi")
    replies = say(stack, sender, "my lower back aches and i think my legs might be going a bit numb")
    assert text_of(replies).startswith("To be safe:") and "both legs" in text_of(replies)
    assert [b["title"] for b in replies[-1]["buttons"]] == ["Yes", "No", "Not sure"]
    assert "911" not in text_of(replies)

    answer = text_of(say(stack, sender, "/affirm"))
    assert "Call 911 now" in answer
    tracker = tracker_of(tracker_db, sender)
    assert tracker.get_slot("assessment") == "emergency"
    assert tracker.active_loop_name is None


def test_no_to_the_question_carries_on_with_the_pain_questions(stack: Stack, tracker_db: Path) -> None:
    sender = f"it-{uuid.uuid4()}"
    question = text_of(say(stack, sender, "my upper back has been sore after my asthma flare"))
    assert "?" in question
    check = text_of(say(stack, sender, "my chest feels a bit funny too"))
    assert check == "To be safe: do you have chest pain or pressure in your chest right now?"

    carried_on = text_of(say(stack, sender, "no"))
    assert carried_on.startswith("Thank you for checking. Let's carry on.")
    assert question.splitlines()[-1] in carried_on  # the pain question it was on, asked again
    assert "911" not in carried_on
    tracker = tracker_of(tracker_db, sender)
    assert tracker.get_slot("assessment") is None
    assert tracker.get_slot("pain_location") == "upper_back"
    assert tracker.active_loop_name == "pain_form"


def chat(stack: Stack, sender: str, message: str) -> list[dict]:
    """A message through the widget's proxy (the web app), as a patient's browser sends it."""
    return list(post(f"{stack.web_url}/api/chat", sender, message)["messages"])


def test_typed_slash_syntax_cannot_skip_the_screen_through_the_proxy(stack: Stack, tracker_db: Path) -> None:
    sender = str(uuid.uuid4())
    chat(stack, sender, "/greet")
    replies = chat(stack, sender, "/describe_pain@1.0 my lips are turning blue and I can't breathe")
    assert "Call 911 now" in text_of(replies)
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


def test_a_long_story_that_asks_gets_the_answer_then_the_questions_with_its_facts_kept(
    stack: Stack, tracker_db: Path
) -> None:
    sender = f"it-{uuid.uuid4()}"
    story = (
        "So this has been going on for about two weeks. Every time I cough my mid back aches, and it's "
        "worst the morning after a bad night with my asthma. Why does it hurt more when I lie flat?"
    )
    replies = say(stack, sender, story)
    said = text_of(replies)
    # The answer to the question, then the next pain question: not where, when or how it hurts again.
    assert "lying flat" in said.lower() or "lie flat" in said.lower()
    assert "Where in your back" not in said and "When does it hurt" not in said and "How does it feel" not in said
    assert [b["title"] for b in replies[-1]["buttons"]] == ["Yes", "No", "Not sure"]
    tracker = tracker_of(tracker_db, sender)
    assert (tracker.get_slot("pain_location"), tracker.get_slot("pain_quality")) == ("mid_back", "dull_ache")
    assert "after_coughing" in tracker.get_slot("pain_timing")
    assert tracker.active_loop_name == "pain_form"
