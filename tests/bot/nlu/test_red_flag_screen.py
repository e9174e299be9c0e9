"""The NLU component: the screen's decision sets the intent, whatever the classifiers said."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.incoming import MAX_MESSAGE_CHARS, message_from
from bot.nlu.pain_facts import PainFactExtractor
from bot.nlu.red_flag_classifier import SCORES_KEY
from bot.nlu.red_flag_screen import RedFlagScreen, is_button_payload
from clinic.red_flags import Level

SCREEN = RedFlagScreen(RedFlagScreen.get_default_config())


def classified(text: str, ranking: list[tuple[str, float]], second_opinion: dict[Level, float]) -> Message:
    """A message as the classifiers before the screen leave it: the intents, and the red-flag classifier's scores."""
    intents = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    return Message(data={"text": text, "intent": intents[0], "intent_ranking": intents, SCORES_KEY: second_opinion})


def screened(text: str, ranking: list[tuple[str, float]], second_opinion: dict[Level, float] | None = None) -> Message:
    """The message after the pain-fact extractor and the screen, in the pipeline's order."""
    message = classified(text, ranking, second_opinion or {})
    return SCREEN.process(PainFactExtractor({}).process([message]))[0]


@pytest.mark.parametrize(
    ("text", "model", "expected"),
    [
        ("my lips r kinda blueish now", [("describe_pain", 0.8)], "red_flag_possible"),
        ("my lips have gone blue", [("describe_pain", 0.8)], "red_flag_emergency"),
        ("cant hold my pee and my back is killing me", [("nlu_fallback", 0.45), ("stop", 0.3)], "red_flag_emergency"),
        ("been running a fever with this back ache", [("describe_pain", 0.9)], "red_flag_urgent"),
        ("fever and now chest pain too", [("red_flag_urgent", 0.9)], "red_flag_emergency"),
        ("something feels really wrong", [("red_flag_emergency", 0.99), ("describe_pain", 0.01)], "describe_pain"),
        ("something feels really wrong", [("describe_pain", 0.6), ("red_flag_emergency", 0.4)], "describe_pain"),
        ("my lower back aches after coughing fits", [("red_flag_urgent", 0.85), ("faq", 0.1)], "describe_pain"),
        ("why does my back hurt?", [("red_flag_urgent", 0.85), ("faq", 0.1)], "faq"),
        ("dull ache between my shoulder blades", [("describe_pain", 0.95)], "describe_pain"),
        ("no chest pain, just my upper back", [("red_flag_emergency", 0.8), ("describe_pain", 0.2)], "describe_pain"),
        ("my back hurts", [("red_flag_emergency", 0.6), ("describe_pain", 0.4)], "describe_pain"),
        ("no fever but I have chest pain right now", [("describe_pain", 0.9)], "red_flag_emergency"),
        ("my son has back pain after coughing", [("describe_pain", 0.9)], "about_child"),
        ("my 9 yo has a fever and back pain", [("describe_pain", 0.9)], "about_child"),
        ("my daughter's lips are kinda blue", [("describe_pain", 0.9)], "about_child"),
        ("my son's lips have gone blue", [("describe_pain", 0.9)], "red_flag_emergency"),
        (
            "sciatica for years, this flare started last week, my lower back and hip, no numbness down there",
            [("red_flag_emergency", 0.95), ("about_child", 0.01)],
            "describe_pain",
        ),
        (
            "my back keeps going into spasms, should I come in?",
            [("red_flag_urgent", 0.9), ("request_booking", 0.03)],
            "describe_pain",
        ),
        ("it all feels wrong today", [("red_flag_urgent", 0.9), ("stop", 0.04)], "describe_pain"),
        ("I want to book a visit", [("red_flag_urgent", 0.5), ("request_booking", 0.48)], "request_booking"),
    ],
    ids=[
        "hedged blue lips -> question",
        "blue lips -> 911",
        "fallback + bladder -> 911",
        "fever -> urgent",
        "urgent raised to emergency",
        "the intent classifier's red flag alone, sure -> its next guess",
        "the intent classifier's red flag alone, unsure -> its next guess",
        "the intent classifier's red flag alone, on a description -> a description",
        "the intent classifier's red flag alone, on a question -> its next guess",
        "ordinary",
        "denied chest pain the model reacted to -> its next guess",
        "plain opening the model half-suspects -> no alarm",
        "denied fever, then chest pain now -> 911",
        "a child -> the reply for children",
        "a child's urgent sign -> the reply for children, which sends to the child's doctor",
        "a child's possible emergency -> the reply for children, which names the 911 signs",
        "a child's definite emergency -> 911 at once",
        "the intent classifier's red flag alone, next guess an unsure 'about a child' -> a description",
        "the intent classifier's red flag alone, next guess an unsure booking -> a description",
        "the intent classifier's red flag alone, next guess an unsure 'stop', no facts -> a description, not the end",
        "the intent classifier's red flag alone, next guess sure -> it stands",
    ],
)
def test_intent_after_the_screen(text: str, model: list[tuple[str, float]], expected: str) -> None:
    message = screened(text, model)
    assert message.get("intent")["name"] == expected
    assert message.get("intent_ranking")[0]["name"] == expected


