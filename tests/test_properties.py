"""Invariants of stage 1, checked by hypothesis over arbitrary text and over realistic documents."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Document, clean, load_ruleset, restore
from cleaner.rulefiles.checks import example_cases
from helpers import SEEDS

RULESET = load_ruleset()
RULE_IDS = {rule.id for rule in RULESET.rules}

SEED_LINES = sorted(
    {line for path in SEEDS.glob("*.txt") for line in path.read_text(encoding="utf-8").split("\n") if line.strip()}
)
EXAMPLE_LINES = sorted(
    {line for case in example_cases(RULESET) for line in [*case.text.split("\n"), case.text] if line.strip()}
)
# Realistic documents: seed paragraphs with boilerplate and near-boilerplate lines mixed in.
lines = st.one_of(st.sampled_from(SEED_LINES), st.sampled_from(EXAMPLE_LINES), st.text(max_size=80))
separators = st.sampled_from(["\n", "\n\n", "\n \n", "\r\n"])
documents = st.builds(
    lambda parts, sep, lead, tail: lead + sep.join(parts) + tail,
    st.lists(lines, max_size=14),
    separators,
    st.sampled_from(["", " ", "\n", " date 2025-08-26 "]),
    st.sampled_from(["", "\n", "\n\n"]),
)
any_text = st.one_of(documents, st.text(), st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
outlets = st.sampled_from([None, "The Moscow Times", "seed-000"])
langs = st.sampled_from([None, "en", "de"])

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(any_text, outlets, langs)
def test_original_is_rebuilt_exactly(text, outlet, lang):
    doc = clean(Document(text=text, outlet=outlet, lang=lang), ruleset=RULESET)
    assert doc.original == text
    assert restore(doc.text, list(doc.removed)) == text


@SETTINGS
@given(any_text, outlets, langs)
def test_removals_are_sorted_disjoint_in_bounds_and_name_loaded_rules(text, outlet, lang):
    doc = clean(Document(text=text, outlet=outlet, lang=lang), ruleset=RULESET)
    previous_end = 0
    for removal in doc.removed:
        assert previous_end <= removal.start < removal.end <= len(text)
        assert text[removal.start : removal.end] == removal.text
        assert removal.rule in RULE_IDS
        assert removal.category == RULESET.get(removal.rule).category
        previous_end = removal.end


@SETTINGS
@given(any_text, outlets, langs)
def test_cleaning_is_idempotent(text, outlet, lang):
    once = clean(Document(text=text, outlet=outlet, lang=lang), ruleset=RULESET)
    # Cleaning the cleaned text as a fresh document removes nothing more ...
    again = clean(Document(text=once.text, outlet=outlet, lang=lang, date=once.date), ruleset=RULESET)
    assert again.removed == ()
    assert again.text == once.text
    # ... and cleaning the cleaned document returns it unchanged.
    assert clean(once, ruleset=RULESET) == once


@SETTINGS
@given(any_text, outlets)
def test_cleaning_is_deterministic(text, outlet):
    first = clean(Document(text=text, outlet=outlet, lang="en"), ruleset=RULESET)
    second = clean(Document(text=text, outlet=outlet, lang="en"), ruleset=load_ruleset())
    assert json.dumps(first.to_record()) == json.dumps(second.to_record())


@SETTINGS
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=2000))
def test_no_text_makes_clean_raise(text):
    doc = clean(text, ruleset=RULESET)
    assert isinstance(doc.text, str)
    assert len(doc.text) <= len(text)


@SETTINGS
@given(st.lists(st.sampled_from(SEED_LINES), min_size=1, max_size=12), separators)
def test_article_lines_only_lose_what_a_rule_claims(parts, sep):
    # Whole seed paragraphs either survive untouched or were removed whole by a named rule.
    text = sep.join(parts)
    doc = clean(Document(text=text, lang="en"), ruleset=RULESET)
    removed = "".join(r.text for r in doc.removed)
    for part in parts:
        assert part.strip() in doc.text or part.strip() in removed
