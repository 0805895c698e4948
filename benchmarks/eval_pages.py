"""Stage 1 on real pages: residue and lost lines of trafilatura alone and of `cleaner clean`, per page.

    python benchmarks/eval_pages.py                 # the table, per page and in total
    python benchmarks/eval_pages.py --residue       # also every residue line left, for reading
    python benchmarks/eval_pages.py --page cnn      # one page (repeatable), with its lines
    python benchmarks/eval_pages.py --timing        # also HTML-path cost over trafilatura alone, text MB/s

The pages are Mozilla Readability's test pages (`../shared/data/pages/`, see its README): each has the
page as fetched and Readability's extraction of the article, used here as the reference.

- residue: a line of the output that the reference lacks (boilerplate left in, or page furniture).
- lost: a reference line the output lacks.
- lost that trafilatura kept: a reference line trafilatura's text has and cleaner's has not; cleaner
  took it. This must be zero, except for the lines listed in reference_boilerplate.yaml: boilerplate
  the reference keeps (a photo credit, a "Follow us" line) that cleaner removes on purpose. Those are
  reported apart, as "reference boilerplate removed", each with its reason.
- adjudicated residue: the residue less the lines listed in reference_omits.yaml, the mirror list:
  article text (a section, a code line, a definition-list term) that the reference omits, which no
  cleaner can remove without deleting article text. Both figures are reported, for trafilatura alone
  and for cleaner alike: a listed line leaves whichever side has it.

Lines are compared after Unicode NFKC and whitespace normalisation. Two extractors cut paragraphs
differently (a <br> splits one, a figure joins two), so a line counts as present on the other side when
it equals a line there, or, if it is long enough to be unambiguous (MIN_SUBSTRING characters), occurs
inside the other side's text (whitespace aside: code blocks keep their words, not their spacing); a
shorter line must equal the start or end of a line there.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

DEFAULT_PAGES = ROOT.parent / "shared" / "data" / "pages"
REFERENCE_BOILERPLATE = HERE / "reference_boilerplate.yaml"
REFERENCE_OMITS = HERE / "reference_omits.yaml"
MIN_SUBSTRING = 25  # characters: shorter lines ("Share", "Photo") occur by chance inside body text

# Readability's unit-test pages: small constructed markup (a few paragraphs of lorem ipsum or one
# feature such as <br> handling or RTL text), not an outlet's page. Every other folder is a real page
# from a news site, blog or wiki, fetched whole with its navigation and furniture.
SYNTHETIC = frozenset({
    "003-metadata-preferred", "004-metadata-space-separated-properties", "005-unescape-html-entities",
    "base-url", "base-url-base-element", "base-url-base-element-relative", "basic-tags-cleaning",
    "comment-inside-script-parsing", "data-url-image", "dev418", "embedded-videos", "hidden-nodes",
    "invalid-attributes", "js-link-replacement", "lazy-image-3", "metadata-content-missing",
    "missing-paragraphs", "normalize-spaces", "ol", "parsely-metadata", "remove-aria-hidden",
    "remove-extra-brs", "remove-extra-paragraphs", "remove-script-tags", "reordering-paragraphs",
    "replace-brs", "replace-font-tags", "rtl-1", "rtl-2", "rtl-3", "rtl-4", "social-buttons",
    "style-tags-removal", "svg-parsing", "table-style-attributes", "title-and-h1-discrepancy",
    "title-en-dash", "visibility-hidden",
})  # fmt: skip

BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "pre", "table", "tr", "td", "th", "figure", "figcaption", "section", "article", "header", "footer",
    "aside", "br", "hr", "caption", "address", "details", "summary", "main", "nav",
})  # fmt: skip
SPACES = re.compile(r"\s+")
WORDY = re.compile(r"\w")
LIST_MARK = re.compile(r"^(?:[-*•] |\d{1,3}\. )")
TABLE_RULE = re.compile(r":?-{3,}:?")


@dataclass
class PageResult:
    """One page's line counts, and the lines behind them."""

    name: str
    reference: int
    traf_residue: list[str] = field(default_factory=list)
    traf_lost: list[str] = field(default_factory=list)
    residue: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    lost_traf_kept: list[str] = field(default_factory=list)  # cleaner took a reference line trafilatura kept
    boilerplate_removed: list[tuple[str, str]] = field(default_factory=list)  # (line, reason) from the list
    # Residue lines listed in reference_omits.yaml as article text the reference omits: (line, reason).
    traf_omits: list[tuple[str, str]] = field(default_factory=list)
    omits: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Evaluation:
    """Every real page's result, with totals."""

    pages: list[PageResult]

    def total(self, attribute: str) -> int:
        """Sum over pages of the length of one of PageResult's line lists."""
        return sum(len(getattr(page, attribute)) for page in self.pages)

    @property
    def residue_reduction(self) -> float:
        """Share of trafilatura's residue lines that cleaner's output no longer has."""
        before = self.total("traf_residue")
        return 1 - self.total("residue") / before if before else 0.0

    @property
    def adjudicated_reduction(self) -> float:
        """The same share, counting only residue lines not listed as article text the reference omits."""
        before = self.total("traf_residue") - self.total("traf_omits")
        return 1 - (self.total("residue") - self.total("omits")) / before if before else 0.0


