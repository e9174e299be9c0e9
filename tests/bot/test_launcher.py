"""What `make run` and `make shell` start, read from the Makefile's own commands."""

from __future__ import annotations

import shlex
import subprocess

from bot.launcher import parse_arguments, stack_of
from bot.stack import Stack
from tests.support import ROOT


def launched_by(target: str) -> Stack:
    """The servers `make TARGET` asks the launcher for (`make -n`: printed, not run)."""
    printed = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    command = next(line for line in printed.splitlines() if "-m bot.launcher" in line)
    return stack_of(parse_arguments(shlex.split(command.split("-m bot.launcher", 1)[1], comments=True)))


def ports(stack: Stack) -> set[int]:
    return {p for p in (stack.rasa_port, stack.actions_port, stack.web_port, stack.console_port) if p is not None}


def test_make_shell_and_make_run_can_run_together() -> None:
    """Issue 10: with the assistant running, `make shell` failed with "address already in use"."""
    run, shell = launched_by("run"), launched_by("shell")
    assert ports(run) == {5005, 5055, 8000, 8001}
    assert len(ports(shell)) == 2 and ports(shell).isdisjoint(ports(run))
    assert shell.log_dir != run.log_dir  # nor do they write the same log files
