"""Every text a patient reads is plain: Flesch-Kincaid grade 8 or lower, and no unexplained jargon.

Patient materials should read at about grade 6-8 (AMA, NIH). The texts are what a patient sees:
every variation of every response in domain.yml with its slots filled by realistic values, and every
text the actions build (the assessment's reasons for sampled reports covering every reason, the
red-flag replies for every flag and every two flags at a level, the confirming questions, the pain form's hints).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path

import pytest
import textstat
import yaml

from actions.safety import UNSURE_REASON, question
from clinic.contract import SLOT_VALUES
from clinic.criteria import Outcome, PainReport, Reason, assess
from clinic.misunderstanding import answer_hint
from clinic.patient_summary import summarise
from clinic.questions import PAIN_QUESTIONS
from clinic.red_flags import FLAGS, RED_FLAGS, Level
from clinic.safety_check import SIGNS, check_buttons
from clinic.wording import RED_FLAG_QUESTIONS, explain, red_flag_reason

DOMAIN = Path(__file__).resolve().parents[1] / "domain.yml"
MAX_GRADE = 8.0

# Slot values as a real conversation fills them (config/clinic.yml, a booking).
SLOTS = {
    "clinic_name": "Frontier Allergy",
    "clinic_phone": "(512) 555-0134",
    "booking_url": "https://frontierallergy.example/book",
    "clinic_address": "1000 Example Blvd, Suite 100, Austin, TX 78701",
    "patient_name": "Maria Lopez",
    "contact": "512-555-0134",
    "preferred_time": "weekday mornings",
}

# Words a patient may not know (the list). Allowed only with a plain explanation beside it:
# the word directly followed by a parenthesised gloss ("NSAIDs (anti-inflammatory painkillers)"), or
# itself in parentheses right after the plain words ("steroid medicines (corticosteroids)").
JARGON = re.compile(
    r"\b(thoracic|intercostals?|trapezius|rhomboids?|nsaids?|diaphragmatic|optimi[sz]ed|herniation|"
    r"corticosteroids?|delivery method)\b",
    re.IGNORECASE,
)


def unexplained_jargon(text: str) -> list[str]:
    """The jargon words in the text without a parenthesised plain explanation beside them."""
    found = []
    for match in JARGON.finditer(text):
        before, after = text[: match.start()].rstrip(), text[match.end() :].lstrip()
        glossed = after.startswith("(") or (before.endswith("(") and after.startswith(")"))
        if not glossed:
            found.append(match.group(0))
    return found


def grade(text: str) -> float:
    """Flesch-Kincaid grade; a line break ends a sentence, as it does on the screen."""
    return float(textstat.flesch_kincaid_grade(re.sub(r"(?<![.!?:])\n", ".\n", text.strip())))


def sample_reports(count: int = 3000, seed: int = 9) -> list[PainReport]:
    """Patients' answers, drawn at random from the slot contract (some answered, some not)."""
    rng = random.Random(seed)
    answers = (None, True, False)

    def some(slot: str, most: int) -> frozenset[str]:
        return frozenset(rng.sample(SLOT_VALUES[slot], rng.randint(0, most)))

    return [
        PainReport(
            location=rng.choice((None, *SLOT_VALUES["pain_location"])),
            timing=some("pain_timing", 3),
            quality=rng.choice((None, *SLOT_VALUES["pain_quality"])),
            medication=some("medication", 2),
            follows_flares=rng.choice(answers),
            eases_with_control=rng.choice(answers),
            helped_by_support=rng.choice(answers),
            worse_with_movement=rng.choice(answers),
            persistent=rng.choice(answers),
            started_after_new_treatment=rng.choice(answers),
        )
        for _ in range(count)
    ]


def assessment_reasons() -> dict[str, set[str]]:
    """For each outcome, every distinct reasons text the sampled patients get."""
    reasons: dict[str, set[str]] = {}
    for report in sample_reports():
        result = assess(report)
        reasons.setdefault(result.outcome.value, set()).add(explain(result.reasons, report))
    return reasons


def red_flag_reasons(level: Level) -> list[tuple[str, str]]:
    """The reason named back for each flag of the level and each two of them, and when no flag is known."""
    names = [flag.name for flag in RED_FLAGS if flag.level is level]
    told = [*([name] for name in names), *(list(pair) for pair in combinations(names, 2)), []]
    return [(" + ".join(flags) or "none named", red_flag_reason(flags)) for flags in told]


