"""Where a story told in the past comes back to now (terms/context.yml `episode`).

ConText's historical triggers reach only their own sentence, so "Back in 2015 I had a bad attack. My lips
went blue." read the second sentence as happening now and got 911. A story stays in the past from the
sentence a historical trigger places there ("back in 2015", "when I was 12", "in fifth grade") through
each sentence after it told in the past, until one comes back to now: "now", "today", "still", "again",
"an hour ago", or a verb in the present tense ("my back hurts", "I can't breathe", "should I").
A phrase that closes the episode ("since then I have recovered", "I'm fine now") puts everything before it
in the past, and does not itself bring the story back to now.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc


class Episode:
    """Finds the sentences a past story covers."""

    def __init__(
        self, nlp: Language, anchors: list[str | dict[str, Any]], present: list[str], settled: list[str]
    ) -> None:
        # The historical triggers (a phrase, or {pattern: spaCy token pattern}), matched on their own:
        # ConText ignores a trigger inside a mention ("I was 51" is also the age of a fragility fracture).
        self.anchors = Matcher(nlp.vocab)
        self.anchors.add(
            "phrase", [[{"LOWER": t.text} for t in nlp.make_doc(a)] for a in anchors if isinstance(a, str)]
        )
        self.anchors.add("pattern", [a["pattern"] for a in anchors if isinstance(a, dict)])
        self.present = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.present.add("present", [nlp.make_doc(w) for w in present])
        self.settled = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.settled.add("settled", [nlp.make_doc(w) for w in settled])

    def in_the_past(self, doc: Doc) -> set[int]:
        """The tokens a past story covers: each sentence from one with a historical trigger until one that
        comes back to now, and everything before a phrase that closes it."""
        closing = [(start, end) for _id, start, end in self.settled(doc)]
        closed = {i for start, end in closing for i in range(start, end)}
        now = {start for _id, start, end in self.present(doc) if not closed.intersection(range(start, end))}
        anchored = {start for _id, start, _end in self.anchors(doc)}
        past, covered = False, set(range(max((start for start, _end in closing), default=0)))
        for sentence in doc.sents:
            tokens = range(sentence.start, sentence.end)
            if now.intersection(tokens):
                past = False
            elif anchored.intersection(tokens):
                past = True
            if past:
                covered.update(tokens)
        return covered
