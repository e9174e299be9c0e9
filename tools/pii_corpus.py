"""The personal-details corpus (tests/bot/privacy/pii_corpus.yml): loading it, and the de-identification's
recall per kind.

Usage: python -m tools.pii_corpus   (prints the share of each kind's details replaced, and any left)
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.privacy.deidentify import KINDS, conversation_names, deidentified
from bot.stack import ROOT
from clinic.contact import clean_name

CORPUS = ROOT / "tests" / "bot" / "privacy" / "pii_corpus.yml"  # test data, beside the tests that read it


@dataclass(frozen=True)
class Message:
    """One patient message of the corpus, with the personal details it holds by kind."""

    conversation: str
    text: str
    details: dict[str, tuple[str, ...]]
    keep: tuple[str, ...] = ()
    asked: str | None = None  # the booking form's question it answers
    model: dict[str, str] = field(default_factory=dict)  # entity -> the words the model misread as it


def load(path: Path = CORPUS) -> list[Message]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Message(
            conversation=str(entry.get("conversation") or f"pii-{number:03d}"),
            text=entry["text"],
            details={kind: tuple(found) for kind, found in (entry.get("details") or {}).items()},
            keep=tuple(entry.get("keep") or ()),
            asked=entry.get("asked"),
            model=dict(entry.get("model") or {}),
        )
        for number, entry in enumerate(entries, start=1)
    ]


def conversations(messages: Iterable[Message]) -> dict[str, list[Message]]:
    """The messages by conversation, in order."""
    found: dict[str, list[Message]] = {}
    for message in messages:
        found.setdefault(message.conversation, []).append(message)
    return found


def survives(detail: str, text: str) -> bool:
    """The detail is in the text, as a whole word or number, in any case."""
    return re.search(rf"(?<!\w){re.escape(detail)}(?!\w)", text, re.IGNORECASE) is not None


def deidentified_texts(messages: Iterable[Message]) -> list[tuple[Message, str]]:
    """Each message de-identified as the exports do it: with every name given in its conversation."""
    found = []
    for conversation in conversations(messages).values():
        given = {n for m in conversation if m.asked == "patient_name" and (n := clean_name(m.text))}
        names = conversation_names((m.text for m in conversation), given)
        found += [(m, deidentified(m.text, names)) for m in conversation]
    return found


def recall(outputs: Iterable[tuple[Message, str]], survived: Callable[[str, str], bool] = survives) -> dict[str, float]:
    """Per kind: the share of the details that no longer appear in the message's output."""
    total: Counter[str] = Counter()
    replaced: Counter[str] = Counter()
    for message, output in outputs:
        for kind, details in message.details.items():
            total[kind] += len(details)
            replaced[kind] += sum(not survived(d, output) for d in details)
    return {kind: replaced[kind] / total[kind] for kind in KINDS if total[kind]}


def main() -> int:
    messages = load()
    outputs = deidentified_texts(messages)
    counts = Counter(kind for m in messages for kind, found in m.details.items() for _ in found)
    print(f"{len(messages)} messages, {sum(counts.values())} personal details")
    for kind, share in recall(outputs).items():
        print(f"{kind:8} {counts[kind]:3} details  recall {share:.1%}")
    for message, output in outputs:
        left = [d for found in message.details.values() for d in found if survives(d, output)]
        if left:
            print(f"  left {left} in: {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
