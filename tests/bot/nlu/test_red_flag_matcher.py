"""The red-flag screen of docs/design.md on the team's own phrasings, one table row per patient message.

Read each row as: "the patient writes <message>" -> "the bot treats it as <level>, because of <flag>":
the red-flag reply at once, or the confirming question about that flag first (hedged phrasings).
Emergency means: call 911 now and stop the self-care flow. Urgent means: see a doctor within 24 hours.
Real patients' words are measured apart, on tests/real_language/ (tests/real_language/test_screen.py).
"""

from __future__ import annotations

import time

import pytest

from bot.nlu.red_flag_matcher import RedFlagMatcher, chunks, screen
from clinic.red_flags import RED_FLAGS, Level, Tier

E = Level.EMERGENCY
U = Level.URGENT


def row(message: str, level: Level, flag: str):
    short = message if len(message) <= 70 else message[:67] + "..."
    return pytest.param(message, level, flag, id=f"{flag} <- {short}")


RAISED = [
    # --- Emergency: asthma danger signs (NHLBI action plan, GINA severe signs) ---
    row("i cant breathe and my upper back is killing me", E, "severe_breathlessness"),
    row("I can't catch my breath, my back has been sore since the attack", E, "severe_breathlessness"),
    row("im so short of breath i can barely talk", E, "severe_breathlessness"),
    row("i can barely breathe and my shoulders are aching", E, "severe_breathlessness"),
    row("really bad shortness of breath tonight plus my back hurts", E, "severe_breathlessness"),
    row("severe shortness of breath and pain between my shoulder blades", E, "severe_breathlessness"),
    row("too breathless to talk properly, my ribs hurt", E, "severe_breathlessness"),
    row("I cannot finish a sentence without stopping for air", E, "severe_breathlessness"),
    row("cant walk to the kitchen without running out of breath and my back aches", E, "severe_breathlessness"),
    row("been coughing all day and now im gasping for air", E, "severe_breathlessness"),
    row("struggling to breathe, back really tight", E, "severe_breathlessness"),
    row("cant get my breath at all", E, "severe_breathlessness"),
    # Phrasings of the long red-flag stories of the training data, which the terms missed.
    row("i can only get two or three words out before i need air", E, "severe_breathlessness"),
    row("he is getting one word per breath and my back aches from holding him up", E, "severe_breathlessness"),
    row("had to stop mid sentence to breathe twice while ringing the surgery", E, "severe_breathlessness"),
    row("been on my blue inhaler all evening and its not doing a thing", E, "reliever_not_helping"),
    row("three nebs of salbutamol since lunch and none of them have helped", E, "reliever_not_helping"),
    row("her lips have gone a bluey sort of colour", E, "blue_lips_or_nails"),
    row("stabbing pain on the left side of my chest when i breathe in", E, "chest_pain"),
    row("i need to pee but sat there ages and nothing came", E, "cauda_equina"),
    row("i cant pass urine since this morning and my back is agony", E, "cauda_equina"),
    row("i came down about 3 metres off the scaffold onto my back", E, "serious_injury"),
    row("the ladders slid apart under me and now my back is in agony", E, "serious_injury"),
    row("came off at the jump, hit my head and landed on my back", E, "serious_injury"),
    row("dropped over a stone without changing anything and my back aches", U, "unexplained_weight_loss"),
    row("a raised bump has come up on my spine this week", U, "lump_or_back_shape_change"),
    row("i'm so out of breath i can hardly speak", E, "severe_breathlessness"),
    row("no puedo respirar y me duele la espalda", E, "severe_breathlessness"),
    row("me ahogo, ayuda", E, "severe_breathlessness"),
    row("my lips are turning blue", E, "blue_lips_or_nails"),
    row("my back hurts and my lips look kinda blue??", E, "blue_lips_or_nails"),
    row("fingernails have gone grey and i feel awful", E, "blue_lips_or_nails"),
    row("my son has blue lips and is wheezing", E, "blue_lips_or_nails"),
    row("there's a bluish tint to my lips", E, "blue_lips_or_nails"),
    row("mis labios están morados", E, "blue_lips_or_nails"),
    row("tengo los labios azules", E, "blue_lips_or_nails"),
    row("my inhaler isnt helping and my back is so tight", E, "reliever_not_helping"),
    row("used my rescue inhaler 4 times and it's not working", E, "reliever_not_helping"),
    row("albuterol hasn't helped at all this time", E, "reliever_not_helping"),
    row("my ventolin doesn't seem to help anymore", E, "reliever_not_helping"),
    row("took my reliever, it does nothing", E, "reliever_not_helping"),
    row("the inhaler is useless today", E, "reliever_not_helping"),
    row("i feel drowsy and it's really hard to breathe", E, "drowsy_or_confused_with_breathing_trouble"),
    row("my husband is confused and wheezing badly", E, "drowsy_or_confused_with_breathing_trouble"),
    row("breathing is awful and i keep feeling like i'm passing out", E, "drowsy_or_confused_with_breathing_trouble"),
    row("so sleepy and cant stop wheezing", E, "drowsy_or_confused_with_breathing_trouble"),
    # --- Emergency: chest pain or pressure ---
    row("i have chest pain and back pain", E, "chest_pain"),
    row("chest pains when i cough, and my back hurts too", E, "chest_pain"),
    row("there's pressure in my chest", E, "chest_pain"),
    row("my chest feels heavy and my upper back aches", E, "chest_pain"),
    row("crushing feeling in my chest", E, "chest_pain"),
    row("the pain goes from my back into my chest", E, "chest_pain"),
    row("my chest hurts", E, "chest_pain"),
    row("sore chest and back after coughing all night", E, "chest_pain"),
    row("not sure if this counts as chest pain but it's like a squeeze", E, "chest_pain"),
    row("tengo dolor en el pecho", E, "chest_pain"),
    row("dolor de pecho y espalda", E, "chest_pain"),
    # --- Emergency: cauda equina signs ---
    row("lower back pain and i've lost control of my bladder", E, "cauda_equina"),
    row("cant controll my bladder since my back went", E, "cauda_equina"),
    row("i wet myself this morning and my back is agony", E, "cauda_equina"),
    row("i haven't been able to pee properly since my back went", E, "cauda_equina"),
    row("i can't feel my private parts properly and my back hurts", E, "cauda_equina"),
    row("i think i'm peeing myself without noticing", E, "cauda_equina"),
    row("i can only say a few words at a time between breaths", E, "severe_breathlessness"),
    row("me duele el pecho y la espalda", E, "chest_pain"),
    row("the shape of my spine has changed", U, "lump_or_back_shape_change"),
    row("my spine looks more curved than it used to", U, "lump_or_back_shape_change"),
    row("trouble peeing since the back pain started", E, "cauda_equina"),
    row("numbness in my groin and bum", E, "cauda_equina"),
    row("saddle numbness and back pain", E, "cauda_equina"),
    row("both legs are tingling and weak", E, "cauda_equina"),
    row("pins and needles in both legs and my lower back hurts", E, "cauda_equina"),
    row("my legs keep giving way", E, "cauda_equina"),
    row("i can't feel my legs properly", E, "cauda_equina"),
    row("both my feet are numb since my back started hurting", E, "cauda_equina"),
    # --- Emergency: back pain after a serious fall or accident ---
    row("fell off a ladder yesterday and now my back hurts", E, "serious_injury"),
    row("i fell down the stairs last night", E, "serious_injury"),
    row("fell down a flight of stairs at work", E, "serious_injury"),
    row("i was in a car accident last week and my back is sore", E, "serious_injury"),
    row("car crash on monday, back pain since", E, "serious_injury"),
    row("got rear-ended on the highway and my neck and back hurt", E, "serious_injury"),
    row("was in a car wreck on friday", E, "serious_injury"),
    row("i was hit by a car while cycling", E, "serious_injury"),
    row("took a bad fall on the ice", E, "serious_injury"),
    row("came off my motorbike at speed", E, "serious_injury"),
    # --- Urgent: a fall or minor injury while on long-term oral steroids (fracture risk) ---
    row("i slipped in the shower and i'm on prednisone", U, "injury_fracture_risk"),
    row("tripped over the dog yesterday, i've been on steroid tablets for years", U, "injury_fracture_risk"),
    row("had a small fall last week, i take prednisolone every day", U, "injury_fracture_risk"),
    row("bumped my back on the door frame and i'm on oral steroids", U, "injury_fracture_risk"),
    # --- Urgent: fever or chills ---
    row("i've had a fever and my back hurts", U, "fever"),
    row("back pain with chills since yesterday", U, "fever"),
    row("feeling feverish and my mid back aches", U, "fever"),
    row("running a temperature and my back is sore", U, "fever"),
    row("my temp is 101 and my back hurts", U, "fever"),
    row("tengo fiebre y dolor de espalda", U, "fever"),
    # --- Urgent: unexplained weight loss ---
    row("i've lost a lot of weight without trying", U, "unexplained_weight_loss"),
    row("losing weight for no reason and my back hurts", U, "unexplained_weight_loss"),
    row("lost 15 lbs in a month and i'm not dieting", U, "unexplained_weight_loss"),
    row("some weight loss lately, not sure why", U, "unexplained_weight_loss"),
    # --- Urgent: a history of cancer ---
    row("i had breast cancer 5 years ago", U, "history_of_cancer"),
    row("had chemo last year and now my back hurts", U, "history_of_cancer"),
    row("history of prostate cancer", U, "history_of_cancer"),
    row("they removed a tumor from my lung in 2019", U, "history_of_cancer"),
    row("i had leukemia as a kid", U, "history_of_cancer"),
    # --- Urgent: pain at night not eased by rest ---
    row("the pain wakes me up every night", U, "night_pain_not_eased_by_rest"),
    row("resting doesnt help at all, it's worst at night", U, "night_pain_not_eased_by_rest"),
    row("it hurts at night even when im lying still", U, "night_pain_not_eased_by_rest"),
    row("nothing helps at night", U, "night_pain_not_eased_by_rest"),
    row("at night nothing helps, no matter how i lie", U, "night_pain_not_eased_by_rest"),
    row("it hurts even at rest", U, "night_pain_not_eased_by_rest"),
    # --- Urgent: a new lump or a change in the shape of the back ---
    row("i found a lump on my spine", U, "lump_or_back_shape_change"),
    row("there's a new swelling on my upper back", U, "lump_or_back_shape_change"),
    row("my back looks crooked now", U, "lump_or_back_shape_change"),
    row("my spine has changed shape over the last few months", U, "lump_or_back_shape_change"),
    row("there is a hard bump on my back that wasn't there before", U, "lump_or_back_shape_change"),
    # --- Flags added later. Emergency: sudden severe back or chest pain, or with sweating, sickness, fainting ---
    row("sudden severe pain in my upper back, worst i've ever had", E, "sudden_severe_pain"),
    row("a tearing pain went through my chest into my back", E, "sudden_severe_pain"),
    row("my back hurts and i'm sweating and feel sick", E, "sudden_severe_pain"),
    row("pain between my shoulder blades and i'm sweating buckets", E, "sudden_severe_pain"),
    row("my chest hurts and all of a sudden i'm short of breath", E, "sudden_severe_pain"),
    # --- Emergency: coughing up blood with breathlessness ---
    row("coughing up blood and short of breath", E, "coughing_blood_breathless"),
    row("i'm breathless and there's blood in my phlegm", E, "coughing_blood_breathless"),
    row("bright red blood when i cough and i'm really out of breath", E, "coughing_blood_breathless"),
    row("been coughing blood today and i'm struggling to breathe", E, "coughing_blood_breathless"),
    # --- Emergency: peak flow under half of best (action plan red zone) ---
    row("my peak flow is 40% of my best", E, "peak_flow_red_zone"),
    row("peak flow is under half my best and my back aches", E, "peak_flow_red_zone"),
    row("i'm in the red zone on my asthma plan", E, "peak_flow_red_zone"),
    row("peak flow below 50 percent this morning", E, "peak_flow_red_zone"),
    # --- Emergency: urinary retention, no feeling when wiping (cauda equina) ---
    row("haven't peed since yesterday and my back is agony", E, "cauda_equina"),
    row("i can't pass urine at all", E, "cauda_equina"),
    row("no feeling down there when i wipe", E, "cauda_equina"),
    # --- Urgent: any fall or knock with back pain ---
    row(
        "I slipped on the ice yesterday and landed on my back, it's bruised but I can walk fine",
        U,
        "injury_fracture_risk",
    ),
    row("tripped on the stairs and my tailbone is sore", U, "injury_fracture_risk"),
    # --- Urgent: sudden or sharp pain after a cough, sneeze or lift, with thin-bone risk (fragility fracture) ---
    row("I sneezed and got a sharp pain in my back, I've been on prednisone for years", U, "fragility_fracture"),
    row("i'm 67 and coughed and felt a sudden sharp pain in my ribs", U, "fragility_fracture"),
    row("i have osteoporosis and got a sudden sharp pain in my back lifting the shopping", U, "fragility_fracture"),
    row("sharp pain in my ribs after a coughing fit, i've had osteopenia for years", U, "fragility_fracture"),
    # --- Urgent: one leg getting weaker, a foot that drops or drags ---
    row("my left leg is getting weaker", U, "one_leg_weakness"),
    row("my foot drags when i walk", U, "one_leg_weakness"),
    row("i've got foot drop on my right side", U, "one_leg_weakness"),
    row("weakness in my right leg since the back pain started", U, "one_leg_weakness"),
    # --- Urgent: rescue inhaler more often than every 4 hours, or peak flow 50-79 % (yellow zone) ---
    row("i need my rescue inhaler every 2 hours", U, "reliever_overuse"),
    row("i've used my inhaler 6 times today", U, "reliever_overuse"),
    row("peak flow is 60 percent of my best", U, "reliever_overuse"),
    row("i'm in the yellow zone", U, "reliever_overuse"),
    row("i use my rescue inhaler more than every 4 hours", U, "reliever_overuse"),
    row("using the blue inhaler every 2 or 3 hours since yesterday", U, "reliever_overuse"),
    # --- Urgent: coughing up blood ---
    row("coughing up blood", U, "coughing_blood"),
    row("there's blood in my phlegm", U, "coughing_blood"),
    row("my sputum has streaks of blood", U, "coughing_blood"),
    row("i'm coughing blood and my back hurts", U, "coughing_blood"),
    # --- Urgent: back pain in pregnancy with cramps or bleeding ---
    row("i'm pregnant with back pain and cramps", U, "pregnancy_with_cramps_or_bleeding"),
    row("I'm pregnant and bleeding and my back hurts", U, "pregnancy_with_cramps_or_bleeding"),
    row("28 weeks pregnant, lower back ache and some spotting", U, "pregnancy_with_cramps_or_bleeding"),
    row("i'm 30 weeks pregnant and my back aches with cramps", U, "pregnancy_with_cramps_or_bleeding"),
    # --- Urgent: fever with immune suppression or injected drug use (a milder sign counts) ---
    row("I'm on methotrexate and feel hot and shivery", U, "fever"),
    row("i inject drugs and i've had night sweats all week", U, "fever"),
]


