"""NLU accuracy on the held-out test set (tests/nlu/test_nlu.yml), which is not training data."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from rasa.core.agent import Agent
from rasa.nlu.test import run_evaluation

from tools.rasa_cli import ROOT

INTENT_MACRO_F1 = 0.90
ENTITY_F1 = 0.85


@pytest.fixture(scope="module")
def reports(agent: Agent) -> Path:
    """The reports `rasa test nlu --nlu tests/nlu/test_nlu.yml` writes, from the evaluation it runs, on the model the
    session loaded once (the plots, which nothing reads, are left out)."""
    out = ROOT / "results" / "nlu"
    evaluation = run_evaluation(
        str(ROOT / "tests" / "nlu" / "test_nlu.yml"), agent.processor, output_directory=str(out), errors=True,
        disable_plotting=True, domain_path=str(ROOT / "domain.yml"),
    )  # fmt: skip
    asyncio.run(evaluation)
    return out


def f1(report: Path, average: str) -> float:
    return float(json.loads(report.read_text())[average]["f1-score"])


def test_intent_macro_f1(reports: Path) -> None:
    score = f1(reports / "intent_report.json", "macro avg")
    print(f"\nintent macro-F1 on the held-out set: {score:.3f} (threshold {INTENT_MACRO_F1})")
    assert score >= INTENT_MACRO_F1


def test_entity_f1(reports: Path) -> None:
    score = f1(reports / "DIETClassifier_report.json", "micro avg")
    print(f"\nentity F1 (micro, token level) on the held-out set: {score:.3f} (threshold {ENTITY_F1})")
    assert score >= ENTITY_F1


def test_faq_answers_are_selected(reports: Path) -> None:
    score = f1(reports / "response_selection_report.json", "macro avg")
    print(f"\nFAQ response selection macro-F1: {score:.3f}")
    assert score >= 0.80
