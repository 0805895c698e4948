"""Every rule proves itself: each example of each shipped rule, with the rule's full id as test id."""

from __future__ import annotations

import pytest

from cleaner import load_ruleset
from cleaner.rulefiles.checks import example_cases, run_example

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
