"""Derive rules/given_names.txt: given names and the gender pronouns give them, for resolving he and she.

Source: the NewsMTSC train split (Hamborg and Donnay, EACL 2021), whose targets name a person ("Ben Carson")
and mark the pronouns that refer to them ("his", "he"): gold coreference by human annotators. A given name is
the first word of a two- or three-word name (titles and adjectives of party or nation left out) that is not a
common word, a place, an organisation or a listed alias; it is kept when at least two targets give it a
gender and nine in ten of them agree. Never the dev split the evaluation reads.
Run: python benchmarks/derive_given_names.py [../shared/data]
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from cleaner.annotation.entities import load_entities
from cleaner.annotation.sentiment_eval import target_name

ROOT = Path(__file__).resolve().parent.parent
PRONOUNS = {"he": "male", "him": "male", "his": "male", "himself": "male"}
PRONOUNS |= {"she": "female", "her": "female", "hers": "female", "herself": "female"}
MIN_TARGETS = 2
AGREEMENT = 0.9


def main() -> None:
    """Count the genders pronouns give each given name and write the list."""
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    entities = load_entities()
    recogniser = entities.recogniser
    assert recogniser is not None
    listed = {form for e in entities.entities for form in (*e.aliases, *e.roles, *e.metonyms)}
    starts = {name.split()[0] for name in (*recogniser.places, *recogniser.organisations)}
    votes: defaultdict[str, Counter[str]] = defaultdict(Counter)
    seen: set[str] = set()
    with gzip.open(data / "newsmtsc" / "rw" / "train.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            for target in json.loads(line)["targets"]:
                if target["Input.gid"] in seen:
                    continue
                seen.add(target["Input.gid"])
                name = target_name(target["Input.gid"])
                words = name.split()
                while words and (recogniser._title_at(words, 0)[0] or words[0] in recogniser.adjectives):
                    words = words[recogniser._title_at(words, 0)[0] or 1 :]
                if not 2 <= len(words) <= 3 or not all(re.fullmatch(r"[A-Z][a-z]+|[A-Z]\.", w) for w in words):
                    continue
                first = words[0]
                if any(recogniser._title_at(words, i)[0] for i in range(len(words))) or first.lower() in (
                    recogniser.common
                ):
                    continue
                if first in listed or first in starts or words[-1] in recogniser.organisation_words:
                    continue
                mentions = [target, *target.get("further_mentions", [])]
                for gender in {PRONOUNS[m["mention"].lower()] for m in mentions if m["mention"].lower() in PRONOUNS}:
                    votes[first][gender] += 1
    names = {
        name: counts.most_common(1)[0][0]
        for name, counts in votes.items()
        if sum(counts.values()) >= MIN_TARGETS and counts.most_common(1)[0][1] >= AGREEMENT * sum(counts.values())
    }
    header = (
        "# Given names and the gender pronouns give them, for resolving he and she. Derived from the NewsMTSC\n"
        "# train split's coreference (Hamborg and Donnay, EACL 2021) by benchmarks/derive_given_names.py;\n"
        f"# {len(names)} names. Regenerate, do not edit by hand.\n"
    )
    body = "".join(f"{name}\t{gender}\n" for name, gender in sorted(names.items()))
    (ROOT / "rules" / "given_names.txt").write_text(header + body, encoding="utf-8")
    print(f"{len(names)} names written to rules/given_names.txt")


if __name__ == "__main__":
    main()
