"""Entities (people, states, places, organisations) and their mentions in a text.

The list (rules/entities.yaml and a user's entities.yaml) rules: its aliases, roles and metonyms are found
first, and recognition (cleaner.annotation.recognise) adds the names the list does not cover.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.annotation.recognise import (
    LONE,
    LONE_PLACE,
    Name,
    Recogniser,
    common_openers,
    load_recogniser,
    located,
    lone_type,
    merge,
    merge_across,
    pronouns,
)
from cleaner.annotation.sentences import sentences
from cleaner.annotation.textindex import extend_back, find_keys, split_leading
from cleaner.boilerplate.ruleset import shipped_rules_dir
from cleaner.errors import Problem, RulesetError
from cleaner.rulefiles.validation import FileChecker, read_rule_file
from cleaner.rulefiles.yamlsource import Located

TYPES = ("person", "state", "organisation")
# Recognition also types a name as a place (a city, a region) or other (a group: "Republicans"; a lone surname).
FOUND_TYPES = (*TYPES, "place", "other")
ENTITY_KEYS = ("name", "type", "aliases", "roles", "metonyms", "examples")
EXAMPLE_KEYS = ("mention", "no_mention")
FILE_KEYS = ("entities", "locative_words", "not_entities", "recognise")
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
    # Texts that must (mention) and must not (no_mention) yield a mention of it: `cleaner rules check` runs them.
    mention_examples: tuple[str, ...] = field(default=(), compare=False)
    no_mention_examples: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class Mention:
    """Where a text refers to an entity: [start, end), and how (alias, role, metonym; name if recognised; pronoun)."""

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
    recogniser: Recogniser | None = None
    not_entities: frozenset[str] = frozenset()
    # Derived in __post_init__ (declared, as compiled classes have no attributes but their fields):
    _names: dict[str, str | None] = field(default_factory=dict, init=False, repr=False, compare=False)  # name_of's
    _aliases: dict[str, Entity] = field(default_factory=dict, init=False, repr=False, compare=False)
    _forms: frozenset[str] = field(default=frozenset(), init=False, repr=False, compare=False)  # every listed form

    def mentions(self, text: str, sentence_spans: Sequence[tuple[int, int]] | None = None) -> list[Mention]:
        """Listed mentions, then names recognition finds outside them, then pronouns resolved to a person."""
        listed = self.find(text)
        if self.recogniser is None:
            return listed
        taken = bytearray(len(text))
        for mention in listed:
            taken[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
        spans = sentence_spans if sentence_spans is not None else sentences(text)
        starts = frozenset(start for start, _ in spans)
        aliases = self._aliases
        found = []
        names = merge(self.recogniser.names(text, taken, starts, self.not_entities))
        openers = common_openers(text, names, starts)
        if openers:
            names = [name for name in names if name.name not in openers]
        # One name, one type in a document: a lone word (or city) that is a person somewhere ("Noda said",
        # "Mr. Noda") is a person everywhere; a city the text puts something in is a place, another a lone word.
        people = {n.name for n in names if n.type == "person" and " " not in n.name}
        known = self.recogniser.places
        places = {n.name for n in names if n.type == LONE_PLACE and located(text, n.start, n.end, known)} - people
        if people or any(n.type in (LONE, LONE_PLACE) for n in names):
            names = [
                n
                if n.type != LONE and n.type != LONE_PLACE
                else Name(
                    n.start,
                    n.end,
                    n.name,
                    "person" if n.name in people else "place" if n.name in places else LONE,
                    n.gender,
                )
                for n in names
            ]
        genders = {name.start: name.gender for name in names}
        for name in names:
            entity = aliases.get(name.name)
            if entity is None and name.name in self._forms:
                continue  # a listed metonym the list read as a place ("talks in Kyiv"): not a second entity
            if entity is not None:
                found.append(Mention(entity.name, entity.type, name.start, name.end, "alias"))
            else:
                found.append(Mention(name.name, name.type, name.start, name.end, "name"))
        named = sorted(listed + found, key=lambda m: m.start)
        # A lone name not yet typed ("Kasich, meanwhile, ... his record") may be the person a pronoun means:
        # it is a candidate, and becomes a person when a pronoun resolves to it.
        given = self.recogniser.given
        candidates = [
            (m.start, m.end, m.entity, genders.get(m.start) or given.get(m.entity.split()[0], "unknown"))
            for m in named
            if self._may_be_person(m)
        ]
        resolved = [Mention(e, "person", a, b, "pronoun") for a, b, e in pronouns(text, candidates)]
        promoted = {m.entity for m in resolved}
        otherwise = lone_type(len(spans))
        named = [
            m
            if m.type != LONE
            else Mention(m.entity, "person" if m.entity in promoted else otherwise, m.start, m.end, m.kind)
            for m in named
        ]
        return sorted(named + resolved, key=lambda m: m.start)

    def _may_be_person(self, mention: Mention) -> bool:
        if mention.type == "person":
            return True
        return mention.type == LONE

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
        return before is not None and before.group(1).casefold() in self.locatives

    def name_of(self, words: str) -> str | None:
        """The entity a short text names ("ministry spokeswoman Maria Zakharova" -> Maria Zakharova), if any."""
        cache = self._names
        if words not in cache:
            if len(cache) > 10_000:  # speakers repeat across a corpus; a bound keeps memory flat
                cache.clear()
            found = self.find(words)
            cache[words] = found[0].entity if found else None
        return cache[words]

    def __post_init__(self) -> None:
        aliases = {form: e for e in self.entities for form in e.aliases}
        object.__setattr__(self, "_aliases", aliases)
        forms = frozenset(f for e in self.entities for f in (*e.aliases, *e.roles, *e.metonyms))
        object.__setattr__(self, "_forms", forms)

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
    settings: dict[str, object] = {"recognise": True, "not_entities": []}
    for path in files:
        for entity in _load_file(path, problems, locatives, settings):
            entities[entity.name] = entity
    owners: dict[str, Entity] = {}
    for entity in entities.values():
        for form in (*entity.aliases, *entity.roles, *entity.metonyms):
            other = owners.setdefault(form, entity)
            if other.name != entity.name:
                message = f"'{form}' names both '{other.name}' (at {other.path}:{other.line}) and '{entity.name}'"
                problems.append(Problem(entity.path, entity.line, message, entity.name, "entity"))
    recogniser = None
    if settings["recognise"]:
        shipped_dir = shipped_rules_dir()
        recogniser = load_recogniser(shipped_dir, problems)
    if problems:
        raise RulesetError(problems)
    listed = compile_entities(list(entities.values()), locatives)
    not_entities = frozenset(settings["not_entities"])  # type: ignore[call-overload]
    return EntityList(listed.entities, listed.locatives, listed.index, recogniser, not_entities)


def _load_file(path: Path, problems: list[Problem], locatives: list[str], settings: dict[str, object]) -> list[Entity]:
    check, data, items = read_rule_file(path, problems, what="entity", list_key="entities", allowed=FILE_KEYS)
    if data is not None:
        locatives.extend(check.strings(data, "locative_words", None))
        # A name recognition finds that is not an entity here ("Obamacare", a byline's name): never reported.
        settings["not_entities"].extend(check.strings(data, "not_entities", None))  # type: ignore[attr-defined]
        if "recognise" in data:
            if isinstance(data["recognise"], bool):
                settings["recognise"] = data["recognise"]
            else:
                check.problem(data.key_lines["recognise"], "'recognise' must be true or false")
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
        if kind not in FOUND_TYPES:
            message = f"'type' must be one of {', '.join(FOUND_TYPES)}, not {kind!r}"
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
        mention, no_mention = _examples(item, name, check)
        out.append(Entity(name, str(kind), aliases, roles, metonyms, check.path, line, mention, no_mention))
    return out


def _examples(item: Located, name: str, check: FileChecker) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """An entity's `examples: {mention: [...], no_mention: [...]}`, checked where it stands."""
    spec = item.get("examples")
    if spec is None:
        return (), ()
    if not isinstance(spec, Located):
        check.problem(item.key_lines["examples"], "'examples' is a mapping with 'mention' and 'no_mention' lists", name)
        return (), ()
    check.keys(spec, EXAMPLE_KEYS, name, "examples ")
    return check.strings(spec, "mention", name), check.strings(spec, "no_mention", name)


