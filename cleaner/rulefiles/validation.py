"""Located validation shared by every rule file kind: boilerplate rules, framing axes, entities, sentiment."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from cleaner.errors import Problem
from cleaner.rulefiles.yamlsource import Located, LocatedList, load_located


def display_path(path: Path) -> str:
    """A path as an editor reads it in an error: relative to the working folder where possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest option, or ''."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class FileChecker:
    """Validates one rule file, appending located problems."""

    def __init__(self, path: str, problems: list[Problem], what: str = "rule"):
        self.path = path
        self.problems = problems
        self.what = what

    def problem(self, line: int | None, message: str, rule: str | None = None) -> None:
        self.problems.append(Problem(self.path, line, message, rule, self.what))

    def keys(self, mapping: Located, allowed: Sequence[str], rule: str | None, what: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.problem(mapping.key_lines[key], f"unknown {what}key '{key}'{did_you_mean(key, allowed)}", rule)

    def string(self, mapping: Located, key: str, rule: str | None, required: bool = False) -> str | None:
        if key not in mapping:
            if required:
                self.problem(mapping.line, f"missing required key '{key}'", rule)
            return None
        value = mapping[key]
        if not isinstance(value, str) or not value.strip():
            self.problem(mapping.key_lines[key], f"'{key}' must be a non-empty string", rule)
            return None
        return value

    def strings(self, mapping: Located, key: str, rule: str | None) -> tuple[str, ...]:
        if key not in mapping:
            return ()
        value = mapping[key]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(mapping.key_lines[key], f"'{key}' must be a list of non-empty strings", rule)
            return ()
        return tuple(value)

    def integer(self, mapping: Located, key: str, rule: str | None, default: int | None) -> int | None:
        if key not in mapping:
            return default
        value = mapping[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.problem(mapping.key_lines[key], f"'{key}' must be a whole number of at least 1", rule)
            return default
        return value

    def regex(self, text: str | None, line: int, what: str, rule: str | None, flags: int) -> re.Pattern[str] | None:
        if text is None:
            return None
        try:
            return re.compile(text, flags)
        except re.error as exc:
            self.problem(line, f"bad regex in '{what}': {exc}", rule)
            return None


def read_rule_file(
    path: Path, problems: list[Problem], *, what: str, list_key: str, allowed: Sequence[str]
) -> tuple[FileChecker, Located | None, LocatedList | None]:
    """Open a rule file of one kind: its checker, its top-level mapping and its main list, each None when absent."""
    display = display_path(path)
    check = FileChecker(display, problems, what)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        check.problem(None, f"cannot read rule file: {exc}")
        return check, None, None
    data, yaml_problems = load_located(text, display)
    problems.extend(yaml_problems)
    if not isinstance(data, Located):
        if not yaml_problems:
            check.problem(1, f"expected a mapping with a '{list_key}:' list")
        return check, None, None
    check.keys(data, allowed, None, "top-level ")
    items = data.get(list_key)
    if not isinstance(items, LocatedList):
        check.problem(data.key_lines.get(list_key, data.line), f"'{list_key}' must be a list")
        return check, data, None
    return check, data, items
