"""Readable renderings of an annotated document: for a terminal (text) and for a wiki or pull request (Markdown)."""

from __future__ import annotations

from tabulate import tabulate

from cleaner.document import Document, Marker


def _label(marker: Marker) -> str:
    where = "" if marker.voice == "narrative" else f", quoted{': ' + marker.speaker if marker.speaker else ''}"
    said = f", per {marker.speaker}" if marker.voice == "narrative" and marker.speaker else ""
    return f"{marker.axis}: {marker.variant}{where}{said}"


def _inline(doc: Document, open_mark: str, middle: str, close_mark: str) -> str:
    pieces, position = [], 0
    for marker in doc.markers or ():
        pieces.append(doc.text[position : marker.start])
        pieces.append(f"{open_mark}{doc.text[marker.start : marker.end]}{middle}{_label(marker)}{close_mark}")
        position = marker.end
    pieces.append(doc.text[position:])
    return "".join(pieces)


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:+.2f}"


def _entity_rows(doc: Document) -> list[list[object]]:
    return [
        [e.entity, e.type, e.mentions, _score(e.sentiment), _score(e.narrative), _score(e.quoted)]
        for e in doc.entities or ()
    ]


HEADERS = ["entity", "type", "mentions", "sentiment", "narrative", "quoted"]


def _heading(doc: Document) -> str:
    return f"{doc.source or doc.id}  (outlet: {doc.outlet or 'unknown'}, lang: {doc.lang or 'unknown'})"


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
    body = _inline(doc, "**", "** <sup>", "</sup>")
    paragraphs = "\n\n".join(line.strip() for line in body.split("\n") if line.strip())
    parts = [f"## {_heading(doc)}", paragraphs]
    if doc.entities:
        parts.append(tabulate(_entity_rows(doc), headers=HEADERS, tablefmt="github", disable_numparse=True))
        evidence = []
        for report in doc.entities:
            evidence.append(f"- **{report.entity}**")
            for e in report.evidence:
                evidence.append(f"  - `{e.score:+.2f}` ({e.voice}) {e.sentence}")
                if e.features:
                    evidence.append(f"    - why: {explain_features(e.features)}")
        parts.append("<details><summary>Evidence</summary>\n\n" + "\n".join(evidence) + "\n\n</details>")
    return "\n\n".join(parts) + "\n"


def explain_features(features: tuple[tuple[str, float], ...]) -> str:
    """The features that moved a score, strongest first, each with its push toward positive."""
    return ", ".join(f"{name} {weight:+.2f}" for name, weight in features)