def normalise(line: str) -> str:
    """A line as compared: NFKC, format characters dropped, every run of whitespace one space, trimmed."""
    # Format characters (Unicode Cf) are invisible: a soft hyphen ("Vladi\u00admir", wapo-2) or a
    # right-to-left mark before a quoted handle (medium-3) in one extraction must not make a line differ.
    text = "".join(ch for ch in unicodedata.normalize("NFKC", line) if unicodedata.category(ch) != "Cf")
    return SPACES.sub(" ", text).strip()


def text_lines(text: str) -> list[str]:
    """The normalised lines of a text that hold a letter or digit (a lone "-" or "⭐" is no line of text)."""
    return [n for n in (normalise(line) for line in text.split("\n")) if WORDY.search(n)]


def extracted_lines(text: str) -> list[str]:
    """The lines of an extracted text, its list and table marks taken off as a reader sees it.

    trafilatura writes a list item as "- item" and a table row as "| cell | cell |": the reference
    has the same text in <li> and <td> elements, so the marks would count every item as residue.
    """
    lines = []
    for line in text_lines(text):
        if line.startswith("|") and line.endswith("|"):
            cells = (c.strip() for c in line.strip("|").split("|"))
            lines += [cell for cell in cells if cell and not TABLE_RULE.fullmatch(cell)]
        else:
            lines.append(normalise(LIST_MARK.sub("", line)))
    return [line for line in lines if WORDY.search(line)]


def reference_text(html: str) -> str:
    """The text of a reference extraction, a line per block element, as a reader sees it."""
    import lxml.html

    root = lxml.html.fromstring(html)
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
            element.text = "\n" + (element.text or "")
    return root.text_content()


def reference_lines(html: str) -> list[str]:
    """The text lines of a reference extraction: one per block element, as a reader sees them."""
    return text_lines(reference_text(html))


class Side:
    """One side's lines, indexed for the `present` test."""

    def __init__(self, lines: list[str], text: str | None = None):
        self.lines = set(lines)
        self.joined = "\n".join(lines)
        # Without any whitespace: code blocks and <pre> text keep their words but not their spacing.
        # Built from the whole `text` when given: a code line without a letter ("});", 002) is no line
        # to count, but without it the block around it is not found in one piece.
        self.flat = SPACES.sub("", normalise(text) if text is not None else "".join(lines))

    def present(self, line: str) -> bool:
        """Whether a line of the other side is here (see the module docstring)."""
        if line in self.lines:
            return True
        if len(line) >= MIN_SUBSTRING:
            return SPACES.sub("", line) in self.flat
        at = self.joined.find(line)
        while at >= 0:
            end = at + len(line)
            starts = at == 0 or self.joined[at - 1] == "\n"
            ends = end == len(self.joined) or self.joined[end] == "\n"
            # At a line's edge and a word's: "t" is not found at the end of "test".
            if (starts and (ends or not self.joined[end].isalnum())) or (ends and not self.joined[at - 1].isalnum()):
                return True
            at = self.joined.find(line, at + 1)
        return False


