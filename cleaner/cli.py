"""The `cleaner` command line: thin typer commands over the library. The only module that prints."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from tabulate import tabulate

from . import __version__
from .annotate import Annotator, annotate, load_annotator
from .checks import check_examples, check_framing_examples, example_cases, framing_example_cases
from .compare import FORMATS as COMPARE_FORMATS
from .compare import TABLES, VOICES, Comparison, build_tables, render_tables, transpose
from .document import Document
from .entities import discover
from .errors import CleanerError, RulesetError, UsageError
from .outlets import load_manifest
from .pipeline import Cleaned, Failed, Result, Skipped, run
from .readers import FORMATS, Entry, expand, format_of
from .render import render_markdown, render_text
from .review import render_review_html, render_review_markdown
from .ruleset import Ruleset, load_ruleset
from .validation import did_you_mean

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Strip outlet boilerplate from scraped news text, recording every removal and the rule that made it.",
)
rules_app = typer.Typer(
    no_args_is_help=True, help="Check rule files (boilerplate, framing, entities, sentiment); list boilerplate rules."
)
app.add_typer(rules_app, name="rules")

RulesOpt = Annotated[
    list[Path] | None,
    typer.Option("--rules", help="Extra rule folder laid out like rules/ (repeatable); same full id overrides."),
]
DisableOpt = Annotated[
    list[str] | None, typer.Option("--disable", help="Turn off a rule (full id) or a whole category (repeatable).")
]
OutletOpt = Annotated[str | None, typer.Option("--outlet", help="Outlet name for every document (overrides all else).")]
ManifestOpt = Annotated[
    Path | None, typer.Option("--manifest", help="CSV 'path,outlet' naming each file's outlet (paths relative to it).")
]
LangOpt = Annotated[
    str | None,
    typer.Option("--lang", help="Keep only these languages, e.g. 'en,de'; others are reported, not cleaned."),
]
DetectOpt = Annotated[
    bool, typer.Option("--detect-lang/--no-detect-lang", help="Identify each document's language (langdetect).")
]
FailFastOpt = Annotated[bool, typer.Option("--fail-fast", help="Stop at the first input that cannot be read.")]
InputFormatOpt = Annotated[
    str | None, typer.Option("--input-format", help="Read inputs as text, html or jsonl instead of by file name.")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No summary line and no progress bar.")]
PathsArg = Annotated[list[str], typer.Argument(help="Files, folders (read recursively) or '-' for standard input.")]


@dataclass
class Tally:
    """What a run did, for the summary line and the exit code."""

    inputs: int = 0
    cleaned: int = 0
    changed: int = 0
    spans: int = 0
    skipped: int = 0
    failed: int = 0
    stopped: bool = False


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _load(rules: list[Path] | None, disable: list[str] | None) -> Ruleset:
    return load_ruleset(rules or [], disable=disable or [])


def _fail(exc: CleanerError) -> typer.Exit:
    if isinstance(exc, RulesetError):
        for problem in exc.problems:
            _err(str(problem))
        _err(exc.summary)
        return typer.Exit(1)
    _err(f"cleaner: {exc}")
    return typer.Exit(2 if isinstance(exc, UsageError) else 1)


@dataclass(frozen=True)
class _RunOptions:
    """The options `clean` and `explain` share: which rules, and how documents are read and scoped."""

    rules: list[Path] | None
    disable: list[str] | None
    outlet: str | None
    manifest: Path | None
    lang: str | None
    detect_lang: bool
    input_format: str | None
    quiet: bool


@contextmanager
def _batch(
    paths: list[str], options: _RunOptions, *, ruleset: Ruleset | None = None
) -> Iterator[tuple[Ruleset, Iterator[Result], Tally]]:
    """Load the rules (unless given) and run the pipeline; afterwards print the summary and set the exit code."""
    tally = Tally()
    try:
        ruleset = ruleset or _load(options.rules, options.disable)
        yield ruleset, _results(paths, ruleset, options, tally), tally
    except CleanerError as exc:
        raise _fail(exc) from None
    _summary(tally, options.quiet)
    if tally.failed:
        raise typer.Exit(1)


def _results(paths: list[str], ruleset: Ruleset, options: _RunOptions, tally: Tally) -> Iterator[Result]:
    """Run the pipeline, reporting skips and failures on stderr as they happen."""
    if options.input_format is not None and options.input_format not in FORMATS:
        raise UsageError(f"--input-format must be one of {', '.join(FORMATS)}, not '{options.input_format}'")
    lang = options.lang
    languages = frozenset(code.strip() for code in lang.split(",") if code.strip()) if lang else None
    listed = load_manifest(options.manifest) if options.manifest else None
    entries = expand(paths)
    tally.inputs = len(entries)
    stdin: IO[bytes] | None = sys.stdin.buffer if any(e.path is None for e in entries) else None
    show_bar = not options.quiet and len(entries) > 1 and sys.stderr.isatty()
    with ExitStack() as stack:
        counted: Iterator[Entry] | list[Entry] = entries
        if show_bar:
            bar = stack.enter_context(typer.progressbar(length=len(entries), label="cleaning", file=sys.stderr))
            counted = _advance(entries, bar)
        for result in run(
            counted, ruleset=ruleset, outlet=options.outlet, manifest=listed, languages=languages,
            detect_lang=options.detect_lang, stdin=stdin, input_format=options.input_format,
        ):  # fmt: skip
            if isinstance(result, Failed):
                tally.failed += 1
                _err(f"error: {result.error}")
            elif isinstance(result, Skipped):
                tally.skipped += 1
                _err(f"skipped: {result.source}: {result.reason}")
            else:
                tally.cleaned += 1
                tally.changed += bool(result.doc.removed)
                tally.spans += len(result.doc.removed)
            yield result


def _advance(entries: list[Entry], bar: Any) -> Iterator[Entry]:
    for entry in entries:
        yield entry
        bar.update(1)


def _summary(tally: Tally, quiet: bool) -> None:
    if not quiet:
        docs = "document" if tally.cleaned == 1 else "documents"
        inputs = "input" if tally.inputs == 1 else "inputs"
        _err(
            f"cleaner: {tally.inputs} {inputs}: {tally.cleaned} {docs} cleaned ({tally.changed} changed, "
            f"{tally.spans} spans removed), {tally.skipped} skipped, {tally.failed} failed"
            + (" (stopped at the first failure)" if tally.stopped else "")
        )


def _out_path(out: Path, entry: Entry, record_format: bool) -> Path:
    if entry.path is None:
        relative = Path("stdin")
    elif entry.root is not None:
        relative = entry.path.relative_to(entry.root)
    else:
        relative = Path(entry.path.name)
    name = relative.name.split(".")[0] or "document"
    return out / relative.parent / (name + (".jsonl" if record_format else ".txt"))


@app.command("clean")
def clean_command(
    paths: PathsArg,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="text (cleaned text) or jsonl (records).")
    ] = "text",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write one cleaned file per input into this folder.")
    ] = None,
    rules: RulesOpt = None,
    disable: DisableOpt = None,
    outlet: OutletOpt = None,
    manifest: ManifestOpt = None,
    lang: LangOpt = None,
    detect_lang: DetectOpt = True,
    fail_fast: FailFastOpt = False,
    input_format: InputFormatOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Clean articles: print the cleaned text (or JSONL records), or write one file per input with --out."""
    if output_format not in ("text", "jsonl"):
        raise typer.BadParameter("must be text or jsonl", param_hint="--format")
    options = _RunOptions(rules, disable, outlet, manifest, lang, detect_lang, input_format, quiet)
    headers = len(paths) > 1 or any(Path(p).is_dir() for p in paths if p != "-")
    with _batch(paths, options) as (_, results, tally), _OutFiles(out, records=output_format == "jsonl") as files:
        for result in results:
            if isinstance(result, Failed) and fail_fast:
                tally.stopped = True
                break
            if not isinstance(result, Cleaned):
                continue
            if out is not None:
                files.write(result.doc, result.entry)
            elif output_format == "jsonl":
                sys.stdout.write(_json_line(result.doc))
            else:
                if headers:
                    sys.stdout.write(f"==> {result.doc.source} <==\n")
                text = result.doc.text
                sys.stdout.write(text if text.endswith("\n") else text + "\n")


