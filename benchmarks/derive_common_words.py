"""Derive rules/common_words.txt: words news writes in lower case more often than capitalised mid-sentence.

Recognition drops a capital that only opens a sentence ("Things could get ugly", "Already, ...") when its
word is common in lower case; a surname ("Kasich, meanwhile, ...") is not in the list and is kept.
Source: NewsMTSC train split (Hamborg and Donnay, EACL 2021; real US news sentences), never the dev split
the evaluation reads. Run: python benchmarks/derive_common_words.py [../shared/data]
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIN_LOWER = 2  # seen at least twice in lower case: once may be a typo


def main() -> None:
    """Count lower-case and mid-sentence capitalised uses of each word and write the list."""
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    lower: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    with gzip.open(data / "newsmtsc" / "rw" / "train.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            sentence = json.loads(line)["sentence_normalized"]
            for match in re.finditer(r"[A-Za-z]+", sentence):
                word = match.group()
                before = sentence[: match.start()].rstrip(" “\"‘('")
                if word[0].islower():
                    lower[word] += 1
                elif before and before[-1] not in ".!?:" and not word.isupper():
                    capitalised[word.lower()] += 1
    words = sorted(w for w, n in lower.items() if n >= MIN_LOWER and n > capitalised[w])
    header = (
        "# Words news writes in lower case more often than capitalised mid-sentence: a capital on one of them\n"
        "# only opens a sentence. Derived from the NewsMTSC train split (Hamborg and Donnay, EACL 2021) by\n"
        f"# benchmarks/derive_common_words.py; {len(words)} words. Regenerate, do not edit by hand.\n"
    )
    (ROOT / "rules" / "common_words.txt").write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words written to rules/common_words.txt")


if __name__ == "__main__":
    main()
