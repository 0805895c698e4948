"""Language identification: right on every test text, on mixed pages, deterministic, and quiet on noise."""

from __future__ import annotations

import json

import pytest

from cleaner import load_ruleset
from cleaner.boilerplate.language import detect_language
from cleaner.rulefiles.checks import example_cases
from helpers import DATA, SEEDS

SAMPLES = [json.loads(line) for line in (DATA / "languages.jsonl").read_text(encoding="utf-8").splitlines()]
# Single-line boilerplate: stamps, captions, credits, prompts (not whole multi-paragraph appeals).
BOILERPLATE = [c.text for c in example_cases(load_ruleset()) if c.kind == "remove" and "\n" not in c.text]


@pytest.mark.parametrize("sample", SAMPLES, ids=[s["lang"] for s in SAMPLES])
def test_each_language(sample):
    assert detect_language(sample["text"]) == sample["lang"]


@pytest.mark.parametrize("sample", SAMPLES, ids=[s["lang"] for s in SAMPLES])
def test_english_boilerplate_on_top_of_a_foreign_body(sample):
    # A scraped page often starts with English stamps, captions and prompts: the body decides.
    text = "\n".join(BOILERPLATE[:4] + [sample["text"]] * 3)
    assert detect_language(text) == sample["lang"]


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_seeds_are_english(path):
    assert detect_language(path.read_text(encoding="utf-8")) == "en"


def test_deterministic():
    text = SAMPLES[0]["text"][:60]
    assert len({detect_language(text) for _ in range(5)}) == 1


@pytest.mark.parametrize("text", ["", "   ", "12345 67 -- 2025-08-26", "!!! ???"])
def test_no_letters_no_answer(text):
    assert detect_language(text) is None
