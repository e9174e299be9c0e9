"""Realistic conversations written through Rasa's own tracker-store API, for tests and the benchmark.

Each conversation is a `DialogueStateTracker` built from the events the Rasa server logs (session
start, `UserUttered` with the NLU's intent and entities, `ActionExecuted`, `BotUttered` with the
domain's own response text, `SlotSet`, `ActiveLoop`) and saved with `SQLTrackerStore.save`, so the
console is tested against the schema and JSON Rasa really writes. Booking requests go into the
assistant's own `booking_requests` table with its own summary text.
"""

from __future__ import annotations

import random
import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from actions.clinic import ROOT, load_clinic
from actions.summary import summarise
from bot.console.tables import open_database
from bot.database.migrate import upgrade
from bot.database.tables import booking_requests

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import (
        ActionExecuted,
        ActiveLoop,
        BotUttered,
        Event,
        SessionStarted,
        SlotSet,
        UserUttered,
    )
    from rasa.shared.core.trackers import DialogueStateTracker

Entity = tuple[str, str, str]  # entity, canonical value, the words the patient used

OPENINGS: Sequence[tuple[str, Sequence[Entity]]] = (
    (
        "I get a dull ache between my shoulder blades after coughing fits",
        (("pain_quality", "dull_ache", "dull ache"), ("pain_location", "between_shoulder_blades", "between my shoulder blades"), ("pain_timing", "after_coughing", "after coughing fits")),
    ),
    (
        "my upper back feels tight after an asthma flare",
        (("pain_location", "upper_back", "upper back"), ("pain_quality", "tightness", "tight"), ("pain_timing", "after_flare", "after an asthma flare")),
    ),
    (
        "sharp pain in my lower back when I lift things",
        (("pain_quality", "sharp", "sharp"), ("pain_location", "lower_back", "lower back"), ("pain_timing", "with_movement", "when I lift things")),
    ),
    (
        "stiffness around my ribs, worse when I lie flat",
        (("pain_quality", "stiffness", "stiffness"), ("pain_location", "ribs", "around my ribs"), ("pain_timing", "lying_flat", "when I lie flat")),
    ),
    (
        "my shoulders ache since I started a new inhaler",
        (("pain_location", "shoulders", "shoulders"), ("pain_quality", "dull_ache", "ache"), ("pain_timing", "after_new_medication", "since I started a new inhaler")),
    ),
    (
        "burning pain in the middle of my back at night",
        (("pain_quality", "burning", "burning"), ("pain_location", "mid_back", "middle of my back"), ("pain_timing", "during_sleep", "at night")),
    ),
)  # fmt: skip
MEDICATIONS: Sequence[tuple[str, Sequence[Entity]]] = (
    ("i use flovent twice a day", (("medication", "inhaled_steroids", "flovent"),)),
    ("I've been on prednisone tablets for months", (("medication", "oral_steroids", "prednisone tablets"),)),
    ("albuterol a lot, several times a day", (("medication", "frequent_reliever", "albuterol"),)),
    ("no medicines at all", (("medication", "none", "no medicines"),)),
)
EMERGENCIES = (
    "my lips look kind of bluish and grey",
    "I can't catch my breath and my inhaler isn't helping",
    "crushing pressure in my chest",
    "I can't control my bladder since the back pain started",
)
URGENT = (
    "I've had a fever and chills with this back pain",
    "I've lost weight without trying",
    "the pain wakes me at night and resting doesn't help",
)
FAQS = (
    ("can my inhaler cause back pain?", "can_inhaler_cause_it"),
    ("can steroids cause back pain?", "can_steroids_cause_it"),
    ("why does my back hurt after an attack?", "why_back_hurts_after_attack"),
    ("why does lying flat hurt?", "why_lying_flat_hurts"),
)
NONSENSE = ("asdf qwer", "purple monkey dishwasher", "¿dónde está la farmacia?", "🙃🙃🙃", "k")
NAMES = ("Sara Lopez", "James Carter", "Mei Chen", "Ana Ruiz", "Tom O'Neil", "Priya Patel", "Luis Gomez")
TIMES = ("tuesday morning", "any weekday after 3pm", "Friday", "as soon as possible", "next week, mornings")
ASSESSMENT_OF_OPENING = (
    "asthma_related",
    "asthma_related",
    "other_cause",
    "asthma_related",
    "medication_related",
    "unclear",
)


@dataclass
class Conversation:
    """One conversation's events, and the booking request it stored, if any."""

    sender_id: str
    events: list[Event] = field(default_factory=list)
    booking: dict[str, Any] | None = None


