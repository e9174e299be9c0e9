"""What the assistant does when it doesn't understand, so the patient never meets a dead end.

A pain question is asked at most twice in a row: the second time it says what kind of answer fits and
offers Skip; after that it counts as "not sure" and the next question comes. When nothing at all has
been understood, more questions would not help: the clinic's phone and a booking are offered instead.
Outside the questions, a message not understood or about another topic never gets the reply just given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any

from clinic.contract import SLOT_VALUES
from clinic.questions import PAIN_QUESTIONS

ASK_LIMIT = 2

REPHRASE = "utter_ask_rephrase"
OFFER_HELP = "utter_fallback_offer_help"
OTHER_TOPIC = "utter_out_of_scope"

# What fits each question that is not answered with a yes or no.
ANSWER_KINDS: dict[str, str] = {
    "pain_location": 'a place on your back, like "between my shoulder blades" or "lower back"',
    "pain_timing": 'a time or situation, like "after coughing fits" or "when I lie down"',
    "pain_quality": 'a word for how it feels, like "dull ache" or "tight"',
    "medication": 'the name of an asthma medicine, like "prednisone" or "my rescue inhaler", or "none"',
}


class Step(Enum):
    """What follows a message that left the question unanswered."""

    ASK_AGAIN = "ask_again"
    SKIP = "skip"
    OFFER_HELP = "offer_help"


def times_asked_in_a_row(asked: Sequence[str], question: str) -> int:
    """How many of the latest questions asked were this one, back to the first other question."""
    count = 0
    for earlier in reversed(asked):
        if earlier != question:
            break
        count += 1
    return count


def understood_anything(slots: Mapping[str, Any]) -> bool:
    """Whether any pain question has an answer, "not sure" included."""
    return bool(slots.get("unsure_about")) or any(slots.get(q) not in (None, []) for q in PAIN_QUESTIONS)


def after_no_answer(times_asked: int, understood: bool) -> Step:
    """Ask once more; after that skip the question, or offer help when nothing was understood at all."""
    if times_asked < ASK_LIMIT:
        return Step.ASK_AGAIN
    return Step.SKIP if understood else Step.OFFER_HELP


def answer_hint(question: str) -> str:
    """The second asking's words: what kind of answer fits (questions outside the value lists are yes/no)."""
    kind = ANSWER_KINDS[question] if question in SLOT_VALUES else "a yes or no"
    return f"For this one, I need {kind}. Or tap Skip to go to the next question."


def fallback_response(other_topic: bool, misunderstood_in_a_row: int, previous_response: str | None) -> str:
    """Outside the questions, the reply to a message not understood or about another topic.

    Another topic gets the redirect; otherwise ask to rephrase, and from the second misunderstanding in a
    row offer the phone and a booking. Never the reply just given: then the other way out instead.
    """
    if other_topic:
        response = OTHER_TOPIC
    elif misunderstood_in_a_row < ASK_LIMIT:
        response = REPHRASE
    else:
        response = OFFER_HELP
    if response != previous_response:
        return response
    return REPHRASE if response == OFFER_HELP else OFFER_HELP