@pytest.mark.parametrize(("message", "level", "flag"), RAISED)
def test_red_flag_is_raised(message: str, level: Level, flag: str) -> None:
    result = screen(message)
    assert result.level is level, f"{message!r} gave {result}"
    assert flag in (*result.flags, result.ask), f"{message!r} gave {result}"


def test_every_red_flag_of_the_design_has_rows() -> None:
    tested = {p.values[2] for p in RAISED}
    assert tested == {f.name for f in RED_FLAGS}
    for f in RED_FLAGS:
        assert sum(p.values[2] == f.name for p in RAISED) >= 4, f.name


# A plain denial is not a red flag; a hesitant mention still is.
DENIED = [
    pytest.param(
        "no chest pain, just a dull ache between my shoulder blades",
        "chest_pain",
        id="'no chest pain' -> no chest_pain",
    ),
    pytest.param(
        "i don't have chest pain, only my upper back", "chest_pain", id="'i don't have chest pain' -> no chest_pain"
    ),
    pytest.param("i don't have a fever, my back is just stiff", "fever", id="'i don't have a fever' -> no fever"),
    pytest.param("no fever, the ache started after a coughing fit", "fever", id="'no fever' -> no fever"),
    pytest.param(
        "i fell asleep on the couch and woke up with a stiff back",
        "injury_fracture_risk",
        id="'fell asleep' -> no injury",
    ),
    pytest.param(
        "i fell asleep on the couch and woke up with a stiff back",
        "serious_injury",
        id="'fell asleep' -> no serious injury",
    ),
    pytest.param(
        "i'm trying to lose weight and my back aches after workouts",
        "unexplained_weight_loss",
        id="'trying to lose weight' -> no weight loss flag",
    ),
]


