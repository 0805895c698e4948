"""Load, validate and compile boilerplate rule files (rules/boilerplate/*.yaml).

Every problem in every file is collected and reported as `path:line: rule 'id': message` before
anything is used: an editor fixes all of them in one round instead of one per run.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.errors import Problem, RulesetError, UsageError
from cleaner.rulefiles.validation import FileChecker, did_you_mean, display_path
from cleaner.rulefiles.yamlsource import Located, LocatedList, load_located

try:  # re's own parser (3.11+) reads what a line rule's matches start with; without it, no line filter
    from re import _constants as re_constants  # type: ignore[attr-defined]
    from re import _parser as re_parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - a Python whose re keeps these elsewhere
    re_constants = re_parser = None

KINDS = ("phrases", "line", "span", "block", "structure")
# What a `structure` rule names: a part of an HTML page that extraction finds (cleaner/io/extract.py),
# not a pattern in the text; plain-text input never matches one.
STRUCTURES = ("page-title", "link-list", "link-menu")
NEVER = re.compile(r"(?!)")
WHERE = ("anywhere", "top", "bottom")
END_OF_DOCUMENT = "end-of-document"
DEFAULT_WITHIN = 3  # lines: a "top" stamp or "bottom" footer sits in the first or last few lines
STAGE_2_PARTS = ("framing", "entities.yaml", "sentiment.yaml")
DEFAULT_MAX_LINES = 40  # a block longer than this is more likely article text than an appeal

FILE_KEYS = ("outlet", "rules")
OUTLET_KEYS = ("name", "domains", "fingerprints")
RULE_KEYS = (
    "id", "description", "category", "outlets", "languages", "where", "within",
    "max_words", "ignore_case", "examples", *KINDS,
)  # fmt: skip
BLOCK_KEYS = ("start", "end", "while", "max_lines", "contains")
EXAMPLE_KEYS = ("remove", "keep", "clean")
CLEAN_EXAMPLE_KEYS = ("input", "output")
KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Examples:
    """A rule's own test cases: texts it must remove entirely, keep untouched, or clean to a result."""

    remove: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    clean: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Rule:
    """One compiled boilerplate rule. `id` is the full id: file stem + '.' + rule id."""

    id: str
    description: str
    category: str
    kind: str
    pattern: re.Pattern[str]
    path: str
    line: int
    outlets: frozenset[str] = frozenset()  # outlet names as declared; empty = every outlet
    languages: frozenset[str] = frozenset()  # empty = every language
    where: str = "anywhere"
    within: int = DEFAULT_WITHIN
    max_words: int | None = None
    end: re.Pattern[str] | None = None  # block: the closing line
    end_of_document: bool = False  # block: runs to the end of the document
    while_: re.Pattern[str] | None = None  # block: following lines taken while they match
    max_lines: int = DEFAULT_MAX_LINES
    contains: re.Pattern[str] | None = None  # block: only removed if its text matches this
    structure: str | None = None  # structure: which part of an HTML page (one of STRUCTURES)
    examples: Examples = field(default_factory=Examples)

    def applies_to(self, outlet: str | None, lang: str | None) -> bool:
        """Whether this rule runs on a document of this outlet and language."""
        if self.outlets and (outlet is None or outlet.casefold() not in {o.casefold() for o in self.outlets}):
            return False
        # A document whose language is unknown (detection off or inconclusive) still gets
        # language-scoped rules: their patterns are in that language and rarely match another.
        return not (self.languages and lang is not None and lang not in self.languages)