def load_reference_boilerplate(path: Path = REFERENCE_BOILERPLATE) -> dict[str, list[tuple[str, str]]]:
    """page -> [(line start, reason)]: boilerplate the reference keeps and cleaner may remove."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    listed: dict[str, list[tuple[str, str]]] = {}
    for entry in data.get("lines", []):
        listed.setdefault(entry["page"], []).append((normalise(entry["starts"]), entry["reason"]))
    return listed


@dataclass(frozen=True)
class Omission:
    """One entry of reference_omits.yaml: a line of article text that the reference omits."""

    page: str
    reason: str
    starts: str | None = None  # the line's start ...
    line: str | None = None  # ... or the whole line
    contains: str | None = None  # and, where the reference has the line in another form, what it lacks

    def matches(self, text: str) -> bool:
        """Whether a (normalised) line is the one this entry lists."""
        if self.line is not None and text != self.line:
            return False
        if self.starts is not None and not text.startswith(self.starts):
            return False
        return self.contains is None or self.contains in text


OMISSION_KEYS = frozenset({"page", "reason", "starts", "line", "contains"})


def load_reference_omits(path: Path = REFERENCE_OMITS) -> dict[str, list[Omission]]:
    """page -> the entries of reference_omits.yaml for it; a malformed entry is an error naming it."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    listed: dict[str, list[Omission]] = {}
    for number, entry in enumerate(data.get("lines", []), start=1):
        unknown = set(entry) - OMISSION_KEYS
        if unknown or not entry.get("page") or not entry.get("reason") or ("starts" in entry) == ("line" in entry):
            raise ValueError(
                f"{path.name}: entry {number} ({entry}): needs page, reason and one of starts or line"
                + (f"; unknown keys {sorted(unknown)}" if unknown else "")
            )
        text = {key: normalise(str(entry[key])) for key in ("starts", "line", "contains") if key in entry}
        listed.setdefault(str(entry["page"]), []).append(Omission(str(entry["page"]), entry["reason"], **text))
    return listed


def listed_omissions(lines: list[str], omissions: list[Omission]) -> list[tuple[str, str]]:
    """The lines that an entry lists, each with its reason."""
    found = []
    for line in lines:
        reason = next((o.reason for o in omissions if o.matches(line)), None)
        if reason is not None:
            found.append((line, reason))
    return found


def real_pages(pages_dir: Path) -> list[Path]:
    """The real-page folders (not SYNTHETIC), sorted by name."""
    return sorted(p for p in pages_dir.iterdir() if (p / "source.html.gz").is_file() and p.name not in SYNTHETIC)


def trafilatura_text(html: bytes) -> str:
    """What trafilatura alone extracts, with the options cleaner uses."""
    import trafilatura

    result = trafilatura.bare_extraction(html, include_comments=False, with_metadata=True)
    return (result.text or "") if result is not None else ""


def trafilatura_on_our_parse(html: bytes) -> str:
    """trafilatura's extraction from the tree cleaner's HTML path parses (cheaper element classes, the same
    tree): what of the path's speed comes from the parse rather than from the work cleaner adds."""
    import trafilatura

    from cleaner.io.extract import load_html

    tree = load_html(html)
    result = trafilatura.bare_extraction(tree, include_comments=False, with_metadata=True) if tree is not None else None
    return (result.text or "") if result is not None else ""


def html_path(html: bytes, ruleset: object) -> None:
    """The HTML path as timed: extraction with structure, language identification and cleaning."""
    from cleaner import Document, clean
    from cleaner.boilerplate.language import detect_language
    from cleaner.io.extract import extract_html

    extracted = extract_html(html)
    if extracted is not None:
        doc = Document(text=extracted["text"], removed=tuple(extracted.get("removed", ())))
        clean(doc.evolve(lang=detect_language(doc.text)), ruleset=ruleset)  # type: ignore[arg-type]


def cleaner_text(path: Path, ruleset: object) -> str:
    """What `cleaner clean` writes for an HTML file: the pipeline's own reading, outlet, language and cleaning."""
    from cleaner.io.readers import Entry
    from cleaner.runs.pipeline import Cleaned, run

    texts = [r.doc.text for r in run([Entry(path, str(path))], ruleset=ruleset) if isinstance(r, Cleaned)]  # type: ignore[arg-type]
    return "\n".join(texts)