class Script:
    """Writes a conversation event by event, in the order the Rasa server logs them."""

    def __init__(self, sender_id: str, start: float, domain: Domain, rng: random.Random | None = None) -> None:
        self.conversation = Conversation(sender_id)
        self.clock = start
        self.domain = domain
        self.rng = rng or random.Random(0)
        self.slots: dict[str, Any] = {}

    def add(self, event: Event, seconds: float = 0.05) -> None:
        self.clock += seconds
        event.timestamp = self.clock
        self.conversation.events.append(event)
        if isinstance(event, SlotSet):
            self.slots[event.key] = event.value

    def session_start(self) -> Script:
        """What the project's action_session_start logs: the clinic's details as slots."""
        clinic = load_clinic()
        self.add(ActionExecuted("action_session_start"))
        self.add(SessionStarted())
        for name, value in (
            ("clinic_name", clinic.name),
            ("clinic_phone", clinic.phone),
            ("booking_url", clinic.booking_url),
            ("clinic_address", clinic.address),
        ):
            self.add(SlotSet(name, value))
        self.add(ActionExecuted("action_listen"))
        return self

    def user(self, text: str, intent: str, confidence: float = 0.95, entities: Iterable[Entity] = ()) -> Script:
        """The patient's message, then the slots the entity mappings fill from it."""
        found = [
            {"entity": e, "value": v, "text": said, "start": max(text.find(said), 0), "end": max(text.find(said), 0) + len(said),
             "extractor": "PainFactExtractor"}
            for e, v, said in entities
        ]  # fmt: skip
        parse = {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": found}
        self.add(UserUttered(text, intent=parse["intent"], entities=found, parse_data=parse), self.rng.uniform(4, 40))
        for entity in found:
            is_list = entity["entity"] in ("pain_timing", "medication")
            self.add(SlotSet(entity["entity"], [entity["value"]] if is_list else entity["value"]))
        return self

    def action(self, name: str, *events: Event) -> Script:
        self.add(ActionExecuted(name, policy="RulePolicy", confidence=1.0), 0.3)
        for event in events:
            self.add(event)
        return self

    def say(self, response: str, **values: Any) -> BotUttered:
        """The domain's own text for a response, filled from the slots like Rasa fills it."""
        variant = self.domain.responses[response][-1]
        filled = {**self.slots, **values}
        text = re.sub(r"\{(\w+)\}", lambda m: str(filled.get(m.group(1), m.group(0))), variant.get("text", ""))
        return BotUttered(text, data={"buttons": variant.get("buttons")}, metadata={"utter_action": response})

    def utter(self, response: str, **values: Any) -> Script:
        return self.action(response, self.say(response, **values))

    def listen(self) -> Script:
        self.add(ActionExecuted("action_listen"), 0.1)
        return self


def pain_questions(s: Script, opening: int, rng: random.Random) -> None:
    """Describe the pain, answer the form's yes/no questions and the medicine question."""
    text, entities = OPENINGS[opening]
    s.user(text, "describe_pain", rng.uniform(0.7, 0.99), entities)
    s.action("pain_form", ActiveLoop("pain_form"), SlotSet("requested_slot", "follows_flares"))
    s.add(s.say("utter_ask_follows_flares"))
    s.listen()
    for slot, following in (
        ("follows_flares", "eases_with_control"),
        ("eases_with_control", "helped_by_support"),
        ("helped_by_support", "worse_with_movement"),
        ("worse_with_movement", "pain_persistent"),
        ("pain_persistent", "medication"),
    ):
        yes = rng.random() < 0.6
        confidence = rng.uniform(0.5, 0.65) if rng.random() < 0.1 else rng.uniform(0.8, 0.99)
        s.user(
            rng.choice(("yes", "yeah", "I think so")) if yes else rng.choice(("no", "not really")),
            "affirm" if yes else "deny",
            confidence,
        )
        s.add(SlotSet(slot, yes))
        s.action("pain_form", SlotSet("requested_slot", following))
        s.add(s.say(f"utter_ask_{following}"))
        s.listen()
    text, entities = rng.choice(MEDICATIONS)
    s.user(text, "inform_medication", rng.uniform(0.75, 0.99), entities)
    s.action("pain_form", SlotSet("requested_slot", None), ActiveLoop(None))


def offer_and_book(s: Script, rng: random.Random, accept: bool, finish: bool = True) -> None:
    """The visit offer; on yes, the booking form and the stored request."""
    s.utter("utter_offer_booking").listen()
    if not accept:
        s.user(rng.choice(("no thanks", "not now")), "deny", rng.uniform(0.85, 0.99))
        s.utter("utter_no_booking").action(
            "action_summary", s.say("utter_summary", summary=summarise(s.slots))
        ).listen()
        return
    s.user(rng.choice(("yes please", "yes, book a visit")), "affirm", rng.uniform(0.85, 0.99))
    s.action("action_start_booking", s.say("utter_start_booking"), SlotSet("booking_requested", True))
    s.action("booking_form", ActiveLoop("booking_form"), SlotSet("requested_slot", "patient_name"))
    s.add(s.say("utter_ask_patient_name"))
    s.listen()
    name = rng.choice(NAMES)
    s.user(name, "inform_details", rng.uniform(0.6, 0.95))
    if not finish:
        s.user("stop", "stop", 0.97)
        s.action("action_deactivate_loop", ActiveLoop(None)).utter("utter_stopped").listen()
        return
    contact = f"(512) 555-{rng.randrange(10_000):04d}"
    time_wanted = rng.choice(TIMES)
    s.action("booking_form", SlotSet("patient_name", name), SlotSet("requested_slot", "contact"))
    s.add(s.say("utter_ask_contact"))
    s.listen()
    s.user(contact.replace("(", "").replace(")", "").replace(" ", "-"), "inform_details", rng.uniform(0.6, 0.95))
    s.action("booking_form", SlotSet("contact", contact), SlotSet("requested_slot", "preferred_time"))
    s.add(s.say("utter_ask_preferred_time"))
    s.listen()
    s.user(time_wanted, "inform_details", rng.uniform(0.6, 0.95))
    s.action("booking_form", SlotSet("preferred_time", time_wanted), SlotSet("requested_slot", None), ActiveLoop(None))
    s.action("action_save_booking", s.say("utter_booking_saved"))
    s.action("action_summary", s.say("utter_summary", summary=summarise(s.slots))).listen()
    s.conversation.booking = {
        "conversation_id": s.conversation.sender_id,
        "patient_name": name,
        "contact_kind": "phone",
        "contact": contact,
        "preferred_time": time_wanted,
        "assessment": s.slots.get("assessment"),
        "summary": summarise(s.slots),
        "status": "new",
        "created_at": datetime.fromtimestamp(s.clock, timezone.utc),
    }


def red_flag(s: Script, level: str, text: str) -> None:
    """What action_red_flag logs: the assessment, the form stopped, the 911 or 24-hour message."""
    intent = "red_flag_emergency" if level == "emergency" else "red_flag_urgent"
    s.user(text, intent, 0.99)
    reply = (
        s.say("utter_emergency") if level == "emergency" else s.say("utter_urgent", reason="the symptoms you describe")
    )
    s.action(
        "action_red_flag", reply, ActiveLoop(None), SlotSet("assessment", level), SlotSet("requested_slot", None),
        SlotSet("booking_recommended", level == "urgent"),
    )  # fmt: skip


def fallback(s: Script, rng: random.Random, times: int) -> None:
    for attempt in range(times):
        s.user(rng.choice(NONSENSE), "nlu_fallback", rng.uniform(0.1, 0.44))
        s.action("action_handle_fallback", s.say("utter_ask_rephrase" if attempt == 0 else "utter_fallback_offer_help"))
        s.listen()


def conversation(sender_id: str, start: float, domain: Domain, rng: random.Random) -> Conversation:
    """One conversation drawn from the kinds the clinic sees, in realistic proportions."""
    s = Script(sender_id, start, domain, rng).session_start()
    if rng.random() < 0.3:
        s.user(rng.choice(("hi", "hello", "hey there")), "greet", rng.uniform(0.9, 0.99)).utter("utter_greet").listen()
    if rng.random() < 0.15:
        fallback(s, rng, rng.choice((1, 1, 2)))
    kind = rng.random()
    if kind < 0.08:
        if rng.random() < 0.5:
            pain_questions(s, rng.randrange(len(OPENINGS)), rng)
        red_flag(s, "emergency", rng.choice(EMERGENCIES))
        s.listen()
    elif kind < 0.16:
        red_flag(s, "urgent", rng.choice(URGENT))
        offer_and_book(s, rng, accept=rng.random() < 0.6)
    elif kind < 0.28:
        question, answer = rng.choice(FAQS)
        s.user(question, "faq", rng.uniform(0.55, 0.99)).action("utter_faq", s.say(f"utter_faq/{answer}")).listen()
        s.user("bye", "goodbye", 0.98).utter("utter_goodbye").listen()
    else:
        opening = rng.randrange(len(OPENINGS))
        pain_questions(s, opening, rng)
        s.action(
            "action_assess", SlotSet("assessment", ASSESSMENT_OF_OPENING[opening]), SlotSet("booking_recommended", True)
        )
        offer_and_book(s, rng, accept=rng.random() < 0.5, finish=rng.random() < 0.85)
    return s.conversation


def generate(count: int, first: float, last: float, seed: int = 2024) -> Iterator[Conversation]:
    """`count` conversations started between two epoch times, the same ones for the same seed."""
    rng = random.Random(seed)
    domain = load_domain()
    for i in range(count):
        yield conversation(f"synthetic-{seed}-{i:06d}", rng.uniform(first, last), domain, rng)


def load_domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


def sqlite_store(path: Path, domain: Domain) -> SQLTrackerStore:
    return SQLTrackerStore(domain, dialect="sqlite", db=str(path))


async def save(store: SQLTrackerStore, database_url: str, conversations: Iterable[Conversation]) -> int:
    """Saves each tracker with `SQLTrackerStore.save` and its booking request, if any; returns how many."""
    upgrade(database_url)
    engine = open_database(database_url)
    saved = 0
    for item in conversations:
        tracker = DialogueStateTracker.from_events(item.sender_id, item.events, slots=store.domain.slots)
        await store.save(tracker)
        if item.booking:
            with engine.begin() as connection:
                connection.execute(sa.insert(booking_requests).values(**item.booking))
        saved += 1
    engine.dispose()
    return saved
