"""Step 3 (project venv): does a red-flag classifier on MiniLM sentence embeddings beat today's TF-IDF one?

Each variant (variants.py) is trained on the NLU data as `rasa train` trains today's classifier, scores every
message of the sets, and the screen decides on each message from those scores and its own words, as
tools/real_language/threshold.py re-makes the decision (outcomes_at): at today's thresholds, with no
classifier, and at the variant's own emergency threshold (the highest that keeps every sourced and holdout_2
emergency caught; urgent at 0.5 and 0.45). Also each variant's 5-fold cross-validated log-loss on the training data.
Hold-out discipline: without --final only the selection sets (data.SELECTION) and the team's phrasings are
loaded, and every variant is measured: choose on that. --final adds the later hold-outs (data.LATER) for the
variants chosen (variants.CHOSEN) alone. Counts only: no message is ever printed.
Writes selection.txt and results_selection.json (--final: final.txt and results_final.json) in --out.
Usage: .venv/bin/python -m tools.experiments.sentence_encoder.measure [--out build/encoder_experiment] [--final]
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import StratifiedKFold

from bot.nlu.red_flag_classifier import scores
from clinic.red_flags import Level
from tools.experiments.sentence_encoder import data, files
from tools.experiments.sentence_encoder.variants import CHOSEN, Fit, compared
from tools.real_language.corpus import Example
from tools.real_language.evaluate import Report
from tools.real_language.threshold import configured, outcomes_at

Sets = list[tuple[str, list[Example]]]
Counts = dict[str, int]  # one set's figures under one setting of the thresholds
Thresholds = Mapping[Level, float]
# The emergency thresholds tried for a variant's own, each with urgent at each of URGENT.
GRID = [round(x, 3) for x in np.arange(0.05, 1.0, 0.01)]
URGENT = (0.5, 0.45)
NEVER = {Level.EMERGENCY: 1.01, Level.URGENT: 1.01}  # the classifier never asks on its own
# The sets whose emergencies a variant's own threshold must all catch: chosen on, so selection sets only.
KEEP_CAUGHT = ("sourced", "holdout_2")
assert set(KEEP_CAUGHT) <= set(data.SELECTION)


def vectors(out: Path) -> dict[str, np.ndarray]:
    """Each text's embedding, as embed.py wrote them for dump.py's texts."""
    texts = json.loads((out / files.TEXTS).read_text(encoding="utf-8"))
    return dict(zip(texts, np.load(out / files.VECTORS), strict=True))


def settings(today: Thresholds) -> list[Thresholds]:
    """Every setting of the thresholds measured: the grid, then today's, then the classifier never asking."""
    grid = [{Level.EMERGENCY: t, Level.URGENT: u} for u in URGENT for t in GRID]
    return [*grid, today, NEVER]


def counts(report: Report) -> Counts:
    """Red flags caught at each level, false alarms, and benign messages asked about (and by the classifier alone)."""
    em, _at_once, em_n = report.recall(Level.EMERGENCY)
    ur, _at_once, ur_n = report.recall(Level.URGENT)
    alarms, asked, benign = report.benign()
    return {
        "em": em,
        "em_n": em_n,
        "ur": ur,
        "ur_n": ur_n,
        "fa": alarms,
        "asked": asked,
        "benign": benign,
        "by_clf": report.asked_by_model(),
    }


def evaluate(
    fit: Fit, training: tuple[list[str], list[int]], sets: Sets, tried: list[Thresholds]
) -> list[dict[str, Counts]]:
    """Trained on all the training data: each set's counts under each setting, in `tried`'s order."""
    classifier = fit(*training)
    texts = data.as_passed(e for _name, examples in sets for e in examples)
    parsed = [{"red_flag": {"model": {level.value: p for level, p in s.items()}}} for s in scores(classifier, texts)]
    found = []
    for outcomes in outcomes_at(texts, parsed, tried):
        by_set, start = {}, 0
        for name, examples in sets:
            by_set[name] = counts(
                Report(name, list(zip(examples, outcomes[start : start + len(examples)], strict=True)))
            )
            start += len(examples)
        found.append(by_set)
    return found