def evaluate_page(
    folder: Path,
    ruleset: object,
    listed: list[tuple[str, str]] = (),  # type: ignore[assignment]
    omissions: list[Omission] = (),  # type: ignore[assignment]
) -> PageResult:
    """Compare trafilatura alone and cleaner against the reference on one page."""
    html = gzip.decompress((folder / "source.html.gz").read_bytes())
    whole_reference = reference_text(gzip.decompress((folder / "expected.html.gz").read_bytes()).decode("utf-8"))
    reference = text_lines(whole_reference)
    traf = extracted_lines(trafilatura_text(html))
    ours = extracted_lines(cleaner_text(folder / "source.html.gz", ruleset))
    ref_side, traf_side, our_side = Side(reference, whole_reference), Side(traf), Side(ours)
    result = PageResult(folder.name, len(reference))
    result.traf_residue = [line for line in traf if not ref_side.present(line)]
    result.residue = [line for line in ours if not ref_side.present(line)]
    result.traf_omits = listed_omissions(result.traf_residue, omissions)
    result.omits = listed_omissions(result.residue, omissions)
    result.traf_lost = [line for line in reference if not traf_side.present(line)]
    for line in reference:
        if our_side.present(line):
            continue
        result.lost.append(line)
        if traf_side.present(line):
            reason = next((why for start, why in listed if line.startswith(start)), None)
            if reason is None:
                result.lost_traf_kept.append(line)
            else:
                result.boilerplate_removed.append((line, reason))
    return result


def evaluate(pages_dir: Path = DEFAULT_PAGES, *, ruleset: object = None, names: list[str] | None = None) -> Evaluation:
    """Evaluate every real page of `pages_dir` (or only `names`) with the given ruleset (default: shipped)."""
    from cleaner import default_ruleset

    ruleset = ruleset or default_ruleset()
    listed, omitted = load_reference_boilerplate(), load_reference_omits()
    folders = [p for p in real_pages(pages_dir) if names is None or p.name in names]
    return Evaluation(
        [
            evaluate_page(folder, ruleset, listed.get(folder.name, []), omitted.get(folder.name, []))
            for folder in folders
        ]
    )


def timing(pages_dir: Path, repeat: int = 3) -> dict[str, float]:
    """CPU seconds over all real pages: trafilatura alone, trafilatura on cleaner's parse, cleaner's
    extraction, its whole HTML path, and its text path (cleaning trafilatura's texts), plus the MB of text
    cleaned.

    CPU time of this process, not wall time: on a shared machine other processes would count. Each
    page's variants also run one after another, `repeat` times, and the best time of each variant on
    each page is summed, so a slow second (caches, frequency) hurts all variants alike.
    """
    from cleaner import Document, clean, default_ruleset
    from cleaner.boilerplate.language import detect_language
    from cleaner.io.extract import extract_html

    ruleset = default_ruleset()
    pages = [gzip.decompress((p / "source.html.gz").read_bytes()) for p in real_pages(pages_dir)]
    texts = [trafilatura_text(html) for html in pages]
    langs = [detect_language(text) for text in texts]

    variants = {
        "trafilatura": trafilatura_text,
        "our_parse": trafilatura_on_our_parse,
        "extraction": extract_html,
        "html_path": lambda html: html_path(html, ruleset),
    }
    figures = dict.fromkeys(variants, 0.0)
    for html in pages:
        best = dict.fromkeys(variants, float("inf"))
        for _ in range(repeat):
            for name, work in variants.items():
                start = time.process_time()
                work(html)
                best[name] = min(best[name], time.process_time() - start)
        for name in variants:
            figures[name] += best[name]
    text_best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for text, lang in zip(texts, langs, strict=True):
            clean(Document(text=text, lang=lang), ruleset=ruleset)
        text_best = min(text_best, time.process_time() - start)
    figures["text_path"] = text_best
    figures["text_mb"] = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    return figures


