"""Readable renderings of an annotated document: for a terminal (text) and for a wiki or pull request (Markdown)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from tabulate import tabulate

from cleaner.document import Document, Marker

# Text the tool did not write (article text, outlet, entity and file names) is escaped before it goes into
# Markdown, so an article quoting `<img src=x onerror=...>` or `[x](javascript:...)` shows it as text
# instead of a viewer rendering it. Backslash escapes work for any ASCII punctuation in CommonMark and GFM.
MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
MARKDOWN_LINE_START = re.compile(r"^([ \t]*)([#+=-]|\d+(?=[.)]))", re.MULTILINE)  # headings, lists, rules


def markdown_text(text: str, *, lines: bool = True) -> str:
    """Text made inert in Markdown: HTML, links, emphasis and table pipes escaped, and (unless `lines` is
    False, as in a table cell) the marks that start a heading or a list at the start of a line."""
    text = MARKDOWN_INLINE.sub(r"\\\1", text)
    if not lines:
        return text
    return MARKDOWN_LINE_START.sub(lambda m: f"{m[1]}{m[2]}\\" if m[2][0].isdigit() else f"{m[1]}\\{m[2]}", text)


def markdown_cell(value: object) -> object:
    """A table cell for a Markdown table: text escaped and kept on one line; numbers as they are."""
    return markdown_text(" ".join(value.split("\n")), lines=False) if isinstance(value, str) else value


def markdown_table(rows: Sequence[Sequence[object]], headers: Sequence[object]) -> str:
    """A GitHub-flavoured Markdown table with every cell and header escaped."""
    cells = [[markdown_cell(value) for value in row] for row in rows]
    return tabulate(cells, headers=[markdown_cell(h) for h in headers], tablefmt="github", disable_numparse=True)


def _label(marker: Marker) -> str:
    where = "" if marker.voice == "narrative" else f", quoted{': ' + marker.speaker if marker.speaker else ''}"
    said = f", per {marker.speaker}" if marker.voice == "narrative" and marker.speaker else ""
    return f"{marker.axis}: {marker.variant}{where}{said}"


def _inline(doc: Document, open_mark: str, middle: str, close_mark: str, escape: Callable[[str], str] = str) -> str:
    pieces, position = [], 0
    for marker in doc.markers or ():
        pieces.append(escape(doc.text[position : marker.start]))
        marked = escape(doc.text[marker.start : marker.end])
        pieces.append(f"{open_mark}{marked}{middle}{escape(_label(marker))}{close_mark}")
        position = marker.end
    pieces.append(escape(doc.text[position:]))
    return "".join(pieces)


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:+.2f}"


def _entity_rows(doc: Document) -> list[list[object]]:
    return [
        [e.entity, e.type, e.mentions, _score(e.sentiment), _score(e.narrative), _score(e.quoted)]
        for e in doc.entities or ()
    ]


HEADERS = ["entity", "type", "mentions", "sentiment", "narrative", "quoted"]


def _heading(doc: Document, escape: Callable[[str], str] = str) -> str:
    where, outlet, lang = (escape(x) for x in (doc.source or doc.id, doc.outlet or "unknown", doc.lang or "unknown"))
    return f"{where}  (outlet: {outlet}, lang: {lang})"


def render_text(doc: Document) -> str:
    """The cleaned text with each framing marker inline as [[words | axis: variant]], then the entity table."""
    body = _inline(doc, "[[", " | ", "]]")
    table = (
        tabulate(_entity_rows(doc), headers=HEADERS, tablefmt="simple", disable_numparse=True)
        if doc.entities
        else "(no entities)"
    )
    return f"== {_heading(doc)}\n{body.rstrip()}\n\n{table}\n"


def render_markdown(doc: Document) -> str:
    """The cleaned text with markers in bold and labelled, the entity table, and each entity's evidence."""
    body = _inline(doc, "**", "** <sup>", "</sup>", escape=markdown_text)
    paragraphs = "\n\n".join(line.strip() for line in body.split("\n") if line.strip())
    parts = [f"## {_heading(doc, markdown_text)}", paragraphs]
    if doc.entities:
        parts.append(markdown_table(_entity_rows(doc), HEADERS))
        evidence = []
        for report in doc.entities:
            evidence.append(f"- **{markdown_text(report.entity)}**")
            for e in report.evidence:
                evidence.append(
                    f"  - `{e.score:+.2f}` ({markdown_text(e.voice)}) {markdown_text(' '.join(e.sentence.split()))}"
                )
                if e.features:
                    evidence.append(f"    - why: {markdown_text(explain_features(e.features))}")
        parts.append("<details><summary>Evidence</summary>\n\n" + "\n".join(evidence) + "\n\n</details>")
    return "\n\n".join(parts) + "\n"


def explain_features(features: tuple[tuple[str, float], ...]) -> str:
    """The features that moved a score, strongest first, each with its push toward positive."""
    return ", ".join(f"{name} {weight:+.2f}" for name, weight in features)
