"""The README's examples run as written: every `cleaner` command line, and the Python block's results."""

from __future__ import annotations

import ast
import re
import shlex
import subprocess
import sys

import pytest

from helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w*)\n(.*?)```", README, flags=re.S)
COMMANDS = [
    line.split("  #")[0].strip()
    for kind, body in BLOCKS
    if kind == "sh"
    for line in body.splitlines()
    if line.startswith("cleaner ")
]


def test_the_readme_has_one_example_per_command():
    commands = {shlex.split(c)[1] for c in COMMANDS}
    assert {"clean", "explain", "annotate", "compare", "review", "rules"} <= commands


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command_runs(tmp_path, command):
    (tmp_path / "seeds").symlink_to(ROOT / "seeds")
    args = shlex.split(command)
    result = subprocess.run(
        [sys.executable, "-m", "cleaner", *args[1:]], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    written = [p for p in tmp_path.iterdir() if p.name != "seeds"]
    assert result.stdout.strip() or written, "the command printed and wrote nothing"


def test_readme_python_block_gives_the_values_it_shows():
    (code,) = [body for kind, body in BLOCKS if kind == "python"]
    namespace: dict = {}
    checked = 0
    for line in code.splitlines():
        expression, _, shown = line.partition("  # ")
        if not expression.strip():
            continue
        try:
            expected = ast.literal_eval(shown.strip()) if shown else None
        except (ValueError, SyntaxError):
            expected = None
        if expected is None:
            exec(expression, namespace)
            continue
        assert eval(expression, namespace) == expected, line
        checked += 1
    assert checked >= 2
