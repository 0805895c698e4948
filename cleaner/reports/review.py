"""The editors' review report: one self-contained HTML page (or Markdown) with the comparison tables,
a chart of entity sentiment by outlet, and every article with its framing, mentions, quotes and removals.

The page needs no network: CSS and the small script are inline, the chart is inline SVG.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import pairwise

from tabulate import tabulate

from cleaner.annotation.recognise import merge_across
from cleaner.annotation.voice import quote_spans
from cleaner.document import Document
from cleaner.reports.compare import Comparison, Table, rank_entities
from cleaner.reports.render import explain_features, markdown_table, markdown_text, render_markdown

CSS = """
body{font:15px/1.55 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header,main{max-width:1100px;margin:0 auto;padding:0 24px}
header{padding-top:20px}
h1{font-size:24px;margin:8px 0}
h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}
nav a{margin-right:12px}
table{border-collapse:collapse;margin:6px 0 14px;font-size:13px;background:#fff}
th,td{border:1px solid #d6d6d6;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f0f0f0}
.article{background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px 18px;margin:14px 0}
.body{white-space:pre-wrap}
mark.marker{background:#fff2a8;border-bottom:2px solid #555;padding:0;cursor:help;position:relative}
mark.marker.quoted{border-bottom:2px dashed #3b5bdb}
mark.marker:hover::after{content:attr(data-note);position:absolute;left:0;top:1.6em;z-index:5;width:max-content;
  max-width:420px;white-space:normal;background:#222;color:#fff;font-size:12px;padding:6px 8px;border-radius:4px}
q.quote{quotes:none;font-style:italic;color:#2c3e75}
.mention{border-radius:2px;padding:0}
details.removed{display:inline-block;font-size:12px;color:#777;border:1px dashed #bbb;border-radius:4px;
  padding:0 6px;margin:2px 0}
details.removed pre{white-space:pre-wrap;font-size:12px;color:#555;max-width:900px}
.legend span{display:inline-block;margin-right:14px}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:middle;margin-right:4px}
"""

SCRIPT = """
// Keep the table links useful: opening a link to a removed span or a marker scrolls it into view, highlighted.
document.addEventListener('click', function (e) {
  var a = e.target.closest('a[href^="#"]'); if (!a) return;
  var el = document.getElementById(a.getAttribute('href').slice(1)); if (!el) return;
  el.style.outline = '3px solid #e67e22'; setTimeout(function () { el.style.outline = ''; }, 1600);
});
"""


def render_review_html(docs: Sequence[Document], comparison: Comparison, tables: Sequence[Table]) -> str:
    """The whole report as one HTML string."""
    anchors = _anchors(docs)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
        "<title>cleaner review</title>",
        f"<style>{CSS}{_axis_css(comparison)}</style></head><body>",
        "<header><h1>Framing review</h1>",
        f"<p>{len(docs)} articles from {len({d.outlet or 'unknown' for d in docs})} outlets. "
        "Framing markers are coloured by axis, underlined solid in the outlet's own words and dashed inside a "
        "quotation; hover one for its axis, its variant and the wordings the other outlets chose. Names are "
        "tinted by the sentiment toward them (green positive, red negative); removed boilerplate stands "
        "collapsed where it was.</p>",
        '<nav><a href="#tables">Tables</a><a href="#chart">Sentiment chart</a><a href="#articles">Articles</a></nav>',
        _axis_legend(comparison),
        "</header><main>",
        '<section id="tables"><h2>Comparison</h2>',
    ]
    for table in tables:
        parts.append(f"<h3>{html.escape(table.title)}</h3>")
        parts.append(_html_table(table, anchors))
    parts.append('</section><section id="chart"><h2>Entity sentiment by outlet</h2>')
    parts.append(_chart(comparison))
    parts.append('</section><section id="articles"><h2>Articles</h2>')
    notes = _other_wordings(comparison)
    for index, doc in enumerate(docs):
        parts.append(_article(index, doc, notes))
    parts.append(f"</section></main><script>{SCRIPT}</script></body></html>")
    return "\n".join(parts) + "\n"


AXIS_COLOURS = ["#ffe58a", "#b8e6c1", "#ffc9c9", "#c5d8ff", "#f3c9ff", "#ffd8a8", "#c3fae8", "#e9ecb0", "#d0bfff",
                "#ffdeeb", "#d3f9d8", "#fff3bf"]  # fmt: skip


def _axis_colour(comparison: Comparison) -> dict[str, str]:
    return {axis: AXIS_COLOURS[i % len(AXIS_COLOURS)] for i, axis in enumerate(sorted(comparison.framing))}


def _axis_css(comparison: Comparison) -> str:
    return "".join(f'mark.marker[data-axis="{a}"]{{background:{c}}}' for a, c in _axis_colour(comparison).items())


def _axis_legend(comparison: Comparison) -> str:
    items = "".join(
        f'<span><i class="swatch" style="background:{c}"></i>{html.escape(a)}</span>'
        for a, c in _axis_colour(comparison).items()
    )
    return f'<p class="legend">Axes: {items}</p>'


def _anchors(docs: Sequence[Document]) -> dict[tuple[str, ...], str]:
    """Where a table cell links: the first occurrence of a variant, an entity, or a removal category per outlet."""
    found: dict[tuple[str, ...], str] = {}
    # The entity table counts "Roe" with "Jane Roe" across documents: its row links to either's first mention.
    into = merge_across({report.entity: report.type for doc in docs for report in doc.entities or ()})
    for index, doc in enumerate(docs):
        outlet = doc.outlet or "unknown"
        for number, marker in enumerate(doc.markers or ()):
            found.setdefault(("marker", outlet, marker.axis, marker.variant), f"m-{index}-{number}")
        for report in doc.entities or ():
            if report.evidence:
                name = into.get(report.entity, report.entity)
                found.setdefault(("entity", outlet, name), f"e-{index}-{report.evidence[0].start}")
        for number, removal in enumerate(doc.removed):
            found.setdefault(("removed", outlet, removal.category), f"r-{index}-{number}")
    return found


def _link(text: str, target: str | None) -> str:
    return f'<a href="#{target}">{html.escape(text)}</a>' if target else html.escape(text)


def _html_table(table: Table, anchors: dict[tuple[str, ...], str]) -> str:
    outlets = table.headers[1:]
    rows = []
    for row in table.rows:
        cells = [html.escape(str(row[0]))]
        for outlet, value in zip(outlets, row[1:], strict=False):
            text = "" if value is None else str(value)
            if table.name == "framing" and text:
                pieces = []
                for piece in text.split(", "):
                    variant = piece.split(" ", 1)[0]
                    pieces.append(_link(piece, anchors.get(("marker", outlet, str(row[0]), variant))))
                cells.append(", ".join(pieces))
            elif table.name == "entities" and text:
                cells.append(_link(text, anchors.get(("entity", outlet, str(row[0])))))
            elif table.name == "boilerplate" and text not in ("", "0"):
                cells.append(_link(text, anchors.get(("removed", outlet, str(row[0])))))
            else:
                cells.append(html.escape(text))
        rows.append(cells)
    headers = [html.escape(str(h)) for h in table.headers]
    return tabulate(rows, headers=headers, tablefmt="unsafehtml", disable_numparse=True) if rows else "<p>(none)</p>"


def _other_wordings(comparison: Comparison) -> dict[tuple[str, str], str]:
    """Per (axis, outlet): the variants the other outlets chose, for a marker's note."""
    notes: dict[tuple[str, str], str] = {}
    for axis, per_outlet in comparison.framing.items():
        for outlet in per_outlet:
            others = []
            for other, counts in sorted(per_outlet.items()):
                if other != outlet:
                    variants = sorted({variant for variant, _ in counts})
                    others.append(f"{other}: {', '.join(variants)}")
            notes[(axis, outlet)] = "; ".join(others) or "no other outlet touched this axis"
    return notes


def _tint(score: float) -> str:
    strength = min(1.0, abs(score)) * 0.55 + (0.08 if score else 0.0)
    colour = "46,160,67" if score > 0 else "214,69,65" if score < 0 else "150,150,150"
    return f"rgba({colour},{strength:.2f})"


def _article(index: int, doc: Document, notes: dict[tuple[str, str], str]) -> str:
    outlet = doc.outlet or "unknown"
    text = doc.text
    # Spans to draw: markers, mentions (with their score), quotes; each gets its tag around every segment.
    spans: list[tuple[int, int, int, str, str]] = []  # start, end, nesting rank, opening tag, closing tag
    for start, end in quote_spans(text):
        spans.append((start, end, 0, '<q class="quote">', "</q>"))
    for number, marker in enumerate(doc.markers or ()):
        note = f"{marker.axis}: {marker.variant}"
        if marker.voice == "quoted":
            note += f" (quoted{', ' + marker.speaker if marker.speaker else ''})"
        elif marker.speaker:
            note += f" (per {marker.speaker})"
        note += f" — other outlets: {notes.get((marker.axis, outlet), '')}"
        classes = f"marker {marker.voice}"
        attrs = (
            f'class="{classes}" id="m-{index}-{number}" data-axis="{html.escape(marker.axis)}" '
            f'data-variant="{html.escape(marker.variant)}" data-note="{html.escape(note)}" title="{html.escape(note)}"'
        )
        spans.append((marker.start, marker.end, 1, f"<mark {attrs}>", "</mark>"))
    for report in doc.entities or ():
        for evidence in report.evidence:
            why = f" (why: {explain_features(evidence.features)})" if evidence.features else ""
            title = html.escape(f"{report.entity}: {evidence.score:+.2f}{why}")
            attrs = (
                f'class="mention" id="e-{index}-{evidence.start}" data-entity="{html.escape(report.entity)}" '
                f'data-score="{evidence.score}" title="{title}" style="background:{_tint(evidence.score)}"'
            )
            spans.append((evidence.start, evidence.end, 2, f"<span {attrs}>", "</span>"))
    removed_at = _removals_in_place(doc, index)
    body = _draw(text, spans, removed_at)
    count = len(doc.removed)
    heading = f"{html.escape(doc.source or doc.id)} <small>({html.escape(outlet)}, {count} removed)</small>"
    return f'<article class="article" id="doc-{index}"><h3>{heading}</h3><div class="body">{body}</div></article>'


def _removals_in_place(doc: Document, index: int) -> dict[int, list[str]]:
    """Each removal, collapsed, under the offset in the cleaned text where it stood."""
    where: dict[int, list[str]] = defaultdict(list)
    shift = 0
    for number, removal in sorted(enumerate(doc.removed), key=lambda nr: nr[1].start):
        summary = f"removed: {removal.rule} ({removal.category})"
        details = f'<details class="removed" id="r-{index}-{number}"><summary>{html.escape(summary)}</summary>'
        details += f"<pre>{html.escape(removal.text.strip())}</pre></details>"
        where[removal.start - shift].append(details)
        shift += removal.end - removal.start
    return where


def _draw(text: str, spans: list[tuple[int, int, int, str, str]], removed_at: dict[int, list[str]]) -> str:
    # Every boundary of every span cuts the text; each segment is wrapped in the spans that cover it, in a
    # fixed nesting order, so overlapping spans still give well-formed HTML. An id stays on the first piece.
    cuts = sorted({0, len(text), *removed_at, *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    seen_ids: Counter[str] = Counter()
    out = []
    for low, high in pairwise(cuts):
        out.extend(removed_at.get(low, ()))
        covering = sorted((s for s in spans if s[0] <= low and high <= s[1]), key=lambda s: (s[2], s[0], -s[1]))
        piece = html.escape(text[low:high])
        opening, closing = [], []
        for span in covering:
            tag = span[3]
            if ' id="' in tag:
                ident = tag.split(' id="', 1)[1].split('"', 1)[0]
                seen_ids[ident] += 1
                if seen_ids[ident] > 1:
                    tag = tag.replace(f' id="{ident}"', "")
            opening.append(tag)
            closing.append(span[4])
        out.append("".join(opening) + piece + "".join(reversed(closing)))
    out.extend(removed_at.get(len(text), ()))  # removed at the very end: the last cut starts no segment
    return "".join(out)


def _chart(comparison: Comparison, entities: int = 8) -> str:
    """Inline SVG: for the most mentioned entities, one bar per outlet from -1 to +1 (narrative voice)."""
    outlets = sorted(comparison.outlets)
    chosen = rank_entities(comparison, top=entities)
    if not chosen:
        return "<p>(no entities)</p>"
    palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"]
    bar, gap, label_w, half = 12, 10, 170, 230
    group = bar * len(outlets) + gap
    height = group * len(chosen) + 40
    width = label_w + 2 * half + 20
    zero = label_w + half
    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        'aria-label="Entity sentiment by outlet">',
        f'<line x1="{zero}" y1="0" x2="{zero}" y2="{height - 30}" stroke="#888"/>',
        f'<text x="{zero - half}" y="{height - 12}" font-size="11">-1</text>',
        f'<text x="{zero - 3}" y="{height - 12}" font-size="11">0</text>',
        f'<text x="{zero + half - 12}" y="{height - 12}" font-size="11">+1</text>',
    ]
    for row, ranked in enumerate(chosen):
        top, entity = row * group + 4, ranked.name
        svg.append(f'<text x="0" y="{top + bar * len(outlets) / 2 + 4}" font-size="12">{html.escape(entity)}</text>')
        for column, outlet in enumerate(outlets):
            total, count = ranked.per_outlet.get(outlet, {}).get("narrative", [0.0, 0])
            if not count:
                continue
            value = total / count
            x = zero if value >= 0 else zero + value * half
            y = top + column * bar
            tip = html.escape(f"{entity}, {outlet}: {value:+.2f} ({count} mentions)")
            svg.append(
                f'<rect class="bar" x="{x:.1f}" y="{y}" width="{max(1.0, abs(value) * half):.1f}" height="{bar - 2}" '
                f'fill="{palette[column % len(palette)]}"><title>{tip}</title></rect>'
            )
    svg.append("</svg>")
    legend = "".join(
        f'<span><i class="swatch" style="background:{palette[i % len(palette)]}"></i>{html.escape(o)}</span>'
        for i, o in enumerate(outlets)
    )
    return "".join(svg) + f'<p class="legend">{legend}</p>'


def render_review_markdown(docs: Sequence[Document], tables: Sequence[Table]) -> str:
    """The same content as Markdown: the tables, then each article with its markers and removals."""
    parts = ["# Framing review", ""]
    for table in tables:
        parts.append(f"### {table.title}\n")
        parts.append((markdown_table(table.rows, table.headers) if table.rows else "(none)") + "\n")
    parts.append("## Articles\n")
    for doc in docs:
        parts.append(render_markdown(doc))
        if doc.removed:
            lines = [
                f"- `{r.rule}` ({markdown_text(r.category)}): {markdown_text(repr(r.text.strip()[:160]))}"
                for r in doc.removed
            ]
            parts.append("<details><summary>Removed boilerplate</summary>\n\n" + "\n".join(lines) + "\n\n</details>\n")
    return "\n".join(parts)
