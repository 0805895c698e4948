"""Entity recognition on NewsMTSC dev: target coverage, pronoun resolution, and precision on a hand-checked sample.

Each sentence is annotated as a document of its own. A named target (one that is not a pronoun and has a
capitalised name in it) is covered when a reported mention overlaps the last word of its longest run of
capitalised words ("Speaker John A. Boehner of Ohio" -> "Boehner"). A pronoun target (he, she, his, her ...)
is resolved when the tool reports it as a mention of a person; it is resolved right when that person's
name contains the last word of the target's name in NewsMTSC's id ("..._Ben Carson_..." -> "Carson").
Precision: benchmarks/entities_sample.tsv holds reported mentions drawn at random, each with a verdict by
reading (ok: a real entity of the right type; type: a real entity, wrong type; no: not an entity).

Run: python benchmarks/eval_entities.py [../shared/data] [--sample N]  (--sample writes a new unjudged sample)
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import re
import sys
from pathlib import Path

from cleaner.annotation.entities import load_entities
from cleaner.annotation.sentiment_eval import target_name

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "benchmarks" / "entities_sample.tsv"
PRONOUNS = {"he", "him", "his", "himself", "she", "her", "hers", "herself"}
OTHER_PRONOUNS = {"they", "them", "their", "theirs", "themselves", "it", "its", "itself", "we", "us", "our", "i", "me"}
CAPITALISED = re.compile(r"[A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'.-]*))*")
LEADING = {"The", "A", "An", "His", "Her", "Their", "Its", "This", "That", "These", "Those", "Our", "Some", "Many"}


def rows(data: Path) -> list[tuple[str, dict]]:
    """(split/gid, row) of both dev splits."""
    out = []
    for split in ("rw", "mt"):
        with gzip.open(data / "newsmtsc" / split / "dev.jsonl.gz", "rt", encoding="utf-8") as lines:
            out.extend((f"{split}/{json.loads(line)['primary_gid']}", json.loads(line)) for line in lines)
    return out


def head(sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """[start, end) of the last word of the longest capitalised run in a target mention, or None if it has none."""
    runs = []
    for match in CAPITALISED.finditer(sentence, start, end):
        words = [(m.start() + match.start(), m.end() + match.start()) for m in re.finditer(r"\S+", match.group())]
        while words and sentence[words[0][0] : words[0][1]] in LEADING:
            words.pop(0)
        if words:
            runs.append(words)
    if not runs:
        return None
    best = max(runs, key=len)  # max keeps the first of equal length; the last is wanted
    best = [r for r in runs if len(r) == len(best)][-1]
    return best[-1]


def measure(data: Path) -> dict[str, object]:
    """Coverage, pronoun resolution, and the mentions reported, per sentence."""
    entities = load_entities()
    named = covered = pronouns = resolved = right = 0
    reported = []
    for key, row in rows(data):
        sentence = row["sentence_normalized"]
        mentions = entities.mentions(sentence)
        reported.extend((key, sentence, m) for m in mentions if m.kind != "pronoun")
        for target in row["targets"]:
            wanted_last = target_name(target["Input.gid"]).split()[-1:] or [""]
            for mention in [target, *target.get("further_mentions", [])]:
                low, high, words = mention["from"], mention["to"], mention["mention"].strip(' "“”')
                if words.lower() in PRONOUNS:
                    pronouns += 1
                    hit = [m for m in mentions if m.kind == "pronoun" and m.start <= low + 1 and m.end >= high - 1]
                    if hit:
                        resolved += 1
                        right += wanted_last[0] in hit[0].entity
                    continue
                if words.lower() in OTHER_PRONOUNS:
                    continue
                where = head(sentence, low, high)
                if where is None:
                    continue
                named += 1
                covered += any(m.kind != "pronoun" and m.start < where[1] and where[0] < m.end for m in mentions)
    return {
        "named": named, "covered": covered, "pronouns": pronouns, "resolved": resolved, "right": right,
        "reported": reported,
    }  # fmt: skip


def _row_key(row: dict[str, str]) -> tuple[str, ...]:
    return (row["id"], str(row["start"]), str(row["end"]), row["entity"], row["type"])


def _judged() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8") as lines:
        return list(csv.DictReader(lines, delimiter="\t"))


def write_sample(reported: list, size: int) -> None:
    """Draw `size` reported mentions at random (seed 14) into the sample file; a verdict is kept where the
    same mention is still reported with the same entity and type, and left blank to judge otherwise."""
    kept = {_row_key(row): row["verdict"] for row in _judged()} if SAMPLE.exists() else {}
    chosen = random.Random(14).sample(reported, size)
    with SAMPLE.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(["id", "start", "end", "mention", "entity", "type", "verdict", "sentence"])
        for key, sentence, m in sorted(chosen, key=lambda c: (c[0], c[2].start)):
            verdict = kept.get((key, str(m.start), str(m.end), m.entity, m.type), "")
            writer.writerow([key, m.start, m.end, sentence[m.start : m.end], m.entity, m.type, verdict, sentence])


def stale(reported: list) -> int:
    """Rows of the sample the tool no longer reports as judged (another span, entity or type): to judge again."""
    now = {(key, str(m.start), str(m.end), m.entity, m.type) for key, _, m in reported}
    return sum(_row_key(row) not in now for row in _judged())


def precision() -> tuple[int, int, int, int]:
    """(judged, ok, wrong type, not an entity) over the hand-checked sample."""
    verdicts = [row["verdict"] for row in _judged() if row["verdict"]]
    return len(verdicts), verdicts.count("ok"), verdicts.count("type"), verdicts.count("no")


def main() -> None:
    """Print the figures."""
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    data = Path(args[0]) if args else ROOT.parent / "shared" / "data"
    figures = measure(data)
    named, covered = figures["named"], figures["covered"]
    pronouns, resolved, right = figures["pronouns"], figures["resolved"], figures["right"]
    print(f"named target mentions covered: {covered}/{named} = {100 * covered / named:.1f}%")
    print(f"pronoun targets resolved to a person: {resolved}/{pronouns} = {100 * resolved / pronouns:.1f}%")
    print(f"  ... to the right person: {right}/{pronouns} = {100 * right / pronouns:.1f}%")
    print(f"reported mentions (not pronouns): {len(figures['reported'])}")
    if "--sample" in sys.argv:
        write_sample(figures["reported"], int(sys.argv[sys.argv.index("--sample") + 1]))
        print(f"wrote an unjudged sample to {SAMPLE}")
    elif SAMPLE.exists():
        judged, ok, wrong_type, wrong = precision()
        if judged:
            print(f"precision on the hand-checked sample: {ok}/{judged} = {100 * ok / judged:.1f}% "
                  f"(right entity, wrong type {wrong_type}; not an entity {wrong}); "
                  f"{stale(figures['reported'])} rows no longer reported as judged")  # fmt: skip


if __name__ == "__main__":
    main()
