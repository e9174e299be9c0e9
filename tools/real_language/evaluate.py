"""`make eval`: the red-flag screen and what reaches the slots, on real patients' words and on our own.

Every message is cleaned and normalised as the doors do it (bot/incoming.py) and goes through the trained
model's whole NLU pipeline (the classifier, the pain-fact extractor, the red-flag screen), as a patient's
message does. What the patient would get:
- `alarm`: the emergency or urgent reply at once (intent red_flag_emergency / red_flag_urgent);
- `asked`: the confirming question first (red_flag_possible), at a level; or, for a message about a child
  in which the screen found a red flag short of a definite emergency, the reply for children (about_child),
  which sends the parent to the child's doctor and names the 911 signs;
- nothing.
A red flag is caught when it gets its reply at once, or the question at its level (a "yes" then gets
the reply). A false alarm is a reply at once to a message with no red flag.
What reaches the slots, on messages with no red flag: slot by slot (does the slot hold what the patient
said?) and fact by fact (stated facts filled; filled facts that were stated), against the corpus labels.

Sets, reported apart: the real-language corpus the terms were written against (sourced and unsourced
messages), each hold-out set written from other pages and kept unseen (messages not printed), and the
team's own held-out NLU phrasings (tests/nlu/test_nlu.yml). Under each of a hold-out's figures, its first
unseen figure (first_unseen.yml): the trend on words nobody wrote terms or training data for.
Usage: python -m tools.real_language.evaluate [--model models/backpain.tar.gz]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from bot.incoming import clean_text, normalise
from bot.nlu.description_first import DESCRIPTION_INTENTS
from bot.stack import ROOT
from clinic.contract import LIST_SLOTS, SLOT_VALUES, canonical
from clinic.red_flags import CHILD_INTENT, LEVEL_OF_INTENT, POSSIBLE_INTENT, Level
from tools.nlu_data import annotated_values, unannotated
from tools.nlu_data import examples as nlu_examples
from tools.real_language.corpus import HERE, HOLDOUTS, Example, load

if TYPE_CHECKING:  # imported with the model (loaded): the tests of how a parse is read need neither
    from rasa.core.agent import Agent

MODEL = ROOT / "models" / "backpain.tar.gz"
TEAM_SET = ROOT / "tests" / "nlu" / "test_nlu.yml"
# CI's bars: no emergency missed, urgent recall at least 95 %, false alarms at most 3 %.
URGENT_RECALL = 0.95
FALSE_ALARMS = 0.03
# CI's bars for what reaches the slots: slot-level accuracy on real patients' words and on the
# team's phrasings, and a floor on the facts filled that were stated, so that filling more can't buy recall.
REAL_SLOT_ACCURACY = 0.85
TEAM_SLOT_ACCURACY = 0.95
FACT_PRECISION = 0.75
# CI's bar on descriptions taken as something else (not understood, a yes, a goodbye) in real patients' words.
UNDESCRIBED = 0.10
# Each hold-out's figures as first measured, before anything was written with it in view.
FIRST_UNSEEN = HERE / "first_unseen.yml"


@dataclass(frozen=True)
class Outcome:
    """What the patient would get for one message."""

    level: Level  # the level of the reply at once, or of the question
    asked: bool  # the confirming question came first
    by_model: bool = False  # asked only because the classifier suspected a red flag
    facts: tuple[tuple[str, str], ...] = ()  # (slot, contract value) the message's entities give, in order
    described: bool = True  # taken as a description (the pain questions start) or a red flag, not as anything else

    def slot(self, name: str) -> tuple[str, ...]:
        """What the slot would hold after this message, as the pain form keeps it (clinic/questions.py)."""
        kept = canonical(name, [value for slot, value in self.facts if slot == name])
        return tuple(kept) if isinstance(kept, list) else (kept,) if kept else ()

    def catches(self, level: Level) -> bool:
        return self.level.rank >= level.rank > 0

    @property
    def alarm(self) -> bool:
        return self.level is not Level.NONE and not self.asked


# The intents on which no slot is filled (a question, a red flag, small talk). A possible red flag's facts
# reach the slots once the patient answers "no" to its question (action_answer_red_flag).
NO_SLOTS_ON = frozenset({"faq", "out_of_scope", "bot_challenge", *LEVEL_OF_INTENT})


def facts(parse_data: dict) -> tuple[tuple[str, str], ...]:
    """The contract values the message's entities would put into the pain and medicine slots, in order."""
    if (parse_data.get("intent") or {}).get("name") in NO_SLOTS_ON:
        return ()
    return tuple(
        dict.fromkeys(
            (e["entity"], e["value"])
            for e in parse_data.get("entities") or []
            if e.get("value") in SLOT_VALUES.get(e.get("entity"), ())
        )
    )