def test_a_description_behind_an_unbacked_red_flag_keeps_the_answer_to_its_question() -> None:
    """A long story that asks: its answer comes before the questions, whichever way it became a description."""
    message = classified(
        "every time I cough my mid back aches. why does it hurt more when I lie flat?",
        [("red_flag_urgent", 0.9), ("about_child", 0.04)],
        {},
    )
    message.set(
        "response_selector", {"faq": {"response": {"utter_action": "utter_faq/lying_flat", "confidence": 0.99}}}
    )
    done = SCREEN.process(PainFactExtractor({}).process([message]))[0]
    assert done.get("intent")["name"] == "describe_pain"
    assert done.get("answers_question") == "utter_faq/lying_flat"


def test_the_decision_goes_into_the_parse_data() -> None:
    message = screened("i think my legs are a bit numb", [("describe_pain", 0.9)])
    assert message.get("red_flag") == {
        "level": "emergency",
        "tier": "possible",
        "flags": [],
        "ask": "cauda_equina",
        "child": False,
        "model": {},
    }
    child = screened("my 12 year old has a fever and back pain", [("describe_pain", 0.9)])
    assert child.get("red_flag") == {
        "level": "urgent",
        "tier": "definite",
        "flags": ["fever"],
        "ask": None,
        "child": True,
        "model": {},
    }
    assert "red_flag" in message.as_dict(only_output_properties=True)


@pytest.mark.parametrize(
    ("second_opinion", "expected", "level"),
    [
        ({Level.EMERGENCY: SCREEN.thresholds[Level.EMERGENCY], Level.URGENT: 0.01}, "red_flag_possible", "emergency"),
        ({Level.EMERGENCY: 0.01, Level.URGENT: SCREEN.thresholds[Level.URGENT] + 0.01}, "red_flag_possible", "urgent"),
        ({Level.EMERGENCY: SCREEN.thresholds[Level.EMERGENCY] - 0.01, Level.URGENT: 0.01}, "describe_pain", "none"),
        ({}, "describe_pain", "none"),
    ],
    ids=["sure of an emergency", "sure of an urgent sign", "just below its threshold", "no opinion"],
)
def test_the_red_flag_classifier_alone_only_ever_gets_the_question(
    second_opinion: dict[Level, float], expected: str, level: str
) -> None:
    message = screened("something feels really wrong", [("describe_pain", 0.9)], second_opinion)
    assert message.get("intent")["name"] == expected
    # A question naming no sign: the one for every sign of that level.
    assert (message.get("red_flag")["level"], message.get("red_flag")["flags"]) == (level, [])
    assert message.get("red_flag")["ask"] == ("" if expected == "red_flag_possible" else None)


def test_a_threshold_is_needed_for_each_level() -> None:
    with pytest.raises(ValueError, match="one threshold for emergency and one for urgent"):
        RedFlagScreen({"model_threshold": {"emergency": 0.5}})


