"""Framing lexicon: contested wordings (axes and their variants) and where a text uses them.

Axes live in rules/framing/*.yaml. A phrase term matches in any case, across line breaks, on word
boundaries, with a space, a hyphen or nothing between its words, either apostrophe, each word in its
regular plural (unless the term says otherwise) and with a possessive inside the phrase. Where terms
overlap, the longest wins and the earlier term breaks ties. docs/framing.md has the table of examples.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.annotation.textindex import extend_back, split_leading
from cleaner.boilerplate.ruleset import KEBAB, shipped_rules_dir
from cleaner.errors import Problem, RulesetError, UsageError
from cleaner.rulefiles.validation import FileChecker, did_you_mean, read_rule_file
from cleaner.rulefiles.yamlsource import Located, LocatedList

try:  # re's own parser (3.11+) reads a regex's literal prefix exactly; without it, no prefix: the plain search
    from re import _constants as re_constants  # type: ignore[attr-defined]
    from re import _parser as re_parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - a Python whose re keeps these elsewhere
    re_constants = re_parser = None

FILE_KEYS = ("axes",)
AXIS_KEYS = ("id", "description", "provenance", "variants")
VARIANT_KEYS = ("id", "label", "terms", "examples")
TERM_KEYS = ("phrase", "plural", "regex")
EXAMPLE_KEYS = ("match", "no_match")
WORD = re.compile(r"\w+")
HYPHENS = "-‐‑‒–—"
APOSTROPHES = "'’"


@dataclass(frozen=True)
class Variant:
    """One competing wording of an axis."""

    id: str
    label: str
    terms: tuple[str, ...]
    path: str
    line: int
    match_examples: tuple[str, ...] = ()
    no_match_examples: tuple[str, ...] = ()
    term_lines: tuple[int, ...] = ()  # the line of each term, for located messages


@dataclass(frozen=True)
class Axis:
    """A contested choice of words, with where the contrast is documented."""

    id: str
    description: str
    provenance: str
    variants: tuple[Variant, ...]
    path: str
    line: int


@dataclass(frozen=True)
class Term:
    """A compiled term: its pattern, its place in file order, and the leading words it needs."""

    axis: str
    variant: str
    pattern: re.Pattern[str]  # for a phrase: from its first indexed word on
    order: int
    lead: re.Pattern[str] | None = None  # leading words ("the") that must stand right before
    prefix: str = ""  # a free regex's literal start, lower case: where it can match is found with str.find


@dataclass(frozen=True)
class TermSource:
    """Where a compiled term came from: its axis and variant, its text as written, its file and line."""

    axis: str
    variant: str
    kind: str  # phrase or regex
    text: str
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class Match:
    """A term found in a text: [start, end) and which axis and variant it stands for."""

    axis: str
    variant: str
    start: int
    end: int
    order: int


@dataclass(frozen=True)
class Lexicon:
    """The loaded axes, compiled once per run into a first-word index and free regexes."""

    axes: tuple[Axis, ...]
    index: dict[str, tuple[Term, ...]] = field(default_factory=dict)
    free: tuple[Term, ...] = ()
    sources: tuple[TermSource, ...] = ()  # by Term.order

    def find(self, text: str) -> list[Match]:
        """Every term occurrence in the text, overlaps resolved (longest first), in text order."""
        found: list[Match] = []
        haystack = text.lower()
        for position, terms in _word_starts(text, self.index, haystack):
            for term in terms:
                hit = term.pattern.match(text, position)
                if hit and hit.end() > hit.start():
                    start = extend_back(text, hit.start(), term.lead)
                    if start is not None:
                        found.append(Match(term.axis, term.variant, start, hit.end(), term.order))
        # str.find on the lowered text stands for IGNORECASE only where lowering keeps every offset and no
        # character matches an ASCII letter in another case that lower() does not give (see _ODD_CASE).
        plain = len(haystack) == len(text) and not any(char in text for char in _ODD_CASE)
        for term in self.free:
            hits = _find_from_prefix(term, text, haystack) if plain and term.prefix else term.pattern.finditer(text)
            for hit in hits:
                if hit.end() > hit.start():
                    found.append(Match(term.axis, term.variant, hit.start(), hit.end(), term.order))
        return _resolve(found)

    def without(self, names: Iterable[str]) -> Lexicon:
        """A lexicon with the named axes (`war-naming`) or variants (`war-naming.invasion`) turned off."""
        names = list(names)
        known = {a.id for a in self.axes} | {f"{a.id}.{v.id}" for a in self.axes for v in a.variants}
        unknown = [n for n in names if n not in known]
        if unknown:
            raise UsageError("; ".join(f"--disable: no axis or variant '{n}'{did_you_mean(n, known)}" for n in unknown))
        off = set(names)
        axes = []
        for axis in self.axes:
            if axis.id in off:
                continue
            variants = tuple(v for v in axis.variants if f"{axis.id}.{v.id}" not in off)
            axes.append(Axis(axis.id, axis.description, axis.provenance, variants, axis.path, axis.line))
        return compile_lexicon(axes)


def _find_from_prefix(term: Term, text: str, haystack: str) -> Iterator[re.Match[str]]:
    # The matches of term.pattern.finditer(text), tried only where the lowered text has the term's literal
    # prefix: the (?<!\w) and IGNORECASE of a free regex keep re from its own fast scan, so it tries every
    # offset (about 15 ms a MB a regex). A match is never empty (it holds the prefix), so each search
    # resumes at the last match's end, as finditer's does.
    position = haystack.find(term.prefix)
    while position >= 0:
        hit = term.pattern.match(text, position)
        if hit:
            yield hit
            position = haystack.find(term.prefix, hit.end())
        else:
            position = haystack.find(term.prefix, position + 1)


def literal_prefix(regex: str) -> str:
    """The ASCII characters every match of `regex` (compiled IGNORECASE) starts with, lower case; "" if none."""
    if re_parser is None or re_constants is None:
        return ""
    try:
        parsed = re_parser.parse(regex, re.IGNORECASE)
    except (re.error, AttributeError):
        return ""
    prefix = []
    for op, value in parsed.data:
        if op is not re_constants.LITERAL or value >= 128:
            break
        prefix.append(chr(value))
    return "".join(prefix).lower()


# The characters re.IGNORECASE matches to an ASCII character though str.lower() does not give it (dotted
# and dotless i, long s): a text holding one is searched by the plain regex (tests check this list).
_ODD_CASE = "\u0130\u0131\u017f"


def _resolve(found: list[Match]) -> list[Match]:
    # Longest first, then earliest, then the earlier term in file order.
    kept: list[Match] = []
    taken = bytearray(max((m.end for m in found), default=0))
    for match in sorted(found, key=lambda m: (m.start - m.end, m.start, m.order)):
        if taken.find(1, match.start, match.end) >= 0:
            continue
        kept.append(match)
        taken[match.start : match.end] = b"\x01" * (match.end - match.start)
    return sorted(kept, key=lambda m: m.start)


def _fold(word: str) -> str:
    return word.lower()


def phrase_pattern(phrase: str) -> str:
    """Regex for a phrase on word boundaries: any spacing or line break, any hyphen or none, either apostrophe."""
    return rf"(?<!\w)(?:{_phrase_body(phrase)})(?!\w)"


def _phrase_body(phrase: str) -> str:
    # Leading words ("the", "his") only: spacing and apostrophes as in a term, no inflection.
    pieces: list[str] = []
    for char in phrase.strip():
        if char.isspace():
            if not pieces or pieces[-1] != r"\s+":
                pieces.append(r"\s+")
        elif char in HYPHENS:
            pieces.append(r"(?:[-‐‑‒–—]|\s+)?")
        elif char in APOSTROPHES:
            pieces.append("['’]")
        else:
            pieces.append(re.escape(char))
    return "".join(pieces)


# Between two words of a term: spaces or a line break, a hyphen, or nothing ("health care", "health-care",
# "healthcare" all match each other). An em dash is left out: in news text it breaks a clause, not a word.
JOINERS = r"\-‐‑‒–"  # a character class
_SEPARATOR = rf"(?:\s+|[{JOINERS}]|)"
_SPACED = rf"(?:\s+|[{JOINERS}])"
_SPLIT = re.compile(rf"[\s{JOINERS}—]+")
# Words that take no inferred plural: "it" is not a singular of "its", nor "us" of "uses".
_FUNCTION_WORDS = """a an the of in on at to for by with from into over under and or nor but as if than that this these
    those is are was were be been his her its their our my your he she it we they us i me him them who whom not no
    so up out off per via vs"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())