@pytest.mark.parametrize(("message", "flag"), DENIED)
def test_red_flag_is_not_raised(message: str, flag: str) -> None:
    result = screen(message)
    assert flag not in result.flags, f"{message!r} gave {result}"
    assert result.tier is Tier.NONE, f"{message!r} gave {result}"


@pytest.mark.parametrize(
    ("message", "flag"),
    [
        pytest.param(
            "no chest pain but i can't breathe",
            "severe_breathlessness",
            id="denied chest pain, still can't breathe -> emergency",
        ),
        pytest.param(
            "no fever but my lips are going blue", "blue_lips_or_nails", id="denied fever, still blue lips -> emergency"
        ),
    ],
)
def test_denying_one_flag_does_not_hide_another(message: str, flag: str) -> None:
    result = screen(message)
    assert result.level is Level.EMERGENCY
    assert flag in result.flags
    assert not {"chest_pain", "fever"} & set(result.flags)


COMBINED = [
    pytest.param(
        "i have a fever and now chest pain too",
        E,
        {"fever", "chest_pain"},
        id="fever + chest pain -> emergency with both",
    ),
    pytest.param(
        "i had cancer years ago and now i can't breathe",
        E,
        {"history_of_cancer", "severe_breathlessness"},
        id="cancer history + can't breathe -> emergency with both",
    ),
    pytest.param(
        "I'm on prednisone and fell off a ladder",
        E,
        {"serious_injury"},
        id="on prednisone + fell off a ladder -> emergency",
    ),
    pytest.param(
        "was in a car accident, and i have chills",
        E,
        {"serious_injury", "fever"},
        id="car accident + chills -> emergency with both",
    ),
    pytest.param(
        "lost weight without trying and i get chills at night",
        U,
        {"unexplained_weight_loss", "fever"},
        id="two urgent flags -> urgent with both",
    ),
]


