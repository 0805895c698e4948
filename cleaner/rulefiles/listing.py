"""What `cleaner rules list` shows: every loaded rule, framing variant and entity, with where it came from."""

from __future__ import annotations

from dataclasses import dataclass

from cleaner.annotation.annotate import Annotator
from cleaner.boilerplate.ruleset import Ruleset


@dataclass(frozen=True)
class Listing:
    """One table of loaded rules: a title, its column headers and its rows."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def list_rules(ruleset: Ruleset, annotator: Annotator) -> list[Listing]:
    """Boilerplate rules in application order, then framing variants and entities, each with its file:line."""
    rules = []
    for rule in ruleset.rules:
        where = rule.where if rule.where == "anywhere" else f"{rule.where} {rule.within}"
        outlets = ", ".join(sorted(rule.outlets)) or "all"
        languages = ", ".join(sorted(rule.languages)) or "all"
        rules.append((rule.id, rule.category, rule.kind, outlets, languages, where, f"{rule.path}:{rule.line}"))
    variants = [
        (f"{axis.id}.{variant.id}", variant.label, str(len(variant.terms)), f"{variant.path}:{variant.line}")
        for axis in annotator.lexicon.axes
        for variant in axis.variants
    ]
    entities = [
        (entity.name, entity.type, ", ".join(entity.aliases), f"{entity.path}:{entity.line}")
        for entity in annotator.entities.entities
    ]
    return [
        Listing(
            "boilerplate rules", ("rule", "category", "matcher", "outlets", "languages", "where", "from"), tuple(rules)
        ),
        Listing("framing variants", ("axis.variant", "label", "terms", "from"), tuple(variants)),
        Listing("entities", ("entity", "type", "aliases", "from"), tuple(entities)),
    ]