def render(evaluation: Evaluation, *, show_lines: bool = False) -> str:
    """The table (and, if asked, the lines behind it) as text."""
    columns = [("ref", 6), ("traf res", 10), ("traf adj", 10), ("traf lost", 10), ("res", 7), ("adj", 7)]
    columns += [("lost", 7), ("took", 6), ("ref-bp", 8)]

    def row(name: str, counts: list[int]) -> str:
        return f"{name:<30}" + "".join(f"{count:>{width}}" for count, (_, width) in zip(counts, columns, strict=True))

    def counts(ref: int, of: Callable[[str], int]) -> list[int]:
        """The row's figures, given how many lines one of PageResult's lists holds (a page's or the total)."""
        traf, ours = of("traf_residue"), of("residue")
        traf_figures = [traf, traf - of("traf_omits"), of("traf_lost")]
        figures = [ours, ours - of("omits"), of("lost"), of("lost_traf_kept"), of("boilerplate_removed")]
        return [ref, *traf_figures, *figures]

    head = f"{'page':<30}" + "".join(f"{title:>{width}}" for title, width in columns)
    rows = [head, "-" * len(head)]
    for page in evaluation.pages:
        rows.append(row(page.name, counts(page.reference, lambda attribute, page=page: len(getattr(page, attribute)))))
    rows.append("-" * len(head))
    total_name = f"total ({len(evaluation.pages)} pages)"
    rows.append(row(total_name, counts(sum(p.reference for p in evaluation.pages), evaluation.total)))
    entries = sum(len(omissions) for omissions in load_reference_omits().values())
    rows.append(
        f"residue lines down {evaluation.residue_reduction:.1%} against trafilatura alone (raw); "
        f"{evaluation.adjudicated_reduction:.1%} counting only lines not listed as article text the reference omits "
        f"({REFERENCE_OMITS.relative_to(ROOT)}, {entries} entries)"
    )
    rows.append("columns: ref = reference lines; res/lost = cleaner's; adj = residue less the lines listed as article")
    rows.append("text the reference omits; took = reference lines trafilatura kept and cleaner removed (must be 0);")
    rows.append("ref-bp = boilerplate the reference keeps that cleaner removed (listed)")
    if show_lines:
        for page in evaluation.pages:
            if not (page.residue or page.lost_traf_kept or page.boilerplate_removed or page.traf_omits):
                continue
            rows.append(f"\n## {page.name}")
            article = dict(page.omits)
            rows += [
                f"  article: {line[:120]}  ({article[line]})" if line in article else f"  residue: {line[:160]}"
                for line in page.residue
            ]
            rows += [f"  TOOK:    {line[:160]}" for line in page.lost_traf_kept]
            rows += [f"  ref-bp:  {line[:120]}  ({why})" for line, why in page.boilerplate_removed]
            # Listed lines that only trafilatura's residue has (cleaner removed them): shown for review.
            rows += [
                f"  article (trafilatura's only): {line[:100]}  ({why})"
                for line, why in page.traf_omits
                if line not in article
            ]
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=Path, default=Path(os.environ.get("CLEANER_PAGES", DEFAULT_PAGES)))
    parser.add_argument("--page", action="append", help="only this page folder (repeatable)")
    parser.add_argument("--residue", action="store_true", help="print the residue and removed lines too")
    parser.add_argument("--timing", action="store_true", help="time the HTML path against trafilatura alone")
    parser.add_argument("--repeat", type=int, default=3, help="timing: best of this many runs")
    args = parser.parse_args()
    if not args.pages.is_dir():
        sys.exit(f"no pages folder at {args.pages}")
    evaluation = evaluate(args.pages, names=args.page)
    print(render(evaluation, show_lines=args.residue or bool(args.page)))
    if args.timing:
        figures = timing(args.pages, repeat=args.repeat)
        base = figures["trafilatura"]
        print(
            f"\ntrafilatura alone {base:.2f} s; cleaner's extraction (structure included) "
            f"{figures['extraction']:.2f} s ({figures['extraction'] / base - 1:+.1%}); whole HTML path "
            f"(extraction + language + clean) {figures['html_path']:.2f} s ({figures['html_path'] / base - 1:+.1%})"
        )
        parsed = figures["our_parse"]
        print(
            f"of which the parse: trafilatura on cleaner's parse {parsed:.2f} s ({parsed / base - 1:+.1%}); "
            f"what cleaner adds to that: {figures['html_path'] / parsed - 1:+.1%}"
        )
        print(
            f"text path: {figures['text_mb']:.2f} MB in {figures['text_path']:.3f} s = "
            f"{figures['text_mb'] / figures['text_path']:.1f} MB/s (cleaning only: languages detected beforehand)"
        )


if __name__ == "__main__":
    main()