def domain_texts() -> Iterator[tuple[str, str]]:
    """Every variation of every response, filled as the actions and the slots fill it."""
    responses = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"]
    reasons = assessment_reasons()
    summary = summarise({"pain_location": "ribs", "pain_timing": ["after_coughing"], "assessment": "asthma_related"})
    for name, variations in responses.items():
        for number, variation in enumerate(variations):
            where = f"{name}#{number}" if len(variations) > 1 else name
            text = variation["text"]
            if "{reasons}" in text:
                for said in sorted(reasons[name.removeprefix("utter_assessment_")]):
                    yield where, text.replace("{reasons}", said)
            elif "{reason}" in text:
                level = Level.EMERGENCY if "emergency" in name else Level.URGENT
                for flag, reason in red_flag_reasons(level):
                    yield f"{where} [{flag}]", text.replace("{reason}", reason)
            else:
                yield where, text.replace("{summary}", summary).format(**SLOTS)


def action_texts() -> Iterator[tuple[str, str]]:
    """The texts the actions write themselves: confirming questions, the safety check's buttons, the hints."""
    for ask in (flag for flag in RED_FLAG_QUESTIONS if flag in FLAGS):
        for asked_before in (False, True):
            yield f"red-flag question [{ask}]", question(ask, asked_before)
    for level in (Level.EMERGENCY, Level.URGENT):
        for button in check_buttons(level):
            yield f"safety check button [{level.value}]", button["title"]
    for sign in SIGNS:
        yield f"safety check sign sent [{sign.flag}]", sign.says
    yield "urgent reply, signs not sure of", f"Please see a doctor today about {UNSURE_REASON}."
    for pain_question in PAIN_QUESTIONS:
        yield f"hint [{pain_question}]", answer_hint(pain_question)


TEXTS = [*domain_texts(), *action_texts()]


def test_the_sampled_patients_reach_every_outcome_and_every_reason() -> None:
    """So the grades below cover every branch of the assessment's wording."""
    results = [assess(report) for report in sample_reports()]
    assert {r.outcome for r in results} == set(Outcome)
    assert {reason for r in results for reason in r.reasons} == set(Reason)


def test_every_patient_facing_text_reads_at_grade_8_or_lower(capsys: pytest.CaptureFixture[str]) -> None:
    graded = sorted(((grade(text), where, text) for where, text in TEXTS), reverse=True)
    worst: dict[str, tuple[float, str]] = {}
    for value, where, text in graded:
        worst.setdefault(where.split(" [")[0], (value, text))
    top = sorted(worst.items(), key=lambda item: -item[1][0])[:5]
    with capsys.disabled():
        print(f"\nFlesch-Kincaid grade, worst five of {len(TEXTS)} texts:")
        for where, (value, text) in top:
            print(f"  {value:5.1f}  {where}: {text[:80]}")
    too_hard = [f"{value:.1f} {where}: {text}" for value, where, text in graded if value > MAX_GRADE]
    assert not too_hard, "\n".join(too_hard)


@pytest.mark.parametrize(("where", "text"), TEXTS, ids=[where for where, _ in TEXTS])
def test_no_jargon_without_a_plain_explanation_beside_it(where: str, text: str) -> None:
    assert not unexplained_jargon(text), text


@pytest.mark.parametrize(
    ("text", "unexplained"),
    [
        pytest.param("Stretch your thoracic spine.", ["thoracic"], id="bare word"),
        pytest.param("Try diaphragmatic breathing (belly breathing).", ["diaphragmatic"], id="gloss not beside it"),
        pytest.param("Aspirin and other painkillers (NSAIDs) can cause trouble.", [], id="word in parentheses"),
        pytest.param("NSAIDs (anti-inflammatory painkillers) can cause trouble.", [], id="gloss after the word"),
        pytest.param("Steroid medicines (corticosteroids) and corticosteroids", ["corticosteroids"], id="second bare"),
    ],
)
def test_what_counts_as_explained_jargon(text: str, unexplained: list[str]) -> None:
    assert unexplained_jargon(text) == unexplained
