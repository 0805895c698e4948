"""The annotation modules compiled with mypyc (hatch_build.py) annotate exactly as their Python source does."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import cleaner
from cleaner import Document, annotate
from cleaner.annotation import compiled
from helpers import ROOT, SEEDS

# Annotate the seeds and print each record as JSON: run here (compiled, if installed so) and in a copy of
# the installed package without its compiled modules (the same source, interpreted).
SCRIPT = """
import dataclasses, json, sys
from pathlib import Path
from cleaner import Document, annotate
from cleaner.annotation import compiled
print(json.dumps(compiled()))
for path in sys.argv[1:]:
    record = annotate(Document(text=Path(path).read_text(encoding="utf-8")))
    print(json.dumps(dataclasses.asdict(record), sort_keys=True, default=str))
"""
EXTENSIONS = (".so", ".pyd")


def test_ci_builds_the_compiled_modules():
    # CI installs with CLEANER_COMPILE=1: a build that fell back to pure Python would go unnoticed otherwise.
    if os.environ.get("CLEANER_COMPILE") != "1":
        pytest.skip("CLEANER_COMPILE=1 is not set (CI sets it)")
    assert compiled(), cleaner.annotation.sentiment_model.__file__


def test_compiled_annotation_matches_the_python_source(tmp_path: Path):
    if not compiled():
        pytest.skip("the annotation modules run as Python source here (an editable or pure-Python install)")
    package = Path(cleaner.__file__).parent
    shutil.copytree(
        package,
        tmp_path / "cleaner",
        ignore=lambda _, names: [n for n in names if n.endswith(EXTENSIONS) or n == "__pycache__"],
    )
    seeds = sorted(str(p) for p in SEEDS.glob("*.txt"))
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *seeds], capture_output=True, text=True, env=env, cwd=tmp_path, check=True
    )
    interpreted, *records = done.stdout.splitlines()
    assert json.loads(interpreted) is False  # the copy ran as source
    here = [
        json.dumps(
            dataclasses.asdict(annotate(Document(text=Path(p).read_text(encoding="utf-8")))),
            sort_keys=True,
            default=str,
        )
        for p in seeds
    ]
    assert len(records) == len(seeds) == 5
    assert records == here


# The build hook itself (hatch_build.py), with the compiler step replaced: what it puts in the wheel, when it
# tries, and what a failed compile does under each CLEANER_COMPILE.
pytest.importorskip("hatchling", reason="needs hatchling (the test extra installs it)")
_spec = importlib.util.spec_from_file_location("hatch_build", ROOT / "hatch_build.py")
assert _spec is not None and _spec.loader is not None
hatch_build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hatch_build)


class _App:
    def __init__(self) -> None:
        self.warnings: list[str] = []

    def display_warning(self, message: str) -> None:
        self.warnings.append(message)


def _hook(target: str = "wheel") -> tuple[object, _App]:
    app = _App()
    hook = hatch_build.CompileHook(str(ROOT), {}, None, None, str(ROOT / "dist"), target, app)
    return hook, app


def _fresh() -> dict:
    return {"pure_python": True, "infer_tag": False, "force_include": {}}


@pytest.mark.parametrize("mode", [None, "auto", "1"])
def test_the_hook_puts_what_it_compiled_in_the_wheel(monkeypatch, mode):
    if mode is None:
        monkeypatch.delenv("CLEANER_COMPILE", raising=False)
    else:
        monkeypatch.setenv("CLEANER_COMPILE", mode)
    hook, app = _hook()
    monkeypatch.setattr(hook, "_compile", lambda work: {str(work / "m.so"): "cleaner/annotation/m.so"})
    data = _fresh()
    hook.initialize("standard", data)
    assert data == {
        "pure_python": False,
        "infer_tag": True,
        "force_include": {str(hook._work / "m.so"): "cleaner/annotation/m.so"},
    }
    assert app.warnings == []
    hook.finalize("standard", data, "x.whl")
    assert not hook._work.exists()  # its temporary directory is gone


@pytest.mark.parametrize(
    ("mode", "version", "target"),
    [("0", "standard", "wheel"), ("auto", "editable", "wheel"), ("1", "standard", "sdist")],
)
def test_the_hook_does_not_try_for_pure_editable_or_sdist(monkeypatch, mode, version, target):
    monkeypatch.setenv("CLEANER_COMPILE", mode)
    hook, _ = _hook(target)
    monkeypatch.setattr(hook, "_compile", lambda work: pytest.fail("compiled"))
    data = _fresh()
    hook.initialize(version, data)
    assert data == _fresh()


def test_a_failed_compile_falls_back_to_pure_python_with_a_warning_or_fails_under_1(monkeypatch):
    def broken(work):
        raise RuntimeError("mypyc failed:\nerror: command 'cc' failed: No such file or directory")

    monkeypatch.setenv("CLEANER_COMPILE", "auto")
    hook, app = _hook()
    monkeypatch.setattr(hook, "_compile", broken)
    data = _fresh()
    hook.initialize("standard", data)
    assert data == _fresh()  # a pure-Python wheel, which works
    (warning,) = app.warnings
    assert "not compiled (error: command 'cc' failed: No such file or directory)" in warning
    assert "CLEANER_COMPILE=0" in warning
    monkeypatch.setenv("CLEANER_COMPILE", "1")
    hook, app = _hook()
    monkeypatch.setattr(hook, "_compile", broken)
    with pytest.raises(RuntimeError, match="mypyc failed"):
        hook.initialize("standard", _fresh())


def test_the_hook_refuses_an_unknown_setting(monkeypatch):
    monkeypatch.setenv("CLEANER_COMPILE", "yes")
    hook, _ = _hook()
    with pytest.raises(ValueError, match="CLEANER_COMPILE='yes': expected auto, 0 or 1"):
        hook.initialize("standard", _fresh())


class _Offset:
    """An integer that is not an int, as numpy's int64 is: it has __index__ (operator.index reads it)."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __index__(self) -> int:
        return self.value


@pytest.mark.parametrize("method", ["model", "lexicon"])
def test_offsets_may_be_any_integer_like_numpys(method):
    # Compiled, a parameter declared int takes only Python's int; the public functions read offsets with
    # operator.index, so a researcher's numpy offsets (from a DataFrame) work as they always did.
    from cleaner import target_sentiment
    from cleaner.annotation.sentiment_model import score_mention

    text = "Critics condemned Smith and Jones for the failed plan."
    plain = target_sentiment(text, 18, 23, others=[(28, 33)], method=method)
    others = [(_Offset(28), _Offset(33))]
    assert target_sentiment(text, _Offset(18), _Offset(23), others=others, method=method) == plain
    assert score_mention(text, _Offset(18), _Offset(23)) == score_mention(text, 18, 23)
    assert plain < 0  # "condemned" reaches Smith: a real score, not a default