def test_the_classifiers_red_flag_scores_are_kept_whatever_the_threshold() -> None:
    # What `make threshold` re-decides from, and what a reviewer sees of why a question was asked.
    message = screened(
        "something feels really wrong", [("describe_pain", 0.9)], {Level.EMERGENCY: 0.3, Level.URGENT: 0.2}
    )
    assert message.get("red_flag")["model"] == {"emergency": 0.3, "urgent": 0.2}
    assert message.get("intent")["name"] == "describe_pain"


def test_a_raised_intent_is_certain_and_keeps_the_rest_of_the_ranking() -> None:
    message = screened("i can't breathe", [("greet", 0.6), ("red_flag_urgent", 0.3)])
    assert message.get("intent") == {"name": "red_flag_emergency", "confidence": 1.0}
    assert [r["name"] for r in message.get("intent_ranking")] == ["red_flag_emergency", "greet"]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("/affirm", True),
        ('/describe_pain{"pain_location":"neck"}', True),
        ('/inform_medication{"medication": "none"}', True),
        ("/describe_pain@1.0 my back", False),
        ('/describe_pain{"pain_timing":{"a":1}}', False),
        ('/describe_pain{"pain_location":"made_up"}', False),
        ("my back / neck", False),
    ],
)
def test_button_payloads(text: str, kept: bool) -> None:
    assert is_button_payload(text) is kept


def test_a_slash_message_with_a_red_flag_loses_its_slash_so_rasa_cannot_override_the_screen() -> None:
    message = screened("/describe_pain@1.0 my lips are turning blue and I can't breathe", [("describe_pain", 1.0)])
    assert message.get("intent")["name"] == "red_flag_emergency"
    assert not message.get("text").startswith("/")


def test_typed_slash_syntax_is_ordinary_text_but_a_button_payload_stays() -> None:
    typed = screened('/describe_pain{"pain_timing":{"a":1}}', [("describe_pain", 1.0)])
    assert not typed.get("text").startswith("/")
    button = screened('/describe_pain{"pain_location":"neck"}', [("describe_pain", 1.0)])
    assert button.get("text") == '/describe_pain{"pain_location":"neck"}'


@pytest.mark.parametrize(
    ("typed", "classified_as"),
    [
        ("/EXTERNAL_reminder", "stop"),
        ("/EXTERNAL_timeout", "describe_pain"),
        ('/describe_pain{"pain_timing":{"a":1}}', "describe_pain"),
    ],
)
def test_a_command_typed_alone_that_no_button_offers_is_not_understood(typed: str, classified_as: str) -> None:
    message = screened(typed, [(classified_as, 0.7)])
    assert message.get("intent") == {"name": "nlu_fallback", "confidence": 1.0}
    assert not message.get("text").startswith("/")


def test_a_button_payload_keeps_its_intent() -> None:
    assert screened("/restart", [("restart", 1.0)]).get("intent")["name"] == "restart"


# What a patient typed, through the door (bot/incoming.py) to the screen, whatever code points or spelling it
# takes: read as it is displayed. Look-alike letters are written as escapes so that a reader sees them.
E_, I_, O_, A_, P_, C_ = ("\u0435", "\u0456", "\u043e", "\u0430", "\u0440", "\u0441")  # Cyrillic е, і, о, а, р, с
EMERGENCY, URGENT, ASKED, NOTHING = "red_flag_emergency", "red_flag_urgent", "red_flag_possible", "describe_pain"


def typed(message: str, intent: str, flag: str | None, shape: str):
    return pytest.param(message, intent, flag, id=f"{shape}: {message!a} -> {intent}")