@pytest.mark.parametrize(("message", "level", "flags"), COMBINED)
def test_most_severe_level_wins_and_every_flag_is_kept(message: str, level: Level, flags: set[str]) -> None:
    result = screen(message)
    assert result.level is level, f"{message!r} gave {result}"
    assert flags <= set(result.flags), f"{message!r} gave {result}"


ORDINARY = [
    "dull ache between my shoulder blades after coughing",
    "tight upper back after a flare, worse lying flat",
    "hurts when i use my inhaler",
    "i take prednisone and my back is stiff",
    "my ribs are sore after a coughing fit",
    "sore across my upper back after a bad asthma day",
    "my inhaler helps with the breathing but my back still aches",
    "mid back tightness a few hours after wheezing",
    "it feels like a pulling burning feeling under my shoulder blades",
    "my back feels better when i rest",
    "i use my blue inhaler and my back aches",
    "my back pain started after a chest infection",
    "the pain wraps around to my ribcage",
    "my back hurts but no pain in my chest",
    "my back aches at night after a flare but resting helps",
    "my inhaler works fine but my back is sore",
    "i have a knot in my shoulder from coughing",
    "after my asthma flare it's just a faint burn across my ribs",
    "hi, can i book a visit for next tuesday?",
    "",
    "   ",
    "😷🤕💊",
    "<b>my back hurts</b><script>alert('hi')</script>",
    "&lt;p&gt;ache between the shoulder blades&lt;/p&gt;",
]


