"""The red-flag rules of docs/design.md: which flags exist, and how a finding in a message is judged.

The concept terms (what words reveal each flag) and the context triggers (negation, someone else,
hypothetical, historical, hedged) live in bot/nlu/terms/ and are matched with spaCy and medspaCy's
ConText (bot/nlu/red_flag_matcher.py). This module only decides, as plain rules a clinician can read:

- a flag asserted as present now is **definite**: the emergency or urgent reply at once;
- a flag that is hedged, historical or only vaguely described, said of someone else (the writer may
  be asking for them), or a red flag only the model suspects, is **possible**: one plain yes/no
  question about that sign comes first;
- a flag that is denied or hypothetical, or a relative's past urgent sign ("my mum had cancer"), is dropped.

No Rasa or spaCy imports: the NLU component, the actions and the tests all use it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class Level(str, Enum):
    """How soon the patient must be seen; ordered from least to most severe."""

    NONE = "none"
    URGENT = "urgent"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        return list(Level).index(self)


class Tier(str, Enum):
    """How sure the screen is: definite gets the red-flag reply, possible gets a question first."""

    NONE = "none"
    POSSIBLE = "possible"
    DEFINITE = "definite"


@dataclass(frozen=True)
class RedFlag:
    """One red flag of docs/design.md.

    `history_counts`: the flag is about the patient's history, so a past mention is as definite as a
    present one ("I had breast cancer in 2015"). For every other flag, a sign that was over long ago
    only gets the confirming question.
    `includes`: flags whose sign is part of this one's; beside it they are not named again
    ("coughing up blood with breathlessness", not also "coughing up blood").
    """

    name: str
    level: Level
    history_counts: bool = False
    includes: tuple[str, ...] = ()


RED_FLAGS: tuple[RedFlag, ...] = (
    # Emergency: call 911 now (NHLBI asthma action plan danger signs, GINA severe signs).
    RedFlag("severe_breathlessness", Level.EMERGENCY),
    RedFlag("blue_lips_or_nails", Level.EMERGENCY),
    RedFlag("reliever_not_helping", Level.EMERGENCY),
    RedFlag("drowsy_or_confused_with_breathing_trouble", Level.EMERGENCY),
    RedFlag("chest_pain", Level.EMERGENCY),
    RedFlag("cauda_equina", Level.EMERGENCY),
    RedFlag("serious_injury", Level.EMERGENCY, includes=("injury_fracture_risk",)),
    # NHS chest-pain advice (aortic dissection, heart attack, pulmonary embolism signs), GINA, NHLBI red zone.
    RedFlag("sudden_severe_pain", Level.EMERGENCY),
    RedFlag("coughing_blood_breathless", Level.EMERGENCY, includes=("coughing_blood",)),
    RedFlag("peak_flow_red_zone", Level.EMERGENCY),
    # Urgent: see a doctor today or within 24 hours (NHS / NICE-CKS red flags, NHLBI yellow zone).
    RedFlag("injury_fracture_risk", Level.URGENT),
    RedFlag("fever", Level.URGENT),
    RedFlag("unexplained_weight_loss", Level.URGENT),
    RedFlag("history_of_cancer", Level.URGENT, history_counts=True),
    RedFlag("night_pain_not_eased_by_rest", Level.URGENT),
    RedFlag("lump_or_back_shape_change", Level.URGENT, history_counts=True),
    RedFlag("fragility_fracture", Level.URGENT),
    RedFlag("one_leg_weakness", Level.URGENT),
    RedFlag("reliever_overuse", Level.URGENT),
    RedFlag("coughing_blood", Level.URGENT),
    RedFlag("pregnancy_with_cramps_or_bleeding", Level.URGENT),
)

FLAGS: dict[str, RedFlag] = {flag.name: flag for flag in RED_FLAGS}
LEVEL_OF_FLAG: dict[str, Level] = {flag.name: flag.level for flag in RED_FLAGS}

# The NLU intents of a definite red flag at each level, and of a possible one.
INTENT_OF_LEVEL: dict[Level, str] = {Level.EMERGENCY: "red_flag_emergency", Level.URGENT: "red_flag_urgent"}
LEVEL_OF_INTENT: dict[str, Level] = {name: level for level, name in INTENT_OF_LEVEL.items()}
POSSIBLE_INTENT = "red_flag_possible"
# The assistant is for adults: a message about a child gets pointed to the child's doctor (and 911 signs).
CHILD_INTENT = "about_child"


@dataclass(frozen=True)
class Finding:
    """One mention of a red-flag concept in a message, with what its context says about it."""

    flag: str
    negated: bool = False  # "no chest pain", "no fever or chills"
    other_person: bool = False  # about someone else: "my dad's down 5 kg" (maybe asking for him)
    family_history: bool = False  # someone else's past: "my mum had cancer", "loads of cancer in my family"
    hypothetical: bool = False  # "what if I get chest pain?"
    historical: bool = False  # "back in 2019", "years ago"
    hedged: bool = False  # "I think my legs are a bit numb?"
    vague: bool = False  # a loose description of the sign: "my chest feels funny"


@dataclass(frozen=True)
class Screen:
    """What the screen decided for one message.

    `flags`: the definite flags. `ask`: the sign to ask about first (tier possible); "" when only the
    model suspects a red flag at `level`. A possible emergency is asked about even beside a definite
    urgent flag: a "no" then still gets the urgent reply. `child`: the message is about a minor.
    """

    level: Level
    tier: Tier
    flags: tuple[str, ...] = ()
    ask: str | None = None
    child: bool = False

    @property
    def intent(self) -> str | None:
        """The intent that makes the dialogue answer this screen first; None for no red flag.

        A message about a child gets the reply for children, which names the 911 signs, unless it holds a
        definite emergency: then 911 comes at once.
        """
        if self.tier is Tier.DEFINITE and self.level is Level.EMERGENCY:
            return INTENT_OF_LEVEL[self.level]
        if self.child:
            return CHILD_INTENT
        if self.tier is Tier.DEFINITE:
            return INTENT_OF_LEVEL[self.level]
        return POSSIBLE_INTENT if self.tier is Tier.POSSIBLE else None


def judge(finding: Finding) -> Tier:
    """The tier one finding earns from its context."""
    if finding.negated or finding.hypothetical:
        return Tier.NONE
    if finding.family_history:
        # Someone else's emergency sign told in the past may still be going on beside the writer: ask.
        return Tier.POSSIBLE if LEVEL_OF_FLAG[finding.flag] is Level.EMERGENCY else Tier.NONE
    if finding.other_person:
        return Tier.POSSIBLE
    if finding.historical and not FLAGS[finding.flag].history_counts:
        return Tier.POSSIBLE
    if finding.hedged or finding.vague:
        return Tier.POSSIBLE
    return Tier.DEFINITE


def most_severe(flags: Iterable[str]) -> Level:
    return max((LEVEL_OF_FLAG[f] for f in flags), key=lambda lv: lv.rank, default=Level.NONE)


def decide(findings: Iterable[Finding], model_level: Level = Level.NONE, child: bool = False) -> Screen:
    """One message's screen: a question about the most severe possible sign when it outranks every
    definite flag, else the definite flags.

    `model_level` is the most severe red-flag level the trained classifier suspects; on its own it
    never gives more than the confirming question, and not even that when the message's red-flag words
    were all denied, someone else's or hypothetical: they are what the model reacted to.
    When it outranks every definite flag (the words say urgent, the model is sure of an emergency) and
    no sign at its level was ruled out in the message, the emergency question comes first, listing every
    sign, with the definite flags kept for a "no": an emergency told in words the terms only read as
    urgent is not answered with "see a doctor today" alone.
    `child`: the message is about a minor (see `Screen.intent`).
    """
    tiers = [(f.flag, judge(f)) for f in findings]
    found = {flag for flag, tier in tiers if tier is Tier.DEFINITE}
    covered = {included for flag in found for included in FLAGS[flag].includes}
    definite = tuple(dict.fromkeys(flag for flag, tier in tiers if tier is Tier.DEFINITE and flag not in covered))
    possible = [flag for flag, tier in tiers if tier is Tier.POSSIBLE]
    ask = max(possible, key=lambda f: LEVEL_OF_FLAG[f].rank, default=None)
    if ask and LEVEL_OF_FLAG[ask].rank > most_severe(definite).rank:
        return Screen(LEVEL_OF_FLAG[ask], Tier.POSSIBLE, definite, ask, child)
    ruled_out = any(tier is Tier.NONE and LEVEL_OF_FLAG[flag].rank >= model_level.rank for flag, tier in tiers)
    if definite and model_level.rank > most_severe(definite).rank and not ruled_out:
        return Screen(model_level, Tier.POSSIBLE, definite, ask="", child=child)
    if definite:
        return Screen(most_severe(definite), Tier.DEFINITE, definite, child=child)
    if model_level is not Level.NONE and not tiers:
        return Screen(model_level, Tier.POSSIBLE, ask="", child=child)
    return Screen(Level.NONE, Tier.NONE, child=child)


@dataclass(frozen=True)
class Check:
    """A confirming question in progress: the sign asked about (empty when only the model suspected a red
    flag at `level`), the definite flags already found beside it, and the form to go back to."""

    level: Level
    ask: str
    flags: tuple[str, ...] = ()
    resume: str | None = None

    def as_slot(self) -> dict[str, object]:
        return {"level": self.level.value, "ask": self.ask, "flags": list(self.flags), "resume": self.resume}

    @classmethod
    def from_slot(cls, value: object) -> Check | None:
        if not isinstance(value, dict) or value.get("level") not in [lv.value for lv in Level]:
            return None
        ask = value.get("ask")
        flags: list[object] = value["flags"] if isinstance(value.get("flags"), list) else []
        resume = value.get("resume")
        return cls(
            Level(value["level"]),
            ask if isinstance(ask, str) and ask in FLAGS else "",
            tuple(f for f in flags if isinstance(f, str) and f in FLAGS),
            resume if isinstance(resume, str) else None,
        )


def after_answer(check: Check, answer: str) -> tuple[Level, tuple[str, ...]]:
    """What a yes, no or not sure to the confirming question means.

    Yes and not sure get the red-flag reply for the sign asked about; no leaves only the definite flags
    found beside it (often none: the conversation carries on).
    """
    if answer in ("yes", "unsure"):
        asked = (check.ask,) if check.ask else ()
        return check.level, tuple(dict.fromkeys((*asked, *check.flags)))
    return most_severe(check.flags), check.flags