@dataclass(frozen=True)
class Outlet:
    """An outlet declared in a rule file: its name, web domains and self-identifying lines."""

    name: str
    domains: tuple[str, ...] = ()
    fingerprints: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class Ruleset:
    """Compiled rules in application order, plus the outlets the rule files declare."""

    rules: tuple[Rule, ...]
    outlets: tuple[Outlet, ...] = ()
    files: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Cache per ruleset, not per call: most corpora have a handful of (outlet, lang) pairs.
        object.__setattr__(self, "_scoped", functools.lru_cache(maxsize=256)(self._for_document))
        object.__setattr__(self, "_filters", functools.lru_cache(maxsize=256)(self._line_filter))

    def for_document(self, outlet: str | None, lang: str | None) -> tuple[Rule, ...]:
        """The rules that apply to a document of this outlet and language, in order."""
        return self._scoped(outlet, lang)  # type: ignore[attr-defined]

    def _for_document(self, outlet: str | None, lang: str | None) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.applies_to(outlet, lang))

    def line_filter(self, outlet: str | None, lang: str | None) -> LineFilter:
        """The line filter of `for_document(outlet, lang)`'s rules, compiled once per pair."""
        return self._filters(outlet, lang)  # type: ignore[attr-defined]

    def _line_filter(self, outlet: str | None, lang: str | None) -> LineFilter:
        return LineFilter(self.for_document(outlet, lang))

    def get(self, rule_id: str) -> Rule:
        """The rule with this full id (KeyError if there is none)."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(sorted({rule.category for rule in self.rules}))

    def without(self, names: Iterable[str]) -> Ruleset:
        """A ruleset with the named rules (full id) or categories turned off."""
        names = list(names)
        ids = {rule.id for rule in self.rules}
        unknown = [n for n in names if n not in ids and n not in self.categories]
        if unknown:
            hints = [did_you_mean(n, [*ids, *self.categories]) for n in unknown]
            raise UsageError(
                "; ".join(f"--disable: no rule or category '{n}'{h}" for n, h in zip(unknown, hints, strict=True))
            )
        off = set(names)
        kept = tuple(r for r in self.rules if r.id not in off and r.category not in off)
        return Ruleset(kept, self.outlets, self.files)


def shipped_rules_dir() -> Path:
    """The rules folder shipped with cleaner: package data when installed, rules/ in a checkout."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "rules"
    if packaged.is_dir():
        return packaged
    return package.parent / "rules"


def load_ruleset(dirs: Sequence[str | Path] = (), *, shipped: bool = True, disable: Iterable[str] = ()) -> Ruleset:
    """Load the shipped rules (unless shipped=False) and each folder in `dirs`, later ones overriding.

    A folder is laid out like the shipped rules/ folder: boilerplate rules in `boilerplate/*.yaml`.
    Raises RulesetError listing every problem found.
    """
    folders = [shipped_rules_dir()] if shipped else []
    folders += [Path(d) for d in dirs]
    problems: list[Problem] = []
    rules: dict[str, Rule] = {}
    outlets: dict[str, Outlet] = {}
    files: list[str] = []
    for folder in folders:
        if not folder.is_dir():
            problems.append(Problem(display_path(folder), None, "rules folder not found"))
            continue
        sub = folder / "boilerplate"
        if not sub.is_dir():
            if any((folder / part).exists() for part in STAGE_2_PARTS):
                continue  # a folder of framing axes, entities or sentiment words only
            message = "no rules here (lay rule folders out like rules/: boilerplate/, framing/, entities.yaml)"
            problems.append(Problem(display_path(folder), None, message))
            continue
        seen_here: dict[str, tuple[str, int]] = {}
        for path in sorted([*sub.glob("*.yaml"), *sub.glob("*.yml")]):
            files.append(display_path(path))
            file_rules, outlet = _load_file(path, problems)
            for rule in file_rules:
                if rule.id in seen_here:
                    first_path, first_line = seen_here[rule.id]
                    problems.append(
                        Problem(
                            rule.path,
                            rule.line,
                            f"duplicate id '{rule.id}' (first defined at {first_path}:{first_line})",
                        )
                    )
                    continue
                seen_here[rule.id] = (rule.path, rule.line)
                rules[rule.id] = rule  # a later folder's rule with the same full id overrides
            if outlet is not None:
                known = outlets.get(outlet.name.casefold())
                if known is not None:  # a user file may add domains or fingerprints to a shipped outlet
                    outlet = Outlet(
                        known.name, known.domains + outlet.domains, known.fingerprints + outlet.fingerprints
                    )
                outlets[outlet.name.casefold()] = outlet
    if problems:
        raise RulesetError(problems)
    ordered = _application_order(list(rules.values()))
    ruleset = Ruleset(tuple(ordered), tuple(outlets.values()), tuple(files))
    disable = list(disable)
    return ruleset.without(disable) if disable else ruleset


