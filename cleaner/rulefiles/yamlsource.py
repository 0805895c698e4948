"""Load YAML keeping line numbers, and reject duplicate keys and aliases.

PyYAML silently keeps the last of two equal keys; for rule files that hides an editor's mistake,
so mappings are built from the node tree here, where every key's line is known. Aliases (`*name`)
are refused where they are met: expanded, a few hundred bytes of nested aliases become gigabytes
(the "billion laughs"), and `&a [*a]` is a cycle; a rule file has no need of them.
"""

from __future__ import annotations

from typing import Any

import yaml

from cleaner.errors import Problem


class Located(dict):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int
    key_lines: dict[str, int]


class LocatedList(list):
    """A YAML sequence that remembers the line of each item (1-based)."""

    line: int
    item_lines: list[int]


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that stops at the first alias, with its line."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, f"aliases (*{event.anchor}) are not allowed in rule files: write the value out",
                event.start_mark,
            )  # fmt: skip
        return super().compose_node(parent, index)


def load_located(text: str, path: str) -> tuple[Any, list[Problem]]:
    """Parse one YAML document into Located/LocatedList values; return it with the problems found."""
    problems: list[Problem] = []
    try:
        loader = _NoAliasLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problems.append(Problem(path, line, f"invalid YAML: {exc.problem or exc}"))
        return None, problems
    except yaml.YAMLError as exc:  # pragma: no cover - non-marked errors are rare
        problems.append(Problem(path, None, f"invalid YAML: {exc}"))
        return None, problems
    if node is None:
        return None, problems
    constructor = yaml.SafeLoader("")
    return _convert(node, path, constructor, problems), problems


def _convert(node: yaml.Node, path: str, constructor: yaml.SafeLoader, problems: list[Problem]) -> Any:
    if isinstance(node, yaml.MappingNode):
        out = Located()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node)
            key_line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                key = str(key)
            if key in out:
                first = out.key_lines[key]
                problems.append(Problem(path, key_line, f"duplicate key '{key}' (first at line {first})"))
                continue
            out[key] = _convert(value_node, path, constructor, problems)
            out.key_lines[key] = key_line
        return out
    if isinstance(node, yaml.SequenceNode):
        items = LocatedList()
        items.line = node.start_mark.line + 1
        items.item_lines = []
        for item in node.value:
            items.append(_convert(item, path, constructor, problems))
            items.item_lines.append(item.start_mark.line + 1)
        return items
    return constructor.construct_object(node)
