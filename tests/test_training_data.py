"""The training data keeps the slot contract, and the held-out test sets stay held out."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import yaml

from clinic.contract import ASSESSMENTS, SLOT_VALUES
from clinic.red_flags import CHILD_INTENT
from tools.nlu_data import ANNOTATION, TRAINING_FILES, VALUED_ANNOTATION, examples, synonyms, unannotated
from tools.rasa_cli import ROOT, rasa


def plain(text: str) -> str:
    return unannotated(text).lower().strip()


TRAINING = [pair for path in TRAINING_FILES for pair in examples(path)]
TEST_SET = examples(ROOT / "tests" / "nlu" / "test_nlu.yml")
DOMAIN: dict[str, Any] = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def test_rasa_data_validate_passes_with_warnings_as_failures() -> None:
    run = rasa("data", "validate", "--fail-on-warnings", timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]


@pytest.mark.parametrize("slot", ["pain_location", "pain_quality"])
def test_categorical_slots_have_exactly_the_contract_values(slot: str) -> None:
    assert tuple(DOMAIN["slots"][slot]["values"]) == SLOT_VALUES[slot]


def test_assessment_slot_has_exactly_the_contract_values() -> None:
    assert tuple(DOMAIN["slots"]["assessment"]["values"]) == ASSESSMENTS


def test_list_slots_from_an_intent_get_one_contract_value() -> None:
    """Rasa puts a from_intent value into a list slot as one item: `["none"]` would be stored as [["none"]]."""
    for slot in ("pain_timing", "medication"):
        for mapping in DOMAIN["slots"][slot]["mappings"]:
            if mapping["type"] == "from_intent":
                assert mapping["value"] in SLOT_VALUES[slot], (slot, mapping)


def test_every_synonym_maps_onto_a_canonical_value() -> None:
    canonical = {v for values in SLOT_VALUES.values() for v in values}
    assert set(synonyms().values()) <= canonical


def test_every_annotated_phrase_has_a_synonym_of_the_right_entity() -> None:
    table = synonyms()
    missing = []
    for _, text in TRAINING:
        for phrase, entity in ANNOTATION.findall(text):
            value = table.get(phrase.lower(), phrase.lower())
            if value not in SLOT_VALUES[entity]:
                missing.append((phrase, entity, value))
    assert not missing


def test_test_phrasings_are_not_rule_phrasings() -> None:
    """The test set's own phrasings stay out of synonyms.yml, which the pain-fact extractor matches by rule."""
    table = synonyms()
    trained = {phrase.lower() for _, text in TRAINING for phrase, _entity in ANNOTATION.findall(text)}
    leaked = [words for _, text in TEST_SET for words, *_ in VALUED_ANNOTATION.findall(text) if words.lower() in table]
    unvalued = [
        phrase
        for _, text in TEST_SET
        for phrase, entity in ANNOTATION.findall(text)
        if phrase.lower() not in trained and table.get(phrase.lower(), phrase.lower()) not in SLOT_VALUES[entity]
    ]
    assert (leaked, unvalued) == ([], [])


# The red-flag screen sets this intent from the words (bot/nlu/about_child.py): its examples only back it up.
SET_BY_THE_SCREEN = {CHILD_INTENT: 10}


def test_every_intent_has_at_least_25_examples() -> None:
    counts = Counter(intent.split("/")[0] if not intent.startswith("faq/") else intent for intent, _ in TRAINING)
    assert {i: n for i, n in counts.items() if n < SET_BY_THE_SCREEN.get(i, 25)} == {}
    assert set(DOMAIN["intents"]) - {"faq"} <= set(counts)


def test_at_least_12_article_questions_have_answers() -> None:
    keys = {intent.split("/", 1)[1] for intent, _ in TRAINING if intent.startswith("faq/")}
    assert len(keys) >= 12
    assert {f"utter_faq/{key}" for key in keys} <= set(DOMAIN["responses"])


def test_the_nlu_test_set_is_large_and_not_in_the_training_data() -> None:
    assert len(TEST_SET) >= 150
    overlap = {plain(t) for _, t in TEST_SET} & {plain(t) for _, t in TRAINING}
    assert overlap == set()


def test_there_are_at_least_25_test_stories() -> None:
    stories = yaml.safe_load((ROOT / "tests" / "stories" / "test_stories.yml").read_text(encoding="utf-8"))["stories"]
    assert len(stories) >= 25
