"""docs/content-sources.md traces every reply to the article or docs/design.md: a new reply without a source fails."""

from __future__ import annotations

import re

import yaml

from actions.safety import question
from clinic.misunderstanding import answer_hint
from clinic.patient_summary import summarise
from clinic.safety_check import check_buttons
from clinic.wording import explain, red_flag_reason, say_back
from tests.support import ROOT

SOURCES = (ROOT / "docs" / "content-sources.md").read_text(encoding="utf-8")
RESPONSES = set(yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"])
# The functions whose text reaches the patient (tests/test_plain_language.py grades each of them).
BUILDERS = (explain, say_back, red_flag_reason, question, check_buttons, answer_hint, summarise)


def rows() -> dict[str, str]:
    """Each table row's first cell (the names in backticks) -> the rest of the row."""
    found = {}
    for line in SOURCES.splitlines():
        cells = line.split("|")
        if len(cells) > 3:
            for name in re.findall(r"`([^`]+)`", cells[1]):
                found[name] = "|".join(cells[2:])
    return found


def test_every_response_in_the_domain_has_a_source_row() -> None:
    missing = RESPONSES - set(rows())
    assert not missing, f"add a row to docs/content-sources.md for: {sorted(missing)}"


def test_every_response_row_names_a_response_that_exists() -> None:
    stale = {name for name in rows() if name.startswith("utter_")} - RESPONSES
    assert not stale, f"docs/content-sources.md names responses domain.yml no longer has: {sorted(stale)}"


def test_every_text_building_function_has_a_source_row() -> None:
    named = " ".join(rows())
    missing = [f"{f.__module__}.{f.__name__}" for f in BUILDERS if f.__name__ not in named]
    assert not missing, missing


def test_every_row_gives_a_source_or_says_it_has_no_medical_content() -> None:
    for name, rest in rows().items():
        assert "A:" in rest or "D" in rest or "no medical content" in rest or "as `" in rest, name
