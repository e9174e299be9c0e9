"""NLU component: the facts of the slot contract in a patient's own words, found by rule.

Patients tell long stories in the past tense, with brand names and everyday words; a trained model
misses most of what they state. This extractor finds every canonical value of the contract whose
terms (bot/nlu/terms/pain_facts.yml, matched on lemmas) or phrasings (data/nlu/synonyms.yml) are in
the message, in a small spaCy pipeline of the project's own (bot/nlu/term_patterns.py), and gives
them to the dialogue as entities whose value is already the canonical one. A fact is left out when
it is denied right before ("not sharp") or said of someone else ("my dad's lower back").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from bot.nlu.rule_component import RuleComponent
from bot.nlu.term_patterns import base_pipeline, fold, normalise, term_patterns
from clinic.contract import SLOT_VALUES, entity_for_value

ROOT = Path(__file__).resolve().parents[2]
TERMS = Path(__file__).resolve().parent / "terms"
SYNONYMS = ROOT / "data" / "nlu" / "synonyms.yml"
EXCEPT = "|except"
PAIN_WORD = "pain word"
# A message this short is an answer to the assistant's question: its timing is the pain's.
SHORT_ANSWER_TOKENS = 12
# A word right before a fact that denies it: "not sharp", "no stiffness", "never at night"; but
# "can't bend" says the pain stops the patient, it denies nothing.
DENIALS = frozenset({"not", "n't", "nt", "no", "never", "without"})
INABILITY = frozenset({"ca", "can", "could", "cant", "couldnt"})
# How a question starts, when the patient leaves out the question mark.
QUESTION_WORDS = frozenset({"can", "could", "does", "do", "is", "are", "why", "what", "how", "should", "would"})
CLAUSE_LINKS = frozenset({"and", "but", "so", "or"})
DESCRIBES_PAIN = "describes_pain"
ASKS_QUESTION = "asks_question"


@dataclass(frozen=True)
class Fact:
    """One canonical value of the contract, and where the message states it."""

    entity: str
    value: str
    start: int
    end: int
    text: str
    in_question: bool = False  # "can prednisone cause back pain?" states no fact about the patient

    def as_entity(self) -> dict[str, Any]:
        return {"entity": self.entity, "value": self.value, "start": self.start, "end": self.end, "confidence": 1.0}


def synonym_phrasings(path: Path = SYNONYMS) -> dict[str, list[str]]:
    """Every phrasing of each canonical value in data/nlu/synonyms.yml; one-word values are their own."""
    phrasings: dict[str, list[str]] = {}
    for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        value = entry["synonym"]
        lines = [line.strip().removeprefix("- ").strip() for line in entry["examples"].splitlines()]
        phrasings[value] = [p for p in lines if p] + ([value] if "_" not in value else [])
    return phrasings


def _kept(spans: list[Span]) -> list[Span]:
    """Per slot, the matches not inside a longer match ("shoulder" in "under my shoulder blade").

    The same words may state two values ("mid to upper back"): equal spans are all kept. One sweep per
    slot over the matches in order, so that a very long message stays quick.
    """
    by_slot: dict[str, list[Span]] = {}
    for span in spans:
        by_slot.setdefault(entity_for_value(span.label_), []).append(span)
    kept = []
    for group in by_slot.values():
        inside, reach = set(), -1
        for start, end in sorted({(s.start, s.end) for s in group}, key=lambda i: (i[0], -i[1])):
            if end <= reach:
                inside.add((start, end))
            reach = max(reach, end)
        kept += [s for s in group if (s.start, s.end) not in inside]
    return kept


class PainFactFinder:
    """Finds the contract's facts in one message."""

    def __init__(self, terms_dir: Path = TERMS, synonyms: Path = SYNONYMS, validate: bool = False) -> None:
        """`validate` checks each token pattern against spaCy's schema: slow, so the tests do it and the servers
        do not."""
        self.nlp = base_pipeline()
        spec = yaml.safe_load((terms_dir / "pain_facts.yml").read_text(encoding="utf-8"))
        known = {v for values in SLOT_VALUES.values() for v in values}
        unknown = (set(spec["facts"]) | set(spec["except"])) - known
        if unknown:
            raise ValueError(f"terms/pain_facts.yml names values outside the slot contract: {sorted(unknown)}")
        self.matcher = Matcher(self.nlp.vocab, validate=validate)
        for value, terms in spec["facts"].items():
            self.matcher.add(value, [p for term in terms for p in term_patterns(term, spec["words"], self.nlp)])
        for value, terms in spec["except"].items():
            self.matcher.add(value + EXCEPT, [p for t in terms for p in term_patterns(t, spec["words"], self.nlp)])
        self.matcher.add(PAIN_WORD, term_patterns("$PAIN", spec["words"], self.nlp))
        self.about_the_pain = frozenset(spec["about_the_pain"])
        for value, phrases in synonym_phrasings(synonyms).items():
            self.matcher.add(value, [[{"LOWER": t.lower_} for t in self.nlp.make_doc(normalise(p))] for p in phrases])
        people = yaml.safe_load((terms_dir / "context.yml").read_text(encoding="utf-8"))["people"]
        self.people = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for who in ("self", "other"):
            self.people.add(who, [self.nlp.make_doc(normalise(w)) for w in people[who]])

    def read(self, text: str) -> tuple[list[Fact], bool]:
        """The facts stated in the text, and whether any of its sentences asks something."""
        doc = self.nlp(fold(text))
        return self._facts(doc, text), any(_question_start(sentence) is not None for sentence in doc.sents)

    def facts(self, text: str) -> list[Fact]:
        return self.read(text)[0]

    def _facts(self, doc: Doc, text: str) -> list[Fact]:
        """The facts stated in the text, in the order they are stated, each value once."""
        matches: list[Span] = []
        excluded: dict[str, list[Span]] = {}
        pain_sentences = set()
        for match_id, start, end in self.matcher(doc):
            name = self.nlp.vocab.strings[match_id]
            if name == PAIN_WORD:
                pain_sentences.add(doc[start].sent.start)
            elif name.endswith(EXCEPT):
                excluded.setdefault(name.removesuffix(EXCEPT), []).append(Span(doc, start, end))
            else:
                matches.append(Span(doc, start, end, label=name))
        spans = [
            s
            for s in matches
            if not any(s.start < o.end and o.start < s.end for o in excluded.get(s.label_, []))
            and not self._denied(doc, s)
            and (
                s.label_ not in self.about_the_pain or len(doc) <= SHORT_ANSWER_TOKENS or s.sent.start in pain_sentences
            )
        ]
        others = self._someone_elses(doc)
        found: dict[str, Fact] = {}
        for span in sorted(_kept(spans), key=lambda s: s.start):
            if span.label_ in found or any(span.start < end and start < span.end for start, end in others):
                continue
            found[span.label_] = Fact(
                entity_for_value(span.label_),
                span.label_,
                span.start_char,
                span.end_char,
                text[span.start_char : span.end_char],
                in_question=_in_question(span),
            )
        return list(found.values())

    @staticmethod
    def _denied(doc: Doc, span: Span) -> bool:
        before = doc[max(span.sent.start, span.start - 2) : span.start]
        return any(t.lower_ in DENIALS and not (t.i > 0 and doc[t.i - 1].lower_ in INABILITY) for t in before)

    def _someone_elses(self, doc: Doc) -> list[tuple[int, int]]:
        """The stretches of each sentence that follow a mention of someone else, until the patient is named again."""
        stretches = []
        people = filter_spans([Span(doc, start, end, label=i) for i, start, end in self.people(doc)])
        mentions = [(s.start, s.end, s.label_) for s in people]  # "my dad" rather than "my"
        for sent in doc.sents:
            other_from = None
            for start, end, who in (m for m in mentions if sent.start <= m[0] < sent.end):
                if who == "other" and other_from is None:
                    other_from = end
                elif who == "self" and other_from is not None and start >= other_from:
                    stretches.append((other_from, start))
                    other_from = None
            if other_from is not None:
                stretches.append((other_from, sent.end))
        return stretches