@functools.lru_cache(maxsize=1)
def default_ruleset() -> Ruleset:
    """The shipped rules, loaded once per process."""
    return load_ruleset()


def _application_order(rules: list[Rule]) -> list[Rule]:
    """Spans first, then blocks, then lines; outlet rules before generic ones; then file order.

    Why: an inline stamp glued to a caption (seed 002: "date 2025-08-26 <caption> — Reuters") must be
    cut before the caption's whole-line rule sees the line, or the stamp would go under the caption's
    name and the date would be lost; a block (an appended appeal) is taken whole before line rules
    could split it; an outlet's own rule knows its boilerplate better than a generic one.
    """
    kind_rank = {"span": 0, "block": 1, "line": 2, "phrases": 2, "structure": 3}
    return sorted(rules, key=lambda r: (kind_rank[r.kind], 0 if r.outlets else 1))  # stable: file order


def _load_file(path: Path, problems: list[Problem]) -> tuple[list[Rule], Outlet | None]:
    display = display_path(path)
    check = FileChecker(display, problems)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        check.problem(None, f"cannot read rule file: {exc}")
        return [], None
    data, yaml_problems = load_located(text, display)
    problems.extend(yaml_problems)
    if data is None and not yaml_problems:
        check.problem(1, "empty rule file (expected a 'rules:' list)")
        return [], None
    if not isinstance(data, Located):
        if data is not None:
            check.problem(1, "a rule file is a mapping with a 'rules:' list")
        return [], None
    check.keys(data, FILE_KEYS, None, "top-level ")
    stem = path.stem
    if not KEBAB.fullmatch(stem):
        check.problem(1, f"file name '{stem}' must be kebab-case (it prefixes every rule id)")
    outlet = _outlet(data, check) if "outlet" in data else None
    items = data.get("rules")
    if not isinstance(items, LocatedList):
        check.problem(data.key_lines.get("rules", data.line), "'rules' must be a list of rules")
        return [], outlet
    rules = []
    for item, line in zip(items, items.item_lines, strict=True):
        rule = _rule(item, line, stem, outlet, check)
        if rule is not None:
            rules.append(rule)
    return rules, outlet


def _outlet(data: Located, check: FileChecker) -> Outlet | None:
    spec = data["outlet"]
    if not isinstance(spec, Located):
        check.problem(data.key_lines["outlet"], "'outlet' must be a mapping with 'name', 'domains', 'fingerprints'")
        return None
    check.keys(spec, OUTLET_KEYS, None, "outlet ")
    name = check.string(spec, "name", None, required=True)
    domains = tuple(d.casefold().removeprefix("www.") for d in check.strings(spec, "domains", None))
    line = spec.key_lines.get("fingerprints", spec.line)
    fingerprints = tuple(
        p
        for p in (check.regex(f, line, "fingerprints", None, 0) for f in check.strings(spec, "fingerprints", None))
        if p
    )
    return Outlet(name, domains, fingerprints) if name else None


