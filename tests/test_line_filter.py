"""The line filter (cleaner/boilerplate/ruleset.py): it may skip a rule on a line only when the rule
provably cannot match it, so cleaning with it gives exactly what cleaning without it gives."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Document, clean, load_ruleset
from cleaner.boilerplate.ruleset import LineFilter, Ruleset, edge_condition
from cleaner.rulefiles.checks import example_cases
from helpers import SEEDS

RULESET = load_ruleset()
LINE_RULES = [rule for rule in RULESET.rules if rule.kind in ("line", "phrases", "block")]
FILTER = LineFilter(LINE_RULES)

EXAMPLE_LINES = sorted(
    {
        line.strip()
        for case in example_cases(RULESET)
        if case.rule.kind != "structure"
        for line in case.text.split("\n")
        if line.strip()
    }
)
SEED_LINES = sorted(
    {
        line.strip()
        for path in SEEDS.glob("*.txt")
        for line in path.read_text(encoding="utf-8").split("\n")
        if line.strip()
    }
)
# Characters where case-insensitive matching and str.lower() part ways, and others an edge may hold.
ODD = "ſıİKÅß·—–-«»“”'’()[]:.!?…|/ \t0123456789"


def _mutate(line: str, draw: st.DrawFn) -> str:
    """The line with one edit that may or may not keep a rule matching it."""
    edit = draw(st.sampled_from(["same", "case", "upper", "lower", "insert", "delete", "join", "cut", "odd-edge"]))
    if edit == "case":
        return line.swapcase()
    if edit == "upper":
        return line.upper()
    if edit == "lower":
        return line.lower()
    if edit in ("insert", "delete", "cut") and line:
        at = draw(st.integers(0, len(line) - 1))
        if edit == "insert":
            return line[:at] + draw(st.sampled_from(ODD + "aZ")) + line[at:]
        if edit == "delete":
            return line[:at] + line[at + 1 :]
        return line[:at] if draw(st.booleans()) else line[at:]
    if edit == "join":
        other = draw(st.sampled_from(EXAMPLE_LINES + SEED_LINES))
        return line + draw(st.sampled_from(["", " ", " — ", ": "])) + other
    if edit == "odd-edge":
        char = draw(st.sampled_from(ODD))
        return char + line if draw(st.booleans()) else line + char
    return line


@st.composite
def lines(draw: st.DrawFn) -> str:
    line = draw(st.sampled_from(EXAMPLE_LINES + SEED_LINES))
    for _ in range(draw(st.integers(0, 2))):
        line = _mutate(line, draw)
    return line.strip() or "x"


SETTINGS = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _matching(line: str) -> set[int]:
    return {position for position, rule in enumerate(LINE_RULES) if rule.pattern.fullmatch(line)}


def test_every_example_line_a_rule_matches_passes_the_filter():
    for line in EXAMPLE_LINES:
        missed = _matching(line) - set(FILTER.candidates(line)) - (set(range(len(LINE_RULES))) - FILTER.filtered)
        assert not missed, (line, [LINE_RULES[p].id for p in missed])


@SETTINGS
@given(lines())
def test_a_rule_that_matches_a_line_is_never_filtered_out(line):
    candidates = set(FILTER.candidates(line))
    for position in _matching(line) & FILTER.filtered:
        assert position in candidates, (line, LINE_RULES[position].id)


def test_the_filter_rules_out_most_rules_on_an_article_sentence():
    # Would fail if the filter let everything through (it would then cost without saving).
    assert len(FILTER.filtered) >= len(LINE_RULES) * 3 // 4
    for line in ("The minister said on Monday that talks would resume next week.", "Ukraine's army fell back."):
        assert len(FILTER.candidates(line)) <= len(LINE_RULES) // 5


@dataclass(frozen=True)
class _Unfiltered(Ruleset):
    """A ruleset whose line filter speaks for no rule: every rule is tried on every line."""

    def line_filter(self, outlet: str | None, lang: str | None) -> LineFilter:
        unfiltered = LineFilter(self.for_document(outlet, lang))
        unfiltered.filtered = frozenset()
        return unfiltered


UNFILTERED = _Unfiltered(RULESET.rules, RULESET.outlets, RULESET.files)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(lines(), max_size=12),
    st.sampled_from(["\n", "\n\n", "\n \n", "\r\n", "\n- "]),
    st.sampled_from([None, "The Moscow Times"]),
    st.sampled_from([None, "en", "de"]),
)
def test_cleaning_with_the_filter_gives_what_cleaning_without_it_gives(parts, sep, outlet, lang):
    doc = Document(text=sep.join(parts), outlet=outlet, lang=lang)
    assert clean(doc, ruleset=RULESET) == clean(doc, ruleset=UNFILTERED)


# Patterns with each construct the condition reader handles or stops at, and strings to try on them.
CONSTRUCTS = [
    r"(?:©\s?)?(?:Getty Images|AP)(?: via [\w ]{1,20})?",
    r"(?=.{3})(?:[^—–-]++|[—–-](?!\s?AP))*+[—–-]{1,2}\s?AP\.?",
    r"[^.!?]{2,20}(?<![.!?,;:])\s(?:Read more|Full story)\s?[»›]*",
    r"(?i)(?:you (?:may|might) also like|most read)[:|]?",
    r"(?i:shop)ping (?-i:NOW)",
    r"(\w+) and \1",
    r"(?>ab|a)c",
    r"x{0}y{2,3}z*",
    r"\d{1,2}\s?(?:of|/)\s?\d{1,3}",
    r"[^\W\d_]+ \S+",
]
SAMPLES = [
    "© Getty Images", "AP via Reuters pool", "Getty Images", "A street — AP.", "A street - AP", "abc",
    "Talks went on Read more »", "YOU MIGHT ALSO LIKE:", "Most Read", "SHOPping NOW", "shopping now",
    "cats and cats", "abc", "ac", "yyzz", "yyy", "1 of 12", "12/3", "Ωmega x", "ſhopping NOW", "ıt",
]  # fmt: skip


@pytest.mark.parametrize("regex", CONSTRUCTS)
@pytest.mark.parametrize("reverse", [False, True])
def test_an_edge_condition_holds_for_every_match(regex, reverse):
    pattern = re.compile(regex)
    condition = edge_condition(pattern, reverse=reverse)
    if condition is None:
        return
    compiled = re.compile(condition)
    for sample in [*SAMPLES, *(s.upper() for s in SAMPLES), *(s.lower() for s in SAMPLES)]:
        if pattern.fullmatch(sample):
            assert compiled.match(sample[::-1] if reverse else sample), (regex, sample, condition)


def test_conditions_read_from_simple_patterns():
    assert edge_condition(re.compile(r"(\w+) and \1"), reverse=True) is None  # a back-reference ends it
    assert edge_condition(re.compile(r"Photo: .+")) == "(?-i:Pho)"
    assert edge_condition(re.compile(r"(?i)Photo: .+")) == "(?i:Pho)"
    assert edge_condition(re.compile(r"[A-Z].* AP"), reverse=True) == "(?-i:PA\\ )"  # read backwards
    # A match that may start with anything: the condition lets every line through, and the filter
    # leaves such a rule out (always tried) rather than read it on every line for naught.
    assert re.compile(edge_condition(re.compile(r".*Reuters"))).match("Anything")
