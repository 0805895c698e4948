"""The exceptions cleaner raises: each carries where the problem is."""

from __future__ import annotations

import os
from dataclasses import dataclass

UNDECODED = range(0xDC80, 0xDD00)  # how Python keeps a file name's bytes that are not UTF-8 (surrogateescape)


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as shown to people: one printable line, control characters and undecodable bytes escaped.

    A name may hold a newline or a terminal escape sequence (it could forge a report line or rewrite the
    screen) or bytes that are not UTF-8 (printing them raises): those become `\\n`, `\\x1b`, `\\xff`.
    Printable text is left as it is, so showing a shown path changes nothing.
    """
    text = os.fspath(path)
    if text.isprintable():
        return text
    shown = []
    for char in text:
        if char.isprintable():
            shown.append(char)
        elif ord(char) in UNDECODED:
            shown.append(f"\\x{ord(char) - 0xDC00:02x}")
        else:
            shown.append(repr(char)[1:-1])  # \n, \t, \x1b, \u202e ...
    return "".join(shown)


class CleanerError(Exception):
    """Base class of every error cleaner raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One located problem: a bad rule, a bad input record."""

    path: str
    line: int | None
    message: str
    rule: str | None = None
    what: str = "rule"  # what `rule` names: a rule, a framing axis or variant, an entity, a lexicon word
    row: int | None = None  # a Parquet row (1-based), where a file has rows rather than lines

    def __str__(self) -> str:
        path = display_path(self.path)
        where = path if self.line is None else f"{path}:{self.line}"
        if self.row is not None:
            where = f"{path}: row {self.row}"
        who = f" {self.what} '{self.rule}':" if self.rule else ""
        return f"{where}:{who} {self.message}"


class RulesetError(CleanerError):
    """Rule files failed validation; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem], verdict: str = "no rules loaded."):
        self.problems = problems
        files = len({p.path for p in problems})
        noun = "error" if len(problems) == 1 else "errors"
        fnoun = "file" if files == 1 else "files"
        self.summary = f"{len(problems)} {noun} in {files} {fnoun}; {verdict}"
        super().__init__("\n".join([*map(str, problems), self.summary]))

    def __reduce__(self) -> tuple[type, tuple[list[Problem], str]]:
        return (RulesetError, (self.problems, self.summary.split("; ", 1)[1]))


class InputError(CleanerError):
    """An input (file, record or stream) could not be read as an article."""

    def __init__(self, path: str, message: str, line: int | None = None, row: int | None = None):
        self.problem = Problem(path, line, message, row=row)
        super().__init__(str(self.problem))

    def __reduce__(self) -> tuple[type, tuple[str, str, int | None, int | None]]:
        # Rebuilt from its parts when it crosses to or from a worker process.
        return (InputError, (self.problem.path, self.problem.message, self.problem.line, self.problem.row))

    @property
    def path(self) -> str:
        return self.problem.path

    @property
    def line(self) -> int | None:
        return self.problem.line


class UsageError(CleanerError):
    """Options that do not fit together, or a bad option value (exit code 2)."""


class RuleTimeout(CleanerError):
    """A rule ran past a document's time budget (a pattern backtracking catastrophically, most likely)."""

    def __init__(self, rule: str, seconds: float):
        self.rule, self.seconds = rule, seconds
        super().__init__(f"rule '{rule}' ran past the {seconds:g} s budget for one document")

    def __reduce__(self) -> tuple[type, tuple[str, float]]:
        return (RuleTimeout, (self.rule, self.seconds))
