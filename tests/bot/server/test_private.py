"""Patient data files are private: var/ 0700 and its files 0600, from every entry point on (issue 20, item 2)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.server.private import keep_private
from tests.support import ROOT

# Every `python -m` the Makefile and the launcher run, with the arguments that reach its start.
ENTRY_POINTS = {
    "bot.launcher": [],  # make run, make shell, make run-scaled
    "bot.server.rasa_main": ["run"],
    "bot.server.actions": [],
    "bot.web": [],
    "bot.console": [],
    "bot.console.cli": ["retention"],  # make staff-user, make retention
    "bot.migrate": [],  # make migrate, before make run makes var/tracker.db
}
# Runs each entry point in this one process until it calls keep_private (on a var/ left open, in a folder of the
# test's), then stops it there: what would it leave private? Its umask, and var/'s and an old file's modes. One that
# starts a server or a process first is stopped there instead, and has no modes to show.
DRIVER = """
import importlib, importlib.util, json, os, runpy, stat, subprocess, sys
from pathlib import Path
import sanic
import bot.server.private as private

entries, var = json.loads(sys.argv[1]), Path(sys.argv[2])
keep_private, found = private.keep_private, {}

class Started(Exception):
    pass

def stop_once_private(_folder: Path = private.VAR) -> None:
    keep_private(var)
    raise Started

def stop_unprivate(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("started before its files were private")

private.keep_private = stop_once_private
sanic.Sanic.run = stop_unprivate
popen = subprocess.Popen.__init__
for module, arguments in entries.items():
    package = importlib.util.find_spec(module).submodule_search_locations
    importlib.import_module(f"{module}.__main__" if package else module)  # its imports (some run programs), not main
    subprocess.Popen.__init__ = stop_unprivate
    var.mkdir(mode=0o755, exist_ok=True)
    var.chmod(0o755)
    (var / "tracker.db").touch()
    (var / "tracker.db").chmod(0o644)
    os.umask(0o022)
    sys.argv = [module, *arguments]
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except Started:
        modes = [stat.S_IMODE(p.stat().st_mode) for p in (var, var / "tracker.db")]
        found[module] = [os.umask(0o022), *modes]
    except RuntimeError:
        found[module] = []
    finally:
        subprocess.Popen.__init__ = popen
print(json.dumps(found))
"""


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_restored() -> Iterator[None]:
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def test_an_open_var_and_what_it_holds_are_closed_and_new_files_are_private(
    tmp_path: Path, umask_restored: None
) -> None:
    var = tmp_path / "var"
    (var / "log").mkdir(parents=True, mode=0o755)
    var.chmod(0o755)
    (var / "tracker.db").write_text("")
    (var / "log" / "rasa.log").write_text("")
    for path in (var / "tracker.db", var / "log" / "rasa.log"):
        path.chmod(0o644)
    keep_private(var)
    assert [mode(p) for p in (var, var / "log", var / "tracker.db", var / "log" / "rasa.log")] == [
        0o700,
        0o700,
        0o600,
        0o600,
    ]
    (var / "export.csv").write_text("")
    (var / "scaled").mkdir()
    assert (mode(var / "export.csv"), mode(var / "scaled")) == (0o600, 0o700)


def test_a_var_still_to_be_made_is_made_private(tmp_path: Path, umask_restored: None) -> None:
    keep_private(tmp_path / "new" / "var")
    assert mode(tmp_path / "new" / "var") == 0o700


@pytest.fixture(scope="module")
def entry_points(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[int]]:
    """Per entry point: the umask it left and the modes of var/ and of a database made open before it started."""
    var = tmp_path_factory.mktemp("entries") / "var"
    command = [sys.executable, "-c", DRIVER, json.dumps(ENTRY_POINTS), str(var)]
    database = f"sqlite:///{var.parent / 'tracker.db'}"  # what a command that got past its start would touch
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"}
    env |= {"BOOKINGS_DATABASE_URL": database, "CONSOLE_DATABASE_URL": database}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("module", ENTRY_POINTS)
def test_every_entry_point_makes_its_files_private_before_it_starts(
    entry_points: dict[str, list[int]], module: str
) -> None:
    assert entry_points.get(module) == [0o077, 0o700, 0o600]
