"""CI's bars for the red-flag screen of the trained assistant (`make eval` prints the same figures).

On the real-language corpus the screen's terms were written against: no emergency missed, urgent recall
at least 95 %, at most 3 % false alarms. The hold-out set (holdout_2.yml) is kept unseen to measure how
the screen generalises: `make eval` prints its figures, and no bar is set on it, so that nobody tunes
the terms to it.
"""

from __future__ import annotations

import pytest

from actions.red_flags import Level
from tests.rasa_cli import trained_model
from tests.real_language.evaluate import FALSE_ALARMS, URGENT_RECALL, Report, reports


@pytest.fixture(scope="module")
def measured() -> dict[str, Report]:
    found = {report.name: report for report in reports(trained_model())}
    print("\n" + "\n".join(line for report in found.values() for line in report.lines()))
    return found


def real(measured: dict[str, Report]) -> Report:
    results = [r for name, report in measured.items() if name.startswith("real") for r in report.results]
    return Report("real-language corpus", results)


def test_no_emergency_in_real_words_is_missed(measured: dict[str, Report]) -> None:
    corpus = real(measured)
    caught, _at_once, total = corpus.recall(Level.EMERGENCY)
    assert total >= 60
    assert [e.id for e in corpus.missed() if e.level is Level.EMERGENCY] == []
    assert caught == total


def test_urgent_recall_on_real_words(measured: dict[str, Report]) -> None:
    caught, _at_once, total = real(measured).recall(Level.URGENT)
    assert total >= 40
    assert caught / total >= URGENT_RECALL


def test_false_alarms_on_real_words(measured: dict[str, Report]) -> None:
    alarms, _asked, total = real(measured).benign()
    assert total >= 150
    assert alarms / total <= FALSE_ALARMS


def test_team_phrasings_emergencies_are_caught_and_plain_ones_raise_no_alarm(measured: dict[str, Report]) -> None:
    team = next(report for name, report in measured.items() if name.startswith("team"))
    caught, _at_once, total = team.recall(Level.EMERGENCY)
    assert total and caught == total
    alarms, _asked, benign = team.benign()
    assert alarms / benign <= FALSE_ALARMS