def own_threshold(tried: list[Thresholds], measured: list[dict[str, Counts]], urgent: float) -> float | None:
    """The highest emergency threshold on the grid that keeps every emergency of KEEP_CAUGHT caught."""
    kept = [
        setting[Level.EMERGENCY]
        for setting, by_set in zip(tried, measured, strict=True)
        if setting[Level.URGENT] == urgent
        and setting[Level.EMERGENCY] in GRID
        and all(by_set[name]["em"] == by_set[name]["em_n"] for name in KEEP_CAUGHT)
    ]
    return max(kept, default=None)


def cross_validated(fit: Fit, texts: Sequence[str], labels: Sequence[int]) -> tuple[float, float]:
    """(log-loss, accuracy) of 5-fold cross-validated probabilities on the training data."""
    classes = np.array(labels)
    probabilities = np.zeros((len(texts), 3))
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(texts, classes):
        classifier = fit([texts[i] for i in train], classes[train])
        probabilities[test] = classifier.predict_proba([texts[i] for i in test])
    return float(log_loss(classes, probabilities)), float(accuracy_score(classes, probabilities.argmax(1)))


def rows(tried: list[Thresholds], measured: list[dict[str, Counts]], today: Thresholds) -> dict[str, dict[str, Counts]]:
    """The settings reported, by label: today's, no classifier, and the variant's own at each urgent threshold."""
    found = {
        f"configured em{today[Level.EMERGENCY]:g} ur{today[Level.URGENT]:g}": measured[tried.index(today)],
        "no classifier": measured[tried.index(NEVER)],
    }
    for urgent in URGENT:
        own = own_threshold(tried, measured, urgent)
        if own is not None:
            found[f"own em{own:.2f} ur{urgent:.2f}"] = measured[
                tried.index({Level.EMERGENCY: own, Level.URGENT: urgent})
            ]
    return found


def total(by_set: Mapping[str, Counts], names: Sequence[str]) -> Counts:
    """The counts summed over the named sets."""
    return {k: sum(by_set[name][k] for name in names) for k in by_set[names[0]]}


def line(label: str, c: Counts) -> str:
    return (
        f"    {label:10} em {c['em']:3}/{c['em_n']:<3} ur {c['ur']:3}/{c['ur_n']:<3} FA {c['fa']:3}"
        f" asked {c['asked']:3}/{c['benign']:<3} (clf alone {c['by_clf']})"
    )


def table(
    name: str, loss: float, accuracy: float, reported: Mapping[str, Mapping[str, Counts]], final: bool
) -> list[str]:
    """One variant's figures: every set, then the selection sets' total (and, --final, the later hold-outs')."""
    out = [f"### {name}  5-fold CV log-loss {loss:.4f} accuracy {accuracy:.4f}"]
    for label, by_set in reported.items():
        out.append(f"  [{label}]")
        out += [line(set_name, c) for set_name, c in by_set.items()]
        out.append(line("SEL total", total(by_set, data.SELECTION)))
        if final:
            out.append(line("FINAL tot", total(by_set, data.LATER)))
    return out


def main() -> int:
    command = files.parser(__doc__)
    command.add_argument("--final", action="store_true", help="the later hold-outs, for the chosen variants only")
    args = command.parse_args()
    training = data.training()
    sets = data.corpus(later=args.final)
    variants = compared(vectors(args.out), *training)
    if args.final:
        variants = {name: fit for name, fit in variants.items() if name in CHOSEN}
        assert len(variants) == len(CHOSEN), f"chosen variants no longer built: {set(CHOSEN) - set(variants)}"
    today = configured()
    tried = settings(today)
    lines: list[str] = []
    results = {}
    for name, fit in variants.items():
        started = time.time()
        reported = rows(tried, evaluate(fit, training, sets, tried), today)
        loss, accuracy = cross_validated(fit, *training)
        results[name] = {"cv_logloss": round(loss, 4), "cv_acc": round(accuracy, 4), "rows": reported}
        figures = table(name, loss, accuracy, reported, args.final)
        print("\n".join(figures), flush=True)
        lines += figures
        print(f"{name}: {time.time() - started:.0f} s", file=sys.stderr, flush=True)
    stage = "final" if args.final else "selection"
    (args.out / f"{stage}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (args.out / f"results_{stage}.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
