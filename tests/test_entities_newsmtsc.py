"""Quality floor: entity recognition on NewsMTSC dev (benchmarks/eval_entities.py), pinned one point below measured."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
# Measured 96.9% (749/773) and 65.9% (174/264); raising a floor is free, lowering it needs a stated reason.
COVERAGE_FLOOR = 95.9
PRONOUN_FLOOR = 64.9


def _evaluation():
    spec = importlib.util.spec_from_file_location("eval_entities", ROOT / "benchmarks" / "eval_entities.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def figures():
    if not (DATA / "newsmtsc").is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{DATA / 'newsmtsc'} is missing: CI has the data")
        pytest.skip(f"{DATA / 'newsmtsc'} is absent (development data, not shipped)")
    return _evaluation().measure(DATA)


def test_named_targets_fall_inside_reported_mentions(figures):
    assert 100 * figures["covered"] / figures["named"] >= COVERAGE_FLOOR


def test_pronoun_targets_resolve_to_a_person(figures):
    assert 100 * figures["resolved"] / figures["pronouns"] >= PRONOUN_FLOOR


def test_hand_checked_sample_is_complete_and_current(figures):
    evaluation = _evaluation()
    judged, ok, wrong_type, wrong = evaluation.precision()
    assert judged >= 200 and ok + wrong_type + wrong == judged
    # The precision figure holds for the code only while it still reports every sampled mention as judged:
    # after a change, `python benchmarks/eval_entities.py --sample 200` keeps the verdicts that still hold.
    assert evaluation.stale(figures["reported"]) == 0
