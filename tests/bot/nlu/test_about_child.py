"""Whether a message is about a child (bot/nlu/about_child.py), read by the real screen.

Read each row as: "the writer says <message>" -> about a child or not. The assistant is for adults:
a child's message gets the reply for children (unless it holds a definite emergency: 911 at once).
"""

from __future__ import annotations

import pytest

from bot.nlu.red_flag_matcher import screen


@pytest.mark.parametrize(
    ("message", "child"),
    [
        # A child the writer names and says something of, gives the age of, or asks for.
        ("my son has asthma and his back hurts after coughing", True),
        ("my daughter's upper back is sore after her flare", True),
        ("my kid keeps coughing and says his back hurts", True),
        ("my 9 yo has back pain after coughing", True),
        ("my 9yo has back pain after coughing", True),
        ("my 12 year old's back is sore", True),
        ("my 12-year-old son is wheezing and his ribs hurt", True),
        ("our baby is wheezing and cries when we lay her flat", True),
        ("my son, 9, has back pain and a fever", True),
        ("my daughter (7) has a sore back", True),
        ("asking for my daughter, back pain after her asthma attack", True),
        # An adult: the writer's own age, an adult son or daughter, a child only mentioned.
        ("I'm a 45 year old with asthma and back pain", False),
        ("45 yo female, back pain after a bad flare", False),
        ("my 25 year old son has back pain", False),
        ("my son is 25 and his back hurts", False),
        ("I carry my toddler all day and my back aches", False),
        ("I caught my son's cold and now my back hurts from coughing", False),
        ("I'm pregnant and my baby is pressing on my back", False),
        ("my back hurts after coughing all night", False),
    ],
)
def test_a_message_about_a_child(message: str, child: bool) -> None:
    assert screen(message).child is child, message
