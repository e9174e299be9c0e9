"""Time and episode on the real screen: a story placed in the past stays there until it comes back to now.

Read each row as: "the patient writes <message>" -> the screen's tier and level. A sign in a past story gets
the confirming question ("... right now?"), never the 911 or urgent reply at once; the same sign said now,
or brought back to now, gets the reply at once.
"""

from __future__ import annotations

import pytest

from bot.nlu.red_flag_matcher import screen
from clinic.red_flags import Level, Tier

E, U, NO = Level.EMERGENCY, Level.URGENT, Level.NONE
D, P, N = Tier.DEFINITE, Tier.POSSIBLE, Tier.NONE


@pytest.mark.parametrize(
    ("message", "tier", "level"),
    [
        # A date or a year, and the story told after it in the past tense.
        ("Back in 2015 I had a bad attack. I could not breathe and my lips went blue.", P, E),
        ("Two years ago I ended up in the ICU. I couldn't breathe. My back hurts between my shoulder blades.", P, E),
        ("Almost two years ago I had the worst attack of my life. My lips and fingers went grey.", P, E),
        # An age.
        ("I was 51 when I fell off the roof and broke my back.", P, E),
        ("When I was 12 I had an attack at school. I couldn't talk and they called an ambulance.", P, E),
        ("At the age of 30 I had chest pain for the first time.", P, E),
        # A school year.
        ("In fifth grade I had an attack in gym class. I couldn't breathe at all.", P, E),
        ("In high school I had chest pain during every game.", P, E),
        # As a baby, back then, that time.
        ("As a baby I was in hospital because I couldn't breathe.", P, E),
        ("I had pneumonia. Back then I couldn't walk across the room without stopping for air.", P, E),
        ("That time my inhaler did nothing at all.", P, E),
        # A phrase that closes the episode puts everything before it in the past.
        (
            "I was rushed in with a collapsed lung and couldn't breathe. Since then I have recovered but my back aches.",
            P,
            E,
        ),
        ("I couldn't breathe an hour ago, I'm fine now", P, E),
        # The present comes back: now, today, still, again, a verb in the present tense.
        ("Back in 2015 I had a bad attack. Now I can't breathe and my lips are blue.", D, E),
        ("Years ago I had a bad attack. Today my lips went blue.", D, E),
        ("Two years ago I had a bad attack. Last night I couldn't breathe.", D, E),
        ("When I was 12 I had a bad attack. An hour ago my inhaler did nothing.", D, E),
        ("Back in 2015 I had a bad attack. My lips are blue.", D, E),
        ("I had a bad fall off a ladder years ago and I fell off it again this morning.", D, E),
        # No date at all: the past tense alone is not a story long ago ("my lips went blue" is now).
        ("my lips went blue", D, E),
        ("I had chest pain last night", D, E),
        ("I fell down the stairs and now I can't feel my legs", D, E),
        # A history of cancer counts whenever it was.
        ("When I was 20 I had leukemia. I have been well since.", D, U),
        # Nothing to screen.
        ("When I was a kid my back used to ache after swimming.", N, NO),
    ],
)
def test_a_story_in_the_past_is_asked_about_and_the_present_gets_the_reply(
    message: str, tier: Tier, level: Level
) -> None:
    result = screen(message)
    assert (result.tier, result.level) == (tier, level), f"{message!r} gave {result}"
