"""No dead ends, on the real stack: answers the assistant can't understand never get the same question forever.

Each test holds a conversation over REST with the trained model, the action server and the Rasa
server, and checks what the patient sees after every message. The pain questions come after the
safety check (clinic/safety_check.py), which is never skipped.
"""

from __future__ import annotations

import uuid
from itertools import pairwise

import pytest

from bot.stack import Stack
from clinic.config import load_clinic
from clinic.red_flags import Level
from clinic.safety_check import NONE_BUTTON
from tools.servers import answer_safety_check, assert_asks_safety_check, say

NONSENSE = ["blorf", "qwpoeiru", "???", "zzz zzz", "asdf ghjk"]

Turn = list[dict]


@pytest.fixture(scope="module")
def stack(assistant: Stack) -> Stack:
    """The session's assistant (tests/conftest.py)."""
    return assistant


def conversation(stack: Stack, *messages: str) -> list[Turn]:
    """The bot's replies to each message, one list per message."""
    sender = f"it-{uuid.uuid4()}"
    return [say(stack, sender, message) for message in messages]


def after_the_safety_check(stack: Stack, opening: str, *messages: str) -> list[Turn]:
    """As `conversation`, with "None of these" to both questions of the safety check the opening brings: the
    first turn is the reply to the second, the first pain question."""
    sender = f"it-{uuid.uuid4()}"
    assert NONE_BUTTON["title"] in buttons(say(stack, sender, opening))
    return [answer_safety_check(stack, sender), *(say(stack, sender, message) for message in messages)]


def texts(turn: Turn) -> list[str]:
    return [reply.get("text") or "" for reply in turn]


def question(turn: Turn) -> str:
    """What the patient is left to answer: the turn's last message."""
    return texts(turn)[-1]


def buttons(turn: Turn) -> list[str]:
    return [button["title"] for button in turn[-1].get("buttons") or []]


def assert_never_stuck(turns: list[Turn]) -> None:
    """What every patient must see: a reply each time, no reply twice running, no question three times running."""
    for number, turn in enumerate(turns):
        assert turn and all(texts(turn)), f"message {number}: no reply, or an empty one: {turn}"
    for earlier, later in pairwise(turns):
        assert texts(earlier) != texts(later), f"the same reply twice running: {texts(later)}"
    messages = [text for turn in turns for text in texts(turn)]
    for before, after in pairwise(messages):
        assert before != after, f"the same message twice running: {after!r}"
    asked = [{text for text in texts(turn) if "?" in text} for turn in turns]
    for first, second, third in zip(asked, asked[1:], asked[2:], strict=False):
        assert not first & second & third, f"asked in three turns running: {first & second & third}"


def assert_asked_again_with_help(first: Turn, again: Turn, kind: str) -> None:
    """The second asking: the same question, what kind of answer fits, its quick replies and Skip."""
    assert question(again) == question(first)
    assert any(kind in text for text in texts(again)), texts(again)
    assert buttons(again) == [*buttons(first), "Skip"]
    assert len(buttons(first)) >= 3  # the question's own quick replies are still there


def test_nothing_understood_offers_the_phone_and_a_booking_instead_of_more_questions(stack: Stack) -> None:
    turns = after_the_safety_check(stack, "my back hurts", *NONSENSE)
    where = question(turns[0])
    assert where == "Where in your back do you feel it?"

    assert texts(turns[1])[0] == "Sorry, I didn't understand that."
    assert_asked_again_with_help(turns[0], turns[1], "a place on your back")

    offer = "\n".join(texts(turns[2]))
    assert load_clinic().phone in offer and "Book a visit" in buttons(turns[2])
    assert where not in offer  # not asked a third time

    later = [text for turn in turns[3:] for text in texts(turn)]
    assert where not in later  # nor afterwards
    assert any(load_clinic().phone in text for text in later)  # the way out stays on offer
    assert_never_stuck(turns)


def test_with_something_understood_unanswered_questions_are_skipped(stack: Stack) -> None:
    turns = after_the_safety_check(stack, "my upper back hurts", *NONSENSE)
    when = question(turns[0])
    assert when.startswith("When does it hurt?")

    assert_asked_again_with_help(turns[0], turns[1], "a time or situation")

    assert texts(turns[2])[0].startswith("Sorry, I still didn't get an answer to that one. Let's skip it")
    feel = question(turns[2])
    assert feel == "How does it feel?"
    assert_asked_again_with_help(turns[2], turns[3], "how it feels")

    yes_or_no = question(turns[4])
    assert yes_or_no not in (when, feel) and buttons(turns[4]) == ["Yes", "No", "Not sure"]
    assert_asked_again_with_help(turns[4], turns[5], "a yes or no")
    assert_never_stuck(turns)


def test_skip_on_the_second_asking_goes_on_to_the_next_question(stack: Stack) -> None:
    first, again, skipped = after_the_safety_check(stack, "my upper back hurts", "blorf", "/unsure")
    assert question(first).startswith("When does it hurt?") and "Skip" in buttons(again)
    assert texts(skipped) == ["That's fine — we'll skip that one.", "How does it feel?"]


def test_other_topics_during_the_questions_move_through_them_too(stack: Stack) -> None:
    turns = after_the_safety_check(stack, "my upper back hurts", *["tell me a joke about cats"] * 5)  # another topic
    assert all(texts(turn)[0].startswith("Sorry, I can only help with back pain") for turn in turns[1:])
    questions = [question(turn) for turn in turns]
    assert len(set(questions)) == 3  # when, how it feels, then a yes/no one: each asked twice at most
    assert "Skip" in buttons(turns[1]) and "Skip" not in buttons(turns[2])
    assert_never_stuck(turns)


def test_the_safety_check_is_never_skipped_unanswered_twice_the_phone_and_a_booking_are_offered(stack: Stack) -> None:
    """Where a pain question would be skipped (the place is understood), a safety question is not."""
    turns = conversation(stack, "my upper back hurts", *NONSENSE[:2])
    check = question(turns[0])
    assert_asks_safety_check(turns[0], Level.EMERGENCY)

    assert texts(turns[1])[0] == "Sorry, I didn't understand that."
    assert question(turns[1]) == check and buttons(turns[1]) == buttons(turns[0])  # the same signs, and no Skip
    assert any(NONE_BUTTON["title"] in text for text in texts(turns[1])[1:-1])  # how to answer it

    offer = "\n".join(texts(turns[2]))
    assert load_clinic().phone in offer and "Book a visit" in buttons(turns[2])
    assert check not in offer and "skip" not in offer.lower()  # not asked a third time, and not skipped
    assert "When does it hurt?" not in offer  # nor a pain question in its place
    assert_never_stuck(turns)
