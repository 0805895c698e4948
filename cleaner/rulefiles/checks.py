"""Run each rule's own examples: what `cleaner rules check` and the test suite both rely on."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from cleaner.annotation.annotate import Annotator
from cleaner.annotation.framing import term_conflicts
from cleaner.annotation.sentiment import WordExample
from cleaner.boilerplate.cleaning import clean
from cleaner.boilerplate.ruleset import Rule, Ruleset
from cleaner.document import Document
from cleaner.errors import Problem, RuleTimeout

NEUTRAL_BAND = 0.05  # a word example's score within this of 0 is neutral
EXAMPLE_SECONDS = 2.0  # an example is a few lines: anything slower is a runaway pattern


@dataclass(frozen=True)
class ExampleCase:
    """One example of one rule: `kind` is remove, keep or clean; `expected` is the clean output."""

    rule: Rule
    kind: str
    index: int
    text: str
    expected: str | None = None

    @property
    def case_id(self) -> str:
        return f"{self.rule.id}-{self.kind}-{self.index}"


def example_cases(ruleset: Ruleset) -> list[ExampleCase]:
    """Every example of every rule, in ruleset order."""
    cases = []
    for rule in ruleset.rules:
        cases += [ExampleCase(rule, "remove", i, text) for i, text in enumerate(rule.examples.remove)]
        cases += [ExampleCase(rule, "keep", i, text) for i, text in enumerate(rule.examples.keep)]
        cases += [ExampleCase(rule, "clean", i, src, out) for i, (src, out) in enumerate(rule.examples.clean)]
    return cases


def _document(rule: Rule, text: str) -> Document:
    # An example is a document of the rule's own scope, so scoped rules run on it.
    outlet = next(iter(sorted(rule.outlets)), None)
    lang = next(iter(sorted(rule.languages)), None)
    return Document(text=text, outlet=outlet, lang=lang)


def run_example(case: ExampleCase, ruleset: Ruleset | None = None) -> str | None:
    """Check one example against its rule alone (or against `ruleset`); return a failure message or None."""
    scope = ruleset if ruleset is not None else Ruleset((case.rule,))
    if case.rule.kind == "structure":
        return _run_structure_example(case, scope)
    try:
        doc = clean(_document(case.rule, case.text), ruleset=scope, seconds=EXAMPLE_SECONDS)
    except RuleTimeout as exc:
        return f"{case.kind} example {case.index}: {exc} (a pattern that backtracks without end?)"
    if case.kind == "remove" and doc.text.strip():
        return f"remove example {case.index} was not removed whole; left: {doc.text.strip()[:80]!r}"
    if case.kind == "keep" and doc.removed:
        by = ", ".join(sorted({r.rule for r in doc.removed}))
        return f"keep example {case.index} lost {doc.removed[0].text.strip()[:60]!r} (removed by {by})"
    expected = (case.expected or "").strip()
    if case.kind == "clean" and doc.text.strip() != expected:
        return f"clean example {case.index} gave {doc.text.strip()[:80]!r}, expected {expected[:80]!r}"
    return None


def _run_structure_example(case: ExampleCase, scope: Ruleset) -> str | None:
    """A structure rule's examples are HTML pages: extraction must (remove) or must not (keep) use the rule."""
    from cleaner.io.extract import extract_html  # trafilatura is imported only when HTML is read

    extracted = extract_html(case.text, ruleset=scope)
    if extracted is None:
        return f"{case.kind} example {case.index}: no article text found in the HTML"
    removed = extracted["removed"]
    if case.kind == "remove" and not any(r.rule == case.rule.id for r in removed):
        return f"remove example {case.index}: the page's {case.rule.structure} was not removed"
    if case.kind == "keep" and removed:
        by = ", ".join(sorted({r.rule for r in removed}))
        return f"keep example {case.index} lost {removed[0].text.strip()[:60]!r} (removed by {by})"
    expected = (case.expected or "").strip()
    if case.kind == "clean" and extracted["text"].strip() != expected:
        return f"clean example {case.index} gave {extracted['text'].strip()[:80]!r}, expected {expected[:80]!r}"
    return None


def check_examples(ruleset: Ruleset, *, only: Callable[[str], bool] | None = None) -> list[Problem]:
    """Every failing example: each rule alone on its examples, and the whole ruleset on every keep text.
    `only` picks the rule files (by path) whose examples run; None: all."""
    problems = []
    for case in example_cases(ruleset):
        if only is not None and not only(case.rule.path):
            continue
        message = run_example(case)
        if message is None and case.kind == "keep":
            # Precision across rules: no other rule may eat a text some rule promises to keep.
            message = run_example(case, ruleset)
        if message is not None:
            problems.append(Problem(case.rule.path, case.rule.line, message, case.rule.id))
    return problems


@dataclass(frozen=True)
class OwnedCase:
    """One example of a framing variant (owner 'axis.variant'; kind match or no_match) or of an entity
    (owner its name; kind mention or no_mention), located where its owner is defined."""

    owner: str
    kind: str
    index: int
    text: str
    path: str
    line: int

    @property
    def case_id(self) -> str:
        return f"{self.owner}-{self.kind}-{self.index}"


