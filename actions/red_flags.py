"""The red-flag screen: deterministic patterns checked on every patient message.

This layer exists so that a phrasing the NLU model has never seen still triggers
emergency or urgent care advice (DESIGN.md, "Red flags"). Missing a red flag is the
worst failure of the product; a false alarm is a much smaller one, so the patterns
lean towards matching. Each pattern names the red flag it stands for, so a clinician
can read the table below line by line.

No Rasa imports: the NLU component and the actions both call `screen`.
"""

from __future__ import annotations

import re
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


@dataclass(frozen=True)
class RedFlag:
    """One red flag of DESIGN.md and the phrasings that reveal it."""

    name: str
    level: Level
    patterns: tuple[str, ...]


@dataclass(frozen=True)
class Screen:
    """What the screen found in one message: the most severe level and every flag."""

    level: Level
    flags: tuple[str, ...]


_CANT = (
    r"(?:can'?t|cannot|can not|unable to|not able to|couldn'?t|can (?:barely|hardly)|(?:barely|hardly) able to"
    r"|(?:haven'?t|hasn'?t|have not|has not) been able to)"
)
_NEAR = r"[^.!?;\n]{0,50}?"  # a short stretch inside one sentence

RED_FLAGS: tuple[RedFlag, ...] = (
    # Emergency: call 911 now (NHLBI asthma action plan danger signs, GINA severe signs).
    RedFlag(
        "severe_breathlessness",
        Level.EMERGENCY,
        (
            rf"\b{_CANT} (?:breathe|breath|catch my breath|get (?:any |enough |my )?(?:air|breath))",
            r"\b(?:struggling|fighting|gasping) (?:to breathe|for (?:breath|air))",
            r"\bonly (?:say|speak|get out|manage) (?:a |one or two |a couple of )?(?:few )?words\b",
            r"\bgasping\b",
            r"\b(?:severe(?:ly)?|extreme(?:ly)?|very|really|so|terribly) (?:short (?:of|of the) breath|out of breath|breathless)",
            r"\bsevere (?:shortness of breath|breathlessness|asthma attack|wheez)",
            r"\b(?:bad|terrible|awful|horrible|extreme|serious) (?:shortness of breath|breathlessness)",
            r"\btoo (?:breathless|short of breath|out of breath) to (?:talk|speak|walk)",
            rf"\b{_CANT} (?:talk|speak|say|finish|get out)(?: a| in)?(?: full| whole| complete)? (?:sentences?|words?)",
            rf"\b{_CANT} walk{_NEAR}\b(?:breath|breathe|air)",
            r"\bno puedo respirar\b",
            r"\bme ahogo\b",
        ),
    ),
    RedFlag(
        "blue_lips_or_nails",
        Level.EMERGENCY,
        (
            r"\b(?:lips?|fingernails?|nails?|fingertips?|mouth|face)\b"
            rf"{_NEAR}\b(?:blue|bluish|blueish|grey|gray|greyish|grayish|purple|turning dark)\b(?! inhaler| puffer)",
            r"\b(?:blue|bluish|blueish|grey|gray|purple) (?:lips?|fingernails?|nails?|fingertips?)\b",
            r"\b(?:blue|bluish|blueish|grey|gray|greyish|grayish|purple)\b(?! inhaler| puffer)"
            r"[^.!?;\n]{0,20}?\b(?:lips?|fingernails?|fingertips?)\b",
            r"\b(?:labios|uñas)\b[^.!?;\n]{0,20}?\b(?:azul\w*|morad\w*|gris\w*)",
        ),
    ),
    RedFlag(
        "reliever_not_helping",
        Level.EMERGENCY,
        (
            r"\b(?:inhaler|puffer|reliever|rescue|albuterol|ventolin|salbutamol|nebuli[sz]er|proair)\b"
            r"[^.!?;\n]{0,40}?\b(?:not|isn'?t|aren'?t|doesn'?t|does not|didn'?t|did not|won'?t|hasn'?t|has not"
            r"|haven'?t|have not|no longer|stopped)(?: really| even)?(?: seem(?:s|ed)? to)?"
            r" (?:help|helping|helped|work|working|worked|doing anything|making a difference)",
            r"\b(?:inhaler|puffer|reliever|rescue|albuterol|ventolin|salbutamol|nebuli[sz]er|proair)\b[^.!?;\n]{0,30}?"
            r"\b(?:useless|no help|no use|no relief|no difference|does nothing|did nothing|do nothing|doing nothing)\b",
        ),
    ),
    RedFlag(
        "drowsy_or_confused_with_breathing_trouble",
        Level.EMERGENCY,
        (
            r"\b(?:drowsy|sleepy|confused|disoriented|can'?t stay awake|can'?t keep my eyes open|nodding off|out of it"
            r"|passing out|blacking out|fainting|fainted)\b"
            r"[^.!?\n]{0,60}?\b(?:breath|breathe|breathing|wheez|air|gasp)",
            r"\b(?:breath|breathe|breathing|wheez|air|gasp)\w*"
            r"[^.!?\n]{0,60}?\b(?:drowsy|sleepy|confused|disoriented|can'?t stay awake|can'?t keep my eyes open"
            r"|nodding off|out of it|passing out|blacking out|fainting)\b",
        ),
    ),
    RedFlag(
        "chest_pain",
        Level.EMERGENCY,
        (
            r"\bchest (?:pains?|pressure|is hurting|hurts|aches?|aching|feels? (?:heavy|crushed|squeezed))\b",
            r"\b(?:pain|pressure|crushing|squeezing|heaviness|weight)\b (?:in|on|across|around) (?:my |the )?chest\b",
            r"\b(?:crushing|squeezing|heavy) chest\b",
            r"\b(?:crushing|squeezing|pressing|heavy) (?:feeling|sensation|pain|weight)s? (?:in|on|across) (?:my |the )?chest\b",
            r"\b(?:sore|painful) chest\b",
            r"\bchest (?:is |feels? )?(?:sore|painful|tender|killing me)\b",
            r"\b(?:spread\w*|goes|going|radiat\w*|moves?|moving|wraps?|wrapping|shoots?|shooting)"
            r" (?:\w+ ){0,4}?(?:in|into|to|across|around|through) (?:my |the )?chest\b",
            r"\bheart attack\b",
            r"\bdolor (?:de|en el) pecho\b",
            r"\bme duele (?:el|mi) pecho\b",
        ),
    ),
    RedFlag(
        "cauda_equina",
        Level.EMERGENCY,
        (
            r"\b(?:lost|loss of|losing|lose|no control|can'?t|cannot|trouble|problems?|difficulty|issues?)\b"
            r"[^.!?;\n]{0,25}?\b(?:bladder|bowels?|urine|peeing|urinating)\b",
            rf"\b{_CANT} (?:control|hold) (?:my )?(?:bladder|bowels?|pee|urine|wee|poo|poop)",
            rf"\b{_CANT} (?:pee|urinate|wee)\b",
            r"\b(?:trouble|struggling|difficulty|problems?) (?:to )?(?:peeing|urinating|pee|urinate)\b",
            r"\b(?:wet|peed|pooped|soiled|wetting|peeing|pooping|soiling) myself\b",
            rf"\b{_CANT} feel (?:my )?(?:groin|buttocks?|bum|butt|genitals?|private parts|saddle area|inner thighs?)\b",
            r"\b(?:incontinen\w*|leaking urine)\b",
            r"\bnumb\w*\b[^.!?;\n]{0,30}?\b(?:groin|buttocks?|bum|butt|genitals?|saddle|private parts|inner thighs?|between my legs)\b",
            r"\b(?:groin|buttocks?|bum|butt|genitals?|saddle(?: area)?|inner thighs?)\b[^.!?;\n]{0,20}?\bnumb",
            r"\b(?:weak\w*|numb\w*|tingl\w*|pins and needles|can'?t feel|cannot feel|giving way|give way|gave way)\b"
            r"[^.!?;\n]{0,40}?\b(?:both (?:of )?(?:my )?(?:legs|feet)|my (?:legs|feet)|(?:legs|feet) (?:are|feel))\b",
            r"\b(?:both (?:of )?(?:my )?(?:legs|feet)|my (?:legs|feet)|legs|feet)\b[^.!?;\n]{0,30}?"
            r"\b(?:weak\w*|numb\w*|tingl\w*|pins and needles|giving way|gave way|went dead|feel dead)\b",
        ),
    ),
    RedFlag(
        "serious_injury",
        Level.EMERGENCY,
        (
            r"\b(?:car|motor|motorcycle|bike|bicycle|traffic|road|work|skiing|sports?) (?:accident|crash|collision|wreck)\b",
            r"\b(?:crashed|was in an accident|had an accident|got hit|was hit|hit by|rear[- ]?ended|t-?boned)\b",
            r"\b(?:fell|fallen|fall|falling) (?:off|from|down)\b(?: (?:a|the|some|my))?(?: flight of)?"
            r" (?:ladder|roof|stairs|steps|staircase|horse|height|tree|balcony|bike|motorbike|motorcycle|building"
            r"|cliff|wall|scaffold\w*)",
            r"\b(?:came|come|thrown|flew) off (?:my |a |the )?(?:bike|motorbike|motorcycle|horse|scooter)\b",
            r"\b(?:bad|serious|hard|big|major|nasty|heavy) (?:fall|accident|crash)\b",
            r"\bfell (?:really )?(?:badly|hard)\b",
        ),
    ),
    # Urgent: see a doctor today or within 24 hours (NHS / NICE-CKS red flags).
    RedFlag(
        "injury_fracture_risk",
        Level.URGENT,
        (
            r"\b(?:fell|fallen|slipped|tripped|stumbled|bumped|knocked|injured|hurt myself)\b(?! asleep| ill| sick)",
            r"\b(?:a|my|the|small|minor|little|slight) (?:fall|slip|trip|injury|knock)\b",
        ),
    ),
    RedFlag(
        "fever",
        Level.URGENT,
        (
            r"\b(?:fever|feverish|chills|shivering|shivers|the shakes)\b",
            r"\b(?:a|high|running a|have a) (?:temperature|temp)\b",
            r"\b(?:temperature|temp) (?:is |was |of |at )?(?:about |around |over )?(?:1\d\d|3[89])\b",
            r"\bfiebre\b",
        ),
    ),
    RedFlag(
        "unexplained_weight_loss",
        Level.URGENT,
        (
            r"\bweight loss\b",
            r"(?<!trying to )(?<!want to )(?<!need to )\b(?:lost|losing|lose|dropped|dropping)\b"
            r"(?: \d+)?(?: (?:lbs?|pounds|kg|kilos|a lot of|so much|some|too much))? weight\b",
            r"\b(?:lost|losing|dropped|dropping) (?:about |around |like |over |almost )?\d+(?:\.\d+)? ?"
            r"(?:lbs?|pounds|kg|kilos|stone)\b",
        ),
    ),
    RedFlag(
        "history_of_cancer",
        Level.URGENT,
        (
            r"\b(?:cancer|tumou?rs?|chemo\w*|radiotherapy|radiation therapy|oncolog\w*|malignan\w*|lymphoma|leuka?emia|myeloma|metasta\w*)\b",
        ),
    ),
    RedFlag(
        "night_pain_not_eased_by_rest",
        Level.URGENT,
        (
            r"\b(?:rest|resting|lying (?:down|still)|lie down|sleep|sleeping)\b"
            r" (?:doesn'?t|does not|don'?t|won'?t|isn'?t|is not|never|not) (?:help|ease|relieve|make it better|do anything)",
            r"\b(?:not|isn'?t|doesn'?t|never|no) (?:eased|relieved|helped|better|easing)"
            r" (?:by|with|when|even when|if) (?:i )?(?:rest|resting|lying|lie|sleep)",
            r"\beven (?:when|while|if) i(?:'?m| am)? (?:rest|resting|lie|lying|sleep)",
            r"\b(?:nothing|no position)\b[^.!?;\n]{0,30}?\b(?:helps|eases|works)\b[^.!?;\n]{0,30}?\bnight\b",
            r"\bnight\b[^.!?;\n]{0,30}?\b(?:nothing|no position)\b[^.!?;\n]{0,20}?\b(?:helps|eases|works)\b",
            r"\bno matter (?:how|which way|what position) i (?:lie|lay|sleep|rest)\b",
            r"\b(?:even|hurts?|pain|aches?|sore) at rest\b",
            r"\bwakes? me up every night\b",
        ),
    ),
    RedFlag(
        "lump_or_back_shape_change",
        Level.URGENT,
        (
            r"\b(?:new |a |hard |strange |odd |weird |big |growing )(?:lump|swelling|mass|growth)\b",
            r"\blump\b",
            r"\b(?:change|changed|changes|changing) (?:in )?(?:the )?shape of (?:my )?(?:back|spine)",
            r"\bshape of (?:my )?(?:back|spine) (?:has |is )?(?:changed|changing|different)",
            r"\b(?:back|spine)\b[^.!?;\n]{0,20}?\b(?:changed|changing|changes|different) shape\b",
            r"\b(?:new|hard|strange|odd|weird|big|growing) bump\b",
            r"\bbump (?:on|in) (?:my|the) (?:back|spine)\b",
            r"\b(?:back|spine) (?:looks|is|has become|became|got|is getting)(?: more| a bit| a lot| really| kind of)? "
            r"(?:different|crooked|curved|bent|deformed|misshapen|lopsided)\b",
            r"\bdeformity\b",
        ),
    ),
)