DISGUISED = [
    typed(f"I have ch{E_}st pain right now", EMERGENCY, "chest_pain", "homoglyph"),
    typed(f"my l{I_}ps are blue", EMERGENCY, "blue_lips_or_nails", "homoglyph"),
    typed(f"my lips are blu{E_}", EMERGENCY, "blue_lips_or_nails", "homoglyph"),
    typed(f"i cant br{E_}{A_}th{E_}", EMERGENCY, "severe_breathlessness", "homoglyph"),
    typed(f"{C_}hest {P_}{A_}in", EMERGENCY, "chest_pain", "homoglyph"),
    typed(f"coughing up bl{O_}{O_}d", URGENT, "coughing_blood", "homoglyph"),
    typed("coughing up bl\u03bf\u03bfd", URGENT, "coughing_blood", "homoglyph (Greek)"),
    typed("ｃｈｅｓｔ ｐａｉｎ", EMERGENCY, "chest_pain", "full-width"),
    typed("ＭＹ ＬＩＰＳ ＡＲＥ ＢＬＵＥ", EMERGENCY, "blue_lips_or_nails", "full-width"),
    typed("𝐜𝐡𝐞𝐬𝐭 𝐩𝐚𝐢𝐧", EMERGENCY, "chest_pain", "mathematical letters"),
    typed("chset pain", EMERGENCY, "chest_pain", "typo"),
    typed("i have cehst pain", EMERGENCY, "chest_pain", "typo"),
    typed("i cant brethe", EMERGENCY, "severe_breathlessness", "typo"),
    typed("my lipps are blue", EMERGENCY, "blue_lips_or_nails", "typo"),
    typed("feaver and my back hurts", URGENT, "fever", "typo"),
    typed("coughing up bloood", URGENT, "coughing_blood", "typo"),
    typed("c h e s t pain", EMERGENCY, "chest_pain", "spacing"),
    typed("my l i p s are b l u e", EMERGENCY, "blue_lips_or_nails", "spacing"),
    typed("c-h-e-s-t p-a-i-n", EMERGENCY, "chest_pain", "spacing"),
    typed("ch3st pain", EMERGENCY, "chest_pain", "leetspeak"),
    typed("coughing up bl00d", URGENT, "coughing_blood", "leetspeak"),
    typed("my l1ps are blu3", EMERGENCY, "blue_lips_or_nails", "leetspeak"),
    typed("f3v3r and back pain", URGENT, "fever", "leetspeak"),
    typed("ch\u200best pain", EMERGENCY, "chest_pain", "zero-width space"),
    typed("my li\u200dps are bl\u00adue", EMERGENCY, "blue_lips_or_nails", "joiner, soft hyphen"),
    typed("chest\u2060 pain\ufeff", EMERGENCY, "chest_pain", "word joiner, BOM"),
    # hedged or tied to coughing: the confirming question, as for the word typed plainly
    typed(f"i think my ch{E_}st feels a bit funny", ASKED, "chest_pain", "homoglyph, hedged"),
    typed("my chset is sore from all the coughing", ASKED, "chest_pain", "typo, from coughing"),
    typed(f"my l{I_}ps r kinda blueish now", ASKED, "blue_lips_or_nails", "homoglyph, hedged"),
    # denied, as for the word typed plainly
    typed("no chset pain", NOTHING, None, "typo, denied"),
    typed(f"no ch{E_}st pain, just my upper back", NOTHING, None, "homoglyph, denied"),
    # benign look-alikes: common words one edit from a term, other scripts, digits
    typed("the best pain relief for my back", NOTHING, None, "benign"),
    typed("i play chess and my back hurts", NOTHING, None, "benign"),
    typed("my hips hurt after coughing", NOTHING, None, "benign"),
    typed("a chesty cough and a sore back", NOTHING, None, "benign"),
    typed("my parents arent worried, my back aches", NOTHING, None, "benign"),
    typed("i toughed it out but my back aches", NOTHING, None, "benign"),
    typed("L4 L5 disc and my back aches", NOTHING, None, "benign"),
    typed("i go to the gym 4 days a week and my back is stiff", NOTHING, None, "benign"),
    typed("u s a trip and my back hurts", NOTHING, None, "benign"),
    typed("у меня болит спина", NOTHING, None, "benign, Russian"),
    typed("πόνος στην πλάτη", NOTHING, None, "benign, Greek"),
]


@pytest.mark.parametrize(("message", "intent", "flag"), DISGUISED)
def test_the_screen_reads_what_was_typed_as_it_is_displayed(message: str, intent: str, flag: str | None) -> None:
    read = screened(message_from(message, MAX_MESSAGE_CHARS), [("describe_pain", 0.9)])
    found = read.get("red_flag")
    assert read.get("intent")["name"] == intent
    assert (found["ask"] if intent == ASKED else (found["flags"] or [None])[0]) == flag
