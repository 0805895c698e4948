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

    def for_document(self, outlet: str | None, lang: str | None) -> tuple[Rule, ...]:
        """The rules that apply to a document of this outlet and language, in order."""
        return self._scoped(outlet, lang)  # type: ignore[attr-defined]

    def _for_document(self, outlet: str | None, lang: str | None) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.applies_to(outlet, lang))

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