@pytest.mark.parametrize("message", ORDINARY, ids=lambda m: repr(m)[:70] + " -> none")
def test_ordinary_asthma_back_pain_raises_nothing(message: str) -> None:
    result = screen(message)
    assert result.tier is Tier.NONE, f"{message!r} gave {result}"
    assert result.flags == ()


def test_red_flag_at_the_end_of_a_huge_message_is_found() -> None:
    filler = "my upper back aches after coughing and it is tight between the shoulder blades. "
    text = (filler * (100_000 // len(filler) + 1))[:100_000] + " my lips are turning blue"
    assert len(text) > 100_000
    result = screen(text)
    assert result.level is Level.EMERGENCY
    assert "blue_lips_or_nails" in result.flags


def test_huge_ordinary_message_raises_nothing() -> None:
    filler = "dull ache between my shoulder blades after a flare, worse lying flat. "
    result = screen(filler * 1500)
    assert result.level is Level.NONE
    assert result.flags == ()


def test_huge_message_full_of_denials_is_screened_quickly() -> None:
    # 3,000 denied "chest pain"s, 21 times what the widget accepts: each is weighed against its context,
    # a few sentences at a time. On a 2-core machine that takes about 4.5 s; read whole, where ConText
    # weighs every denial against every mention, it took 33 s. The bound leaves room for a loaded CI.
    text = "no chest pain " * 3_000
    started = time.perf_counter()
    result = screen(text)
    assert time.perf_counter() - started < 15
    assert result.level is Level.NONE


@pytest.mark.parametrize(
    "text",
    ["short message", "one sentence. " * 400, "no full stop at all " * 600, "x" * 5000],
    ids=["short", "sentences", "no full stops", "one endless word"],
)
def test_long_messages_are_read_in_pieces_that_lose_nothing(text: str) -> None:
    pieces = chunks(text)
    assert "".join(piece[own:] for piece, own in pieces) == text
    assert all(len(piece) - own <= 2000 and own <= 200 for piece, own in pieces)


def test_a_denial_split_across_pieces_still_denies() -> None:
    text = "no chest pain " * 400  # 5,600 characters, cut in the middle of the phrase somewhere
    assert screen(text).tier is Tier.NONE


# How context decides, one row per rule: (message, tier, level, the flag named or asked about).
N, P, D = Tier.NONE, Tier.POSSIBLE, Tier.DEFINITE
NO = Level.NONE


@pytest.mark.parametrize(
    ("message", "tier", "level", "flag"),
    [
        # Negation reaches across "or" lists and stops at "but", "only", "just".
        ("no fever or chills", N, NO, None),
        ("no numbness in my legs, just pain", N, NO, None),
        ("I don't have chest pain, only back pain", N, NO, None),
        ("no fever but my chest hurts", D, E, "chest_pain"),
        ("fine but chest pain since this morning", D, E, "chest_pain"),
        ("bladder is fine", N, NO, None),
        # Where a denial ends: at "but", "only", "just", at a comma that starts a new clause,
        # and never in a clause that says the sign is there now; a list after "no" stays denied as a whole.
        # "no X but Y": Y is asserted.
        ("I don't have a fever but I have chest pain right now", D, E, "chest_pain"),
        ("no fever but I have chest pain right now", D, E, "chest_pain"),
        ("I don't have any numbness but I can't control my bladder", D, E, "cauda_equina"),
        ("no chest pain but my lips have gone blue", D, E, "blue_lips_or_nails"),
        # "not X, just Y" and "no X, only Y".
        ("not a fever, just chest pain", D, E, "chest_pain"),
        ("no chest pain, only numbness in both legs", D, E, "cauda_equina"),
        # "X is fine but Y".
        ("my breathing is fine but I have chest pain", D, E, "chest_pain"),
        ("my bladder is fine but both legs are numb", D, E, "cauda_equina"),
        # A list of denials, then the sign.
        ("no fever, no chills, but my legs are numb", D, E, "cauda_equina"),
        ("no fever or chills, but I've had chest pain since this morning", D, E, "chest_pain"),
        # A comma that starts a new clause, or a sign said to be there now.
        ("no chest pain, my legs are numb", D, E, "cauda_equina"),
        ("I don't have a fever, I have chest pain", D, E, "chest_pain"),
        ("no fever, chest pain right now", D, E, "chest_pain"),
        ("no fever, chest pain again", D, E, "chest_pain"),
        ("no fever now chest pain", D, E, "chest_pain"),
        # Denials that still hold.
        ("no chest pain or fever", N, NO, None),
        ("I don't have chest pain, just a sore back", N, NO, None),
        ("no chest pain today", N, NO, None),
        ("no fever, chills or chest pain today", N, NO, None),
        ("no numbness, tingling or weakness in my legs", N, NO, None),
        ("no fever, no chills, just a stiff upper back", N, NO, None),
        # Someone else: a relative's past is dropped for urgent signs, asked about for emergency ones.
        ("my sister had cancer", N, NO, None),
        ("My dad lost a lot of weight. It turned out to be cancer.", N, NO, None),
        ("my dad had a heart attack last year", P, E, "chest_pain"),
        # A parent or someone asking for a patient speaks for them.
        ("my son's lips are going blue", D, E, "blue_lips_or_nails"),
        ("asking for my dad, he's on prednisone and he fell yesterday", D, U, "injury_fracture_risk"),
        # Hypothetical and questions.
        ("what if I get chest pain?", N, NO, None),
        ("when should I go to the ER if my inhaler isn't working?", N, NO, None),
        ("what if I get chest pain and numb legs?", N, NO, None),
        ("i read an article about spinal cancer and now i'm worried about my sore back", N, NO, None),
        ("i read about tumours in the spine and my back aches", N, NO, None),
        # A worry or a search never reaches a new clause or a sign there now.
        ("what if it is my heart, i have crushing chest pain", D, E, "chest_pain"),
        ("i googled it and now i can't control my bladder", D, E, "cauda_equina"),
        ("should i worry, i have lost 2 stone without trying", D, U, "unexplained_weight_loss"),
        ("no fever and now chest pain", D, E, "chest_pain"),
        # A "now" or "again" inside the worry stays in it.
        ("if i start a preventer now will i crack a vertebra one day?", N, NO, None),
        ("what if my back starts curving again when i'm older?", N, NO, None),
        # A place named after a friend is not the friend's sign ("a friends" is not read as a person).
        ("was at a friends house when crushing chest pain hit, still there", D, E, "chest_pain"),
        ("staying at a friends and i cant feel my legs and cant pee", D, E, "cauda_equina"),
        ("at my friend's place and crushing chest pain started", D, E, "chest_pain"),
        ("i was talking to my mum on the phone and now i can't control my bladder", D, E, "cauda_equina"),
        ("my mum had chest pain at my sister's wedding", P, E, "chest_pain"),
        # Hunching over a desk is posture; a back that has become hunched is a change of shape.
        ("my upper back is aching from hunching over my laptop all week", N, NO, None),
        ("my back is getting hunched and my posture has changed", D, U, "lump_or_back_shape_change"),
        # Historical: asked about, except a history of cancer, which counts whenever it was.
        ("back in 2019 I had chest pain", P, E, "chest_pain"),
        ("back in december 2018 i fell down the stairs and broke my wrist", P, E, "serious_injury"),
        ("I had breast cancer in 2015", D, U, "history_of_cancer"),
        # Hedged and vague.
        ("I think my legs are a bit numb?", P, E, "cauda_equina"),
        ("my chest feels funny", P, E, "chest_pain"),
        # Lemmas, plurals and misspellings.
        ("my lips went blue", D, E, "blue_lips_or_nails"),
        ("i've fallen off a ladder", D, E, "serious_injury"),
        ("fevers and chills every night", D, U, "fever"),
        ("i cant breath", D, E, "severe_breathlessness"),
        ("my ventolin does nothing", D, E, "reliever_not_helping"),
        # Needs: a fall with no word of pain or of steroid tablets is asked about.
        ("i slipped on the stairs", P, U, "injury_fracture_risk"),
        ("i slipped on the stairs and i've been on prednisone for years", D, U, "injury_fracture_risk"),
    ],
)
def test_context_decides_the_tier(message: str, tier: Tier, level: Level, flag: str | None) -> None:
    result = screen(message)
    assert (result.tier, result.level) == (tier, level), f"{message!r} gave {result}"
    if flag:
        assert flag in (*result.flags, result.ask), f"{message!r} gave {result}"


# When flags were added and widened: the level each of these got before, and the one it gets now. Read each row as: "the patient
# writes <message>" -> <level>, <tier>, naming <flags> (definite) or asking about <flag> (possible).
@pytest.mark.parametrize(
    ("message", "level", "tier", "named"),
    [
        # Was 911 ("go" read as the bladder's): "go" counts only with a word for peeing.
        ("I can't go to work because my back hurts so much", NO, N, ()),
        ("I can't go out, my back hurts too much", NO, N, ()),
        ("i can't go upstairs because of my back", NO, N, ()),
        ("i can't go to the gym with this back", NO, N, ()),
        ("i need to pee but i can't go", E, D, ("cauda_equina",)),
        # Was urgent night pain: worse lying flat after a flare is asthma-consistent (the article); waking
        # at night to use the inhaler is a sign of poor asthma control (NHLBI yellow zone): the question
        # whether the inhaler is needed more than every 4 hours.
        ("lying flat makes it worse after a flare", NO, N, ()),
        ("I wake up every night to use my inhaler", U, P, "reliever_overuse"),
        ("the pain wakes me up every night", U, D, ("night_pain_not_eased_by_rest",)),
        # Was 911: chest soreness tied to coughing or tender to touch gets the question.
        ("my chest is sore from all the coughing and my upper back aches", E, P, "chest_pain"),
        ("my chest is tender when i press on it", E, P, "chest_pain"),
        ("crushing pain in my chest", E, D, ("chest_pain",)),
        ("my chest is sore from coughing and the pain goes down my left arm", E, D, ("chest_pain",)),
        ("my chest hurts and i'm sweating", E, D, ("chest_pain", "sudden_severe_pain")),
        # Was 911: a fall from standing is the urgent fall flag; 911 stays for a high-energy injury, not
        # being able to stand, or new numbness or weakness.
        (
            "I slipped on the ice yesterday and landed on my back, it's bruised but I can walk fine",
            U,
            D,
            ("injury_fracture_risk",),
        ),
        ("i fell off a ladder and can't stand up", E, D, ("serious_injury",)),
        ("I fell and landed flat on my back", E, P, "serious_injury"),
        ("I slipped on the ice and now both legs are numb", E, D, ("cauda_equina",)),
        # Was urgent: a couple of pounds, or weight lost on purpose, is not unexplained weight loss.
        ("I've lost 2 pounds since I started walking more", NO, N, ()),
        ("i lost 12 pounds in three months without trying", U, D, ("unexplained_weight_loss",)),
        # A fall on a short steroid course or with a steroid inhaler: the fall flag, named as a fall.
        ("I fell on a short course of prednisone and my back hurts", U, D, ("injury_fracture_risk",)),
        ("i tripped on the stairs and i use a steroid inhaler, my back is sore", U, D, ("injury_fracture_risk",)),
        # A minor injury on steroid tablets is a fragility fracture risk; a steroid inhaler is not.
        ("I'm on steroids and twisted my back", U, D, ("fragility_fracture",)),
        ("i use a steroid inhaler and twisted my back", NO, N, ()),
        # A peak flow reading beside the patient's best: whether it is under half is asked.
        ("my peak flow was 200 and my best is 500", E, P, "peak_flow_red_zone"),
        # Not a fragility fracture: no thin-bone risk, or a short course of tablets only.
        ("i'm 35 and sneezed and got a sharp pain in my back", NO, N, ()),
        ("i sneezed and my back twinged, i'm on a 5 day course of prednisone", NO, N, ()),
        # Not coughing blood, not pregnancy cramps or bleeding, not the yellow zone.
        ("my nose bled when i was coughing", NO, N, ()),
        ("I'm pregnant and have leg cramps at night", NO, N, ()),
        ("I'm pregnant and my gums bleed", NO, N, ()),
        ("my peak flow is 90 percent of my best", NO, N, ()),
        ("numbness down my left leg with the sciatica", NO, N, ()),
        ("i was tearing up with the pain", NO, N, ()),
        ("i bent over and suddenly my back went, the pain is excruciating", NO, N, ()),
    ],
)
def test_issue_18_levels(message: str, level: Level, tier: Tier, named: tuple[str, ...] | str) -> None:
    result = screen(message)
    assert (result.level, result.tier) == (level, tier), f"{message!r} gave {result}"
    assert (result.ask if tier is P else result.flags) == named, f"{message!r} gave {result}"


def test_every_term_is_a_pattern_spacy_accepts() -> None:
    """The servers build the matcher without spaCy's schema check of each pattern (a third of the build's time):
    this build does the check, and spaCy raises on a pattern it would misread."""
    assert len(RedFlagMatcher(validate=True).matcher) > 0
