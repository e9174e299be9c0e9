"""Step 1 (project venv): every text the experiment embeds, for the scratch venv, which has no Rasa to read them.

The training texts and every message of the sets used (data.py), as the classifier sees them, once each and
sorted: embed.py writes their vectors in this order. Prints counts only: the file holds hold-out messages.
Usage: .venv/bin/python -m tools.experiments.sentence_encoder.dump [--out build/encoder_experiment]
"""

from __future__ import annotations

import json
import sys
from collections import Counter

from tools.experiments.sentence_encoder import data, files
from tools.real_language.corpus import HOLDOUTS


def main() -> int:
    out = files.parser(__doc__).parse_args().out
    texts, labels = data.training()
    print(f"training: {len(texts)} examples, by class {dict(sorted(Counter(labels).items()))}")
    sets = data.corpus(later=True)
    for name, examples in sets:
        print(f"{name}: {len(examples)} messages, by level {dict(Counter(e.level.value for e in examples))}")
    used = {f"{name}.yml" for name, _examples in sets}
    print(f"hold-outs not used: {[h.removesuffix('.yml') for h in HOLDOUTS if h not in used]}")
    unique = sorted({*texts, *(text for _name, examples in sets for text in data.as_passed(examples))})
    out.mkdir(parents=True, exist_ok=True)
    (out / files.TEXTS).write_text(json.dumps(unique), encoding="utf-8")
    print(f"{len(unique)} texts to embed -> {out / files.TEXTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
