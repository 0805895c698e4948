"""The language test set: real page excerpts, written samples, the rules' keep examples, mixed texts.

Read by tests/test_language.py (the accuracy floor) and benchmarks/bench_language.py (the table).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
TEST_SET = DATA / "language_set.jsonl"  # excerpts of ../shared/data/pages: tests/data/language_set.md
SAMPLES = DATA / "languages.jsonl"  # news-style samples written for cleaner: it, nl, pl, ru, uk and more
SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+|(?<=[。！？])")


def labelled_texts() -> list[dict]:
    """Every labelled text: page excerpts, written samples (and their sentences), keep examples, mixed texts."""
    from cleaner import load_ruleset
    from cleaner.rulefiles.checks import example_cases

    rows = [json.loads(line) for line in TEST_SET.read_text(encoding="utf-8").splitlines()]
    for line in SAMPLES.read_text(encoding="utf-8").splitlines():
        row = {**json.loads(line), "kind": "written sample", "source": "tests/data/languages.jsonl"}
        rows.append(row)
        rows += [{**row, "kind": "sentence", "text": s} for s in SENTENCE_END.split(row["text"]) if s.strip()]
    # A keep example's language is its rule's, where the rule is scoped to one language: generic rules'
    # examples come in several languages (rules/boilerplate/ covers seven) and carry no label of their own.
    keep = [
        (next(iter(c.rule.languages)), c.text)
        for c in example_cases(load_ruleset())
        if c.kind == "keep" and len(c.text) >= 20 and len(c.rule.languages) == 1
    ]
    rows += [{"lang": lang, "kind": "rule example", "text": t, "source": "rules/boilerplate"} for lang, t in keep]
    return rows + mixed_texts(rows)


def mixed_texts(rows: list[dict]) -> list[dict]:
    """English articles quoting a sentence in another language (truth: English), and foreign bodies
    under English stamps and captions (truth: the body's language)."""
    from cleaner import load_ruleset
    from cleaner.rulefiles.checks import example_cases

    english = [r["text"] for r in rows if r["lang"] == "en" and r["kind"] == "paragraph"]
    quotes = {lang: [r["text"] for r in rows if r["lang"] == lang and r["kind"] == "sentence"] for lang in ("de", "fr")}
    mixed = []
    for i, lang in enumerate(["de", "de", "de", "fr"]):
        body = english[3 * i : 3 * i + 3]
        quote = quotes[lang][i % len(quotes[lang])]
        article = "\n".join([body[0], f"“{quote}”, the minister said.", *body[1:]])
        mixed.append({"lang": "en", "kind": f"mixed: English quoting {lang}", "text": article, "source": "built"})
    stamps = [c.text for c in example_cases(load_ruleset()) if c.kind == "remove" and "\n" not in c.text][:4]
    bodies: dict[tuple[str, str], list[str]] = defaultdict(list)  # (language, page) -> its paragraphs
    for row in rows:
        if row["lang"] != "en" and row["kind"] in ("paragraph", "written sample"):
            bodies[row["lang"], row["source"]].append(row["text"])
    for (lang, source), paragraphs in bodies.items():
        body = paragraphs if len(paragraphs) > 1 else paragraphs * 3  # a written sample is one paragraph
        text = "\n".join(stamps + body)
        mixed.append({"lang": lang, "kind": "mixed: English stamps, foreign body", "text": text, "source": source})
    return mixed


def same(answer: str | None, truth: str) -> bool:
    """Whether an answer names the true language (zh-cn, zh-tw and zh-Hant are all zh)."""
    return answer is not None and answer.lower().split("-")[0] == truth
