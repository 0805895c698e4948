"""Speed of entity sentiment on one core: mentions/s of target_sentiment, and annotate MB/s, model against lexicon.

    python benchmarks/bench_sentiment.py [--data ../shared/data/newsmtsc] [--seconds 3]

Mentions are NewsMTSC's dev targets (rw and mt), each scored with target_sentiment(text, start, end,
others=...) as a library user would call it. annotate runs over the seeds (seeds/*.txt) end to end:
sentences, quotes, framing markers, entity mentions and their sentiment.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

# The installed cleaner (not the checkout's source): a wheel runs its annotation modules compiled.
from cleaner.annotation import build
from cleaner.annotation.annotate import annotate, load_annotator
from cleaner.annotation.sentences import _sentences
from cleaner.annotation.sentiment import _valence_words, target_sentiment
from cleaner.annotation.sentiment_eval import read_newsmtsc
from cleaner.annotation.sentiment_model import sentence_view

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    """Print mentions/s and annotate MB/s for the model and the lexicon method."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "newsmtsc"))
    parser.add_argument("--seconds", type=float, default=3.0, help="Time to spend on each figure, about.")
    args = parser.parse_args()
    data = Path(args.data)
    print(f"{build()}, Python {sys.version.split()[0]}")
    if data.is_dir():
        mentions = [m for split in ("rw", "mt") for m in read_newsmtsc(data / split / "dev.jsonl.gz")]
        for method in ("model", "lexicon"):
            target_sentiment(mentions[0].sentence, mentions[0].start, mentions[0].end, method=method)  # load once
            count, started = 0, time.process_time()
            while time.process_time() - started < args.seconds:
                _forget()  # no sentence cached from the previous pass: each pass pays for all its sentences
                for m in mentions:
                    target_sentiment(m.sentence, m.start, m.end, others=m.others, method=method)
                count += len(mentions)
            rate = count / (time.process_time() - started)
            print(f"target_sentiment ({method:<7}): {rate:8.0f} mentions/s  ({len(mentions)} NewsMTSC dev targets)")
    else:
        print(f"no {data}: mentions/s skipped")
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    size = sum(len(t.encode("utf-8")) for t in texts)
    for method in ("model", "lexicon"):
        annotator = load_annotator(sentiment=method)
        mentions = sum(r.mentions for t in texts for r in annotate(t, annotator=annotator).entities or ())
        done, started = 0, time.process_time()
        while time.process_time() - started < args.seconds:
            _forget()
            for text in texts:
                annotate(text, annotator=annotator)
            done += size
        seconds = time.process_time() - started
        print(
            f"annotate ({method:<7}): {done / seconds / 1e6:6.2f} MB/s over the seeds "
            f"({size / 1e3:.0f} kB, {mentions / size * 1e6:.0f} mentions per MB)"
        )


def _forget() -> None:
    _sentences.cache_clear()
    _valence_words.cache_clear()
    sentence_view.cache_clear()


if __name__ == "__main__":
    main()
