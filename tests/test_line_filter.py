"""The line filter (cleaner/boilerplate/ruleset.py): it may skip a rule on a line only when the rule
provably cannot match it, so cleaning with it gives exactly what cleaning without it gives."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Document, clean, load_ruleset
from cleaner.boilerplate import ruleset as ruleset_module
from cleaner.boilerplate.ruleset import LineFilter, Rule, Ruleset, edge_condition
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
    r"(?i)(?-i:a)b(?-i:c)",  # case-sensitive parts inside a case-insensitive pattern
    r"(?i)(S)\1x",  # a back-reference, itself case-insensitive here
    r"(?i)ſ\u212aı",  # characters whose case folding is not str.lower's
    r"(?i)[a-z]{3}",
]
SAMPLES = [
    "© Getty Images", "AP via Reuters pool", "Getty Images", "A street — AP.", "A street - AP", "abc",
    "Talks went on Read more »", "YOU MIGHT ALSO LIKE:", "Most Read", "SHOPping NOW", "shopping now",
    "cats and cats", "abc", "ac", "yyzz", "yyy", "1 of 12", "12/3", "Ωmega x", "ſhopping NOW", "ıt",
    "abc", "Abc", "aBc", "ssx", "SSx", "sSx", "Skı", "skI", "\u212aſi", "ſ\u212aı", "sKİ",
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


# Generated patterns: small regexes built from the constructs where reading a match's first or last
# characters is subtle, and strings built from the same parts that may fullmatch them. Whenever one
# does, the conditions must hold on its ends and the filter must keep the rule.
# Characters whose case folding is not str.lower's (ſ/s, Kelvin K/k, ı/İ, ß/ẞ, σ/ς/Σ, the ﬀ ligature),
# an astral character, a lone surrogate, spaces and breaks, a non-ASCII digit and word character.
CHARS = "aAbBsSkKiIſ\u212aıİßẞσςΣﬀFf٣1_é😀\ud800 \t\n-.!?«»"
CLASSES = (
    r"[a-c]", r"[^a]", r"[^\W\d_]", r"[\s\-]", r"\w", r"\d", r"\s", r"\W", r"\S", r"[sk]", r"[^sk]",
    "[ſ\u212a]", r"[A-Z]", r".", r"[^.!?]", r"[\ud800-\udfff]", r"[😀-😂]", r"[^\n]",
)  # fmt: skip
GROUPS = ("(", "(?:", "(?>", "(?i:", "(?-i:", "(?s:", "(?x:", "(?a:", "(?P<name>")
ANCHORS = (r"\b", r"\B", r"\A", r"\Z", "^", "$")
GLOBAL_FLAGS = ("", "(?i)", "(?s)", "(?x)", "(?ix)", "(?a)", "(?m)", "(?ia)")
REPEATS = ((0, 1), (0, None), (1, None), (0, 2), (1, 3), (2, 2), (0, 0), (2, None), (3, 5))

_char = st.tuples(st.just("char"), st.sampled_from(CHARS))
_class_ = st.tuples(st.just("class"), st.sampled_from(CLASSES))
# Mostly characters and classes (what reading counts), some of what it reads past or stops at.
_leaf = st.one_of(
    _char, _char, _char, _class_, _class_,
    st.tuples(st.just("anchor"), st.sampled_from(ANCHORS)), st.tuples(st.just("backref")), st.tuples(st.just("empty")),
)  # fmt: skip
NODES = st.recursive(
    _leaf,
    lambda inner: st.one_of(
        st.tuples(st.just("seq"), st.lists(inner, min_size=2, max_size=4)),
        st.tuples(st.just("seq"), st.lists(inner, min_size=2, max_size=4)),
        st.tuples(st.just("alt"), st.lists(inner, min_size=2, max_size=3)),
        st.tuples(st.just("repeat"), inner, st.sampled_from(REPEATS), st.sampled_from(["", "?", "+"])),
        st.tuples(st.just("repeat"), inner, st.sampled_from(REPEATS), st.sampled_from(["", "?", "+"])),
        st.tuples(st.just("group"), inner, st.sampled_from(GROUPS)),
        st.tuples(st.just("ahead"), inner, st.sampled_from(["(?=", "(?!"])),
        st.tuples(st.just("behind"), st.sampled_from(CHARS), st.sampled_from(["(?<=", "(?<!"])),
        st.tuples(st.just("if"), inner, inner),
    ),
    max_leaves=10,
)


def _char_regex(char: str) -> str:
    return r"\ud800" if char == "\ud800" else re.escape(char)  # re.escape leaves a lone surrogate bare


def _regex(node: tuple, groups: list[str]) -> str:
    """The regex text of a generated node; `groups` collects the capturing groups opened so far."""
    kind = node[0]
    if kind == "char":
        return _char_regex(node[1])
    if kind in ("class", "anchor"):
        return node[1]
    if kind == "empty":
        return ""
    if kind == "backref":
        return r"\1" if groups else ""
    if kind == "seq":
        return "".join(_regex(part, groups) for part in node[1])
    if kind == "alt":
        return "(?:" + "|".join(_regex(part, groups) for part in node[1]) + ")"
    if kind == "repeat":
        low, high = node[2]
        quantifier = {(0, 1): "?", (0, None): "*", (1, None): "+"}.get((low, high)) or f"{{{low},{high or ''}}}"
        return "(?:" + _regex(node[1], groups) + ")" + quantifier + node[3]
    if kind == "group":
        opening = "(" if node[2] == "(?P<name>" and "(?P<name>" in groups else node[2]
        if opening in ("(", "(?P<name>"):
            groups.append(opening)
        return opening + _regex(node[1], groups) + ")"
    if kind == "ahead":
        return node[2] + _regex(node[1], groups) + ")"
    if kind == "behind":
        return node[2] + _char_regex(node[1]) + ")"
    yes, no = _regex(node[1], groups), _regex(node[2], groups)
    return f"(?(1){yes}|{no})" if groups else f"(?:{yes}|{no})"


def _example(rng: random.Random, node: tuple, flags: str, taken: list[str]) -> str:
    """A string built from the node's parts (lookarounds and anchors not honoured); `taken` collects
    what capturing groups took, which a back-reference mostly repeats."""
    kind = node[0]
    if kind in ("char", "class"):
        regex = _char_regex(node[1]) if kind == "char" else node[1]
        fits = [char for char in CHARS if re.fullmatch(f"(?{flags}:{regex})" if flags else regex, char)]
        return rng.choice(fits) if fits else ""
    if kind == "backref":
        return taken[0] if taken and rng.random() < 0.8 else rng.choice(["", *CHARS])
    if kind == "seq":
        return "".join(_example(rng, part, flags, taken) for part in node[1])
    if kind == "alt":
        return _example(rng, rng.choice(node[1]), flags, taken)
    if kind == "repeat":
        low, high = node[2]
        return "".join(_example(rng, node[1], flags, taken) for _ in range(rng.randint(low, high or low + 3)))
    if kind == "group":
        scoped = {"(?i:": flags + "i", "(?-i:": flags.replace("i", ""), "(?s:": flags + "s", "(?a:": flags + "a"}
        text = _example(rng, node[1], "".join(sorted(set(scoped.get(node[2], flags)))), taken)
        if node[2] in ("(", "(?P<name>"):
            taken.append(text)
        return text
    if kind == "if":
        return _example(rng, node[1] if rng.random() < 0.5 else node[2], flags, taken)
    return ""  # anchors, lookarounds and the empty pattern read no character


@st.composite
def patterns_and_lines(draw: st.DrawFn) -> tuple[re.Pattern[str], list[str]]:
    node, flags = draw(NODES), draw(st.sampled_from(GLOBAL_FLAGS))
    try:
        pattern = re.compile(flags + _regex(node, []))
    except re.error:  # e.g. (?a) with (?i:...) scoped inside, a look-behind on an empty group
        pattern = re.compile(re.escape(flags + _regex(node, [])))
    inline = "".join(sorted({f for f in flags if f in "isa"}))
    # Strings drawn uniformly from the node's parts: hypothesis's own draws favour the shortest.
    rng = draw(st.randoms(use_true_random=False))
    texts = []
    for _ in range(20):
        text = _example(rng, node, inline, [])
        if rng.random() < 0.3:  # an odd character either side: a near miss, or a match if the pattern allows
            text = rng.choice(["", "a", " ", "ſ"]) + text + rng.choice(["", "a", "\n", "\u212a"])
        texts.append(text)
    return pattern, texts


def _line_rule(pattern: re.Pattern[str], kind: str = "line", **fields: object) -> Rule:
    return Rule(
        id=f"user.{kind}", description="", category="user", kind=kind, pattern=pattern, path="", line=1, **fields
    )


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(patterns_and_lines())
def test_a_generated_pattern_is_never_filtered_out_of_a_line_it_fullmatches(case):
    pattern, texts = case
    line_filter = LineFilter([_line_rule(pattern)])
    conditions = [edge_condition(pattern, reverse=reverse) for reverse in (False, True)]
    for text in texts:
        if not pattern.fullmatch(text):
            continue
        for condition, edge in zip(conditions, (text[:3], text[-3:][::-1]), strict=True):
            assert condition is None or re.match(condition, edge), (pattern.pattern, text, condition)
        assert 0 not in line_filter.filtered or 0 in line_filter.candidates(text), (pattern.pattern, text)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(patterns_and_lines(), min_size=1, max_size=3), st.data())
def test_cleaning_with_user_rules_gives_what_cleaning_without_the_filter_gives(cases, data):
    rules = []
    for index, (pattern, _) in enumerate(cases):
        kind = data.draw(st.sampled_from(["line", "phrases", "block"]))
        where = data.draw(st.sampled_from(["anywhere", "top", "bottom"]))
        fields: dict[str, object] = {"where": where, "within": data.draw(st.integers(1, 4))}
        fields["max_words"] = data.draw(st.sampled_from([None, 1, 3]))
        if kind == "block":
            block_end = data.draw(st.sampled_from(["end_of_document", "while_"]))
            fields[block_end] = True if block_end == "end_of_document" else cases[-1][0]
        rules.append(replace(_line_rule(pattern, kind, **fields), id=f"user.rule-{index}"))
    texts = [text for _, drawn in cases for text in drawn]
    doc = Document(text="\n".join(data.draw(st.permutations(texts))[:12]))
    expected = clean(doc, ruleset=_Unfiltered(tuple(rules)), seconds=None)
    assert clean(doc, ruleset=Ruleset(tuple(rules)), seconds=None) == expected


# Reading past parts that read no character (x?, an empty alternative, \b) counts no character, so
# unbounded it nested 2000 deep on the first two (RecursionError: cleaning and `rules check` raised)
# and visited millions of parts on the third (26 s of CPU at load, outside cleaning's time budget).
DEEP_OR_WIDE = [r"(?:x?){2000}END", r"(?:\b){5000}x", r"(?:x|){300}y"]


@pytest.mark.parametrize("regex", DEEP_OR_WIDE)
def test_a_pattern_too_deep_or_too_wide_to_read_gets_no_condition_at_once(regex, monkeypatch):
    calls = 0
    condition = ruleset_module._Reader.condition

    def counted(reader: object, items: list, atoms: int) -> str:
        nonlocal calls
        calls += 1
        assert calls <= 100_000, "the reading did not stop"
        return condition(reader, items, atoms)

    monkeypatch.setattr(ruleset_module._Reader, "condition", counted)
    for reverse in (False, True):  # uncached: read here, and counted
        edge_condition.__wrapped__(re.compile(regex), reverse=reverse)
    assert edge_condition.__wrapped__(re.compile(regex)) is None  # no condition: the rule is always tried


@pytest.mark.parametrize("regex", DEEP_OR_WIDE)
def test_cleaning_with_a_deep_or_wide_user_rule_removes_its_lines(regex):
    rules = (_line_rule(re.compile(regex)),)
    line = next(text for text in ("xxEND", "x", "xxy") if rules[0].pattern.fullmatch(text))
    doc = Document(text=f"Body text.\n{line}")
    assert clean(doc, ruleset=Ruleset(rules)).text == "Body text."
    assert clean(doc, ruleset=Ruleset(rules)) == clean(doc, ruleset=_Unfiltered(rules))