def _rule(item: Any, line: int, stem: str, outlet: Outlet | None, check: FileChecker) -> Rule | None:
    if not isinstance(item, Located):
        check.problem(line, "a rule must be a mapping with 'id', 'description', 'category', a matcher and 'examples'")
        return None
    short = item.get("id")
    full = f"{stem}.{short}" if isinstance(short, str) else None
    start = len(check.problems)
    check.keys(item, RULE_KEYS, full, "")
    if short is None:
        check.problem(line, "missing required key 'id'")
    elif not isinstance(short, str) or not KEBAB.fullmatch(short):
        check.problem(item.key_lines["id"], f"id {short!r} must be kebab-case (lower-case words joined by '-')", full)
    description = check.string(item, "description", full, required=True)
    category = check.string(item, "category", full, required=True)
    if category is not None and not KEBAB.fullmatch(category):
        check.problem(item.key_lines["category"], f"category '{category}' must be kebab-case", full)
    outlets = check.strings(item, "outlets", full) or ((outlet.name,) if outlet else ())
    languages = check.strings(item, "languages", full)
    where = item.get("where", "anywhere")
    if where not in WHERE:
        check.problem(item.key_lines["where"], f"'where' must be one of {', '.join(WHERE)}, not {where!r}", full)
    within = check.integer(item, "within", full, DEFAULT_WITHIN)
    if "within" in item and where == "anywhere":
        check.problem(item.key_lines["within"], "'within' needs 'where: top' or 'where: bottom'", full)
    max_words = check.integer(item, "max_words", full, None)
    ignore_case = item.get("ignore_case", False)
    if not isinstance(ignore_case, bool):
        check.problem(item.key_lines["ignore_case"], "'ignore_case' must be true or false", full)
    flags = re.IGNORECASE if ignore_case is True else 0

    kinds = [k for k in KINDS if k in item]
    if len(kinds) != 1:
        found = ", ".join(kinds) if kinds else "none"
        check.problem(line, f"a rule needs exactly one matcher of {', '.join(KINDS)} (found: {found})", full)
        return None
    kind = kinds[0]
    kline = item.key_lines[kind]
    block: dict[str, Any] = {}
    pattern: re.Pattern[str] | None = None
    if kind == "phrases":
        phrases = check.strings(item, "phrases", full)
        pattern = _phrase_pattern(phrases) if phrases else None
        if phrases and max_words is None:
            # A phrase line is the phrase plus at most a trailing symbol ("Read more »"): body
            # paragraphs are then skipped by a word count instead of a regex call.
            max_words = max(len(p.split()) for p in phrases) + 1
    elif kind in ("line", "span"):
        text = check.string(item, kind, full, required=True)
        pattern = check.regex(text, kline, kind, full, flags | (re.MULTILINE if kind == "span" else 0))
    elif kind == "structure":
        value = item[kind]
        if value in STRUCTURES:
            block = {"structure": value}
            pattern = NEVER
        else:
            hint = did_you_mean(str(value), STRUCTURES)
            check.problem(kline, f"'structure' must be one of {', '.join(STRUCTURES)}, not {value!r}{hint}", full)
    else:
        block = _block(item[kind], kline, full, flags, check)
        pattern = block.pop("start", None)
    examples = _examples(item, line, full, check)
    if len(check.problems) > start or pattern is None or full is None:
        return None
    return Rule(
        id=full,
        description=description or "",
        category=category or "",
        kind=kind,
        pattern=pattern,
        path=check.path,
        line=line,
        outlets=frozenset(outlets),
        languages=frozenset(languages),
        where=where,
        within=within or DEFAULT_WITHIN,
        max_words=max_words,
        examples=examples,
        **block,
    )


def _block(spec: Any, line: int, full: str | None, flags: int, check: FileChecker) -> dict[str, Any]:
    if not isinstance(spec, Located):
        check.problem(line, "'block' must be a mapping with 'start' and 'end' or 'while'", full)
        return {}
    check.keys(spec, BLOCK_KEYS, full, "block ")
    out: dict[str, Any] = {}
    out["start"] = check.regex(check.string(spec, "start", full, required=True), spec.line, "start", full, flags)
    end = check.string(spec, "end", full)
    while_ = check.string(spec, "while", full)
    if (end is None) == (while_ is None):
        check.problem(
            spec.line, f"a block needs exactly one of 'end' (a closing line or {END_OF_DOCUMENT}) or 'while'", full
        )
    if end == END_OF_DOCUMENT:
        out["end_of_document"] = True
    elif end is not None:
        out["end"] = check.regex(end, spec.key_lines["end"], "end", full, flags)
    if while_ is not None:
        out["while_"] = check.regex(while_, spec.key_lines["while"], "while", full, flags)
    out["max_lines"] = check.integer(spec, "max_lines", full, DEFAULT_MAX_LINES)
    contains = check.string(spec, "contains", full)
    if contains is not None:
        out["contains"] = check.regex(contains, spec.key_lines["contains"], "contains", full, flags)
    return out


