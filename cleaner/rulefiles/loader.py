"""One loader for every kind of rule file: the shipped rules plus the user's folders, minus what
--disable names, with the user's own examples run before a rule is trusted with a corpus.

Each kind keeps its own reader (boilerplate rules, framing axes, entities, sentiment words); this
module decides once which folders they read, where a --disable name belongs, and that a user rule
whose own examples fail never runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from cleaner.annotation.annotate import Annotator, load_annotator
from cleaner.boilerplate.ruleset import Ruleset, load_ruleset, shipped_rules_dir
from cleaner.errors import RulesetError, UsageError
from cleaner.rulefiles.checks import (
    check_entity_examples,
    check_examples,
    check_framing_examples,
    check_word_examples,
)
from cleaner.rulefiles.validation import did_you_mean


def rule_folders(dirs: Sequence[str | Path] = (), *, shipped: bool = True) -> list[Path]:
    """The folders a run reads rules from, in order: the shipped rules/ (unless shipped=False), then `dirs`."""
    return ([shipped_rules_dir()] if shipped else []) + [Path(d) for d in dirs]


def load_rules(
    dirs: Sequence[str | Path] = (),
    *,
    shipped: bool = True,
    disable: Sequence[str] = (),
    stage_2: bool = True,
    check_user_examples: bool = True,
    sentiment: str = "model",
) -> tuple[Ruleset, Annotator | None]:
    """Boilerplate rules and (with stage_2) the annotator, loaded once.

    --disable names go to whichever kind knows them (a rule or category, an axis or variant); an
    unknown name is a UsageError with a did-you-mean. With check_user_examples, the examples of rules
    and axes from `dirs` run at load, and any failure raises RulesetError, as `cleaner rules check`
    reports it: a rule that fails its own examples (a `line: '.*'`, say) would otherwise empty a corpus.
    """
    ruleset = load_ruleset(dirs, shipped=shipped)
    annotator = load_annotator(dirs, shipped=shipped, sentiment=sentiment) if stage_2 else None
    cleaning = {r.id for r in ruleset.rules} | set(ruleset.categories)
    framing: set[str] = set()
    if annotator is not None:
        axes = annotator.lexicon.axes
        framing = {a.id for a in axes} | {f"{a.id}.{v.id}" for a in axes for v in a.variants}
    unknown = [n for n in disable if n not in cleaning and n not in framing]
    if unknown:
        known = cleaning | framing
        what = "rule, category, axis or variant" if stage_2 else "rule or category"
        raise UsageError("; ".join(f"--disable: no {what} '{n}'{did_you_mean(n, known)}" for n in unknown))
    if check_user_examples and dirs:
        _check_user_examples(ruleset, annotator)
    rules_off = [n for n in disable if n in cleaning]
    axes_off = [n for n in disable if n in framing]
    if rules_off:
        ruleset = ruleset.without(rules_off)
    if axes_off and annotator is not None:
        annotator = replace(annotator, lexicon=annotator.lexicon.without(axes_off))
    return ruleset, annotator


def _check_user_examples(ruleset: Ruleset, annotator: Annotator | None) -> None:
    """Raise RulesetError when a rule or axis outside the shipped folder fails its own examples."""
    shipped = shipped_rules_dir().resolve()

    def users(path: str) -> bool:
        return not Path(path).resolve().is_relative_to(shipped)

    problems = check_examples(ruleset, only=users)
    if annotator is not None:
        problems += check_framing_examples(annotator, only=users) + check_entity_examples(annotator, only=users)
        problems += check_word_examples(annotator, only=users)
    if problems:
        raise RulesetError(problems, verdict="failing examples; no rules loaded (see `cleaner rules check`).")
