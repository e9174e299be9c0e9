"""What the console exports from corrections, on hand-made corrections: personal details, NLU data, corpus rows, stories."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa.shared.core.domain import Domain
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from bot.console.learning import (
    Corrected,
    Entity,
    corpus_rows,
    corpus_yaml,
    names_in,
    nlu_yaml,
    read_entities,
    stories_yaml,
    story_steps,
    without_personal_details,
)
from bot.privacy.deidentify import STAND_INS
from tests.support import ROOT
from tools.real_language import corpus

NAME, PHONE, EMAIL, DATE = STAND_INS["name"], STAND_INS["phone"], STAND_INS["email"], STAND_INS["date"]


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        ("call me on 512-555-0134 after 5", (), f"call me on {PHONE} after 5"),
        ("+1 (512) 555 0199 or 5125550123", (), f"{PHONE} or {PHONE}"),
        ("it's Sara.Lopez@Mail.example.org thanks", (), f"it's {EMAIL} thanks"),
        ("my name is Sara Lopez", ("Sara Lopez",), f"my name is {NAME}"),
        ("SARA here again, lopez", ("Sara Lopez",), f"{NAME} here again, {NAME}"),
        ("saratoga is where I live", ("Sara Lopez",), "saratoga is where I live"),  # whole words only
        ("twice a day, 2 to 3 puffs, since 2019", (), "twice a day, 2 to 3 puffs, since 2019"),
        ("see [this](link) and\nthat", (), "see (this)(link) and that"),
        ("+44 7700 900123, born 14/03/1968, my husband John", (), f"{PHONE}, born {DATE}, my husband {NAME}"),
    ],
)
def test_personal_details_become_stand_ins_of_their_kind(text: str, names: tuple[str, ...], expected: str) -> None:
    assert without_personal_details(text, names)[0] == expected


def test_entities_move_with_the_placeholders_and_one_over_a_personal_detail_is_dropped() -> None:
    text = "Sara here, sore ribs since 512-555-0134 was my number"
    entities = [
        Entity(11, 15, "pain_quality", "dull_ache"),
        Entity(16, 20, "pain_location", "ribs"),
        Entity(27, 30, "pain_timing", "constant"),
    ]
    moved, kept = without_personal_details(text, ["Sara"], entities)
    assert moved == f"{NAME} here, sore ribs since {PHONE} was my number"
    assert [(moved[e.start : e.end], e.value) for e in kept] == [("sore", "dull_ache"), ("ribs", "ribs")]


def test_the_names_are_those_given_to_the_booking_form_even_when_it_refused_them() -> None:
    events = [
        {"event": "slot", "name": "requested_slot", "value": "patient_name"},
        {"event": "user", "text": "my name is Mei Chen"},
        {"event": "slot", "name": "patient_name", "value": "Mei Chen"},
        {"event": "slot", "name": "requested_slot", "value": "contact"},
        {"event": "user", "text": "no phone sorry"},
    ]
    assert names_in(events) == {"Mei Chen"}
    assert names_in(
        [{"event": "slot", "name": "requested_slot", "value": "patient_name"}, {"event": "user", "text": "Jo Ng"}]
    ) == {"Jo Ng"}


def corrected(
    text: str, intent: str, entities: tuple[Entity, ...] = (), flags: tuple[str, ...] = (), **kw: Any
) -> Corrected:
    return Corrected(kw.pop("id", 1), text, kw.pop("read_as", "describe_pain"), intent, entities, flags, **kw)


def test_the_nlu_data_has_canonical_values_and_faq_answers_and_no_personal_details(tmp_path: Path) -> None:
    cough = "it hurts every time I cough, call Sara on 512 555 0134"
    exported = nlu_yaml(
        [
            corrected(cough, "describe_pain", (Entity(9, 27, "pain_timing", "after_coughing"),), names=("Sara",)),
            corrected("can the blue one do this?", "faq/can_inhaler_cause_it", id=2),
            corrected("sharp", "describe_pain", (Entity(0, 5, "pain_quality", "sharp"),), id=3),
        ]
    )
    assert "Sara" not in exported and "0134" not in exported
    data = RasaYAMLReader().reads(exported)
    examples = {m.get("text"): m for m in data.intent_examples}
    message = examples[f"it hurts every time I cough, call {NAME} on {PHONE}"]
    assert message.get("intent") == "describe_pain"
    assert [(e["entity"], e["value"]) for e in message.get("entities")] == [("pain_timing", "after_coughing")]
    assert data.entity_synonyms == {"every time I cough": "after_coughing"}
    assert examples["can the blue one do this?"].get("intent_response_key") == "faq/can_inhaler_cause_it"
    assert [(e["entity"], e["value"]) for e in examples["sharp"].get("entities")] == [("pain_quality", "sharp")]


def test_red_flag_corrections_become_corpus_rows_that_the_corpus_loader_accepts(tmp_path: Path) -> None:
    rows = corpus_rows(
        [
            corrected("my lips look bluish, 512-555-0134", "red_flag_emergency", flags=("blue_lips_or_nails",), read_as="red_flag_possible", opening=True),
            corrected("i had a fever last year, sore lower back", "describe_pain", (Entity(25, 29, "pain_quality", "dull_ache"), Entity(30, 40, "pain_location", "lower_back")), read_as="red_flag_urgent", id=2),
            corrected("sharp", "describe_pain", id=3),  # no red flag either way: no row
        ],
        "2026-11-30",
    )  # fmt: skip
    (tmp_path / "emergency.yml").write_text(corpus_yaml(rows), encoding="utf-8")
    loaded = {e.id: e for e in corpus.load(tmp_path)}
    assert set(loaded) == {"console-1", "console-2"}
    missed, false_alarm = loaded["console-1"], loaded["console-2"]
    assert (missed.text, missed.level.value, missed.flags, missed.kind) == (
        f"my lips look bluish, {PHONE}",
        "emergency",
        ("blue_lips_or_nails",),
        "opening",
    )
    assert (false_alarm.level.value, false_alarm.flags, false_alarm.kind) == ("none", (), "answer")
    assert false_alarm.slots == {"pain_quality": ("dull_ache",), "pain_location": ("lower_back",)}
    assert not missed.sourced


def stored(*events: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    return list(enumerate(events, start=1))


def test_a_story_has_one_story_per_session_the_correction_and_placeholders_in_text_and_slots() -> None:
    def user(text: str, intent: str) -> dict[str, Any]:
        return {
            "event": "user",
            "text": text,
            "parse_data": {"intent": {"name": intent, "confidence": 0.5}, "entities": []},
        }

    events = stored(
        {"event": "action", "name": "action_session_start"},
        {"event": "session_started"},
        {"event": "slot", "name": "clinic_phone", "value": "(512) 555-0134"},
        {"event": "action", "name": "action_listen"},
        user("book me in", "request_booking"),
        {"event": "action", "name": "booking_form"},
        {"event": "active_loop", "name": "booking_form"},
        {"event": "slot", "name": "requested_slot", "value": "patient_name"},
        {"event": "action", "name": "action_listen"},
        user("Mei Chen", "nlu_fallback"),
        {"event": "slot", "name": "patient_name", "value": "Mei Chen"},
        {"event": "action", "name": "booking_form"},
        {"event": "action", "name": "action_session_start"},
        {"event": "session_started"},
        {"event": "action", "name": "action_listen"},
        user("hi, mei again", "greet"),
        {"event": "action", "name": "utter_greet"},
    )
    fix = {10: corrected("Mei Chen", "inform_details", read_as="nlu_fallback")}
    steps = story_steps("c1", events, fix, names_in(e for _i, e in events), Domain.load(str(ROOT / "domain.yml")))
    story = yaml.safe_load(stories_yaml(steps))["stories"]
    assert [s["story"] for s in story] == ["c1 session 1", "c1 session 2"]
    first = story[0]["steps"]
    assert first[0] == {"intent": "request_booking", "user": "book me in"}
    assert {"intent": "inform_details", "user": NAME} in first and {"slot_was_set": [{"patient_name": NAME}]} in first
    assert story[1]["steps"] == [{"intent": "greet", "user": f"hi, {NAME} again"}, {"action": "utter_greet"}]
    assert "Mei" not in stories_yaml(steps) and "0134" not in stories_yaml(steps)


def test_what_the_assistant_read_is_its_canonical_facts_the_shortest_reading_of_each_stretch() -> None:
    text = "sharp pain in my lower back when I lift things"
    parse = {
        "entities": [
            {"start": 0, "end": 5, "entity": "pain_quality", "value": "sharp"},
            {"start": 14, "end": 27, "entity": "pain_location", "value": "lower_back"},  # "my lower back"
            {"start": 17, "end": 27, "entity": "pain_location", "value": "lower_back"},  # "lower back"
            {"start": 28, "end": 46, "entity": "pain_timing", "value": "with_movement"},
            {"start": 28, "end": 34, "entity": "pain_timing", "value": "when I"},  # no contract value
        ]
    }
    assert [(text[e.start : e.end], e.value) for e in read_entities(parse)] == [
        ("sharp", "sharp"), ("lower back", "lower_back"), ("when I lift things", "with_movement"),
    ]  # fmt: skip
