"""CI's bars for what reaches the slots, from real patients' words and from the team's phrasings.

Slot-level accuracy: of the slots a message with no red flag states, the share that ends up holding what
the patient said (`make eval` prints the same figures, and each hold-out's, on which no bar is set).
"""

from __future__ import annotations

from tools.real_language.evaluate import FACT_PRECISION, REAL_SLOT_ACCURACY, TEAM_SLOT_ACCURACY, UNDESCRIBED, Report


def test_slots_from_real_patients_words(real: Report) -> None:
    right, stated, _unstated = real.slot_accuracy()
    assert stated >= 250
    assert right / stated >= REAL_SLOT_ACCURACY


def test_slots_from_the_teams_phrasings(team: Report) -> None:
    right, stated, _unstated = team.slot_accuracy()
    assert stated >= 100
    assert right / stated >= TEAM_SLOT_ACCURACY


def test_facts_filled_from_real_words_were_stated(real: Report) -> None:
    found, _stated, filled = real.extraction()
    assert filled and found / filled >= FACT_PRECISION


def test_descriptions_in_real_words_start_the_pain_questions(real: Report) -> None:
    # A message that states where or how it hurts is taken as a description, never as "Sorry, I didn't quite
    # understand", a yes or no, or a goodbye (a few still are: see `make eval`).
    missed, described = real.undescribed()
    assert described >= 150
    assert missed / described <= UNDESCRIBED
