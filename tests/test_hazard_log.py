"""docs/safety/hazard-log.md names real code and real tests: a control or a test that doesn't exist fails.

Each hazard row names the controls in the code (`path/to/file.py::function_or_Class`) and the tests that
prove them (`tests/path/test_x.py::test_name`). A renamed function or a deleted test would leave the log
promising a control that is gone, so every name is checked against the files as they are.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from tests.support import ROOT

LOG = ROOT / "docs" / "safety" / "hazard-log.md"
# `path/to/file.py::name`: a function or class (dotted for a method), or a test with its parametrised id.
NAMED = re.compile(r"`([\w./-]+\.py)::([^`\s][^`]*)`")
HAZARD_ID = re.compile(r"H-\d{2}")
COLUMNS = ("id", "hazard", "causes", "controls", "tests", "residual risk")


@dataclass(frozen=True)
class Hazard:
    """One row of the log."""

    id: str
    hazard: str
    controls: tuple[tuple[str, str], ...]
    tests: tuple[tuple[str, str], ...]
    residual: str


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def hazards(text: str) -> list[Hazard]:
    """The table's hazard rows; a row with the wrong number of cells is an error, not skipped."""
    rows = []
    for line in text.splitlines():
        row = cells(line) if line.startswith("|") else []
        if row and HAZARD_ID.fullmatch(row[0]):
            assert len(row) == len(COLUMNS), f"{row[0]} has {len(row)} cells, not {len(COLUMNS)}: {line}"
            controls, tests = (tuple(NAMED.findall(cell)) for cell in (row[3], row[4]))
            rows.append(Hazard(row[0], row[1], controls, tests, row[5]))
    return rows


@cache
def defined(path: Path) -> frozenset[str]:
    """Every function and class a Python file defines, by dotted name ("f", "C", "C.method")."""
    names: set[str] = set()

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(prefix + child.name)
                visit(child, f"{prefix}{child.name}.")
            else:
                visit(child, prefix)

    visit(ast.parse(path.read_text(encoding="utf-8")), "")
    return frozenset(names)


def missing_control(root: Path, file: str, name: str) -> str | None:
    path = root / file
    if not path.is_file():
        return f"control {file}::{name}: no such file"
    if name not in defined(path):
        return f"control {file}::{name}: no def or class {name} in it"
    return None


def missing_test(root: Path, file: str, name: str) -> str | None:
    base = name.split("[", 1)[0]  # a parametrised test is named by its function
    path = root / file
    if not file.startswith("tests/") or not base.startswith("test_"):
        return f"test {file}::{name}: not a test under tests/"
    if not path.is_file():
        return f"test {file}::{name}: no such file"
    if base not in defined(path):
        return f"test {file}::{name}: no def {base} in it"
    return None


def problems(hazard: Hazard, root: Path = ROOT) -> list[str]:
    """What is wrong with one row: no control, no test, a name that isn't in the code, no residual risk."""
    found = [] if hazard.controls else ["no control named"]
    found += [] if hazard.tests else ["no test named"]
    found += [] if hazard.residual.strip(" -—") else ["no residual risk"]
    found += [p for file, name in hazard.controls if (p := missing_control(root, file, name))]
    found += [p for file, name in hazard.tests if (p := missing_test(root, file, name))]
    return found


HAZARDS = hazards(LOG.read_text(encoding="utf-8"))


def test_the_log_is_one_table_numbered_h01_upwards() -> None:
    header = next(line for line in LOG.read_text(encoding="utf-8").splitlines() if line.startswith("| id "))
    assert tuple(cells(header)) == COLUMNS
    assert [h.id for h in HAZARDS] == [f"H-{n:02d}" for n in range(1, len(HAZARDS) + 1)]


@pytest.mark.parametrize("hazard", HAZARDS, ids=[h.id for h in HAZARDS])
def test_every_hazard_names_controls_and_tests_that_exist(hazard: Hazard) -> None:
    assert not problems(hazard), "\n".join(f"{hazard.id}: {p}" for p in problems(hazard))


def row(controls: str, tests: str, residual: str = "Some risk remains.") -> Hazard:
    """A made-up row, as the table would hold it."""
    line = f"| H-99 | a hazard | its causes | {controls} | {tests} | {residual} |"
    return hazards(line)[0]


REAL_CONTROL = "`clinic/criteria.py::assess`"
REAL_TEST = "`tests/clinic/test_criteria.py::test_article_criteria`"


@pytest.mark.parametrize(
    ("hazard", "problem"),
    [
        pytest.param(row("", REAL_TEST), "no control named", id="no control"),
        pytest.param(row(REAL_CONTROL, "none yet"), "no test named", id="no test"),
        pytest.param(row(REAL_CONTROL, REAL_TEST, "—"), "no residual risk", id="no residual risk"),
        pytest.param(
            row("`actions/gone.py::assess`", REAL_TEST),
            "control actions/gone.py::assess: no such file",
            id="control file missing",
        ),
        pytest.param(
            row("`clinic/criteria.py::assess_everything`", REAL_TEST),
            "control clinic/criteria.py::assess_everything: no def or class assess_everything in it",
            id="control not defined",
        ),
        pytest.param(
            row(REAL_CONTROL, "`tests/actions/test_gone.py::test_article_criteria`"),
            "test tests/actions/test_gone.py::test_article_criteria: no such file",
            id="test file missing",
        ),
        pytest.param(
            row(REAL_CONTROL, "`tests/clinic/test_criteria.py::test_criteria_renamed[sharp]`"),
            "test tests/clinic/test_criteria.py::test_criteria_renamed[sharp]: no def test_criteria_renamed in it",
            id="test not defined",
        ),
        pytest.param(
            row(REAL_CONTROL, "`clinic/criteria.py::assess`"),
            "test clinic/criteria.py::assess: not a test under tests/",
            id="code named as a test",
        ),
    ],
)
def test_the_checks_catch_a_missing_control_or_test(hazard: Hazard, problem: str) -> None:
    assert problems(hazard) == [problem]


@pytest.mark.parametrize(
    "hazard",
    [
        pytest.param(row(REAL_CONTROL, REAL_TEST), id="function and test"),
        pytest.param(
            row("`actions/safety.py::ActionRedFlag.run`", "`tests/clinic/test_criteria.py::test_article_criteria[x]`"),
            id="method and parametrised test",
        ),
    ],
)
def test_the_checks_pass_names_that_exist(hazard: Hazard) -> None:
    assert problems(hazard) == []
