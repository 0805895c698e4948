"""Entities (people, states, organisations) from rules/entities.yaml, and their mentions in a text."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.annotation.sentences import sentences
from cleaner.annotation.textindex import extend_back, find_keys, split_leading
from cleaner.boilerplate.ruleset import shipped_rules_dir
from cleaner.errors import Problem, RulesetError
from cleaner.rulefiles.validation import display_path, read_rule_file
from cleaner.rulefiles.yamlsource import Located

TYPES = ("person", "state", "organisation")
ENTITY_KEYS = ("name", "type", "aliases", "roles", "metonyms")
FILE_KEYS = ("entities", "locative_words")
WORD = re.compile(r"\w+")
# Appositions name one mention twice: "Russian counterpart Vladimir Putin", "his Russian counterpart, Vladimir Putin".
APPOSITION_GAP = re.compile(r"[\s,]{0,3}")


@dataclass(frozen=True)
class Entity:
    """A canonical name, its type, and the ways texts refer to it."""

    name: str
    type: str
    aliases: tuple[str, ...]
    roles: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()
    path: str = field(default="", compare=False)  # where it is defined, for `cleaner rules list`
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Mention:
    """Where a text refers to an entity: [start, end), and how (alias, role or metonym)."""

    entity: str
    type: str
    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class _Form:
    entity: Entity
    kind: str
    pattern: re.Pattern[str]  # from the first indexed word on
    lead: re.Pattern[str] | None = None  # "the", "his" ... that must stand right before


@dataclass(frozen=True)
class EntityList:
    """The loaded entities, compiled once: a first-word index of every alias, role and metonym."""

    entities: tuple[Entity, ...]
    locatives: frozenset[str]
    index: dict[str, tuple[_Form, ...]]

    def find(self, text: str) -> list[Mention]:
        """Every mention in the text, longest first where forms overlap, appositions merged, in order."""
        found: list[tuple[int, int, int, _Form]] = []
        for position, forms in find_keys(text, self.index, fold=False):
            for form in forms:
                hit = form.pattern.match(text, position)
                start = extend_back(text, hit.start(), form.lead) if hit else None
                if hit and start is not None:
                    found.append((start, hit.end(), len(found), form))
        taken = bytearray(len(text))  # 1 where a longer form already stands
        kept: list[Mention] = []
        for start, end, _, form in sorted(found, key=lambda f: (f[0] - f[1], f[0], f[2])):
            if taken.find(1, start, end) >= 0:
                continue
            taken[start:end] = b"\x01" * (end - start)  # a place still blocks shorter forms: "at the White House"
            if form.kind == "metonym" and self._is_place(text, start):
                continue
            kept.append(Mention(form.entity.name, form.entity.type, start, end, form.kind))
        return _merge_appositions(text, sorted(kept, key=lambda m: m.start))

    def _is_place(self, text: str, start: int) -> bool:
        before = re.search(r"(\w+)\W*$", text[max(0, start - 30) : start])
        return bool(before) and before.group(1).casefold() in self.locatives

    def name_of(self, words: str) -> str | None:
        """The entity a short text names ("ministry spokeswoman Maria Zakharova" -> Maria Zakharova), if any."""
        cache = self._names  # type: ignore[attr-defined]
        if words not in cache:
            if len(cache) > 10_000:  # speakers repeat across a corpus; a bound keeps memory flat
                cache.clear()
            found = self.find(words)
            cache[words] = found[0].entity if found else None
        return cache[words]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_names", {})

    def covered(self, text: str) -> list[tuple[int, int]]:
        return [(m.start, m.end) for m in self.find(text)]


def _merge_appositions(text: str, mentions: list[Mention]) -> list[Mention]:
    merged: list[Mention] = []
    for mention in mentions:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.entity == mention.entity
            and APPOSITION_GAP.fullmatch(text, last.end, mention.start)
        ):
            kind = "alias" if "alias" in (last.kind, mention.kind) else last.kind
            merged[-1] = Mention(last.entity, last.type, last.start, mention.end, kind)
        else:
            merged.append(mention)
    return merged


def _form_pattern(form: str, any_first_case: bool) -> str:
    return rf"(?<!\w)(?:{_form_body(form, any_first_case)})(?!\w)"


def _form_body(form: str, any_first_case: bool) -> str:
    pieces = []
    for index, char in enumerate(form):
        if char.isspace():
            pieces.append(r"\s+")
        elif char in "'’":
            pieces.append("['’]")
        elif index == 0 and any_first_case and char.isalpha():
            pieces.append(f"[{char.lower()}{char.upper()}]")
        else:
            pieces.append(re.escape(char))
    return "".join(pieces)


def compile_entities(entities: Sequence[Entity], locatives: Iterable[str]) -> EntityList:
    """Compile each alias, role and metonym and index it by its first word."""
    index: dict[str, list[_Form]] = {}
    for entity in entities:
        for kind, forms in (("alias", entity.aliases), ("role", entity.roles), ("metonym", entity.metonyms)):
            for form in forms:
                roleish = kind != "alias"
                lead, core = split_leading(form)
                first = WORD.search(core)
                if first is None:
                    continue
                # A role or metonym written in lower case may open a sentence: its first letter goes either
                # case. One written with a capital ("U.S. President") is matched as written.
                either_case = roleish and not lead and core[0].islower()
                pattern = re.compile(_form_pattern(core, either_case))
                ahead = re.compile(rf"(?<!\w){_form_body(lead, True)}\s+$") if lead else None
                keys = {first.group()}
                if either_case:
                    keys.add(first.group()[0].upper() + first.group()[1:])
                for key in keys:
                    index.setdefault(key, []).append(_Form(entity, kind, pattern, ahead))
    compiled = {k: tuple(v) for k, v in index.items()}
    return EntityList(tuple(entities), frozenset(w.casefold() for w in locatives), compiled)


def load_entities(dirs: Sequence[str | Path] = (), *, shipped: bool = True) -> EntityList:
    """Load rules/entities.yaml (shipped) and each DIR/entities.yaml; a later entity of the same name replaces one."""
    files = [shipped_rules_dir() / "entities.yaml"] if shipped else []
    files += [Path(d) / "entities.yaml" for d in dirs if (Path(d) / "entities.yaml").is_file()]
    problems: list[Problem] = []
    entities: dict[str, Entity] = {}
    locatives: list[str] = []
    for path in files:
        for entity in _load_file(path, problems, locatives):
            entities[entity.name] = entity
    owners: dict[str, str] = {}
    for entity in entities.values():
        for form in (*entity.aliases, *entity.roles, *entity.metonyms):
            other = owners.setdefault(form, entity.name)
            if other != entity.name:
                message = f"'{form}' names both '{other}' and '{entity.name}'"
                problems.append(Problem(display_path(files[-1]), None, message))
    if problems:
        raise RulesetError(problems)
    return compile_entities(list(entities.values()), locatives)


def _load_file(path: Path, problems: list[Problem], locatives: list[str]) -> list[Entity]:
    check, data, items = read_rule_file(path, problems, what="entity", list_key="entities", allowed=FILE_KEYS)
    if data is not None:
        locatives.extend(check.strings(data, "locative_words", None))
    if items is None:
        return []
    out = []
    seen: dict[str, int] = {}
    for item, line in zip(items, items.item_lines, strict=True):
        if not isinstance(item, Located):
            check.problem(line, "an entity is a mapping with 'name', 'type' and 'aliases'")
            continue
        start = len(problems)
        name = check.string(item, "name", None, required=True)
        check.keys(item, ENTITY_KEYS, name, "entity ")
        kind = item.get("type")
        if kind not in TYPES:
            message = f"'type' must be one of {', '.join(TYPES)}, not {kind!r}"
            check.problem(item.key_lines.get("type", line), message, name)
        aliases = check.strings(item, "aliases", name)
        if not aliases:
            check.problem(item.key_lines.get("aliases", line), "an entity needs at least one alias", name)
        if name in seen:
            check.problem(line, f"duplicate entity '{name}' (first at line {seen[name]})", name)
        if len(problems) > start or name is None:
            continue
        seen[name] = line
        roles, metonyms = check.strings(item, "roles", name), check.strings(item, "metonyms", name)
        out.append(Entity(name, kind, aliases, roles, metonyms, check.path, line))
    return out


# Capitalised words that start sentences or name days and months: not names an editor needs to add.
_NOT_NAMES = {
    "The", "A", "An", "In", "On", "At", "But", "And", "He", "She", "It", "They", "We", "I", "This", "That", "As",
    "Asked", "After", "Before", "Still", "However", "Meanwhile", "Following", "Although",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October", "November", "December", "Aug", "Sept",
    "President", "Minister", "Foreign", "Secretary", "Special", "Envoy", "Prime", "Vice", "Chancellor",
}  # fmt: skip
_CAPITALISED = re.compile(r"(?<![\w’'])[A-Z][\w’'-]*(?:\s+(?:of\s+)?[A-Z][\w’'-]*){0,3}")


def discover(texts: Iterable[str], entities: EntityList) -> Counter[str]:
    """Capitalised names no entity covers, with how often they occur: candidates for rules/entities.yaml."""
    known = {form for e in entities.entities for form in (*e.aliases, *e.roles, *e.metonyms)}
    counts: Counter[str] = Counter()
    for text in texts:
        covered = entities.covered(text)
        starts = {start for start, _ in sentences(text)}
        for match in _CAPITALISED.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in covered):
                continue
            words = [w for w in match.group().split() if w not in _NOT_NAMES]
            name = " ".join(words).removesuffix("’s").removesuffix("'s")
            opens_sentence = match.start() in starts or text[match.start() - 1 : match.start()] in '“"‘'
            if not name or name in known or "’" in name or "'" in name:
                continue
            if len(words) == 1 and (opens_sentence or name in _NOT_NAMES):
                continue  # a capital that only starts a sentence or a quote says nothing
            counts[name] += 1
    return counts