def _examples(item: Located, line: int, full: str | None, check: FileChecker) -> Examples:
    spec = item.get("examples")
    if spec is None:
        check.problem(line, "missing 'examples' (every rule shows texts it removes and texts it keeps)", full)
        return Examples()
    if not isinstance(spec, Located):
        check.problem(item.key_lines["examples"], "'examples' must be a mapping with 'remove', 'keep' or 'clean'", full)
        return Examples()
    check.keys(spec, EXAMPLE_KEYS, full, "examples ")
    remove = check.strings(spec, "remove", full)
    keep = check.strings(spec, "keep", full)
    cleaned: list[tuple[str, str]] = []
    raw = spec.get("clean", [])
    if not isinstance(raw, list):
        check.problem(spec.key_lines["clean"], "'clean' examples are a list of {input, output}", full)
        raw = []
    for case, case_line in zip(raw, getattr(raw, "item_lines", []), strict=False):
        if not isinstance(case, Located):
            check.problem(case_line, "a 'clean' example is a mapping with 'input' and 'output'", full)
            continue
        check.keys(case, CLEAN_EXAMPLE_KEYS, full, "clean example ")
        source, result = case.get("input"), case.get("output")
        if not isinstance(source, str) or not isinstance(result, str):
            check.problem(case_line, "a 'clean' example needs string 'input' and 'output'", full)
            continue
        cleaned.append((source, result))
    if not (remove or cleaned):
        check.problem(spec.line, "examples need at least one 'remove' or 'clean' case", full)
    if not keep:
        check.problem(spec.line, "examples need at least one 'keep' case (a text the rule must not touch)", full)
    return Examples(remove, keep, tuple(cleaned))


def _phrase_pattern(phrases: Sequence[str]) -> re.Pattern[str]:
    """A line pattern matching any phrase: any case, any run of spaces, either apostrophe, trailing punctuation."""
    alternatives = []
    # Longest first, so "Share this article" wins over "Share" on the same line.
    for phrase in sorted({p.strip() for p in phrases}, key=lambda p: (-len(p), p)):
        words = [re.escape(w).replace("'", "['’]").replace("’", "['’]") for w in phrase.rstrip(".:!?").split()]
        alternatives.append(r"\s+".join(words))
    return re.compile(r"(?:" + "|".join(alternatives) + r")[\s.:!?…»›>→|]*", re.IGNORECASE)


# Line filter. Cleaning tries every line rule on every line (fullmatch), and nearly every line is article
# text no rule matches: on the real pages about 130k calls found about 60 lines. But a rule's matches
# start and end with something particular (a literal, one of a few words, a character class), so a
# line's first and last few characters rule out most rules at once, with no regex call at all once those
# characters have been seen: the verdict of each rule on a line's ends is kept, by the ends' text.
FILTER_ATOMS = 3  # characters of a line's start and of its end the filter reads: more rule out more lines
_FILTER_TEXT = 3000  # characters of one condition: a wider alternation is cut short (still sound)
_FLAGS_KEPT = re.IGNORECASE | re.UNICODE | re.MULTILINE | re.DOTALL | re.VERBOSE
_ENDS_KEPT = 65536  # distinct line starts (or ends) whose verdicts are kept; a corpus has a few thousand
# Reading a pattern walks each way its matches can begin until FILTER_ATOMS characters are read; parts
# that read no character (x?, an empty alternative, \b) do not count, so `(?:x?){2000}END` nests 2000
# deep (RecursionError) and `(?:x|){300}y` took 26 s of CPU, outside cleaning's time budget. Past these
# bounds the side gets no condition (always tried), which is sound; shipped patterns stay far below them.
_READ_STEPS = 20000  # parse items one side's reading may visit
_READ_DEPTH = 150  # parse items read one within another (Python's own limit is 1000 frames)