LEVEL_OF_FLAG: dict[str, Level] = {flag.name: flag.level for flag in RED_FLAGS}

# The NLU intents that carry each level, shared by the NLU component and the red-flag action.
INTENT_OF_LEVEL: dict[Level, str] = {Level.EMERGENCY: "red_flag_emergency", Level.URGENT: "red_flag_urgent"}
LEVEL_OF_INTENT: dict[str, Level] = {name: level for level, name in INTENT_OF_LEVEL.items()}

# A flag is not raised when the patient plainly says they do NOT have it:
# "no chest pain", "without any fever", "I don't have a fever". Only these tight
# denials count; "not sure if it's chest pain" still raises the flag.
_DENIAL = re.compile(
    r"\b(?:no|without|never had|don'?t have|do not have|haven'?t had|haven'?t got|no sign of|free of)"
    r"(?: any| a| real| much)?\s*$"
)

_COMPILED: tuple[tuple[RedFlag, tuple[re.Pattern[str], ...]], ...] = tuple(
    (flag, tuple(re.compile(p) for p in flag.patterns)) for flag in RED_FLAGS
)


def normalise(text: str) -> str:
    """Lower-case, straighten quotes and fold spaces so patterns stay simple."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text)


# Denials sit right before the flag ("i don't have a fever"), so only this many characters
# before a match are read: a huge message full of denials stays fast to screen.
_DENIAL_REACH = 60


def _denied(text: str, start: int) -> bool:
    reach = max(0, start - _DENIAL_REACH)
    clause_start = max(text.rfind(c, reach, start) for c in ".,;!?") + 1
    return bool(_DENIAL.search(text, max(clause_start, reach), start))


def _raised(text: str, patterns: tuple[re.Pattern[str], ...]) -> bool:
    return any(not _denied(text, m.start()) for p in patterns for m in p.finditer(text))


def screen(text: str) -> Screen:
    """Check one patient message against every red flag of DESIGN.md."""
    clean = normalise(text)
    flags = tuple(flag for flag, patterns in _COMPILED if _raised(clean, patterns))
    level = max((f.level for f in flags), key=lambda lv: lv.rank, default=Level.NONE)
    return Screen(level=level, flags=tuple(f.name for f in flags))
