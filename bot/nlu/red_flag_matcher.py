"""Red-flag concepts in a patient's words, each with what its context says about it.

A small spaCy pipeline of the project's own (nothing downloaded): blank English, the lookup
lemmatizer from spacy-lookups-data, a sentencizer, a token Matcher built from the concept terms in
terms/red_flags.yml, and medspaCy's ConText with the patient-language triggers in terms/context.yml.
It reads a message with mistyped and disguised red-flag words respelled (spelling.py: "chset", "ch3st",
"c h e s t" are "chest") and turns it into `Finding`s; clinic/red_flags.py decides what they mean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, cast

import yaml
from medspacy.context import ConText, ConTextRule
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from bot.nlu.about_child import ChildMentions
from bot.nlu.episode import Episode
from bot.nlu.spelling import Respeller, term_words
from bot.nlu.term_patterns import base_pipeline, normalise, term_patterns
from clinic.red_flags import FLAGS, Finding, Level, Screen, decide

TERMS = Path(__file__).resolve().parent / "terms"
SPAN_GROUP = "red_flags"
TIERS = ("definite", "possible", "except", "except_possible", "demote", "needs")
CHUNK_CHARS = 2000
CONTEXT_CHARS = 200
# The ConText category of each category in terms/context.yml (medspaCy's default attributes).
CATEGORIES = {
    "negated": "NEGATED_EXISTENCE",
    "negated_near": "NEGATED_EXISTENCE",
    "negated_after": "NEGATED_EXISTENCE",
    "hypothetical": "HYPOTHETICAL",
    "hypothetical_near": "HYPOTHETICAL",
    "historical": "HISTORICAL",
    "family": "FAMILY",
    "hedged": "POSSIBLE_EXISTENCE",
    "hedged_after": "POSSIBLE_EXISTENCE",
}

for _extension in ("other_person", "in_past"):
    if not Span.has_extension(_extension):
        Span.set_extension(_extension, default=False)


CLAUSE_MARKS = frozenset({",", ";", ":"})


@dataclass(frozen=True)
class NewClause:
    """Where a denial stops short of a later clause (terms/context.yml `new_clause`).

    A comma followed by a clause's first word ends a denial ("no fever, my legs are numb"), and so does
    one whose clause says the sign is there now ("no fever, chest pain right now"); a list after the
    comma stays denied as a whole ("no fever, chills or sweats today"). "and now", "but now" mark a new
    clause as a comma does ("I googled it and now I can't control my bladder"). medspaCy calls it as a
    rule's `on_modifies`: True when the trigger still reaches the target.
    """

    starts: frozenset[str]
    present: tuple[str, ...]
    lists: frozenset[str]
    joins: frozenset[str]

    def __call__(self, target: Span, _trigger: Span, between: Span) -> bool:
        doc = target.doc
        marks = [
            t.i
            for t in between
            if t.text in CLAUSE_MARKS
            or (t.lower_ in self.joins and t.i + 1 < target.start and doc[t.i + 1].lower_ == "now")
        ]
        if not marks:
            return True
        if any(doc[i + 1].lower_ in self.starts for i in marks if i + 1 < target.start):
            return False
        end = next((t.i for t in doc[target.end : target.sent.end] if t.text in CLAUSE_MARKS), target.sent.end)
        clause = [t.lower_ for t in doc[marks[-1] + 1 : end]]
        if self.lists & set(clause):
            return True
        words = f" {' '.join(clause)} "
        return not any(f" {w} " in words for w in self.present)


def _context_rules(spec: dict[str, Any]) -> list[ConTextRule]:
    # A stop's scope is its own words and one either side: medspaCy 1.2 only lets a stop end a trigger's
    # reach when their scopes overlap by its test, which misses a scope that wholly contains the other,
    # so a sentence-wide stop was ignored whenever the sentence ran past the trigger's reach.
    rules = []
    for name, stop_words in spec["stops"].items():
        rules += [ConTextRule(w, f"STOP_{name.upper()}", direction="PSEUDO", max_scope=1) for w in stop_words]
    rules += [ConTextRule(p, "PSEUDO", direction="PSEUDO") for p in spec["pseudo"]]
    clause = spec["new_clause"]
    new_clause = NewClause(
        frozenset(clause["starts"]), tuple(spec["stops"]["now"]), frozenset(clause["lists"]), frozenset(clause["joins"])
    )
    for name, category in spec["categories"].items():
        ended_by = {f"STOP_{s.upper()}" for s in category.get("ended_by", [])}
        for trigger in category["triggers"]:
            literal, pattern = (
                (trigger, None) if isinstance(trigger, str) else (str(trigger["pattern"]), trigger["pattern"])
            )
            rules.append(
                ConTextRule(
                    literal,
                    CATEGORIES[name],
                    pattern=pattern,
                    direction=category["direction"].upper(),
                    max_scope=category["scope"],
                    terminated_by=ended_by,
                    on_modifies=new_clause if category.get("ends_at_new_clause") else None,
                )
            )
    # medspaCy keys its rules by their words: one phrase in two places would silently keep only one.
    repeated = sorted({r.literal for r in rules if sum(o.literal == r.literal for o in rules) > 1})
    if repeated:
        raise ValueError(f"terms/context.yml lists these triggers more than once: {repeated}")
    return rules


def _overlaps(span: Span, others: list[Span]) -> bool:
    return any(span.start < o.end and o.start < span.end for o in others)


class RedFlagMatcher:
    """Finds red-flag concepts and their context in one message."""

    def __init__(self, terms_dir: Path = TERMS, validate: bool = False) -> None:
        """`validate` checks each token pattern against spaCy's schema: a third of the build's time, so the tests
        do it and the servers do not."""
        self.nlp = base_pipeline()
        spec = yaml.safe_load((terms_dir / "red_flags.yml").read_text(encoding="utf-8"))
        unknown = set(spec["flags"]) ^ set(FLAGS)
        if unknown:
            raise ValueError(f"terms/red_flags.yml and clinic/red_flags.py disagree on flags: {sorted(unknown)}")
        # Without one of its `needs` in the message, a flag's definite terms are only possible ones
        # (or nothing, where `otherwise: drop`).
        self.otherwise = {flag: tiers.get("otherwise", "possible") for flag, tiers in spec["flags"].items()}
        self.matcher = Matcher(self.nlp.vocab, validate=validate)
        for flag, tiers in spec["flags"].items():
            for tier in TIERS:
                patterns = [p for term in tiers.get(tier, []) for p in term_patterns(term, spec["words"], self.nlp)]
                if patterns:
                    self.matcher.add(f"{flag}|{tier}", patterns)
        context = yaml.safe_load((terms_dir / "context.yml").read_text(encoding="utf-8"))
        rules = _context_rules(context)
        self.context = ConText(
            self.nlp, rules=None, input_span_type="group", span_group_name=SPAN_GROUP, prune_on_target_overlap=True
        )
        self.context.add(rules)
        self.hedges = self._phrases(
            {"hedged": [r.literal for r in rules if r.category == "POSSIBLE_EXISTENCE" and r.pattern is None]}
        )
        people = context["people"]
        self.people = self._phrases({k: v for k, v in people.items() if k not in ("history", "not_who_after")})
        self.not_who_after = frozenset(people["not_who_after"])
        self.history = self._phrases({"history": context["people"]["history"]})
        self.children = ChildMentions(context["child"])
        episode = context["episode"]
        anchors = context["categories"]["historical"]["triggers"]
        self.episode = Episode(self.nlp, anchors, episode["present"], episode["settled"])
        self.respell = Respeller(term_words(phrases(spec, context)), self.nlp)

    def readable(self, text: str) -> str:
        """The message as the terms are matched on: normalised, mistyped and disguised key words respelled."""
        return self.respell(normalise(text))

    def _phrases(self, groups: dict[str, list[str]]) -> PhraseMatcher:
        phrases = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for label, words in groups.items():
            phrases.add(label, [self.nlp.make_doc(normalise(w)) for w in words])
        return phrases

    def _concepts(self, doc: Doc) -> list[Span]:
        """The concept spans: per flag, definite terms first, then possible ones, minus its exceptions.

        A definite match its `demote` terms overlap counts as a possible one; a `needs` match its `except`
        terms overlap does not count, nor one beside no mention of its flag.
        """
        found: dict[tuple[str, str], list[Span]] = {}
        for match_id, start, end in self.matcher(doc):
            flag, tier = self.nlp.vocab.strings[match_id].split("|")
            label = f"{flag}|needs" if tier == "needs" else flag
            found.setdefault((flag, tier), []).append(Span(doc, start, end, label=label))
        spans = []
        for flag in FLAGS:
            excluded = found.get((flag, "except"), [])
            matched = [s for s in found.get((flag, "definite"), []) if not _overlaps(s, excluded)]
            demoted = found.get((flag, "demote"), [])
            definite = filter_spans([s for s in matched if not _overlaps(s, demoted)])
            excluded_too = excluded + found.get((flag, "except_possible"), [])
            candidates = [*found.get((flag, "possible"), []), *(s for s in matched if _overlaps(s, demoted))]
            possible = filter_spans([s for s in candidates if not _overlaps(s, excluded_too)])
            # Labelled apart: spaCy keeps a span's extension values by its offsets, which another flag's
            # definite span may share.
            possible = [
                Span(doc, s.start, s.end, label=f"{flag}|possible") for s in possible if not _overlaps(s, definite)
            ]
            needs = [s for s in found.get((flag, "needs"), []) if not _overlaps(s, excluded)]
            # A flag's conditions are weighed only beside a mention of it: each span is one more for ConText.
            spans += definite + possible + (filter_spans(needs) if definite or possible else [])
        return spans

    def _mark_people(self, doc: Doc) -> None:
        """Mark the spans about someone else: the last person named before (or in) each one."""
        mentions = [(start, self.nlp.vocab.strings[i]) for i, start, end in filter_spans_ids(self.people(doc))]
        if any(who == "caregiver" for _start, who in mentions):
            return
        # "at my friend's", "talking to my mum": a place or someone spoken to, not who has the sign.
        mentions = [
            (start, who) for start, who in mentions if not (start and doc[start - 1].lower_ in self.not_who_after)
        ]
        history = {start for _id, start, _end in self.history(doc)}
        for span in doc.spans[SPAN_GROUP]:
            named = [who for start, who in mentions if start < span.end]
            if named and named[-1] == "other":
                span._.other_person = True
                span._.in_past = any(span.sent.start <= i < span.sent.end for i in history)

    def doc(self, text: str) -> Doc:
        """The message with its red-flag spans (doc.spans["red_flags"]) and what their context says."""
        doc = self.nlp(self.readable(text))
        doc.spans[SPAN_GROUP] = self._concepts(doc)
        doc = cast(Doc, self.context(doc))
        # ConText ignores triggers inside a concept (the "n't" of "couldn't breathe"), but a hedge
        # inside one still hedges it: "my legs are a bit numb".
        hedges = [(start, end) for _id, start, end in self.hedges(doc)]
        for span in doc.spans[SPAN_GROUP]:
            if any(span.start <= start and end <= span.end for start, end in hedges):
                span._.is_uncertain = True
        self._mark_people(doc)
        return doc

    def findings(self, text: str) -> list[Finding]:
        """Every mention in the message; a very long one is read a few sentences at a time, so that
        ConText (which weighs every trigger against every mention) stays fast."""
        return [f for piece, own in chunks(self.readable(text)) for f in self._piece_findings(piece, own)]

    def _piece_findings(self, text: str, own: int) -> list[Finding]:
        doc = self.doc(text)
        in_the_past = self.episode.in_the_past(doc)
        spans = [s for s in doc.spans[SPAN_GROUP] if s.start_char >= own or s.label_.endswith("|needs")]
        asserted_needs = {
            s.label_.split("|")[0]
            for s in spans
            if s.label_.endswith("|needs")
            and not (s._.is_negated or s._.is_hypothetical or s._.is_family or s._.in_past)
        }
        findings = []
        for span in (s for s in spans if not s.label_.endswith("|needs")):
            flag, _, tier = span.label_.partition("|")
            vague = tier == "possible"
            if self._needs(flag) and flag not in asserted_needs:
                if self.otherwise[flag] == "drop":
                    continue
                vague = True
            findings.append(
                Finding(
                    flag=flag,
                    negated=span._.is_negated,
                    other_person=span._.other_person or span._.is_family,
                    family_history=span._.is_family or span._.in_past,
                    hypothetical=span._.is_hypothetical,
                    historical=span._.is_historical or span.start in in_the_past,
                    hedged=span._.is_uncertain,
                    vague=vague,
                )
            )
        return findings

    def _needs(self, flag: str) -> bool:
        return f"{flag}|needs" in self.matcher


def chunks(text: str, size: int = CHUNK_CHARS, context: int = CONTEXT_CHARS) -> list[tuple[str, int]]:
    """The text in pieces of at most `size` characters, each led by up to `context` characters before it.

    Returns (piece, where the piece's own text starts in it): a mention in the lead was judged with the
    piece before, and the lead is only there so that the words at the start of the piece keep theirs.
    """
    pieces: list[tuple[str, int]] = []
    start = 0
    while start < len(text):
        end = len(text) if len(text) - start <= size else _cut(text, start, start + size)
        lead = max(0, start - context)
        if lead:
            space = text.find(" ", lead, start)
            lead = space + 1 if space >= 0 else lead
        pieces.append((text[lead:end], start - lead))
        start = end
    return pieces


def _cut(text: str, start: int, limit: int) -> int:
    """Where a piece ends: after its last sentence, if that is past half of it; else at its last space."""
    window = text[start:limit]
    ends = [m.end() for m in re.finditer(r"[.!?]\s", window)]
    if ends and ends[-1] > len(window) // 2:
        return start + ends[-1]
    space = window.rfind(" ")
    return start + (space if space > 0 else len(window))


def phrases(spec: dict[str, Any], context: dict[str, Any]) -> list[str]:
    """Every term of terms/red_flags.yml and phrase of terms/context.yml: what typos are read as."""
    terms = [
        *spec["words"].values(),
        *(t for tiers in spec["flags"].values() for tier in TIERS for t in tiers.get(tier, [])),
    ]
    triggers = [t for category in context["categories"].values() for t in category["triggers"] if isinstance(t, str)]
    lists = [context["pseudo"], *(v for k in ("stops", "new_clause", "people", "child") for v in context[k].values())]
    return terms + triggers + [phrase for words in lists for phrase in words if isinstance(phrase, str)]


def filter_spans_ids(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The longest of overlapping phrase matches, in text order ("my mum" rather than "my")."""
    kept: list[tuple[int, int, int]] = []
    for match in sorted(matches, key=lambda m: (m[2] - m[1], -m[1]), reverse=True):
        if not any(match[1] < k[2] and k[1] < match[2] for k in kept):
            kept.append(match)
    return sorted(kept, key=lambda m: m[1])


@cache
def matcher() -> RedFlagMatcher:
    """One matcher per process: building it takes a few seconds."""
    return RedFlagMatcher()


def screen(text: str, model_level: Level = Level.NONE) -> Screen:
    """The red-flag screen of one message (clinic/red_flags.py `decide` on what the matcher found)."""
    return decide(matcher().findings(text), model_level, matcher().children.about_child(matcher().readable(text)))