class LineFilter:
    """Which line rules (kind line, phrases, block start) could fullmatch a line, by the line's ends.

    Each rule has up to two conditions, regexes read from its pattern: one that matches the first
    FILTER_ATOMS characters of every string the rule fullmatches, one that matches the last ones,
    reversed (`edge_condition`). A rule whose condition fails on a line provably cannot match it. A rule
    with neither condition (its matches may start and end with anything) is not filtered: always tried.
    """

    __slots__ = ("_ends", "_ends_open", "_positions", "_starts", "_starts_open", "_tests", "filtered", "size")

    def __init__(self, rules: Sequence[Rule]):
        self.size = len(rules)
        # Per side: (bit, condition's match) of each rule with a condition there; and the bits of the
        # rules with none, which pass that side whatever the line.
        self._tests: tuple[list[tuple[int, Any]], list[tuple[int, Any]]] = ([], [])
        open_sides = [0, 0]
        filtered = []
        for position, rule in enumerate(rules):
            if rule.kind not in ("line", "phrases", "block"):
                continue
            conditions = [edge_condition(rule.pattern, reverse=side == 1) for side in (0, 1)]
            conditions = [c if c is not None and not _permissive(c) else None for c in conditions]
            if conditions == [None, None]:
                continue
            filtered.append(position)
            for side, condition in enumerate(conditions):
                if condition is None:
                    open_sides[side] |= 1 << position
                else:
                    self._tests[side].append((1 << position, re.compile(condition).match))
        self.filtered: frozenset[int] = frozenset(filtered)  # positions (in `rules`) the filter speaks for
        self._starts_open, self._ends_open = open_sides
        self._starts: dict[str, int] = {}  # a line's first characters -> the bits of the rules they allow
        self._ends: dict[str, int] = {}  # a line's last characters, reversed -> the same
        self._positions: dict[int, tuple[int, ...]] = {0: ()}

    def candidates(self, line: str) -> tuple[int, ...]:
        """Positions of the filtered rules that could match `line`; the other filtered ones cannot."""
        head, tail = line[:FILTER_ATOMS], line[-FILTER_ATOMS:][::-1]
        starts = self._starts.get(head)
        if starts is None:
            starts = self._verdicts(self._starts, head, 0)
        ends = self._ends.get(tail)
        if ends is None:
            ends = self._verdicts(self._ends, tail, 1)
        bits = starts & ends
        positions = self._positions.get(bits)
        if positions is None:
            if len(self._positions) >= _ENDS_KEPT:
                self._positions.clear()
            positions = self._positions[bits] = tuple(p for p in range(self.size) if bits >> p & 1)
        return positions

    def _verdicts(self, kept: dict[str, int], edge: str, side: int) -> int:
        # A condition reads at most FILTER_ATOMS characters from its end of the line (lookarounds and
        # anchors are left out of it), so its verdict on the edge is its verdict on the line.
        bits = self._ends_open if side else self._starts_open
        for bit, match in self._tests[side]:
            if match(edge):
                bits |= bit
        if len(kept) >= _ENDS_KEPT:
            kept.clear()
        kept[edge] = bits
        return bits


# Line edges of every kind: a condition that matches all of them (it starts with "any character but a
# full stop") would rule out almost nothing, and is left out rather than tried for naught.
_PROBES = ("The", "the", "A", "1", "«", "“", "(", "-", "Ж", ".", ".eh")


def _permissive(condition: str) -> bool:
    regex = re.compile(condition)
    return all(regex.match(probe) for probe in _PROBES)


@functools.lru_cache(maxsize=1024)  # a filter per (outlet, language) pair reads the same patterns
def edge_condition(pattern: re.Pattern[str], atoms: int = FILTER_ATOMS, *, reverse: bool = False) -> str | None:
    """A regex that matches the start of every string `pattern` fullmatches (with reverse: the start of
    every such string reversed), reading at most `atoms` characters; None if the pattern is beyond this
    reading or every match may begin (end) with anything.

    Built from re's parse of the pattern: the first (last) `atoms` characters of each way a match can
    begin (end), with lookarounds and anchors left out and possessive or atomic parts read as plain
    ones (each only widens what it matches, so the condition stays necessary); it stops at a
    back-reference.
    """
    if re_parser is None or re_constants is None or pattern.flags & ~_FLAGS_KEPT:
        return None
    try:
        parsed = re_parser.parse(pattern.pattern, pattern.flags)
    except (re.error, AttributeError, TypeError, ValueError):  # pragma: no cover - compiled already
        return None
    try:
        text = _Reader(reverse).condition(list(parsed.data), atoms)
    except _TooComplex:
        return None
    if not text:
        return None
    return ("(?i:" if pattern.flags & re.IGNORECASE else "(?-i:") + text + ")"


class _TooComplex(Exception):
    """A pattern whose reading would pass _READ_STEPS or _READ_DEPTH: it gets no condition."""


