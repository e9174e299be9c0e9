"""`make threshold`: what the red-flag classifier's second opinion buys at each threshold, set by set.

The red-flag screen asks the confirming question on the red-flag classifier's suspicion alone
(bot/nlu/red_flag_classifier.py) when its probability of a red flag at a level reaches that level's
`model_threshold` (config.yml, RedFlagScreen) and the screen's words found nothing. This re-makes that
decision for every message of `make eval`'s sets, from the classifier's scores the screen records (parse
data `red_flag.model`) and the screen's own findings: each level's threshold in turn, the other level's kept
at its configured value. It prints the red flags caught and the benign messages asked about. Choose each
threshold on the sets already used, for the recall needed; read the newest hold-out only to check the choice.
Usage: python -m tools.real_language.threshold [--model models/backpain.tar.gz] [--thresholds 0.3 0.4 ...]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path

import yaml

from bot.incoming import clean_text, normalise
from bot.nlu.red_flag_matcher import matcher
from bot.nlu.red_flag_screen import RedFlagScreen, as_parse_data, level_at, thresholds_of
from bot.stack import ROOT
from clinic.red_flags import Level, decide
from tools.real_language.evaluate import MODEL, Outcome, Report, corpus_sets, loaded, outcome, parse_all

THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8, 1.01)


def configured(config: Path = ROOT / "config.yml") -> dict[Level, float]:
    """The screen's thresholds in the NLU pipeline's config."""
    pipeline = yaml.safe_load(config.read_text(encoding="utf-8"))["pipeline"]
    (screen,) = [c for c in pipeline if c["name"].endswith(RedFlagScreen.__name__)]
    return thresholds_of({**RedFlagScreen.get_default_config(), **screen})


def outcomes_at(texts: list[str], parsed: list[dict], settings: list[Mapping[Level, float]]) -> list[list[Outcome]]:
    """Each message's outcome under each setting of the thresholds (1.01: the classifier never asks on its own)."""
    found: list[list[Outcome]] = [[] for _ in settings]
    for text, parse in zip(texts, parsed, strict=True):
        scores = {Level(level): score for level, score in (parse.get("red_flag") or {}).get("model", {}).items()}
        findings = matcher().findings(text)
        child = matcher().children.about_child(matcher().readable(text))
        for thresholds, outcomes in zip(settings, found, strict=True):
            result = decide(findings, level_at(scores, thresholds), child)
            outcomes.append(outcome({"intent": {"name": result.intent}, "red_flag": as_parse_data(result, scores)}))
    return found


def sweeps(base: Mapping[Level, float], thresholds: tuple[float, ...]) -> list[tuple[Level, float, dict[Level, float]]]:
    """Each level's threshold at each value, the other level's at its configured value."""
    return [(level, t, {**base, level: t}) for level in (Level.EMERGENCY, Level.URGENT) for t in thresholds]


def lines(name: str, base: Mapping[Level, float], rows: list[tuple[Level, float, Report]]) -> list[str]:
    out = [f"== {name}"]
    for swept, other in ((Level.EMERGENCY, Level.URGENT), (Level.URGENT, Level.EMERGENCY)):
        out.append(f"  {swept.value} threshold ({other.value} at {base[other]:.2f})  emergency  urgent  benign asked")
        for level, value, report in (row for row in rows if row[0] is swept):
            emergency, _, em_total = report.recall(Level.EMERGENCY)
            urgent, _, ur_total = report.recall(Level.URGENT)
            _alarms, asked, benign = report.benign()
            mark = " (configured)" if base[level] == value else ""
            out.append(
                f"  {value:9.2f}  {emergency:4}/{em_total:<4}  {urgent:3}/{ur_total:<3}"
                f"  {asked:3}/{benign:<3} ({report.asked_by_model()} on the classifier alone){mark}"
            )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--thresholds", type=float, nargs="+", default=THRESHOLDS)
    args = parser.parse_args()
    base = configured()
    settings = sweeps(base, tuple(args.thresholds))
    sets = corpus_sets()
    texts = [normalise(clean_text(e.text)) for _name, examples in sets for e in examples]  # as the door passes them
    at = outcomes_at(texts, parse_all(texts, loaded(args.model)), [s for _level, _value, s in settings])
    start = 0
    for name, examples in sets:
        end = start + len(examples)
        rows = [
            (level, value, Report(name, list(zip(examples, got[start:end], strict=True))))
            for (level, value, _s), got in zip(settings, at, strict=True)
        ]
        print("\n".join(lines(name, base, rows)))
        start = end
    return 0


if __name__ == "__main__":
    sys.exit(main())
