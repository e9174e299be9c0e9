"""Rasa's check of each action server answer, with its schema compiled once instead of at every answer.

Rasa 3.6's `RemoteAction._validate_action_result` calls `jsonschema.validate`, which checks the schema
against its metaschema and builds a new validator every time: 27 ms per answer on this machine, the
largest single cost of a message in a profile of the Rasa server (docs/performance.md). The answer is
checked against the same schema here; an answer that fails goes to Rasa's own check, so the error a
developer sees is Rasa's.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jsonschema
from jsonschema.protocols import Validator
from rasa.core.actions.action import RemoteAction

_RASA_CHECK = RemoteAction._validate_action_result


@cache
def compiled() -> Validator:
    """One validator for `RemoteAction.action_response_format_spec`, its schema checked once."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(action: RemoteAction, result: dict[str, Any]) -> bool:
    if compiled().is_valid(result):
        return True
    return _RASA_CHECK(action, result)


def install() -> None:
    """Make every RemoteAction in this process use the compiled check (Rasa has no setting for it)."""
    RemoteAction._validate_action_result = validate_action_result
