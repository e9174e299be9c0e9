"""`make threshold`: what the classifier's second opinion buys at each threshold, set by set.

The red-flag screen asks the confirming question on the classifier's suspicion alone when it ranks a
red-flag intent at or above `model_threshold` (config.yml, RedFlagScreen) and the screen's words found
nothing. This re-makes that decision at each threshold for every message of `make eval`'s sets, from the
classifier's scores the screen records (parse data `red_flag.model`) and the screen's own findings, and
prints the red flags caught and the benign messages asked about. Choose the threshold on the sets already
used, for the recall needed; read the newest hold-out only to check the choice.
`--second-opinion calibrated` sweeps a calibrated classifier of its own instead (tools/real_language/calibrated.py).
Usage: python -m tools.real_language.threshold [--model models/backpain.tar.gz] [--thresholds 0.8 0.9 ...]
       [--second-opinion diet|calibrated]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.incoming import clean_text, normalise
from bot.nlu.red_flag_matcher import matcher
from bot.nlu.red_flag_screen import as_parse_data, level_at
from clinic.red_flags import Level, decide
from tools.real_language import calibrated
from tools.real_language.evaluate import MODEL, Outcome, Report, corpus_sets, loaded, outcome, parse_all

THRESHOLDS = (0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99, 1.01)


def outcomes_at(texts: list[str], parsed: list[dict], thresholds: tuple[float, ...]) -> dict[float, list[Outcome]]:
    """Each message's outcome at each threshold (1.01: the classifier never asks on its own)."""
    found: dict[float, list[Outcome]] = {t: [] for t in thresholds}
    for text, parse in zip(texts, parsed, strict=True):
        scores = {Level(level): score for level, score in (parse.get("red_flag") or {}).get("model", {}).items()}
        findings = matcher().findings(text)
        child = matcher().children.about_child(matcher().readable(text))
        for threshold in thresholds:
            result = decide(findings, level_at(scores, threshold), child)
            found[threshold].append(
                outcome({"intent": {"name": result.intent}, "red_flag": as_parse_data(result, scores)})
            )
    return found


def lines(name: str, reports: dict[float, Report]) -> list[str]:
    out = [f"== {name}", "  threshold  emergency  urgent  benign asked (on the classifier alone)"]
    for threshold, report in reports.items():
        emergency, _, em_total = report.recall(Level.EMERGENCY)
        urgent, _, ur_total = report.recall(Level.URGENT)
        _alarms, asked, benign = report.benign()
        out.append(
            f"  {threshold:9.2f}  {emergency:4}/{em_total:<4}  {urgent:3}/{ur_total:<3}"
            f"  {asked:3}/{benign:<3} ({report.asked_by_model()})"
        )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--thresholds", type=float, nargs="+", default=THRESHOLDS)
    parser.add_argument("--second-opinion", choices=("diet", "calibrated"), default="diet")
    args = parser.parse_args()
    sets = corpus_sets()
    texts = [normalise(clean_text(e.text)) for _name, examples in sets for e in examples]  # as the door passes them
    if args.second_opinion == "calibrated":
        parsed = [
            {"red_flag": {"model": s}} for s in calibrated.scores(calibrated.trained(*calibrated.training_set()), texts)
        ]
    else:
        parsed = parse_all(texts, loaded(args.model))
    at = outcomes_at(texts, parsed, tuple(args.thresholds))
    start = 0
    for name, examples in sets:
        end = start + len(examples)
        reports = {t: Report(name, list(zip(examples, got[start:end], strict=True))) for t, got in at.items()}
        print("\n".join(lines(name, reports)))
        start = end
    return 0


if __name__ == "__main__":
    sys.exit(main())
