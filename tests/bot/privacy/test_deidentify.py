"""De-identification: every personal detail of the corpus replaced, what the clinic learns from kept."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.privacy.deidentify import KINDS, STAND_INS, deidentified, details
from clinic.contact import Contact, clean_name, parse_contact
from tools.pii_corpus import deidentified_texts, load, recall, survives

MESSAGES = load()


def test_the_corpus_has_a_hundred_messages_and_details_of_every_kind_us_and_abroad() -> None:
    assert len(MESSAGES) >= 100
    kinds = Counter(kind for m in MESSAGES for kind, found in m.details.items() for _ in found)
    assert set(kinds) == set(KINDS) and min(kinds.values()) >= 5
    phones = [p for m in MESSAGES for p in m.details.get("phone", ())]
    assert any(p.startswith("+44") or p.startswith("0") for p in phones) and any("555" in p for p in phones)


def test_no_personal_detail_of_the_corpus_survives_de_identification() -> None:
    outputs = deidentified_texts(MESSAGES)
    left = [(d, out) for m, out in outputs for found in m.details.values() for d in found if survives(d, out)]
    assert left == []
    assert recall(outputs) == dict.fromkeys(KINDS, 1.0)


def test_what_is_no_personal_detail_survives_for_the_exports_to_be_useful() -> None:
    lost = [(k, out) for m, out in deidentified_texts(MESSAGES) for k in m.keep if k not in out]
    assert lost == []


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # phone numbers of every region, in national and international formats
        ("+44 7700 900123", ["phone"]),
        ("0207 946 0958", ["phone"]),
        ("07700 900456", ["phone"]),
        ("(512) 555-0134", ["phone"]),
        ("555-0134", ["phone"]),  # 7 digits: a local number
        ("+49 30 901820", ["phone"]),
        # dates of birth as patients write them
        ("14/03/1968", ["date"]),
        ("1961-07-04", ["date"]),
        ("March 14 1968", ["date"]),
        ("14th of March, 1968", ["date"]),
        ("14-Mar-1968", ["date"]),
        ("on 3 march", ["date"]),
        ("May 2019", ["date"]),
        # ages over 89, said or implied by a year of birth
        ("I'm 93", ["age"]),
        ("born in 1921", ["age"]),
        # identifiers, by shape or by the words before them
        ("123-45-6789", ["id"]),
        ("member id W1234", ["id"]),
        ("AB123456C", ["id"]),
        # addresses, web and IP addresses, emails
        ("12 Bath Road, Hounslow TW6 2AB", ["address"]),
        ("P.O. Box 12", ["address"]),
        ("https://x.example/a?b=1", ["url"]),
        ("2001:db8::1", ["url"]),
        ("bob@mail.example.org", ["email"]),
        # names after the words that introduce them
        ("my husband john", ["name"]),
        ("Dr. Okafor", ["name"]),
        ("my name is Ana Lima", ["name"]),
    ],
)
def test_each_shape_is_found_as_its_kind(text: str, kinds: list[str]) -> None:
    assert [d.kind for d in details(text)] == kinds


@pytest.mark.parametrize(
    "text",
    [
        "2 puffs every 4 hours",
        "peak flow 50 % of best, 350 on a good day",
        "I lost 10 lb since 2019, I'm 52 and my wife is 67",
        "pain 7/10, worse on Tuesday morning after 3pm",
        "L4-L5 disc, fluticasone 250mcg, FEV1 was 2.1, SpO2 94",
        "prednisone 40mg for 5 days from March",
        "Will this help? I may need 2 more puffs",
        "My Back Really Hurts After Coughing",
        "I use Ventolin and Symbicort, my GP says it's muscular",
        "a dull ache between my shoulder blades after coughing fits, worse lying flat",
        "10000 steps a day, 3 miles, a 5 day course, an 11 hour drive, 4 of 6",
        "asthma since 2015-2016, in my 90s",
        "50000IU of vitamin D a week, 10 000 steps",
    ],
)
def test_what_is_no_personal_detail_is_kept(text: str) -> None:
    assert deidentified(text) == text


NAME, PHONE, ADDRESS = STAND_INS["name"], STAND_INS["phone"], STAND_INS["address"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("John's inhaler is blue", f"{NAME}'s inhaler is blue"),
        ("Dr. van der Berg prescribed it", f"Dr. {NAME} prescribed it"),
        ("my husband Rajesh (07700 900222) will", f"my husband {NAME} ({PHONE}) will"),
        ("my zip code is 78745", f"my zip code is {ADDRESS}"),
        ("we're at 8 Church Close, Leeds LS1 4AB", f"we're at {ADDRESS}, {ADDRESS}"),
    ],
)
def test_the_text_around_a_detail_reads_on(text: str, expected: str) -> None:
    assert deidentified(text) == expected


def test_names_given_elsewhere_are_replaced_in_any_case_as_whole_words() -> None:
    assert (
        deidentified("SARA here again, lopez", ["Sara Lopez"]) == f"{STAND_INS['name']} here again, {STAND_INS['name']}"
    )
    assert deidentified("saratoga is where I live", ["Sara Lopez"]) == "saratoga is where I live"


def test_the_stand_ins_pass_the_booking_forms_checks_so_an_exported_story_replays() -> None:
    assert clean_name(STAND_INS["name"]) == STAND_INS["name"]
    assert parse_contact(STAND_INS["phone"]) == Contact("phone", STAND_INS["phone"])
    assert parse_contact(STAND_INS["email"]) == Contact("email", STAND_INS["email"])
    assert all(details(stand_in) for stand_in in STAND_INS.values() if stand_in != STAND_INS["age"])
