"""The compiled check accepts and refuses exactly what Rasa's own check does, and is what Rasa runs."""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot.server import action_results

VALID: list[dict[str, Any]] = [
    {},
    {"events": [], "responses": []},
    {
        "events": [
            {"event": "slot", "name": "pain_location", "value": "ribs", "timestamp": None},
            {"event": "active_loop", "name": "pain_form"},
            {"event": "followup", "name": "action_assess"},
        ],
        "responses": [{"response": "utter_ask_pain_timing"}, {"text": "Hi"}],
    },
]
INVALID: list[dict[str, Any]] = [
    {"events": "slot"},
    {"events": [{"event": "slot"}]},
    {"events": [{"event": "not_an_event"}]},
    {"responses": ["utter_greet"]},
]


@pytest.fixture(scope="module")
def action() -> RemoteAction:
    return RemoteAction("action_assess", None)


@pytest.mark.parametrize("result", VALID)
def test_an_answer_rasa_accepts_is_accepted(action: RemoteAction, result: dict[str, Any]) -> None:
    assert action_results.validate_action_result(action, result) is True


@pytest.mark.parametrize("result", INVALID)
def test_an_answer_rasa_refuses_is_refused_with_rasas_own_message(action: RemoteAction, result: dict[str, Any]) -> None:
    with pytest.raises(jsonschema.ValidationError) as refused:
        action_results.validate_action_result(action, result)
    assert "Failed to validate Action server response from API" in refused.value.message


def test_the_compiled_check_is_many_times_cheaper_than_rasas(action: RemoteAction) -> None:
    result = VALID[2]
    action_results.validate_action_result(action, result)  # compile once
    started = time.perf_counter()
    for _ in range(20):
        action_results.validate_action_result(action, result)
    compiled = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(20):
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
    assert compiled * 5 < time.perf_counter() - started


def test_the_launchers_rasa_installs_the_compiled_check() -> None:
    code = (
        "import sys; sys.argv = ['rasa', '--version']\n"
        "from rasa.core.actions.action import RemoteAction\n"
        "from bot.server import rasa_main, action_results\n"
        "try:\n    rasa_main.main()\nexcept SystemExit:\n    pass\n"
        "assert RemoteAction._validate_action_result is action_results.validate_action_result\n"
        "print('installed')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.stdout.strip().endswith("installed"), done.stderr[-2000:]