def _question_start(sentence: Span) -> int | None:
    """Where the question in a sentence starts, if it asks one: at a clause-opening "why", "can", "is"...

    "my mid back aches after coughing, why does lying flat hurt?" states the ache and asks the rest.
    """
    for token in sentence:
        opens_clause = token.i == sentence.start or token.nbor(-1).is_punct or token.nbor(-1).lower_ in CLAUSE_LINKS
        if opens_clause and token.lower_ in QUESTION_WORDS:
            return token.i
    return sentence.start if sentence.text.rstrip().endswith("?") else None


def _in_question(span: Span) -> bool:
    start = _question_start(span.sent)
    return start is not None and span.start >= start


def describes_pain(facts: list[Fact]) -> bool:
    """Whether the message tells something about the patient's own pain or medicines, not only asks."""
    return any(not f.in_question for f in facts)


@cache
def finder() -> PainFactFinder:
    """One finder per process: compiling the terms takes a few seconds."""
    return PainFactFinder()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class PainFactExtractor(RuleComponent, EntityExtractorMixin):
    """Adds the contract's facts the patient stated, as entities with canonical values."""

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        finder()  # built once, when the model loads, not on the first patient's message

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            facts, asks = finder().read(message.get(TEXT) or "")
            found = self.add_extractor_name([f.as_entity() for f in facts])
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
            message.set(DESCRIBES_PAIN, describes_pain(facts), add_to_output=True)
            message.set(ASKS_QUESTION, asks)  # "...is that normal?", "could it be my inhaler"
        return messages
