"""Comparison tables across outlets: framing choices, entity sentiment, shared coverage, word choices, boilerplate.

`collect` folds annotated documents into a Comparison (counts and sums per outlet, sentence shingles for
alignment); `build_tables` turns it into plain tables (headers and rows) that `render_tables` prints in any
tabulate format, CSV or JSON. Outlets and rows are sorted, so the same input gives the same bytes out.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import html
import io
import json
import re
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from tabulate import tabulate, tabulate_formats

from cleaner.annotation.recognise import merge_across
from cleaner.annotation.sentences import sentences
from cleaner.document import Document
from cleaner.reports.render import markdown_cell

TABLES = ("framing", "entities", "coverage", "overlap", "wording", "boilerplate")
VOICES = ("narrative", "quoted", "all")
FORMATS = (*tabulate_formats, "csv", "json")
MARKDOWN_FORMATS = ("github", "pipe")  # rendered as Markdown by GitHub, GitLab, wikis: cells are escaped
# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...) can leak data):
# OWASP's advice is to prefix such a cell with a single quote, which the spreadsheet shows as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(?: \(\d+\))?")  # "-0.25", "+0.40 (3)": our scores, not formulas
WORDS = re.compile(r"\w+(?:['’]\w+)*")
SHINGLE = 3  # words per shingle for sentence alignment: tolerant of a changed word, strict on order
OVERLAP_GRAM = 5  # words per n-gram for the document overlap matrix (shared wire copy)
SAME_SENTENCE = 0.5  # Jaccard similarity of shingles at which two sentences tell the same thing
ANCHORS = 4  # a sentence is looked up by its 4 smallest shingle hashes (a bottom-k sketch)
MAX_CLUSTERS = 20_000  # beyond this, the oldest sentences seen once in one outlet are retired (memory stays flat)
ANCHORS_PER_CLUSTER = 16  # sketches of later members that also lead to a cluster, at most
# An n-gram in more documents than this proposes no candidate pairs: wire copy is shared by a handful of
# outlets, while a phrase in hundreds of documents is common wording, and pairing them all grows as its square.
COMMON_GRAM = 20
SAMPLE = 64  # documents beyond the matrix keep 1 in 64 of their n-grams to find overlapping pairs
MIN_WORDS = 6  # shorter sentences ("He said.") are not coverage
MAX_MATRIX = 20  # documents beyond this: the overlap table lists the most overlapping pairs instead
TOP_ENTITIES = 20  # entity rows shown by default: a real corpus names hundreds


@dataclass(frozen=True)
class Table:
    """A rendered-agnostic table: a title, column headers and rows of strings or numbers."""

    name: str
    title: str
    headers: list[str]
    rows: list[list[object]]


@dataclass(slots=True)
class _Cluster:
    """Sentences that tell the same thing: the first one seen, who carries it, one sentence per outlet."""

    text: str
    shingles: array[int]  # 8 bytes a shingle; a set is made only when a candidate is checked
    sketch: tuple[int, ...]
    anchored: int = 0
    outlets: Counter[str] = field(default_factory=Counter)
    samples: dict[str, str] = field(default_factory=dict)


@dataclass
class Comparison:
    """What the tables are made of, gathered document by document.

    Memory grows with what is distinct, not with the corpus: a sentence joins the cluster of the first
    sentence it resembles (found through an index of sketches, never by comparing all pairs) and only
    that first sentence's text and shingles are kept; documents keep their n-grams in full only while
    there are few enough for a matrix, then a 1-in-64 sample to find the most overlapping pairs.
    """

    outlets: set[str] = field(default_factory=set)
    framing: dict[str, dict[str, Counter[tuple[str, str]]]] = field(default_factory=dict)
    entities: dict[str, dict[str, dict[str, list[float]]]] = field(default_factory=dict)
    entity_types: dict[str, str] = field(default_factory=dict)
    boilerplate: dict[str, Counter[str]] = field(default_factory=dict)
    documents: list[tuple[str, str]] = field(default_factory=list)  # (id, outlet)
    grams: list[frozenset[int]] | None = field(default_factory=list)  # None once there are too many
    sampled: list[array[int]] = field(default_factory=list)  # 8 bytes an n-gram
    clusters: dict[int, _Cluster] = field(default_factory=dict)  # by id, in the order first seen
    anchors: dict[int, int] = field(default_factory=dict)  # shingle hash -> cluster id
    retired: Counter[str] = field(default_factory=Counter)  # sentences only one outlet carried, per outlet
    _next: int = 0
    _fifo: deque[int] = field(default_factory=deque)

    def add(self, doc: Document) -> None:
        """Fold one annotated document in."""
        outlet = doc.outlet or "unknown"
        self.outlets.add(outlet)
        self.documents.append((doc.id or doc.source, outlet))
        for marker in doc.markers or ():
            self.framing.setdefault(marker.axis, {}).setdefault(outlet, Counter())[(marker.variant, marker.voice)] += 1
        for report in doc.entities or ():
            self.entity_types[report.entity] = report.type
            per_voice = self.entities.setdefault(report.entity, {}).setdefault(outlet, {v: [0.0, 0] for v in VOICES})
            for evidence in report.evidence:
                for voice in (evidence.voice, "all"):
                    per_voice[voice][0] += evidence.score
                    per_voice[voice][1] += 1
        counts = self.boilerplate.setdefault(outlet, Counter())
        for removal in doc.removed:
            counts[removal.category] += 1
        words = _words(doc.text)
        grams = frozenset(_hash(words[i : i + OVERLAP_GRAM]) for i in range(len(words) - OVERLAP_GRAM + 1))
        self.sampled.append(array("Q", sorted(g for g in grams if g % SAMPLE == 0)))
        if self.grams is not None and len(self.grams) < MAX_MATRIX:
            self.grams.append(grams)
        else:
            self.grams = None  # too many documents for a matrix: the sample serves from here on
        for start, end in sentences(doc.text):
            self._add_sentence(doc.text[start:end], outlet)

    def _add_sentence(self, text: str, outlet: str) -> None:
        words = _words(text)
        if len(words) < MIN_WORDS:
            return
        shingles = frozenset(_hash(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))
        sketch = sorted(shingles)[:ANCHORS]
        joined = None
        for candidate in sorted({self.anchors[h] for h in sketch if h in self.anchors}):
            other = self.clusters[candidate].shingles
            common = len(shingles.intersection(other))
            if common / (len(shingles) + len(other) - common) >= SAME_SENTENCE:
                joined = candidate
                break
        if joined is None:
            joined = self._next
            self._next += 1
            self.clusters[joined] = _Cluster(text, array("Q", sorted(shingles)), tuple(sketch))
            self._fifo.append(joined)
            if len(self.clusters) > MAX_CLUSTERS:
                self._retire()
        cluster = self.clusters[joined]
        for anchor in sketch:
            # A member's sketch also leads here (rewordings find their cluster), up to a bound per cluster.
            if anchor not in self.anchors and cluster.anchored < ANCHORS_PER_CLUSTER:
                self.anchors[anchor] = joined
                cluster.anchored += 1
        cluster.outlets[outlet] += 1
        cluster.samples.setdefault(outlet, text)

    def _retire(self) -> None:
        # The oldest cluster still holding one sentence of one outlet goes; its count stays in `retired`.
        # A sentence that would have joined it much later starts a cluster of its own instead.
        while self._fifo:
            index = self._fifo.popleft()
            cluster = self.clusters.get(index)
            if cluster is None or sum(cluster.outlets.values()) > 1:
                continue  # shared or repeated: kept, it is what the coverage table is about
            (outlet,) = cluster.outlets
            self.retired[outlet] += 1
            for anchor in cluster.sketch:
                if self.anchors.get(anchor) == index:
                    del self.anchors[anchor]
            del self.clusters[index]
            return


def collect(docs: Iterable[Document]) -> Comparison:
    """A Comparison of annotated documents."""
    comparison = Comparison()
    for doc in docs:
        comparison.add(doc)
    return comparison


def _words(text: str) -> list[str]:
    return [w.replace("’", "'") for w in WORDS.findall(text.lower())]


def _hash(words: list[str]) -> int:
    # blake2b, not hash(): Python's string hash changes from run to run, and output must not.
    return int.from_bytes(hashlib.blake2b(" ".join(words).encode(), digest_size=8).digest(), "big")


def build_tables(
    comparison: Comparison,
    *,
    voice: str = "narrative",
    top: int = 20,
    top_entities: int = TOP_ENTITIES,
    entities: Sequence[str] = (),
) -> list[Table]:
    """Every table, in TABLES order; empty ones are kept so a selection by name always finds its table.

    The entity table shows the `top_entities` most mentioned, or the `entities` named, in the order given.
    """
    outlets = sorted(comparison.outlets)
    return [
        _framing_table(comparison, outlets),
        _entity_table(comparison, outlets, voice, top_entities, entities),
        _coverage_table(comparison, outlets, top),
        _overlap_table(comparison, top),
        _wording_table(comparison, top),
        _boilerplate_table(comparison, outlets),
    ]


def _framing_table(comparison: Comparison, outlets: list[str]) -> Table:
    rows = []
    for axis in sorted(comparison.framing):
        row: list[object] = [axis]
        for outlet in outlets:
            counts = comparison.framing[axis].get(outlet, Counter())
            variants = sorted({variant for variant, _ in counts})
            cells = []
            for variant in variants:
                own, quoted = counts[(variant, "narrative")], counts[(variant, "quoted")]
                cells.append(f"{variant} {own}" + (f" (+{quoted} quoted)" if quoted else ""))
            row.append(", ".join(cells))
        rows.append(row)
    return Table(
        "framing",
        "Framing: the wording each outlet uses in its own voice (quoted uses apart)",
        ["axis", *outlets],
        rows,
    )


@dataclass(frozen=True)
class RankedEntity:
    """One entity across the corpus, one-word names merged into the fuller one: type and sums per outlet and voice."""

    name: str
    type: str
    mentions: int
    per_outlet: dict[str, dict[str, list[float]]]


def rank_entities(comparison: Comparison, *, top: int = TOP_ENTITIES, names: Sequence[str] = ()) -> list[RankedEntity]:
    """The most mentioned entities (at most `top`), or those `names` says in its order; "Roe" counts as "Jane Roe"."""
    into = merge_across(comparison.entity_types)
    merged: dict[str, dict[str, dict[str, list[float]]]] = {}
    for entity, per_outlet in comparison.entities.items():
        target = merged.setdefault(into.get(entity, entity), {})
        for outlet, voices in per_outlet.items():
            sums = target.setdefault(outlet, {v: [0.0, 0] for v in VOICES})
            for voice, (total, count) in voices.items():
                sums[voice][0] += total
                sums[voice][1] += count
    ranked = [
        RankedEntity(name, comparison.entity_types[name], sum(v["all"][1] for v in outlets.values()), outlets)
        for name, outlets in merged.items()
    ]
    ranked.sort(key=lambda r: (-r.mentions, r.name))
    if names:
        by_name = {r.name.casefold(): r for r in ranked}
        picked = [by_name.get(into.get(n, n).casefold()) for n in names]
        return [r for r in picked if r is not None]
    return ranked[:top]


def _entity_table(comparison: Comparison, outlets: list[str], voice: str, top: int, names: Sequence[str]) -> Table:
    rows = []
    shown = rank_entities(comparison, top=top, names=names)
    for entity in shown:
        row: list[object] = [entity.name, entity.type]
        for outlet in outlets:
            total, count = entity.per_outlet.get(outlet, {}).get(voice, [0.0, 0])
            row.append(f"{total / count:+.2f} ({count})" if count else "")
        rows.append(row)
    title = f"Entity sentiment ({voice} voice): mean score toward the entity (mentions)"
    if not names and len(rank_entities(comparison, top=len(comparison.entities) + 1)) > len(shown):
        title += f"; the {len(shown)} most mentioned shown"
    return Table("entities", title, ["entity", "type", *outlets], rows)


def _coverage_table(comparison: Comparison, outlets: list[str], top: int) -> Table:
    clusters = comparison.clusters
    order = sorted(clusters, key=lambda i: (-len(clusters[i].outlets), i))
    shared = [clusters[i] for i in order if len(clusters[i].outlets) > 1]
    rows: list[list[object]] = []
    for cluster in shared[:top]:
        text = cluster.text if len(cluster.text) <= 90 else cluster.text[:87] + "..."
        rows.append([text, *[cluster.outlets.get(o, 0) or "" for o in outlets]])
    alone = Counter(next(iter(c.outlets)) for c in clusters.values() if len(c.outlets) == 1) + comparison.retired
    rows.append(["(sentences only this outlet carries)", *[alone.get(o, 0) for o in outlets]])
    title = f"Coverage: sentences several outlets carry ({len(shared)} shared; top {min(top, len(shared))} shown)"
    return Table("coverage", title, ["sentence", *outlets], rows)


def _overlap_table(comparison: Comparison, top: int) -> Table:
    outlet_docs = Counter(outlet for _, outlet in comparison.documents)
    # A document is named by its outlet where the outlet has only that one, else by its id.
    labels = [outlet if outlet_docs[outlet] == 1 else doc_id for doc_id, outlet in comparison.documents]
    title = f"Overlap: share of word {OVERLAP_GRAM}-grams two documents have in common (of the smaller one)"
    if comparison.grams is not None:
        grams = comparison.grams
        rows = [
            [label, *[f"{_share(grams[a], grams[b]):.2f}" if a != b else "" for b in range(len(labels))]]
            for a, label in enumerate(labels)
        ]
        return Table("overlap", title, ["document", *labels], rows)
    pairs = sorted((-value, a, b) for (a, b), value in _sampled_shares(comparison.sampled).items())
    rows = [[labels[a], labels[b], f"{-value:.2f}"] for value, a, b in pairs[:top]]
    title += f", estimated from a 1-in-{SAMPLE} sample: the highest pairs"
    return Table("overlap", title, ["document", "document", "overlap"], rows)


def _share(a: frozenset[int], b: frozenset[int]) -> float:
    smaller = min(len(a), len(b))
    return len(a & b) / smaller if smaller else 0.0


def _sampled_shares(sampled: list[array[int]]) -> dict[tuple[int, int], float]:
    # Only documents that share a sampled n-gram are compared (an index, not all pairs); the shared count
    # of each pair is read off the index, so no document's n-grams are rebuilt as a set.
    postings: dict[int, list[int]] = defaultdict(list)
    for index, grams in enumerate(sampled):
        for gram in grams:
            postings[gram].append(index)
    shared: Counter[tuple[int, int]] = Counter()
    for docs in postings.values():
        if len(docs) <= COMMON_GRAM:
            shared.update(combinations(docs, 2))
    return {pair: count / min(len(sampled[pair[0]]), len(sampled[pair[1]])) for pair, count in shared.items()}


def _wording_table(comparison: Comparison, top: int) -> Table:
    found: Counter[tuple[str, str, str, str]] = Counter()
    for cluster in comparison.clusters.values():
        for first, second in combinations(sorted(cluster.samples), 2):
            for one, other in _substitutions(cluster.samples[first], cluster.samples[second]):
                found[(one, first, other, second)] += 1
    ranked = sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))
    rows: list[list[object]] = [[one, a, other, b, count] for (one, a, other, b), count in ranked[:top]]
    title = "Word choices: in sentences two outlets share, the words one put where the other put another"
    return Table("wording", title, ["words", "outlet", "instead of", "outlet", "count"], rows)


def _substitutions(first: str, second: str) -> list[tuple[str, str]]:
    a, b = _words(first), _words(second)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "replace" and i2 - i1 <= 3 and j2 - j1 <= 3:
            out.append((" ".join(a[i1:i2]), " ".join(b[j1:j2])))
    return out


def _boilerplate_table(comparison: Comparison, outlets: list[str]) -> Table:
    categories = sorted({c for counts in comparison.boilerplate.values() for c in counts})
    rows: list[list[object]] = [
        [category, *[comparison.boilerplate.get(o, Counter()).get(category, 0) for o in outlets]]
        for category in categories
    ]
    return Table("boilerplate", "Boilerplate removed: spans per category", ["category", *outlets], rows)


def transpose(table: Table) -> Table:
    """The table with rows and columns swapped (outlets in rows)."""
    columns = [table.headers, *table.rows]
    flipped = [list(column) for column in zip(*columns, strict=True)]
    return Table(table.name, table.title, [str(h) for h in flipped[0]], flipped[1:])


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet will not run: text starting with = + - @ (or a tab, CR) gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


def render_tables(tables: list[Table], fmt: str) -> str:
    """Tables as text: any tabulate format with a title line each, CSV with a blank line between, or JSON."""
    if fmt == "json":
        data = {t.name: {"title": t.title, "headers": t.headers, "rows": t.rows} for t in tables}
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        for table in tables:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow([f"# {table.name}: {table.title}"])
            writer.writerow([csv_cell(h) for h in table.headers])
            writer.writerows([csv_cell(value) for value in row] for row in table.rows)
            out.write("\n")
        return out.getvalue()
    parts = []
    for table in tables:
        headers, rows = table.headers, table.rows
        if fmt in MARKDOWN_FORMATS:
            headers = [markdown_cell(h) for h in headers]  # type: ignore[misc]
            rows = [[markdown_cell(value) for value in row] for row in rows]
        elif fmt == "tsv":  # opened in spreadsheets as often as CSV
            headers = [csv_cell(h) for h in headers]  # type: ignore[misc]
            rows = [[csv_cell(value) for value in row] for row in rows]
        elif fmt == "unsafehtml":  # as "html" (which tabulate escapes): no cell is markup
            headers = [html.escape(str(h)) for h in headers]
            rows = [[html.escape(v) if isinstance(v, str) else v for v in row] for row in rows]
        body = tabulate(rows, headers=headers, tablefmt=fmt, disable_numparse=True) if rows else "(none)"
        parts.append(f"{table.title}\n\n{body}\n")
    return "\n".join(parts)