def regular_plural(word: str) -> str | None:
    """The regular English plural of a word ("camp" camps, "crisis" crises, "territory" territories), or None.

    None for function words, numbers and words with an apostrophe, which take no plural.
    """
    if not word.isalpha() or word.lower() in FUNCTION_WORDS:
        return None
    lower = word.lower()
    if lower.endswith("sis"):
        return word[:-2] + "es"
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if lower.endswith("y") and len(word) > 1 and lower[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def term_words(phrase: str) -> list[str]:
    """The words of a term: split at spaces and hyphens, apostrophes kept inside a word ("Russia's")."""
    return [w for w in _SPLIT.split(phrase.strip()) if w]


def _word_pattern(word: str, *, infer_plural: bool, inner: bool) -> str:
    forms = [word]
    plural = regular_plural(word) if infer_plural else None
    if plural:
        forms.insert(0, plural)
    body = "|".join("".join("['’]" if c in APOSTROPHES else re.escape(c) for c in form) for form in forms)
    piece = f"(?:{body})"
    if inner and not any(c in APOSTROPHES for c in word):
        # An inner possessive: "the Smith report" also matches "Smith's report" and "the Smiths' report".
        piece += "(?:['’]s?)?"
    return piece


def term_pattern(phrase: str, *, infer_plural: bool = True) -> str:
    """Regex for a phrase term: any case, space/hyphen/nothing between words, each word in its plural too
    (unless `infer_plural` is off), possessives inside the phrase; on word boundaries."""
    words = term_words(phrase)
    pattern = _word_pattern(words[0], infer_plural=infer_plural, inner=len(words) > 1)
    for i, word in enumerate(words[1:], 1):
        pattern += _separator(words[i - 1], word)
        pattern += _word_pattern(word, infer_plural=infer_plural, inner=i < len(words) - 1)
    return rf"(?<!\w){pattern}(?!\w)"


def _separator(before: str, after: str) -> str:
    # Words run together only as content words do ("healthcare", "fullscale"), never with "of" or "the".
    if _is_function_word(before) or _is_function_word(after):
        return _SPACED
    return _SEPARATOR


def _is_function_word(word: str) -> bool:
    return word.lower() in FUNCTION_WORDS


def index_keys(phrase: str, *, infer_plural: bool = True) -> set[str]:
    """The words a text's word must start with for the phrase to start there: its first word, and that
    word's plural where the plural does not start with it ("territories" for "territory")."""
    first = term_words(phrase)[0]
    forms = [first]
    plural = regular_plural(first) if infer_plural else None
    if plural and not plural.lower().startswith(first.lower()):
        forms.append(plural)
    return {_fold(key.group()) for form in forms if (key := WORD.search(form))}


def _word_starts(
    text: str, index: dict[str, tuple[Term, ...]], haystack: str | None = None
) -> list[tuple[int, tuple[Term, ...]]]:
    # Where a word of the text starts with an indexed key: the key may run on into a joined or plural
    # form ("healthcare", "refugees"), which the term's own pattern then decides. Each key is looked for
    # with str.find (C speed), as in textindex.find_keys, but only the left edge must be a word boundary.
    haystack = text.lower() if haystack is None else haystack
    if len(haystack) != len(text):  # a few characters change length when lowered: go word by word
        return [
            (w.start(), terms)
            for w in WORD.finditer(text)
            for key, terms in index.items()
            if w.group().lower().startswith(key)
        ]
    found = []
    for prefix, keys in _key_groups(tuple(index)):
        position = haystack.find(prefix)
        while position >= 0:
            if position == 0 or not _is_word_char(haystack[position - 1]):
                found += [(position, index[key]) for key in keys if haystack.startswith(key, position)]
            position = haystack.find(prefix, position + 1)
    return found


@functools.lru_cache(maxsize=16)
def _key_groups(keys: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    # Keys that share their first four letters ("demilitarise", "demilitarized" ...; "zelensky", "zelenskiy"
    # ...) are looked for once, by their common prefix: 52 scans of the text instead of 77 for the shipped
    # axes, about 9 ms a MB less. A key stands where its group's prefix stands and the text goes on with it.
    groups: dict[str, list[str]] = {}
    for key in keys:
        groups.setdefault(key[:4], []).append(key)
    return tuple((_common_prefix(group), tuple(group)) for group in groups.values())


def _common_prefix(words: list[str]) -> str:
    first, last = min(words), max(words)  # what the first and the last in order share, all share
    size = 0
    while size < len(first) and first[size] == last[size]:
        size += 1
    return first[:size]


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def compile_lexicon(axes: Sequence[Axis]) -> Lexicon:
    """Compile axes into the first-word index (phrases) and the free regexes."""
    index: dict[str, list[Term]] = {}
    free: list[Term] = []
    sources: list[TermSource] = []
    order = 0
    for axis in axes:
        for variant in axis.variants:
            lines = variant.term_lines or (variant.line,) * len(variant.terms)
            for source, line in zip(variant.terms, lines, strict=True):
                kind, text, plural = _term_parts(source)
                sources.append(TermSource(axis.id, variant.id, kind, text, variant.path, line))
                if kind == "regex":
                    pattern = re.compile(rf"(?<!\w)(?:{text})(?!\w)", re.IGNORECASE)  # word boundaries, as phrases
                    free.append(Term(axis.id, variant.id, pattern, order, prefix=literal_prefix(text)))
                else:
                    # An explicit plural (or `plural: false`) replaces the inferred one.
                    infer = plural is None
                    for form in filter(None, (text, plural if plural != NO_PLURAL else None)):
                        lead, core = split_leading(form)
                        pattern = re.compile(term_pattern(core, infer_plural=infer), re.IGNORECASE)
                        ahead = re.compile(rf"(?<!\w){_phrase_body(lead)}\s+$", re.IGNORECASE) if lead else None
                        term = Term(axis.id, variant.id, pattern, order, ahead)
                        for key in index_keys(core, infer_plural=infer):
                            index.setdefault(key, []).append(term)
                order += 1
    return Lexicon(tuple(axes), {k: tuple(v) for k, v in index.items()}, tuple(free), tuple(sources))


def term_conflicts(lexicon: Lexicon) -> list[Problem]:
    """Phrase terms that can never give their own variant: another variant's earlier (or longer) term
    always takes their words, or they do not match their own text; located at the term."""
    problems = []
    for order, source in enumerate(lexicon.sources):
        if source.kind != "phrase":
            continue  # a regex has no text of its own to try
        found = lexicon.find(source.text)
        if any(m.order == order for m in found):
            continue
        who = f"{source.axis}.{source.variant}"
        taken = [m for m in found if (m.axis, m.variant) != (source.axis, source.variant)]
        if not found:
            message = f"term '{source.text}' does not match its own text (a term starts and ends with a word)"
        elif not taken:
            continue  # an earlier term of the same variant takes it: redundant, but the marker is the same
        else:
            winner = max(taken, key=lambda m: m.end - m.start)
            other = lexicon.sources[winner.order]
            where = f"{other.axis}.{other.variant} ({other.path}:{other.line})"
            if other.kind == "phrase" and winner.end - winner.start == len(source.text):
                message = f"term '{source.text}' is the same term as '{other.text}' of {where}, which comes first"
                message += " and always wins"
            else:
                shown = other.text if other.kind == "phrase" else f"{{regex: {other.text}}}"
                message = f"term '{source.text}' can never match: the earlier term '{shown}' of {where} takes its words"
        problems.append(Problem(source.path, source.line, message, who, "framing"))
    return problems


NO_PLURAL = "\x02"  # `plural: false`


def _term_parts(source: str) -> tuple[str, str, str | None]:
    # Terms are stored as tagged strings so Variant stays hashable: "phrase\0plural" or "\x01regex".
    if source.startswith("\x01"):
        return "regex", source[1:], None
    phrase, _, plural = source.partition("\0")
    return "phrase", phrase, plural or None


def load_lexicon(dirs: Sequence[str | Path] = (), *, shipped: bool = True, disable: Iterable[str] = ()) -> Lexicon:
    """Load framing axes from rules/framing/ (shipped) and each DIR/framing/, later ones overriding by id."""
    folders = [shipped_rules_dir()] if shipped else []
    folders += [Path(d) for d in dirs]
    problems: list[Problem] = []
    axes: dict[str, Axis] = {}
    for folder in folders:
        sub = folder / "framing"
        if not sub.is_dir():
            continue  # a user folder may hold boilerplate rules only
        seen_here: dict[str, tuple[str, int]] = {}
        for path in sorted([*sub.glob("*.yaml"), *sub.glob("*.yml")]):
            for axis in _load_file(path, problems):
                if axis.id in seen_here:
                    first_path, first_line = seen_here[axis.id]
                    message = f"duplicate axis id '{axis.id}' (first defined at {first_path}:{first_line})"
                    problems.append(Problem(axis.path, axis.line, message))
                    continue
                seen_here[axis.id] = (axis.path, axis.line)
                axes[axis.id] = axis
    if problems:
        raise RulesetError(problems)
    lexicon = compile_lexicon(list(axes.values()))
    disable = list(disable)
    return lexicon.without(disable) if disable else lexicon


def _load_file(path: Path, problems: list[Problem]) -> list[Axis]:
    check, _, items = read_rule_file(path, problems, what="framing", list_key="axes", allowed=FILE_KEYS)
    if items is None:
        return []
    axes = []
    for item, line in zip(items, items.item_lines, strict=True):
        axis = _axis(item, line, check)
        if axis is not None:
            axes.append(axis)
    return axes


def _axis(item: Any, line: int, check: FileChecker) -> Axis | None:
    if not isinstance(item, Located):
        check.problem(line, "an axis is a mapping with 'id', 'description', 'provenance' and 'variants'")
        return None
    start = len(check.problems)
    axis_id = item.get("id")
    name = axis_id if isinstance(axis_id, str) else None
    check.keys(item, AXIS_KEYS, name, "axis ")
    if not isinstance(axis_id, str) or not KEBAB.fullmatch(axis_id):
        check.problem(item.key_lines.get("id", line), f"axis id {axis_id!r} must be kebab-case", name)
    description = check.string(item, "description", name, required=True)
    provenance = check.string(item, "provenance", name, required=True)
    raw = item.get("variants")
    variants: list[Variant] = []
    if not isinstance(raw, LocatedList) or len(raw) < 2:
        check.problem(item.key_lines.get("variants", line), "an axis needs at least two variants", name)
    else:
        ids: dict[str, int] = {}
        for variant_item, variant_line in zip(raw, raw.item_lines, strict=True):
            variant = _variant(variant_item, variant_line, name, check)
            if variant is None:
                continue
            if variant.id in ids:
                message = f"duplicate variant id '{variant.id}' (first at line {ids[variant.id]})"
                check.problem(variant_line, message, name)
                continue
            ids[variant.id] = variant_line
            variants.append(variant)
    if len(check.problems) > start or name is None:
        return None
    return Axis(name, description or "", provenance or "", tuple(variants), check.path, line)


def _variant(item: Any, line: int, axis: str | None, check: FileChecker) -> Variant | None:
    if not isinstance(item, Located):
        check.problem(line, "a variant is a mapping with 'id', 'label', 'terms' and 'examples'", axis)
        return None
    variant_id = item.get("id")
    who = f"{axis}.{variant_id}" if axis and isinstance(variant_id, str) else axis
    check.keys(item, VARIANT_KEYS, who, "variant ")
    if not isinstance(variant_id, str) or not KEBAB.fullmatch(variant_id):
        check.problem(item.key_lines.get("id", line), f"variant id {variant_id!r} must be kebab-case", who)
        return None
    label = check.string(item, "label", who, required=True)
    terms, term_lines = _terms(item, line, who, check)
    examples = item.get("examples")
    matches: tuple[str, ...] = ()
    misses: tuple[str, ...] = ()
    if not isinstance(examples, Located):
        check.problem(item.key_lines.get("examples", line), "missing 'examples' with at least one 'match' text", who)
    else:
        check.keys(examples, EXAMPLE_KEYS, who, "examples ")
        matches = check.strings(examples, "match", who)
        misses = check.strings(examples, "no_match", who)
        if not matches:
            check.problem(examples.line, "examples need at least one 'match' text", who)
    if label is None or not terms:
        return None
    return Variant(variant_id, label, terms, check.path, line, matches, misses, term_lines)


def _terms(item: Located, line: int, who: str | None, check: FileChecker) -> tuple[tuple[str, ...], tuple[int, ...]]:
    raw = item.get("terms")
    if not isinstance(raw, LocatedList) or not raw:
        check.problem(item.key_lines.get("terms", line), "'terms' must be a non-empty list", who)
        return (), ()
    terms: list[str] = []
    lines: list[int] = []
    for term, term_line in zip(raw, raw.item_lines, strict=True):
        if isinstance(term, str) and term.strip() and WORD.search(term):
            terms.append(term.strip())
        elif isinstance(term, Located):
            check.keys(term, TERM_KEYS, who, "term ")
            if "regex" in term:
                source = check.string(term, "regex", who)
                if source is not None and check.regex(source, term_line, "regex", who, re.IGNORECASE):
                    terms.append("\x01" + source)
            else:
                phrase = check.string(term, "phrase", who, required=True)
                plural = NO_PLURAL if term.get("plural") is False else check.string(term, "plural", who)
                if phrase is not None and WORD.search(phrase):
                    terms.append(phrase.strip() + ("\0" + plural.strip() if plural else ""))
        else:
            check.problem(term_line, "a term is a phrase, {phrase, plural} or {regex}", who)
        lines += [term_line] * (len(terms) - len(lines))
    return tuple(terms), tuple(lines)