def outcome(parse_data: dict) -> Outcome:
    intent = (parse_data.get("intent") or {}).get("name")
    filled = facts(parse_data)
    if intent in LEVEL_OF_INTENT:
        return Outcome(LEVEL_OF_INTENT[intent], asked=False, facts=filled)
    found = parse_data.get("red_flag") or {}
    if intent == POSSIBLE_INTENT:
        return Outcome(Level(found.get("level", "emergency")), asked=True, by_model=not found.get("ask"), facts=filled)
    if intent == CHILD_INTENT and found.get("level", "none") != Level.NONE.value:
        return Outcome(Level(found["level"]), asked=True, facts=filled)
    return Outcome(Level.NONE, asked=False, facts=filled, described=intent in DESCRIPTION_INTENTS)


@dataclass(frozen=True)
class First:
    """One figure of a hold-out as first measured unseen."""

    count: int
    total: int
    when: str  # the date and the commit measured

    def __str__(self) -> str:
        return f"{self.count}/{self.total} = {self.count / self.total:.1%} ({self.when})"


def first_unseen(path: Path = FIRST_UNSEEN) -> dict[str, dict[str, First]]:
    """Each hold-out's first unseen figures by name (emergency, urgent, false_alarms, asked, slots,
    facts_reached, facts_stated), the earliest measurement's where several recorded one; a figure
    nobody recorded is absent (the file says why)."""
    found: dict[str, dict[str, First]] = {}
    for holdout, measurements in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
        figures = found.setdefault(holdout, {})
        for measured in measurements["measured"]:
            for name, (count, total) in (measured.get("figures") or {}).items():
                figures.setdefault(name, First(count, total, f"{measured['date']}, {measured['commit']}"))
    return found


@dataclass
class Report:
    """The figures for one set of messages."""

    name: str
    results: list[tuple[Example, Outcome]]
    # The hold-out's messages are not printed: seeing them would invite writing terms for them.
    show_messages: bool = True
    first: dict[str, First] = field(default_factory=dict)  # a hold-out's first unseen figures

    def _of(self, level: Level) -> list[tuple[Example, Outcome]]:
        return [(e, o) for e, o in self.results if e.level is level]

    def recall(self, level: Level) -> tuple[int, int, int]:
        """(caught, caught at once, total) for the messages at this level."""
        rows = self._of(level)
        return (
            sum(o.catches(level) for _e, o in rows),
            sum(o.catches(level) and not o.asked for _e, o in rows),
            len(rows),
        )

    def benign(self) -> tuple[int, int, int]:
        """(false alarms, questions, total) on the messages with no red flag."""
        rows = self._of(Level.NONE)
        return sum(o.alarm for _e, o in rows), sum(o.asked for _e, o in rows), len(rows)

    def asked_by_model(self) -> int:
        return sum(o.by_model for e, o in self.results if e.level is Level.NONE)

    def missed(self) -> list[Example]:
        return [e for e, o in self.results if e.level is not Level.NONE and not o.catches(e.level)]

    def flag_recall(self) -> dict[str, tuple[int, int]]:
        by_flag: dict[str, tuple[int, int]] = {}
        for example, got in self.results:
            for flag in example.flags:
                caught, total = by_flag.get(flag, (0, 0))
                by_flag[flag] = (caught + got.catches(example.level), total + 1)
        return dict(sorted(by_flag.items()))

    def _stating(self) -> list[tuple[Example, Outcome]]:
        # Red-flag messages are left out: on those the dialogue fills no slot on purpose.
        return [(e, o) for e, o in self.results if e.level is Level.NONE]

    def extraction(self) -> tuple[int, int, int]:
        """(stated facts that reach the slots, facts stated, facts filled), fact by fact.

        A fact is a (slot, contract value) the message states (its labels); filled ones that weren't
        stated are wrong.
        """
        found = stated = filled = 0
        for example, got in self._stating():
            labelled = {(slot, value) for slot, values in example.slots.items() for value in values}
            found += len(labelled & set(got.facts))
            stated += len(labelled)
            filled += len(got.facts)
        return found, stated, filled

    def slot_accuracy(self) -> tuple[int, int, int]:
        """(slots right, slots the messages state, slots filled that the message did not state), slot by slot.

        A stated slot is right when it ends up holding what the patient said: a place or feeling that is
        one they named (the slot holds one), every timing and medicine they named (the list slots).
        """
        right = stated = unstated = 0
        for example, got in self._stating():
            for slot in SLOT_VALUES:
                said, kept = set(example.slots.get(slot, ())), set(got.slot(slot))
                if not said:
                    unstated += bool(kept)
                    continue
                stated += 1
                right += said <= kept if slot in LIST_SLOTS else bool(kept & said)
        return right, stated, unstated

    def undescribed(self) -> tuple[int, int]:
        """(descriptions taken as something else, descriptions): messages with no red flag that state a pain
        fact, answered as anything but a description ("Sorry, I didn't quite understand", a yes, a goodbye)."""
        rows = [o for e, o in self._stating() if e.slots]
        return sum(not o.described for o in rows), len(rows)

    def _first(self, *figures: tuple[str, str]) -> list[str]:
        """The line under a figure that gives the hold-out's first unseen value of it, when recorded."""
        said = [f"{label} {self.first[name]}" for name, label in figures if name in self.first]
        return ["    first unseen: " + "; ".join(said)] if said else []

    def lines(self) -> list[str]:
        out = [f"== {self.name}: {len(self.results)} messages"]
        for level in (Level.EMERGENCY, Level.URGENT):
            caught, at_once, total = self.recall(level)
            if total:
                out.append(
                    f"  {level.value:9} recall {caught}/{total} = {caught / total:.1%}"
                    f"  (reply at once {at_once}, after the question {caught - at_once})"
                )
                out += self._first((level.value, "recall"))
        alarms, asked, total = self.benign()
        if total:
            out.append(
                f"  no red flag: false alarms {alarms}/{total} = {alarms / total:.1%};"
                f" confirming question {asked}/{total} = {asked / total:.1%}"
                f" ({self.asked_by_model()} of them on the classifier's suspicion alone)"
            )
            out += self._first(("false_alarms", "false alarms"), ("asked", "confirming question"))
        right, slots, unstated = self.slot_accuracy()
        if slots:
            out.append(
                f"  slots stated in messages with no red flag that get what the patient said: {right}/{slots}"
                f" = {right / slots:.1%}; slots filled that the message did not state: {unstated}"
            )
            out += self._first(("slots", "slots"))
        found, stated, filled = self.extraction()
        if stated:
            out.append(
                f"  facts stated in messages with no red flag that reach the slots: {found}/{stated} = {found / stated:.1%};"
                f" facts filled that were stated: {found}/{filled} = {found / max(filled, 1):.1%}"
            )
            out += self._first(
                ("facts_reached", "facts reaching the slots"), ("facts_stated", "facts filled that were stated")
            )
        missed, described = self.undescribed()
        if described:
            out.append(f"  descriptions taken as something else: {missed}/{described} = {missed / described:.1%}")
        flags = self.flag_recall()
        if flags:
            out.append("  per flag: " + ", ".join(f"{f} {c}/{t}" for f, (c, t) in flags.items()))
        if not self.show_messages:
            return out
        out += [f"  MISSED [{e.id}] {e.level.value}/{','.join(e.flags)}: {e.text[:110]}" for e in self.missed()]
        out += [f"  FALSE ALARM [{e.id}]: {e.text[:110]}" for e, o in self.results if e.level is Level.NONE and o.alarm]
        return out


