"""What the per-document time budget costs: cleaning the benchmark corpus with and without it.

    python benchmarks/bench_guard.py            # 1,500 documents of about 10 KB, 5 rounds each way
    python benchmarks/bench_guard.py --docs 200 # quicker

The budget is a SIGALRM timer set and cleared around each document (cleaner.boilerplate.cleaning);
pattern calls themselves are unchanged. Both ways run in this process, pinned to one core, in
alternating rounds so machine noise falls on both; the best round of each is compared.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_clean import OUT, build_corpus  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    from cleaner import Document, clean, load_ruleset
    from cleaner.boilerplate.cleaning import DOC_SECONDS

    OUT.mkdir(exist_ok=True)
    corpus = OUT / f"guard-{args.docs}.jsonl"
    build_corpus(corpus, args.docs, seed=0)
    docs = [Document(text=json.loads(line)["text"], lang="en") for line in corpus.open(encoding="utf-8")]
    megabytes = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6
    ruleset = load_ruleset()
    best = {"without budget": float("inf"), "with budget": float("inf")}
    for _ in range(args.rounds):
        for label, seconds in (("without budget", None), ("with budget", DOC_SECONDS)):
            start = time.perf_counter()
            for doc in docs:
                clean(doc, ruleset=ruleset, seconds=seconds)
            best[label] = min(best[label], time.perf_counter() - start)
    for label, elapsed in best.items():
        print(f"{label:15} {elapsed:6.2f} s  {megabytes / elapsed:6.1f} MB/s  ({len(docs)} docs, {megabytes:.1f} MB)")
    overhead = best["with budget"] / best["without budget"] - 1
    print(f"budget overhead: {100 * overhead:+.1f}% of cleaning time (target: at most 10%)")


if __name__ == "__main__":
    main()
