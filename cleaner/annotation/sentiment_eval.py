"""Measuring target sentiment against NewsMTSC (sentences with labelled targets): read a split, macro-F1.

Used by benchmarks/train_sentiment.py and by the evaluation gate in tests; nothing here runs in annotate.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cleaner.annotation.sentiment_model import LABELS

POLARITY = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}


@dataclass(frozen=True)
class LabelledMention:
    """One labelled target: its id, its sentence, offsets, the other targets of the sentence, and the label."""

    target_id: str  # NewsMTSC's Input.gid: article, sentence number, target name, offsets
    sentence: str
    start: int
    end: int
    others: tuple[tuple[int, int], ...]
    label: str


def target_name(target_id: str) -> str:
    """The name a NewsMTSC target id gives its target, without a note in brackets:
    "allsides_1000_401_25_Reality Leigh Winner_0_6" -> "Reality Leigh Winner"."""
    name = target_id.rsplit("_", 2)[0].rsplit("_", 1)[1]
    return re.sub(r"\s*\(.*\)$", "", name)


def read_newsmtsc(path: str | Path) -> list[LabelledMention]:
    """Every labelled target of a NewsMTSC split (jsonl or jsonl.gz), in file order."""
    opener = gzip.open if str(path).endswith(".gz") else open
    found = []
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            sentence = row["sentence_normalized"]
            spans = [(t["from"], t["to"]) for t in row["targets"]]
            for target, span in zip(row["targets"], spans, strict=True):
                others = tuple(s for s in spans if s != span)
                found.append(
                    LabelledMention(target["Input.gid"], sentence, *span, others, POLARITY[float(target["polarity"])])
                )
    return found


def label_of(score: float, threshold: float = 0.05) -> str:
    """The class of a score in [-1, 1]: neutral within +-threshold (VADER's own convention)."""
    return "positive" if score > threshold else "negative" if score < -threshold else "neutral"


def macro_f1(gold: Sequence[str], predicted: Iterable[str]) -> float:
    """Macro-F1 (percent) over negative, neutral and positive, the metric NewsMTSC reports."""
    predicted = list(predicted)
    scores = []
    for label in LABELS:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == label)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if p == label and g != label)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p != label)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return 100 * sum(scores) / len(scores)