def team_examples(path: Path = TEAM_SET) -> list[Example]:
    """The team's held-out NLU phrasings, by intent: the red-flag intents at their level, every other none.

    Hedged phrasings (red_flag_possible) are left out: a question is the right answer for them, and they
    are neither a red flag to catch nor a message that must go without one.
    """
    found = []
    for i, (name, text) in enumerate(nlu_examples(path)):
        intent = name.split("/")[0]
        if intent == POSSIBLE_INTENT:
            continue
        slots: dict[str, tuple[str, ...]] = {}
        for entity, value in annotated_values(text):
            if value in SLOT_VALUES.get(entity, ()):
                slots[entity] = (*slots.get(entity, ()), value)
        level = LEVEL_OF_INTENT.get(intent, Level.NONE)
        found.append(Example(f"{intent}-{i}", unannotated(text), level, (), "opening", slots, None, path.name))
    return found


def loaded(model: Path = MODEL) -> Agent:
    """The trained assistant, loaded once for every message."""
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # Rasa's debug lines would print every patient's message
    return Agent.load(str(model))


def parse_all(texts: Iterable[str], agent: Agent) -> list[dict]:
    """The trained assistant's NLU parse of each text."""

    async def parse() -> list[dict]:
        # As a patient's message reaches Rasa: through the door's cleaning and normalising (bot/incoming.py).
        return [await agent.parse_message(normalise(clean_text(text))) for text in texts]

    return asyncio.run(parse())


def corpus_sets() -> list[tuple[str, list[Example]]]:
    """Each set of messages, named, reported apart."""
    corpus = load(include_holdout=True)
    return [
        ("real patients' words (sourced)", [e for e in corpus if e.sourced and e.file not in HOLDOUTS]),
        ("real-language corpus, messages we wrote without a source", [e for e in corpus if not e.sourced]),
        *(
            (
                f"hold-out of real patients' words, {name} (kept unseen)",
                [e for e in corpus if e.sourced and e.file == name],
            )
            for name in HOLDOUTS
        ),
        ("team-written held-out phrasings (tests/nlu/test_nlu.yml)", team_examples()),
    ]


def holdout_of(name: str) -> str | None:
    """The hold-out file a set's name stands for, if it is one."""
    return next((h for h in HOLDOUTS if name.endswith(f"{h} (kept unseen)")), None)


def reports(agent: Agent) -> list[Report]:
    sets = corpus_sets()
    outcomes = [outcome(p) for p in parse_all([e.text for _name, examples in sets for e in examples], agent)]
    firsts = first_unseen()
    out, start = [], 0
    for name, examples in sets:
        results = list(zip(examples, outcomes[start : start + len(examples)], strict=True))
        holdout = holdout_of(name)
        first = firsts.get(holdout, {}) if holdout else {}
        out.append(Report(name, results, show_messages=holdout is None, first=first))
        start += len(examples)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=MODEL)
    args = parser.parse_args()
    for report in reports(loaded(args.model)):
        print("\n".join(report.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
