"""Step 4 (project venv), a diagnostic never used to choose: the chosen variants' emergency threshold swept.

For each variant chosen on the selection sets (variants.CHOSEN), the emergency threshold from 0.05 to 0.95 with
urgent at today's: emergencies caught and benign messages asked about, summed over the selection sets and over
the later hold-outs. It shows whether a variant's trade-off is better at any threshold, not only at its own.
Counts only. Writes curve.txt in --out.
Usage: .venv/bin/python -m tools.experiments.sentence_encoder.curve [--out build/encoder_experiment]
"""

from __future__ import annotations

import sys

from clinic.red_flags import Level
from tools.experiments.sentence_encoder import data, files
from tools.experiments.sentence_encoder.measure import GRID, Thresholds, evaluate, total, vectors
from tools.experiments.sentence_encoder.variants import CHOSEN, compared
from tools.real_language.threshold import configured, sweeps

STEPS = tuple(t for t in GRID if round(t * 100) % 5 == 0)


def main() -> int:
    out = files.parser(__doc__).parse_args().out
    training = data.training()
    sets = data.corpus(later=True)
    today = configured()
    tried: list[Thresholds] = [setting for level, _t, setting in sweeps(today, STEPS) if level is Level.EMERGENCY]
    lines = []
    for name, fit in compared(vectors(out), *training).items():
        if name not in CHOSEN:
            continue
        lines.append(f"### {name}")
        for setting, by_set in zip(tried, evaluate(fit, training, sets, tried), strict=True):
            chosen, later = total(by_set, data.SELECTION), total(by_set, data.LATER)
            mark = " (configured)" if setting == today else ""
            lines.append(
                f"  em>={setting[Level.EMERGENCY]:.2f}  SEL em {chosen['em']}/{chosen['em_n']} asked {chosen['asked']}"
                f"  |  FINAL em {later['em']}/{later['em_n']} ur {later['ur']}/{later['ur_n']}"
                f" asked {later['asked']}/{later['benign']} (clf {later['by_clf']}){mark}"
            )
        print("\n".join(lines[-len(tried) - 1 :]), flush=True)
    (out / "curve.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
