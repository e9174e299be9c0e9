"""Step 2 (scratch venv): every text dump.py listed, embedded; and what embedding costs, for the bot's sake.

Imports nothing of the project's but files.py: the scratch venv has TensorFlow 2.12 and transformers, no Rasa,
no torch (README.md). The costs are those the bot would pay: importing TensorFlow, loading the model, memory,
and the time per message batched and one at a time, as the bot parses them.
Usage: <scratch venv>/bin/python -m tools.experiments.sentence_encoder.embed [--out build/encoder_experiment]
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

from tools.experiments.sentence_encoder import files

# A sample of this many messages is timed one at a time.
SINGLE = 300


def rss_mb() -> float:
    """The process's resident memory now, in MB (ru_maxrss gives only the peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    command = files.parser(__doc__)
    command.add_argument(
        "--model", type=Path, help="the model's folder (default: <out>/model, unzipped from the package)"
    )
    command.add_argument("--batch-size", type=int, default=64)
    args = command.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # read when TensorFlow is imported
    started = time.perf_counter()
    # Imported here, not at the top, to time them: what the bot would pay at start-up.
    import numpy as np
    import tensorflow as tf

    imported, rss_tf = time.perf_counter(), rss_mb()
    from tools.experiments.sentence_encoder.encoder import Encoder, unpacked

    encoder = Encoder(unpacked(args.model or args.out / files.MODEL))
    loaded, rss_loaded = time.perf_counter(), rss_mb()
    texts = json.loads((args.out / files.TEXTS).read_text(encoding="utf-8"))
    encoder.encode(texts[:4])  # the first call traces the model: not a cost per message
    warm = time.perf_counter()
    vectors = encoder.encode(texts, batch_size=args.batch_size)
    batched = time.perf_counter() - warm
    np.save(args.out / files.VECTORS, vectors)
    single = []
    for text in texts[:: max(1, len(texts) // SINGLE)][:SINGLE]:
        start = time.perf_counter()
        encoder.encode([text])
        single.append(time.perf_counter() - start)
    lengths = encoder.lengths(texts)
    costs = {
        "import_tf_s": round(imported - started, 2),
        "load_model_s (transformers import + tokenizer + weights)": round(loaded - imported, 2),
        "rss_after_tf_import_mb": round(rss_tf),
        "rss_after_model_load_mb": round(rss_loaded),
        "rss_now_mb": round(rss_mb()),
        "maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "batched_ms_per_msg": round(1000 * batched / len(texts), 2),
        "n_texts": len(texts),
        "single_ms_median": round(1000 * float(np.median(single)), 1),
        "single_ms_p95": round(1000 * float(np.percentile(single, 95)), 1),
        "single_ms_max": round(1000 * max(single), 1),
        "tokens_median": int(np.median(lengths)),
        "tokens_max": max(lengths),
        f"truncated_over_{encoder.max_length}": sum(n > encoder.max_length for n in lengths),
        "threads": [tf.config.threading.get_intra_op_parallelism_threads(), os.cpu_count()],
    }
    (args.out / files.COSTS).write_text(json.dumps(costs, indent=1), encoding="utf-8")
    print(json.dumps(costs, indent=1))
    print(f"{len(texts)} vectors -> {args.out / files.VECTORS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
