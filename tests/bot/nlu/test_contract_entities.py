"""A misread entity never becomes a slot: after the synonyms are mapped, only the contract's values are left."""

from __future__ import annotations

from typing import Any

from rasa.nlu.extractors.entity_synonyms import EntitySynonymMapper
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.contract_entities import ContractEntities
from bot.nlu.pain_facts import PainFactExtractor
from clinic.contract import SLOT_VALUES
from tools.nlu_data import synonyms


def read_by_the_model(text: str, entity: str, words: str) -> dict[str, Any]:
    """An entity as DIET reads one: the words as its value, for the synonym mapper to make canonical."""
    start = text.index(words)
    return {"entity": entity, "start": start, "end": start + len(words), "value": words, "extractor": "DIETClassifier"}


def through_the_pipeline_end(text: str, *model_entities: dict[str, Any]) -> list[dict[str, Any]]:
    """The message through the pain-fact extractor, the synonym mapper (with the project's synonyms) and the
    component, in config.yml's order, DIET's readings given as it would give them."""
    message = Message(data={"text": text, "entities": list(model_entities)})
    mapper = EntitySynonymMapper({}, None, None, synonyms())
    messages = PainFactExtractor({}).process([message])
    return ContractEntities({}).process(mapper.process(messages))[0].get("entities")


def test_a_date_of_birth_read_as_a_timing_is_dropped_and_the_real_timing_kept() -> None:
    text = "my date of birth is 14/03/1968 and it hurts after coughing fits"
    entities = through_the_pipeline_end(
        text,
        read_by_the_model(text, "pain_timing", "14/03/1968"),
        read_by_the_model(text, "pain_timing", "after coughing fits"),
    )
    assert "14/03/1968" not in str(entities)
    assert {(e["entity"], e["value"], e["extractor"]) for e in entities} == {
        ("pain_timing", "after_coughing", "DIETClassifier"),  # a synonym: mapped, kept
        ("pain_timing", "after_coughing", "PainFactExtractor"),
    }


def test_words_no_synonym_maps_are_dropped_for_every_contract_slot() -> None:
    text = "Mary Smith, 42 Elm Street, on ventolin"
    misread = [
        read_by_the_model(text, "pain_location", "42 Elm Street"),
        read_by_the_model(text, "pain_quality", "Smith"),
        read_by_the_model(text, "medication", "Mary"),
        read_by_the_model(text, "medication", "ventolin"),  # a synonym of frequent_reliever
    ]
    entities = through_the_pipeline_end(text, *misread)
    assert all(e["value"] in SLOT_VALUES[e["entity"]] for e in entities)
    assert {e["value"] for e in entities} == {"frequent_reliever"}


def test_an_entity_of_no_contract_slot_passes() -> None:
    other = {"entity": "time", "start": 0, "end": 8, "value": "tomorrow", "extractor": "DucklingEntityExtractor"}
    assert through_the_pipeline_end("tomorrow", other) == [other]
