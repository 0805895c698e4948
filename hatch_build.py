"""Build hook: a wheel of cleaner carries its annotation modules compiled with mypyc, where a C compiler is.

The modules stay plain Python (their .py files ship too, and an editable install uses them as they are);
mypyc compiles the same source to C extension modules, which Python imports in their place. On real
news `annotate` runs about a quarter faster compiled (docs/performance.md); the output is the same.

CLEANER_COMPILE chooses: "auto" (the default) compiles where it can and otherwise builds the pure-Python
wheel with a warning; "1" fails the build if compiling fails (CI sets it); "0" never compiles.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# The modules annotate spends its time in (entity search, sentiment, framing); the rest of the package
# (cleaning, I/O, the CLI) stays interpreted.
COMPILED = tuple(
    f"cleaner/annotation/{name}.py"
    for name in (
        "annotate",
        "entities",
        "framing",
        "recognise",
        "sentences",
        "sentiment",
        "sentiment_model",
        "textindex",
        "voice",
    )
)
SETTING = "CLEANER_COMPILE"

# Run in a copy of the package, so that setuptools (which mypyc builds with) never reads this project's
# pyproject.toml, and nothing is written into the source tree.
_BUILD = """
import sys
from mypyc.build import mypycify
from setuptools import setup

out, temp, *paths = sys.argv[1:]
setup(
    name="cleaner-compiled",
    packages=[],
    py_modules=[],
    ext_modules=mypycify(["--ignore-missing-imports", *paths], opt_level="3"),
    script_args=["build_ext", "--build-lib", out, "--build-temp", temp],
)
"""


class CompileHook(BuildHookInterface):
    """Compile COMPILED with mypyc into the wheel (not into an editable install, nor an sdist)."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        mode = os.environ.get(SETTING, "auto").strip().lower()
        if mode not in ("auto", "0", "1"):
            raise ValueError(f"{SETTING}={mode!r}: expected auto, 0 or 1")
        if self.target_name != "wheel" or version == "editable" or mode == "0":
            return
        self._work = Path(tempfile.mkdtemp(prefix="cleaner-mypyc-"))
        try:
            built = self._compile(self._work)
        except Exception as error:  # no compiler, no mypy, a type error: the pure-Python wheel still works
            shutil.rmtree(self._work, ignore_errors=True)
            if mode == "1":
                raise
            reason = (str(error).strip().splitlines() or [type(error).__name__])[-1][:200]
            self.app.display_warning(
                f"cleaner: the annotation modules were not compiled ({reason}); they install as pure Python, "
                f"which annotates about a quarter slower. Set {SETTING}=0 to skip trying, {SETTING}=1 to fail instead."
            )
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        build_data["force_include"].update(built)

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        work = getattr(self, "_work", None)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)

    def _compile(self, work: Path) -> dict[str, str]:
        """Compile the modules in a copy of the package under `work`: {built file: its path in the wheel}."""
        source, out, temp = work / "src", work / "out", work / "temp"
        shutil.copytree(
            Path(self.root) / "cleaner",
            source / "cleaner",
            ignore=lambda _, names: [n for n in names if n == "__pycache__" or n.endswith((".so", ".pyd"))],
        )
        done = subprocess.run(
            [sys.executable, "-c", _BUILD, str(out), str(temp), *COMPILED],
            cwd=source,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise RuntimeError(f"mypyc failed:\n{done.stdout}{done.stderr}")
        built = {
            str(path): path.relative_to(out).as_posix()
            for path in sorted(out.rglob("*"))
            if path.suffix in (".so", ".pyd")
        }
        expected = {Path(module).with_suffix("").as_posix() for module in COMPILED}
        found = {name.split(".")[0] for name in built.values()}
        if not expected <= found:
            raise RuntimeError(f"mypyc built {sorted(found)}, not all of {sorted(expected)}")
        return built
