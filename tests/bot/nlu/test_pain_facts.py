"""The contract's facts in patients' own words: what the rule-based extractor finds, and what it leaves."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.pain_facts import TERMS, PainFactExtractor, PainFactFinder, finder, synonym_phrasings
from clinic.contract import SLOT_VALUES


def values(text: str) -> set[str]:
    return {f.value for f in finder().facts(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # timings around coughing, in the ways patients put it
        ("stabbing pain between my ribs every single time i cough", {"sharp", "ribs", "after_coughing"}),
        ("after a coughing jag my back is wrecked", {"after_coughing"}),
        ("Coughed so hard for weeks it literally hurts my ribs", {"after_coughing", "ribs"}),
        # vivid words for sharp pain
        ("Knifing. Right side of my ribs.", {"sharp", "ribs"}),
        ("like a knife under my shoulder blade", {"sharp", "under_shoulder_blades"}),
        # ranges of places, and the shoulder blade the guideline calls "between"
        ("mid to upper back mostly", {"mid_back", "upper_back"}),
        ("sore around my shoulder blade", {"dull_ache", "between_shoulder_blades"}),
        ("low down on the left, same as always", {"lower_back"}),
        # bending and lifting; "can't" is the pain talking, not a denial
        ("For days I couldn't bend at all, it hurts", {"with_movement"}),
        ("my lower back is achy again after I lift anything", {"lower_back", "dull_ache", "with_movement"}),
        # flares: during, after
        ("my shoulders tense up while I'm wheezing", {"shoulders", "tightness", "during_flare"}),
        ("my attacks always leave my back sore for days", {"after_flare", "dull_ache"}),
        # medicines by brand and generic name, and new treatments
        ("maintenance pred, 25mg, and Flovent twice a day", {"oral_steroids", "inhaled_steroids"}),
        ("Symbicort and a Salamol when I need it", {"inhaled_steroids", "frequent_reliever"}),
        ("proair, prednisolone when it flares", {"frequent_reliever", "oral_steroids"}),
        (
            "started fasenra 6 weeks ago and since then my lower back has been achy",
            {"new_treatment", "after_new_medication", "lower_back", "dull_ache"},
        ),
        ("switched from Advair to Breo last month", {"inhaled_steroids", "new_treatment"}),
        # the inhaler posture
        ("my neck aches after I sit hunched over the nebuliser", {"neck", "dull_ache", "when_using_inhaler"}),
        # a short answer to "when does it hurt?" needs no pain word
        ("at night", {"during_sleep"}),
    ],
)
def test_facts_in_patients_words(text: str, expected: set[str]) -> None:
    assert values(text) == expected


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("sore and achey, not sharp", "sharp"),
        ("my dad's lower back is really bad, mine is fine", "lower_back"),
        ("I've tried cough syrup and menthol sweets", "after_coughing"),
        ("I was up several times in the night with the baby, so I am shattered today", "during_sleep"),
        ("I run every morning before work and my breathing has been fine all year", "with_movement"),
        ("I got two jabs in hospital", "sharp"),
        ("Legs feel normal, nothing numb", "none"),
    ],
)
def test_what_is_not_a_fact_about_the_patients_pain(text: str, absent: str) -> None:
    assert absent not in values(text)


def test_a_fact_named_only_in_a_question_is_marked_so() -> None:
    asked = finder().facts("can prednisone cause back pain?")
    told = finder().facts("can prednisone cause back pain? I've been on it a month and my upper back aches")
    assert [f.in_question for f in asked] == [True]
    assert {f.value for f in told if not f.in_question} >= {"upper_back", "dull_ache"}


def test_the_extractor_gives_canonical_values_at_the_words_offsets() -> None:
    text = "Every time I cough my MID back aches"
    message = PainFactExtractor({}).process([Message(data={"text": text})])[0]
    found = {(e["value"], text[e["start"] : e["end"]]) for e in message.get("entities")}
    assert found == {("after_coughing", "Every time I cough"), ("mid_back", "my MID back"), ("dull_ache", "aches")}
    assert message.get("describes_pain") is True
    assert {e["extractor"] for e in message.get("entities")} == {"PainFactExtractor"}


def test_every_contract_value_has_terms_or_phrasings() -> None:
    spec = yaml.safe_load((TERMS / "pain_facts.yml").read_text(encoding="utf-8"))
    covered = set(spec["facts"]) | set(synonym_phrasings())
    assert covered == {v for vals in SLOT_VALUES.values() for v in vals}


def test_terms_outside_the_contract_are_refused(tmp_path: Path) -> None:
    for name in ("context.yml", "pain_facts.yml"):
        (tmp_path / name).write_text((TERMS / name).read_text(encoding="utf-8"), encoding="utf-8")
    spec = yaml.safe_load((tmp_path / "pain_facts.yml").read_text(encoding="utf-8"))
    spec["facts"]["lumbago"] = ["lumbago"]
    (tmp_path / "pain_facts.yml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    with pytest.raises(ValueError, match="lumbago"):
        PainFactFinder(tmp_path)


def test_a_very_long_message_is_read_quickly() -> None:
    story = "my lower back aches every time i cough and it is sharp when i bend, no fever. " * 300
    started = time.perf_counter()
    assert values(story) == {"lower_back", "dull_ache", "after_coughing", "sharp", "with_movement"}
    assert time.perf_counter() - started < 3


def test_every_term_and_phrasing_is_a_pattern_spacy_accepts() -> None:
    """As the red-flag terms: the servers skip spaCy's schema check of each pattern, this build does it."""
    assert len(PainFactFinder(validate=True).matcher) > 0
