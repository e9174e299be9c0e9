"""Reading py-spy's collapsed stacks: shares of the samples per function, on the stack and running."""

from __future__ import annotations

import pytest

from tools.bench.profile import Entry, frame_name, top

COLLAPSED = """\
process 7:"python -m rasa run";main (rasa/__main__.py:96);handle (rasa/core/agent.py:10);validate (jsonschema/validators.py:1120) 6
process 7:"python -m rasa run";main (rasa/__main__.py:96);handle (rasa/core/agent.py:10) 2
main (rasa/__main__.py:96);retrieve (bot/server/tracker_cache.py:50) 2
not a stack line
"""


@pytest.mark.parametrize(
    ("frame", "name"),
    [
        ("validate (jsonschema/validators.py:1120)", "validate (jsonschema/validators.py)"),
        ("run (/x/.venv/lib/python3.10/site-packages/rasa/core/run.py:3)", "run (rasa/core/run.py)"),
        ("<module> (<string>)", "<module> (<string>)"),
        ("a frame without a file", "a frame without a file"),
    ],
)
def test_a_frame_is_named_by_function_and_file_without_line(frame: str, name: str) -> None:
    assert frame_name(frame) == name


def test_shares_count_each_function_once_per_stack_on_the_stack_and_when_running() -> None:
    assert top(COLLAPSED, 3) == [
        Entry("main (rasa/__main__.py)", 1.0, 0.0),
        Entry("handle (rasa/core/agent.py)", 0.8, 0.2),
        Entry("validate (jsonschema/validators.py)", 0.6, 0.6),
    ]