def framing_example_cases(annotator: Annotator) -> list[OwnedCase]:
    """Every example of every framing variant, in file order."""
    cases = []
    for axis in annotator.lexicon.axes:
        for variant in axis.variants:
            for kind, texts in (("match", variant.match_examples), ("no_match", variant.no_match_examples)):
                cases += [
                    OwnedCase(f"{axis.id}.{variant.id}", kind, i, text, variant.path, variant.line)
                    for i, text in enumerate(texts)
                ]
    return cases


def run_framing_example(case: OwnedCase, annotator: Annotator) -> str | None:
    """Check one framing example against the whole lexicon (longest match wins there); a message or None."""
    found = {f"{m.axis}.{m.variant}" for m in annotator.lexicon.find(case.text)}
    hit = case.owner in found
    if case.kind == "match" and not hit:
        got = ", ".join(sorted(found)) or "nothing"
        return f"match example {case.index} is not marked (found {got}): {case.text[:80]!r}"
    if case.kind == "no_match" and hit:
        return f"no_match example {case.index} is marked: {case.text[:80]!r}"
    return None


def check_framing_examples(annotator: Annotator, *, only: Callable[[str], bool] | None = None) -> list[Problem]:
    """Every failing framing example, located at its variant; `only` picks the files (by path) to run."""
    cases = framing_example_cases(annotator)
    return _failing(cases, run_framing_example, annotator, only, lambda c: (c.owner, "framing"))


def _failing(
    cases: Sequence[Any],
    run: Callable[[Any, Annotator], str | None],
    annotator: Annotator,
    only: Callable[[str], bool] | None,
    who: Callable[[Any], tuple[str, str]],
) -> list[Problem]:
    """Run stage-2 examples (cases with .path and .line) and locate each failure; `who` names its owner."""
    problems = []
    for case in cases:
        if only is not None and not only(case.path):
            continue
        message = run(case, annotator)
        if message is not None:
            name, what = who(case)
            problems.append(Problem(case.path, case.line, message, name, what))
    return problems


def check_framing_terms(annotator: Annotator) -> list[Problem]:
    """Terms another variant's term always takes (the same term twice, or shadowed), located at the term."""
    return term_conflicts(annotator.lexicon)


def entity_example_cases(annotator: Annotator) -> list[OwnedCase]:
    """Every example of every listed entity, in file order."""
    cases = []
    for entity in annotator.entities.entities:
        for kind, texts in (("mention", entity.mention_examples), ("no_mention", entity.no_mention_examples)):
            cases += [OwnedCase(entity.name, kind, i, text, entity.path, entity.line) for i, text in enumerate(texts)]
    return cases


def run_entity_example(case: OwnedCase, annotator: Annotator) -> str | None:
    """Check one entity example against the whole entity list and recognition; a message or None."""
    found = annotator.entities.mentions(case.text)
    hit = [m for m in found if m.entity == case.owner]
    if case.kind == "mention" and not hit:
        got = ", ".join(sorted({m.entity for m in found})) or "nothing"
        return f"mention example {case.index} has no mention of it (found {got}): {case.text[:80]!r}"
    if case.kind == "no_mention" and hit:
        words = ", ".join(repr(case.text[m.start : m.end]) for m in hit)
        return f"no_mention example {case.index} is read as a mention ({words}): {case.text[:80]!r}"
    return None


def check_entity_examples(annotator: Annotator, *, only: Callable[[str], bool] | None = None) -> list[Problem]:
    """Every failing entity example, located at its entity; `only` picks the files (by path) to run."""
    return _failing(entity_example_cases(annotator), run_entity_example, annotator, only, lambda c: (c.owner, "entity"))


def word_example_cases(annotator: Annotator) -> list[WordExample]:
    """Every example of every word of the sentiment lexicon (sentiment.yaml), in file order."""
    return list(annotator.sentiment.examples)


def run_word_example(case: WordExample, annotator: Annotator) -> str | None:
    """Check one sentiment-word example under the lexicon method (the words' own meaning); a message or None."""
    from cleaner.annotation.sentiment import target_sentiment

    start = case.text.index(case.target)
    score = target_sentiment(case.text, start, start + len(case.target), lexicon=annotator.sentiment, method="lexicon")
    sign = "positive" if score > NEUTRAL_BAND else "negative" if score < -NEUTRAL_BAND else "neutral"
    if sign != case.sign:
        return f"example gives {case.target!r} {score:+.2f} ({sign}), not {case.sign}: {case.text[:80]!r}"
    return None


def check_word_examples(annotator: Annotator, *, only: Callable[[str], bool] | None = None) -> list[Problem]:
    """Every failing sentiment-word example, located at its example; `only` picks the files (by path)."""
    return _failing(word_example_cases(annotator), run_word_example, annotator, only, lambda c: (c.word, "word"))
