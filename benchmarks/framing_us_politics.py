"""Framing markers on real US news: axes written from docs/framing.md alone, checked by hand.

Runs benchmarks/us_politics/framing/us-politics.yaml over the NewsMTSC sentences in ../shared/data and
compares the markers with benchmarks/us_politics/checked.yaml, the hand-checked markers of two samples:
every sentence the axes mark (precision), and 250 sentences drawn at random (seed 13) from those naming
the subjects in any wording (recall). Prints precision, recall and every disagreement.

    python benchmarks/framing_us_politics.py            # figures
    python benchmarks/framing_us_politics.py --draft    # print a draft of checked.yaml to review by hand
"""

from __future__ import annotations

import gzip
import json
import random
import re
import sys
from pathlib import Path

import yaml

from cleaner.annotation.annotate import annotate, load_annotator

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "shared" / "data" / "newsmtsc"
# Head words of the subjects, in any wording: what a sentence must name to be in the recall pool.
SUBJECT = re.compile(
    r"immigra|alien|migra|asylum|refugee|dreamer|deport|border|obamacare|affordable care|health[- ]?care"
    r"|insurance|investigat|probe|inquiry|mueller|special counsel|witch|hoax",
    re.IGNORECASE,
)


def sentences() -> list[str]:
    """Every distinct NewsMTSC sentence (train and dev, both sets), sorted."""
    seen = set()
    for path in sorted(DATA.glob("*/*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            seen.update(json.loads(line)["sentence_normalized"] for line in lines)
    return sorted(seen)


def main() -> None:
    """Print the figures (or a draft of the hand-checked file)."""
    if not DATA.is_dir():
        sys.exit(f"needs the NewsMTSC sentences at {DATA}")
    annotator = load_annotator([HERE / "us_politics"], shipped=False)
    texts = sentences()
    pool = [t for t in texts if SUBJECT.search(t)]
    recall_sample = sorted(random.Random(13).sample(pool, 250))
    found = {}
    for text in texts:
        doc = annotate(text, annotator=annotator)
        found[text] = sorted([m.variant, m.text, m.voice] for m in doc.markers)
    marked = [t for t in texts if found[t]]
    if "--draft" in sys.argv:
        draft = [{"text": t, "markers": found[t]} for t in sorted(set(marked) | set(recall_sample))]
        print(yaml.safe_dump(draft, allow_unicode=True, width=200, sort_keys=False))
        return
    rows = yaml.safe_load((HERE / "us_politics" / "checked.yaml").read_text(encoding="utf-8"))
    checked = {row["text"]: sorted(row["markers"]) for row in rows}
    missing = [t for t in set(marked) | set(recall_sample) if t not in checked]
    if missing:
        sys.exit(f"{len(missing)} sentences not yet checked by hand (run with --draft)")

    def score(sample: list[str]) -> tuple[int, int, int]:
        tp = fp = fn = 0
        for text in sample:
            got, want = [tuple(m) for m in found[text]], [tuple(m) for m in checked[text]]
            hits = sum(min(got.count(m), want.count(m)) for m in set(got))
            tp, fp, fn = tp + hits, fp + len(got) - hits, fn + len(want) - hits
            for m in set(got) - set(want):
                print(f"  wrong   {m}: {text[:150]}")
            for m in set(want) - set(got):
                print(f"  missed  {m}: {text[:150]}")
        return tp, fp, fn

    print(f"{len(texts)} sentences; {len(pool)} name the subjects; {len(marked)} marked")
    tp, fp, _ = score(marked)
    print(f"precision (every marked sentence): {tp}/{tp + fp} = {tp / (tp + fp):.1%}")
    tp, _, fn = score(recall_sample)
    print(f"recall (250 sampled from the pool): {tp}/{tp + fn} = {tp / (tp + fn):.1%}")
    voices = sum(1 for t in marked for m in found[t] if m[2] == "quoted")
    print(f"quoted markers: {voices} of {sum(len(found[t]) for t in marked)}")


if __name__ == "__main__":
    main()
