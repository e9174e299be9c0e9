"""CI's bars for the red-flag screen of the trained assistant (`make eval` prints the same figures).

On the real-language corpus the screen's terms were written against: no emergency missed, urgent recall
at least 95 %, at most 3 % false alarms. The hold-out sets are kept unseen to measure how the screen
generalises: `make eval` prints their figures, and no bar is set on them, so that nobody tunes the terms
to them.
"""

from __future__ import annotations

from clinic.red_flags import Level
from tools.real_language.evaluate import FALSE_ALARMS, URGENT_RECALL, Report


def test_no_emergency_in_real_words_is_missed(real: Report) -> None:
    caught, _at_once, total = real.recall(Level.EMERGENCY)
    assert total >= 60
    assert [e.id for e in real.missed() if e.level is Level.EMERGENCY] == []
    assert caught == total


def test_urgent_recall_on_real_words(real: Report) -> None:
    caught, _at_once, total = real.recall(Level.URGENT)
    assert total >= 40
    assert caught / total >= URGENT_RECALL


def test_false_alarms_on_real_words(real: Report) -> None:
    alarms, _asked, total = real.benign()
    assert total >= 150
    assert alarms / total <= FALSE_ALARMS


def test_team_phrasings_emergencies_are_caught_and_plain_ones_raise_no_alarm(team: Report) -> None:
    caught, _at_once, total = team.recall(Level.EMERGENCY)
    assert total and caught == total
    alarms, _asked, benign = team.benign()
    assert alarms / benign <= FALSE_ALARMS
