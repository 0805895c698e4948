"""The seeds: what must be removed and what must stay (membership, not byte equality)."""

from __future__ import annotations

import pytest

from cleaner import clean
from helpers import DATA, seed_doc, seed_text

MT = "The Moscow Times"


def lines_of(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def test_001_appeal_and_credit_removed_article_intact(ruleset):
    original = seed_text("001")
    doc = clean(seed_doc("001", outlet=MT), ruleset=ruleset)
    assert "A Message from The Moscow Times:" not in doc.text
    assert "Dear readers" not in doc.text
    assert "Remind me later." not in doc.text
    assert "AFP contributed reporting." not in doc.text
    paragraphs = lines_of(original)[:10]  # the ten article paragraphs before the credit line
    assert len(paragraphs) == 10
    assert lines_of(doc.text) == paragraphs
    rules = {r.rule for r in doc.removed}
    assert rules == {"moscowtimes.donation-appeal", "credits.contributed-reporting"}
    appeal = next(r for r in doc.removed if r.rule == "moscowtimes.donation-appeal")
    assert appeal.text.strip().startswith("A Message from The Moscow Times:")
    assert appeal.text.strip().endswith("Remind me later.")


def test_001_appeal_removed_by_generic_rule_without_outlet(ruleset):
    # An outlet never declared: the generic appeal rule still catches the same shape.
    doc = clean(seed_doc("001"), ruleset=ruleset)
    assert "Dear readers" not in doc.text and "Remind me later." not in doc.text
    assert {r.category for r in doc.removed} == {"donation-appeal", "credit-line"}


def test_002_date_stamp_and_caption_removed_date_kept(ruleset):
    doc = clean(seed_doc("002"), ruleset=ruleset)
    assert doc.date == "2025-08-26"
    assert [r.rule for r in doc.removed] == ["stamps.date-prefix", "captions.agency-caption"]
    assert "— Reuters" not in doc.text
    assert "shake hands as they meet in Helsinki" not in doc.text
    kept = lines_of(doc.text)
    for highlight in (
        "Trump calls Putin, says talks “good” but fumes at Kyiv strikes.",
        "Claims Putin avoids Zelensky “because he doesn’t like him.”",
        "Rubio meets Ukraine, EU allies, backs settlement talks.",
    ):
        assert highlight in kept
    body = lines_of(seed_text("002"))[1:]
    assert kept == body  # every line but the stamped caption stays, whole and in order
    assert doc.text.startswith("Trump calls Putin")


@pytest.mark.parametrize("prefix", ["000", "003", "004"])
def test_nothing_removed(ruleset, prefix):
    doc = clean(seed_doc(prefix), ruleset=ruleset)
    assert doc.removed == ()
    assert doc.text == seed_text(prefix)


@pytest.mark.parametrize(
    ("prefix", "line"),
    [
        ("000", "Germany, Norway vow more help for Ukraine"),
        ("003", "Ukraine’s security guarantees"),
        (
            "004",
            "The American president has also disclosed intentions for discussions with various European heads of state.",
        ),
    ],
)
def test_crossheads_and_first_lines_stay(ruleset, prefix, line):
    assert line in lines_of(clean(seed_doc(prefix), ruleset=ruleset).text)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_original_rebuilt_exactly(ruleset, prefix):
    outlet = MT if prefix == "001" else None
    doc = clean(seed_doc(prefix, outlet), ruleset=ruleset)
    assert doc.original == seed_text(prefix)


def _must_keep() -> list[str]:
    lines = (DATA / "must_keep.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("sentence", _must_keep())
def test_body_sentences_survive_alone(ruleset, sentence):
    doc = clean(seed_doc("000").evolve(text=sentence), ruleset=ruleset)
    assert doc.removed == (), [r.rule for r in doc.removed]


def test_body_sentences_survive_inside_an_article(ruleset):
    sentences = _must_keep()
    text = "\n".join(sentences)
    doc = clean(seed_doc("000").evolve(text=text), ruleset=ruleset)
    assert doc.text == text, [(r.rule, r.text) for r in doc.removed]


def test_outlet_scope_ignores_case(ruleset):
    doc = clean(seed_doc("001", outlet="the moscow times"), ruleset=ruleset)
    assert "moscowtimes.donation-appeal" in {r.rule for r in doc.removed}
