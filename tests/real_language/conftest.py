"""The trained assistant's figures on the corpus, measured once for every test that sets a bar on them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tools.real_language.evaluate import Report, reports

if TYPE_CHECKING:
    from rasa.core.agent import Agent


@pytest.fixture(scope="session")
def measured(agent: Agent) -> dict[str, Report]:
    found = {report.name: report for report in reports(agent)}
    print("\n" + "\n".join(line for report in found.values() for line in report.lines()))
    return found


@pytest.fixture(scope="session")
def real(measured: dict[str, Report]) -> Report:
    """The real-language corpus outside the hold-outs: its sourced and unsourced messages together."""
    results = [r for name, report in measured.items() if name.startswith("real") for r in report.results]
    return Report("real-language corpus", results)


@pytest.fixture(scope="session")
def team(measured: dict[str, Report]) -> Report:
    return next(report for name, report in measured.items() if name.startswith("team"))