class _OutFiles:
    """Writes --out files: one per input, a JSONL input (or --format jsonl) as records, else the text."""

    def __init__(self, out: Path | None, *, records: bool):
        self.out = out
        self.records = records
        self.entry: Entry | None = None
        self.handle: IO[str] | None = None

    def __enter__(self) -> _OutFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()

    def write(self, doc: Document, entry: Entry) -> None:
        as_records = self.records or (entry.path is not None and format_of(entry.path) == "jsonl")
        if entry is not self.entry:
            assert self.out is not None
            if self.handle is not None:
                self.handle.close()
            target = _out_path(self.out, entry, as_records)
            target.parent.mkdir(parents=True, exist_ok=True)
            self.handle = target.open("w", encoding="utf-8")
            self.entry = entry
        assert self.handle is not None
        self.handle.write(_json_line(doc) if as_records else doc.text)


def _json_line(doc: Document) -> str:
    return json.dumps(doc.to_record(), ensure_ascii=False) + "\n"


@app.command("explain")
def explain_command(
    paths: PathsArg,
    rules: RulesOpt = None,
    disable: DisableOpt = None,
    outlet: OutletOpt = None,
    manifest: ManifestOpt = None,
    lang: LangOpt = None,
    detect_lang: DetectOpt = True,
    input_format: InputFormatOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """List every span cleaning removes, with its line, rule and the rule's description, for auditing."""
    options = _RunOptions(rules, disable, outlet, manifest, lang, detect_lang, input_format, quiet)
    with _batch(paths, options) as (ruleset, results, _):
        descriptions = {rule.id: rule.description for rule in ruleset.rules}  # once per run, not per document
        for result in results:
            if isinstance(result, Cleaned):
                typer.echo(_explain(result.doc, descriptions))


@app.command("annotate")
def annotate_command(
    paths: PathsArg,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="text (inline markers), jsonl (records) or markdown.")
    ] = "text",
    discover_names: Annotated[
        bool, typer.Option("--discover", help="List capitalised names no entity covers yet, most frequent first.")
    ] = False,
    min_count: Annotated[int, typer.Option("--min-count", help="With --discover: how often a name must occur.")] = 2,
    rules: RulesOpt = None,
    disable: DisableOpt = None,
    outlet: OutletOpt = None,
    manifest: ManifestOpt = None,
    lang: LangOpt = None,
    detect_lang: DetectOpt = True,
    fail_fast: FailFastOpt = False,
    input_format: InputFormatOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Clean, then mark framing choices and score sentiment toward each person, state and organisation."""
    if output_format not in ("text", "jsonl", "markdown"):
        raise typer.BadParameter("must be text, jsonl or markdown", param_hint="--format")
    options = _RunOptions(rules, None, outlet, manifest, lang, detect_lang, input_format, quiet)
    texts: list[str] = []
    with _stage_2(paths, options, disable, fail_fast, annotated=not discover_names) as (annotator, documents):
        for doc in documents:
            if discover_names:
                texts.append(doc.text)
            elif output_format == "jsonl":
                sys.stdout.write(_json_line(doc))
            elif output_format == "markdown":
                sys.stdout.write(render_markdown(doc) + "\n")
            else:
                sys.stdout.write(render_text(doc) + "\n")
        if discover_names:
            found = discover(texts, annotator.entities).most_common()
            counts = [(name, n) for name, n in found if n >= min_count]
            typer.echo(tabulate(counts, headers=["name", "occurrences"]) if counts else "no new names")


@app.command("compare")
def compare_command(
    paths: PathsArg,
    table_format: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="Any tabulate format (simple, github, grid, pipe, html, latex...), csv or json."
        ),
    ] = "simple",
    tables: Annotated[
        str | None, typer.Option("--table", help=f"Tables to show, comma-separated: {', '.join(TABLES)}.")
    ] = None,
    transpose_tables: Annotated[bool, typer.Option("--transpose", help="Outlets in rows instead of columns.")] = False,
    voice: Annotated[
        str, typer.Option("--voice", help="Entity sentiment from narrative, quoted or all mentions.")
    ] = "narrative",
    top: Annotated[int, typer.Option("--top", help="Rows at most in the coverage, overlap and wording tables.")] = 20,
    rules: RulesOpt = None,
    disable: DisableOpt = None,
    outlet: OutletOpt = None,
    manifest: ManifestOpt = None,
    lang: LangOpt = None,
    detect_lang: DetectOpt = True,
    fail_fast: FailFastOpt = False,
    input_format: InputFormatOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Compare how outlets tell one story: framing, entity sentiment, shared coverage, word choices, boilerplate."""
    if table_format not in COMPARE_FORMATS:
        raise typer.BadParameter(f"must be one of {', '.join(COMPARE_FORMATS)}", param_hint="--format")
    if voice not in VOICES:
        raise typer.BadParameter(f"must be one of {', '.join(VOICES)}", param_hint="--voice")
    wanted = [t.strip() for t in tables.split(",") if t.strip()] if tables else list(TABLES)
    unknown = [t for t in wanted if t not in TABLES]
    if unknown:
        raise typer.BadParameter(f"no table {unknown[0]!r}{did_you_mean(unknown[0], TABLES)}", param_hint="--table")
    options = _RunOptions(rules, None, outlet, manifest, lang, detect_lang, input_format, quiet)
    comparison = Comparison()
    with _stage_2(paths, options, disable, fail_fast) as (_, documents):
        for doc in documents:
            comparison.add(doc)
        built = [t for t in build_tables(comparison, voice=voice, top=top) if t.name in wanted]
        built = [transpose(t) for t in built] if transpose_tables else built
        sys.stdout.write(render_tables(sorted(built, key=lambda t: wanted.index(t.name)), table_format))


