"""The project's layers, read from every module's imports (lazy ones inside functions included).

From the bottom up:
- `clinic/`: the clinic's rules, wording, configuration and storage. Imports nothing else of ours.
- `bot/`: NLU components, servers, web app and staff console. Imports `clinic/` only.
- `actions/`: the Rasa SDK action classes, kept thin. Imports `clinic/` (and could use `bot/`).
- `tools/`: benchmarks, load and the evaluation, run with `python -m tools...`. Imports any of the above.
- `tests/`: imports anything. But no test module imports another: shared helpers live in conftest or in
  helper modules that are not `test_*.py`.
A module may import only from its own layer or a lower one, and no group of our modules imports itself round.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

from tests.support import ROOT

LAYERS = ("clinic", "bot", "actions", "tools", "tests")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for layer in LAYERS for path in sorted((ROOT / layer).rglob("*.py"))}


def imported(node: ast.Import | ast.ImportFrom) -> list[str]:
    """The modules of ours an import statement names: `from a.b import c` is a.b.c when that is a module."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif node.level or node.module is None:
        raise AssertionError(f"relative import on line {node.lineno}: the layers are read from absolute ones")
    else:
        names = [
            f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in MODULES else node.module
            for alias in node.names
        ]
    return [name for name in names if name.split(".")[0] in LAYERS]


def imports_of(module: str) -> set[str]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    return {name for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom) for name in imported(node)}


IMPORTS = {module: imports_of(module) for module in MODULES}


def layer(module: str) -> int:
    return LAYERS.index(module.split(".")[0])


def upward(imports: dict[str, set[str]]) -> list[str]:
    """Every import from a lower layer to a higher one, as `importer -> imported`."""
    return sorted(
        f"{module} -> {name}" for module, names in imports.items() for name in names if layer(name) > layer(module)
    )


def circle(imports: dict[str, set[str]]) -> list[str]:
    """One circle of imports among our modules, or [] when there is none."""
    try:
        TopologicalSorter(imports).prepare()
    except CycleError as error:
        return list(error.args[1])
    return []


def test_no_module_imports_from_a_higher_layer() -> None:
    assert upward(IMPORTS) == []


def test_no_circle_of_imports() -> None:
    assert circle(IMPORTS) == []


def test_no_test_module_imports_another() -> None:
    assert (
        sorted(
            f"{module} -> {name}"
            for module, names in IMPORTS.items()
            for name in names
            if name.split(".")[-1].startswith("test_")
        )
        == []
    )


@pytest.mark.parametrize(
    ("imports", "found"),
    [
        ({"clinic.rules": {"bot.nlu"}, "bot.nlu": set()}, ["clinic.rules -> bot.nlu"]),
        ({"bot.console": {"actions.safety"}, "actions.safety": {"clinic.rules"}}, ["bot.console -> actions.safety"]),
        ({"actions.safety": {"bot.nlu", "clinic.rules"}, "tests.x": {"tools.load"}}, []),
    ],
)
def test_an_import_from_a_lower_layer_is_found(imports: dict[str, set[str]], found: list[str]) -> None:
    assert upward(imports) == found


def test_a_circle_is_found() -> None:
    found = circle({"bot.launcher": {"bot.scaled"}, "bot.scaled": {"bot.launcher"}, "bot.stack": set()})
    assert set(found) == {"bot.launcher", "bot.scaled"}
    assert circle({"bot.launcher": {"bot.scaled", "bot.stack"}, "bot.scaled": {"bot.stack"}}) == []
