"""Every rule proves itself: each example of each shipped rule, with the rule's full id as test id."""

from __future__ import annotations

import pytest

from cleaner import load_annotator, load_ruleset
from cleaner.rulefiles.checks import (
    check_entity_examples,
    check_word_examples,
    entity_example_cases,
    example_cases,
    run_entity_example,
    run_example,
    run_word_example,
    word_example_cases,
)

SHIPPED = load_ruleset()
CASES = example_cases(SHIPPED)


@pytest.mark.parametrize("case", CASES, ids=[c.case_id for c in CASES])
def test_rule_examples(case):
    assert run_example(case) is None


KEEPS = [c for c in CASES if c.kind == "keep"]


@pytest.mark.parametrize("case", KEEPS, ids=[c.case_id for c in KEEPS])
def test_keep_examples_survive_every_shipped_rule(case):
    # A text one rule promises to keep must not be eaten by any other rule either.
    assert run_example(case, SHIPPED) is None


def test_every_rule_has_remove_and_keep_examples():
    for rule in SHIPPED.rules:
        assert rule.examples.keep, rule.id
        assert rule.examples.remove or rule.examples.clean, rule.id


def test_generic_categories_are_all_covered():
    # The list of generic boilerplate families: each has at least one rule for any outlet.
    generic = {r.category for r in SHIPPED.rules if not r.outlets}
    assert {
        "donation-appeal", "photo-caption", "photo-credit", "credit-line", "date-stamp", "newsletter-prompt",
        "share-prompt", "read-more-teaser", "cookie-notice", "advertisement", "copyright",
    } <= generic  # fmt: skip


ANNOTATOR = load_annotator()
ENTITY_CASES = entity_example_cases(ANNOTATOR)


@pytest.mark.parametrize("case", ENTITY_CASES, ids=[c.case_id for c in ENTITY_CASES])
def test_entity_examples(case):
    assert run_entity_example(case, ANNOTATOR) is None


def test_every_shipped_entity_has_mention_and_no_mention_examples():
    for entity in ANNOTATOR.entities.entities:
        assert entity.mention_examples and entity.no_mention_examples, entity.name


def test_a_failing_entity_example_is_reported_at_its_entity(tmp_path):
    (tmp_path / "entities.yaml").write_text(
        "entities:\n"
        "  - name: Jane Roe\n"
        "    type: person\n"
        "    aliases: [Jane Roe, Roe]\n"
        '    examples: {mention: ["Ms. Doe spoke."], no_mention: ["Roe said no."]}\n',
        encoding="utf-8",
    )
    annotator = load_annotator([tmp_path], shipped=False)
    problems = check_entity_examples(annotator)
    assert [(p.line, p.rule) for p in problems] == [(2, "Jane Roe"), (2, "Jane Roe")]
    assert "mention example 0 has no mention of it" in problems[0].message
    assert "no_mention example 0 is read as a mention ('Roe')" in problems[1].message


WORD_CASES = word_example_cases(ANNOTATOR)


@pytest.mark.parametrize("case", WORD_CASES, ids=[f"{c.word}-{i}" for i, c in enumerate(WORD_CASES)])
def test_sentiment_word_examples(case):
    assert run_word_example(case, ANNOTATOR) is None


def test_every_shipped_sentiment_word_has_an_example():
    with_examples = {c.word for c in WORD_CASES}
    assert len(with_examples) == len(WORD_CASES) >= 58


def test_a_failing_sentiment_word_example_is_reported_at_its_line(tmp_path):
    (tmp_path / "sentiment.yaml").write_text(
        "words:\n"
        "  - word: praised\n"
        "    direction: object\n"
        "    reason: test\n"
        "    examples:\n"
        "      - {text: Trump praised Putin., target: Putin, sign: negative}\n",
        encoding="utf-8",
    )
    (problem,) = check_word_examples(load_annotator([tmp_path], shipped=False), only=lambda path: True)
    assert problem.line == 6 and problem.rule == "praised"
    assert "example gives 'Putin' +0.49 (positive), not negative" in problem.message