@app.command("review")
def review_command(
    paths: PathsArg,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report here (default: stdout).")
    ] = None,
    report_format: Annotated[
        str, typer.Option("--format", "-f", help="html (one self-contained page) or markdown.")
    ] = "html",
    rules: RulesOpt = None,
    disable: DisableOpt = None,
    outlet: OutletOpt = None,
    manifest: ManifestOpt = None,
    lang: LangOpt = None,
    detect_lang: DetectOpt = True,
    fail_fast: FailFastOpt = False,
    input_format: InputFormatOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Write a review report for editors: the comparison tables, a sentiment chart, and every article annotated."""
    if report_format not in ("html", "markdown"):
        raise typer.BadParameter("must be html or markdown", param_hint="--format")
    options = _RunOptions(rules, None, outlet, manifest, lang, detect_lang, input_format, quiet)
    docs: list[Document] = []
    comparison = Comparison()
    with _stage_2(paths, options, disable, fail_fast) as (_, documents):
        for doc in documents:
            comparison.add(doc)
            docs.append(doc)  # the report shows every article: it is for a story's handful, not a corpus
        tables = build_tables(comparison)
        if report_format == "html":
            report = render_review_html(docs, comparison, tables)
        else:
            report = render_review_markdown(docs, tables)
        if output is None:
            sys.stdout.write(report)
        else:
            output.write_text(report, encoding="utf-8")
            if not quiet:
                _err(f"cleaner: wrote {output} ({len(docs)} articles)")


@contextmanager
def _stage_2(
    paths: list[str], options: _RunOptions, disable: list[str] | None, fail_fast: bool, *, annotated: bool = True
) -> Iterator[tuple[Annotator, Iterator[Document]]]:
    """Load rules and lexicons once, then yield the documents of the batch, cleaned and (unless told) annotated."""
    try:
        ruleset, annotator = _load_both(options.rules or [], disable or [])
    except CleanerError as exc:
        raise _fail(exc) from None
    with _batch(paths, options, ruleset=ruleset) as (_, results, tally):

        def documents() -> Iterator[Document]:
            for result in results:
                if isinstance(result, Failed) and fail_fast:
                    tally.stopped = True
                    return
                if isinstance(result, Cleaned):
                    yield annotate(result.doc, annotator=annotator) if annotated else result.doc

        yield annotator, documents()


def _load_both(dirs: list[Path], disable: list[str]) -> tuple[Ruleset, Annotator]:
    """Load boilerplate rules and stage 2 once; --disable names go to whichever knows them."""
    ruleset, annotator = load_ruleset(dirs), load_annotator(dirs)
    lexicon = annotator.lexicon
    cleaning = {r.id for r in ruleset.rules} | set(ruleset.categories)
    framing = {a.id for a in lexicon.axes} | {f"{a.id}.{v.id}" for a in lexicon.axes for v in a.variants}
    unknown = [n for n in disable if n not in cleaning and n not in framing]
    if unknown:
        known = cleaning | framing
        raise UsageError(
            "; ".join(f"--disable: no rule, category, axis or variant '{n}'{did_you_mean(n, known)}" for n in unknown)
        )
    rules_off = [n for n in disable if n in cleaning]
    axes_off = [n for n in disable if n in framing]
    if rules_off:
        ruleset = ruleset.without(rules_off)
    if axes_off:
        annotator = Annotator(lexicon.without(axes_off), annotator.entities, annotator.sentiment)
    return ruleset, annotator


def _explain(doc: Document, descriptions: dict[str, str]) -> str:
    count = len(doc.removed)
    lines = [
        f"{doc.source or doc.id}  (outlet: {doc.outlet or 'unknown'}, lang: {doc.lang or 'unknown'}"
        f"{', date: ' + doc.date if doc.date else ''})  {count} removal{'s' if count != 1 else ''}"
    ]
    original = doc.original if doc.removed else doc.text
    for removal in doc.removed:
        body = removal.text.strip()
        first = removal.start + removal.text.index(body[0]) if body else removal.start
        line = original.count("\n", 0, first) + 1
        shown = body if len(body) <= 300 else body[:297] + "..."
        lines.append(f"  line {line}  {removal.rule}  [{removal.category}]  chars {removal.start}-{removal.end}")
        lines.extend(f"    | {part}" for part in shown.split("\n"))
        lines.append(f"    why: {descriptions.get(removal.rule, '(rule not loaded)')}")
    return "\n".join(lines) + "\n"


@rules_app.command("check")
def rules_check(
    dirs: Annotated[list[Path] | None, typer.Argument(help="Rule folders to check with the shipped rules.")] = None,
    no_shipped: Annotated[bool, typer.Option("--no-shipped", help="Check only the given folders.")] = False,
) -> None:
    """Validate rule files and run every rule's examples; print each problem as path:line."""
    try:
        ruleset = load_ruleset(dirs or [], shipped=not no_shipped)
        annotator = load_annotator(dirs or [], shipped=not no_shipped)
    except RulesetError as exc:
        raise _fail(exc) from None
    problems = check_examples(ruleset) + check_framing_examples(annotator)
    for problem in problems:
        _err(str(problem))
    if problems:
        _err(f"{len(problems)} failing example{'s' if len(problems) != 1 else ''}.")
        raise typer.Exit(1)
    cases = len(example_cases(ruleset))
    variants = sum(len(a.variants) for a in annotator.lexicon.axes)
    framing_cases = len(framing_example_cases(annotator))
    typer.echo(
        f"ok: {len(ruleset.rules)} rules in {len(ruleset.files)} files; all {cases} examples pass.\n"
        f"ok: {len(annotator.lexicon.axes)} framing axes with {variants} variants; all {framing_cases} examples pass; "
        f"{len(annotator.entities.entities)} entities."
    )


@rules_app.command("list")
def rules_list(
    rules: RulesOpt = None,
    disable: DisableOpt = None,
    table_format: Annotated[
        str, typer.Option("--format", "-f", help="Any tabulate format: simple, github, plain...")
    ] = "simple",
) -> None:
    """Show each rule in application order, with its category, matcher and scope."""
    try:
        ruleset = _load(rules, disable)
    except CleanerError as exc:
        raise _fail(exc) from None
    rows = []
    for rule in ruleset.rules:
        where = rule.where if rule.where == "anywhere" else f"{rule.where} {rule.within}"
        rows.append(
            [
                rule.id,
                rule.category,
                rule.kind,
                ", ".join(sorted(rule.outlets)) or "all",
                ", ".join(sorted(rule.languages)) or "all",
                where,
            ]
        )
    headers = ["rule", "category", "matcher", "outlets", "languages", "where"]
    typer.echo(tabulate(rows, headers=headers, tablefmt=table_format))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cleaner {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """cleaner: clean scraped news text."""


def run_cli() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":  # pragma: no cover
    run_cli()