class _Reader:
    """Reads a parsed pattern from its start, or (reverse) from its end, into a condition's text."""

    def __init__(self, reverse: bool):
        self.reverse = reverse
        self.steps = 0
        self.depth = 0

    def join(self, first: list[Any], then: list[Any]) -> list[Any]:
        """The sequence `first` then `then`, as this reader meets them (backwards: `then` first)."""
        return then + first if self.reverse else first + then

    def condition(self, items: list[Any], atoms: int) -> str:
        """A regex matching the edge of every string that begins (ends) with a match of `items`."""
        if not items or atoms <= 0:
            return ""
        self.steps += 1
        if self.steps > _READ_STEPS or self.depth >= _READ_DEPTH:
            raise _TooComplex
        self.depth += 1
        try:
            return self._condition(items, atoms)
        finally:
            self.depth -= 1

    def _condition(self, items: list[Any], atoms: int) -> str:
        c = re_constants
        if self.reverse:
            (op, value), rest = items[-1], items[:-1]
        else:
            (op, value), rest = items[0], items[1:]
        if op is c.LITERAL:
            return re.escape(chr(value)) + self.condition(rest, atoms - 1)
        if op is c.NOT_LITERAL:
            return "[^" + re.escape(chr(value)) + "]" + self.condition(rest, atoms - 1)
        if op is c.ANY:
            return "(?s:.)" + self.condition(rest, atoms - 1)
        if op is c.IN:
            members = _class(value)
            return "" if members is None else members + self.condition(rest, atoms - 1)
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            return self.condition(rest, atoms)  # consumes nothing: leaving it out only widens
        if op is c.ATOMIC_GROUP:
            return self.condition(self.join(list(value.data), rest), atoms)
        if op is c.SUBPATTERN:
            _group, add_flags, del_flags, sub = value
            if not (add_flags or del_flags):
                return self.condition(self.join(list(sub.data), rest), atoms)
            if (add_flags | del_flags) & ~_FLAGS_KEPT:
                return ""
            # A scoped flag (?i:...) holds for its own part only: the condition stops after it.
            inner = self.condition(list(sub.data), atoms)
            on = "i" if add_flags & re.IGNORECASE else ""
            off = "-i" if del_flags & re.IGNORECASE else ""
            return f"(?{on}{off}:{inner})" if inner and (on or off) else inner
        if op is c.BRANCH:
            return self.alternatives([list(alt.data) for alt in value[1]], rest, atoms)
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            low, high, body = value
            body_items = list(body.data)
            if low >= 1:  # one copy of the body first, then the rest of the repeat
                remaining = [(op, (low - 1, high if high == c.MAXREPEAT else high - 1, body))] if high != 1 else []
                return self.condition(self.join(body_items, self.join(remaining, rest)), atoms)
            if high == 0:
                return self.condition(rest, atoms)
            if high == 1:  # optional: the body then the rest, or the rest alone
                return self.alternatives([body_items, []], rest, atoms)
            # Zero or more copies: a match begins with the body or with what follows the repeat.
            return self.alternatives([body_items, []], rest, atoms, body_alone=True)
        return ""  # a back-reference or a conditional group: no condition from here on

    def alternatives(
        self, alternatives: list[list[Any]], rest: list[Any], atoms: int, *, body_alone: bool = False
    ) -> str:
        """Alternatives each followed by `rest` (with body_alone, the first one without it)."""
        texts = []
        for index, alternative in enumerate(alternatives):
            text = self.condition(alternative if body_alone and index == 0 else self.join(alternative, rest), atoms)
            if not text:
                return ""  # one way in with no condition: no condition for all of them
            texts.append(text)
        joined = "(?:" + "|".join(dict.fromkeys(texts)) + ")"
        if len(joined) > _FILTER_TEXT and rest and not body_alone:
            return self.alternatives(alternatives, [], atoms)  # too wide: the alternatives alone
        return joined


_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W",
}  # fmt: skip


def _class(members: list[Any]) -> str | None:
    """A character class's text from its parse; None for a member this reading does not know."""
    c = re_constants
    out = []
    for op, value in members:
        if op is c.NEGATE:
            out.append("^")
        elif op is c.LITERAL:
            out.append(re.escape(chr(value)))
        elif op is c.RANGE:
            out.append(re.escape(chr(value[0])) + "-" + re.escape(chr(value[1])))
        elif op is c.CATEGORY and str(value) in _CATEGORIES:
            out.append(_CATEGORIES[str(value)])
        else:
            return None
    return "[" + "".join(out) + "]"
