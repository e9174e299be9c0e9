"""What the integration tests share: talking to a running assistant, reading its logs, checking its files' modes
and the slots a booked visit leaves."""

from __future__ import annotations

import json
import stat
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from rasa.shared.core.trackers import DialogueStateTracker

from bot.stack import Stack
from tools.servers import text_of

PHRASE = "Quillonmarsh"  # a name no log line could hold by chance
OPENING = "I get a dull ache between my shoulder blades after coughing fits"


def chat(stack: Stack, sender: str, message: str) -> tuple[int, Any, float]:
    """A message through the widget's proxy: (status, body, seconds it took)."""
    request = urllib.request.Request(
        f"{stack.web_url}/api/chat",
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json"},
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read()), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), time.monotonic() - started


def say_to_rasa(stack: Stack, sender: str, message: str) -> int:
    """A message straight to Rasa's REST channel, as any local program could send it; its status."""
    request = urllib.request.Request(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def replies(stack: Stack, sender: str, message: str) -> list[dict]:
    """The assistant's replies, through the widget's proxy, to a message that must be answered."""
    status, body, _ = chat(stack, sender, message)
    assert status == 200, body
    return list(body["messages"])


def said(stack: Stack, sender: str, message: str) -> str:
    """The words of the assistant's answer to a message that must be answered."""
    return text_of(replies(stack, sender, message))


def logs_of(stack: Stack) -> str:
    return "\n".join(p.read_text(errors="replace") for p in sorted(stack.log_dir.rglob("*.log*")))


def modes(folder: Path) -> dict[str, str]:
    """Every file and folder under `folder` (itself included) whose mode is not 0600 (files) or 0700 (folders)."""
    wrong = {}
    for path in (folder, *folder.rglob("*")):
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode != (0o700 if path.is_dir() else 0o600):
            wrong[str(path.relative_to(folder.parent))] = oct(mode)
    return wrong


def assert_booked_visit_slots(tracker: DialogueStateTracker) -> None:
    """The slots after the visit both conversation tests hold (test_scaled too): none of the safety check's signs, a
    dull ache between the shoulder blades after coughing fits, worse lying flat, inhaled steroids, asthma-related, a
    booking asked for."""
    assert (tracker.get_slot("safety_emergency"), tracker.get_slot("safety_urgent")) == ("none", "none")
    assert tracker.get_slot("pain_location") == "between_shoulder_blades"
    assert tracker.get_slot("pain_timing") == ["after_coughing", "lying_flat"]
    assert tracker.get_slot("pain_quality") == "dull_ache"
    assert tracker.get_slot("medication") == ["inhaled_steroids"]
    assert tracker.get_slot("assessment") == "asthma_related"
    assert tracker.get_slot("booking_requested") is True
