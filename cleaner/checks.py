"""Run each rule's own examples: what `cleaner rules check` and the test suite both rely on."""

from __future__ import annotations

from dataclasses import dataclass

from .cleaning import clean
from .document import Document
from .errors import Problem
from .ruleset import Rule, Ruleset


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
    doc = clean(_document(case.rule, case.text), ruleset=scope)
    if case.kind == "remove" and doc.text.strip():
        return f"remove example {case.index} was not removed whole; left: {doc.text.strip()[:80]!r}"
    if case.kind == "keep" and doc.removed:
        by = ", ".join(sorted({r.rule for r in doc.removed}))
        return f"keep example {case.index} lost {doc.removed[0].text.strip()[:60]!r} (removed by {by})"
    expected = (case.expected or "").strip()
    if case.kind == "clean" and doc.text.strip() != expected:
        return f"clean example {case.index} gave {doc.text.strip()[:80]!r}, expected {expected[:80]!r}"
    return None


def check_examples(ruleset: Ruleset) -> list[Problem]:
    """Every failing example: each rule alone on its examples, and the whole ruleset on every keep text."""
    problems = []
    for case in example_cases(ruleset):
        message = run_example(case)
        if message is None and case.kind == "keep":
            # Precision across rules: no other rule may eat a text some rule promises to keep.
            message = run_example(case, ruleset)
        if message is not None:
            problems.append(Problem(case.rule.path, case.rule.line, message, case.rule.id))
    return problems