@dataclass(frozen=True)
class Discovered:
    """A name recognition found that no listed entity covers: its type, mentions, and the forms texts used."""

    name: str
    type: str
    mentions: int
    forms: tuple[str, ...]


def discover(texts: Iterable[str], entities: EntityList) -> list[Discovered]:
    """Names recognition finds outside the list, merged across texts ("Roe" into "Jane Roe"), most mentioned first."""
    counts: Counter[str] = Counter()
    types: dict[str, Counter[str]] = {}
    forms: dict[str, set[str]] = {}
    for text in texts:
        for mention in entities.mentions(text):
            if mention.kind != "name":
                continue
            counts[mention.entity] += 1
            types.setdefault(mention.entity, Counter())[mention.type] += 1
            surface = " ".join(text[mention.start : mention.end].split())
            forms.setdefault(mention.entity, {mention.entity}).update(
                [surface] if mention.entity.endswith(surface) else []
            )
    kinds = {name: _most_common(kind) for name, kind in types.items()}
    into = merge_across(kinds)
    merged: dict[str, Discovered] = {}
    for name in sorted(counts):
        target = into.get(name, name)
        found = merged.get(target, Discovered(target, kinds[target], 0, (target,)))
        words = sorted(set(found.forms) | forms[name], key=lambda f: (-len(f), f))
        merged[target] = Discovered(target, found.type, found.mentions + counts[name], tuple(words))
    return sorted(merged.values(), key=lambda d: (-d.mentions, d.name))


def _most_common(types: Counter[str]) -> str:
    # "person" wins a tie: a name was a person's where a title or a pronoun said so.
    return max(types, key=lambda t: (types[t], t == "person", t))


def render_discovered(found: Sequence[Discovered]) -> str:
    """Discovered names as an entities.yaml fragment, with each one's mentions as a comment."""
    lines = ["entities:"]
    for item in found:
        lines.append(f"  - name: {_yaml_string(item.name)}  # {item.mentions} mentions")
        lines.append(f"    type: {item.type}")
        lines.append(f"    aliases: [{', '.join(_yaml_string(f) for f in item.forms)}]")
    return "\n".join(lines) + "\n"


def _yaml_string(text: str) -> str:
    # Plain where YAML reads it back as the same string; quoted where it would not ("No", "A: B", "[x]").
    plain = re.fullmatch(r"[A-Za-z][\w .’'-]*", text) and text.lower() not in ("yes", "no", "true", "false", "null")
    return text if plain else json.dumps(text, ensure_ascii=False)
