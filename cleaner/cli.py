"""The `cleaner` command line: thin typer commands over the library. The only module that prints."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn
from tabulate import tabulate

from cleaner import __version__
from cleaner.annotation.entities import discover, render_discovered
from cleaner.boilerplate.language import DEFAULT_ENGINE, ENGINES
from cleaner.document import Document
from cleaner.errors import CleanerError, RulesetError, UsageError, display_path
from cleaner.io.readers import MAX_INPUT_SIZE, file_size, format_size
from cleaner.reports.compare import FORMATS as COMPARE_FORMATS
from cleaner.reports.compare import TABLES, TOP_ENTITIES, VOICES, Comparison, build_tables, render_tables, transpose
from cleaner.reports.review import render_review_html, render_review_markdown
from cleaner.rulefiles.checks import (
    check_examples,
    check_framing_examples,
    check_framing_terms,
    example_cases,
    framing_example_cases,
)
from cleaner.rulefiles.listing import list_rules
from cleaner.rulefiles.loader import load_rules
from cleaner.rulefiles.validation import did_you_mean
from cleaner.runs.batch import Counts, Done
from cleaner.runs.corpus import RunReport, destination, refuse_overlap, run_corpus
from cleaner.runs.options import Render, RunOptions, Stage

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
NoShippedOpt = Annotated[
    bool,
    typer.Option("--no-shipped", help="Load only the --rules folders: they replace the shipped rules, axes and lists."),
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
    bool, typer.Option("--detect-lang/--no-detect-lang", help="Identify each document's language (--lang-engine).")
]
LangEngineOpt = Annotated[
    str, typer.Option("--lang-engine", help=f"Language identification: {' or '.join(ENGINES)} (docs/languages.md).")
]
FailFastOpt = Annotated[bool, typer.Option("--fail-fast", help="Stop at the first input that cannot be read.")]
InputFormatOpt = Annotated[
    str | None,
    typer.Option("--input-format", help="Read inputs as text, html, jsonl or parquet instead of by file name."),
]
DEFAULT_MAX_SIZE = format_size(MAX_INPUT_SIZE)
MaxSizeOpt = Annotated[
    str,
    typer.Option("--max-input-size", help="Largest document (or JSONL line) to read, once decompressed: e.g. 64M, 1G."),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No summary line and no progress bar.")]
PathsArg = Annotated[list[str], typer.Argument(help="Files, folders (read recursively) or '-' for standard input.")]
WorkersOpt = Annotated[
    int | None,
    typer.Option("--workers", "-j", min=1, help="Worker processes (default: this machine's cores); 1: this process."),
]
ResumeOpt = Annotated[
    bool, typer.Option("--resume", help="Continue an interrupted run into the same --out FILE (or Dask folder).")
]
ProgressOpt = Annotated[
    bool | None,
    typer.Option("--progress/--no-progress", help="Show docs/s and an ETA on stderr (default: on a terminal)."),
]
EngineOpt = Annotated[
    str, typer.Option("--engine", help="local (worker processes here) or dask (pip install 'cleaner[dask]').")
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option("--scheduler", help="With --engine dask: the scheduler's address (default: a local cluster)."),
]


def _err(message: str) -> None:
    typer.echo(message, err=True)


class _Bar:
    """The progress display (rich, on stderr): documents, documents/s, and the share of the input done
    with an ETA when the input's size is known; problem lines are printed above it."""

    def __init__(self, label: str):
        self.label = label
        self.console = Console(stderr=True)
        self.progress: Progress | None = None
        self.docs, self.started = 0, time.monotonic()

    def start(self, total_bytes: int | None, done_bytes: int) -> None:
        columns: list[Any] = [
            TextColumn("{task.description}: {task.fields[docs]:,} docs, {task.fields[rate]:,.0f} docs/s")
        ]
        if total_bytes:
            columns += [TaskProgressColumn(), TextColumn("ETA"), TimeRemainingColumn()]
        self.progress = Progress(*columns, console=self.console)
        self.task = self.progress.add_task(self.label, total=total_bytes, completed=done_bytes, docs=0, rate=0.0)
        self.docs, self.started = 0, time.monotonic()
        self.progress.start()

    def update(self, docs: int, size: int) -> None:
        self.docs += docs
        rate = self.docs / max(time.monotonic() - self.started, 1e-9)
        if self.progress is not None:
            self.progress.update(self.task, advance=size, docs=self.docs, rate=rate)

    def note(self, message: str) -> None:
        # Not markup: a file name in a message is shown as it is, brackets and all.
        self.console.print(message, markup=False, highlight=False, soft_wrap=True)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def _fail(exc: CleanerError) -> typer.Exit:
    if isinstance(exc, RulesetError):
        for problem in exc.problems:
            _err(str(problem))
        _err(exc.summary)
        return typer.Exit(1)
    _err(f"cleaner: {exc}")
    return typer.Exit(2 if isinstance(exc, UsageError) else 1)


@contextmanager
def _reported() -> Iterator[None]:
    """Turn the library's errors into their message and exit code (1 bad input or rules, 2 usage)."""
    try:
        yield
    except CleanerError as exc:
        raise _fail(exc) from None


def _options(
    rules: list[Path] | None,
    no_shipped: bool,
    disable: list[str] | None,
    outlet: str | None,
    manifest: Path | None,
    lang: str | None,
    detect_lang: bool,
    lang_engine: str,
    input_format: str | None,
    max_input_size: str,
) -> RunOptions:
    with _reported():
        return RunOptions.build(
            rules=rules, shipped=not no_shipped, disable=disable, outlet=outlet, manifest=manifest, lang=lang,
            detect_lang=detect_lang, lang_engine=lang_engine, input_format=input_format,
            max_input_size=max_input_size,
        )  # fmt: skip


def _run(
    paths: list[str],
    out: Path | None,
    options: RunOptions,
    *,
    stage: Stage,
    render: Render | None = None,
    workers: int | None = None,
    resume: bool = False,
    fail_fast: bool = False,
    progress: bool | None = None,
    quiet: bool = False,
    on_output: Callable[[Done], None] | None = None,
) -> RunReport:
    """Run the library's corpus run and print its problems, progress and summary (exit 130 if interrupted);
    the caller ends with `_finish`, after writing what it built from the documents."""
    show = progress if progress is not None else (not quiet and sys.stderr.isatty())
    label = "cleaning" if stage == "clean" else "annotating"
    with _reported():
        report = run_corpus(
            paths, out, stage=stage, render=render, options=options, workers=workers, resume=resume,
            fail_fast=fail_fast, on_output=on_output, on_problem=_err,
            progress=_Bar(label) if show else None,
            stdin=sys.stdin.buffer if "-" in paths else None,
        )  # fmt: skip
    if report.already_complete:
        _err(f"cleaner: {display_path(out)} is complete: nothing to resume")
        return report
    if report.interrupted:
        where = f"; the records are in {display_path(report.partial)}, continue with --resume" if report.partial else ""
        _err(f"cleaner: interrupted after {report.counts.cleaned:,} documents{where}")
        raise typer.Exit(130)
    _summary(report, quiet)
    return report


def _finish(report: RunReport) -> None:
    """Exit 1 when the user must act: an input failed, or a rule ran out of time on a document."""
    if not report.ok:
        raise typer.Exit(1)


def _summary(report: RunReport, quiet: bool) -> None:
    if quiet:
        return
    counts = report.counts
    docs = "document" if counts.cleaned == 1 else "documents"
    inputs = "input" if report.inputs == 1 else "inputs"
    timed_out = f", {counts.timed_out} kept unchanged (a rule ran out of time)" if counts.timed_out else ""
    _err(
        f"cleaner: {report.inputs} {inputs}: {counts.cleaned} {docs} cleaned ({counts.changed} changed, "
        f"{counts.spans} spans removed), {counts.skipped} skipped, {counts.failed} failed{timed_out}"
        + (" (stopped at the first failure)" if report.stopped else "")
    )


@app.command("clean")
def clean_command(
    paths: PathsArg,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="text (cleaned text), jsonl (records) or parquet (with --out).")
    ] = "text",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="FILE.jsonl or FILE.parquet: one record file; else a folder of one file per input."
        ),
    ] = None,
    workers: WorkersOpt = None,
    resume: ResumeOpt = False,
    progress: ProgressOpt = None,
    engine: EngineOpt = "local",
    scheduler: SchedulerOpt = None,
    rules: RulesOpt = None,
    no_shipped: NoShippedOpt = False,
    disable: DisableOpt = None,
    outlet: OutletOpt = None,
    manifest: ManifestOpt = None,
    lang: LangOpt = None,
    detect_lang: DetectOpt = True,
    lang_engine: LangEngineOpt = DEFAULT_ENGINE,
    fail_fast: FailFastOpt = False,
    input_format: InputFormatOpt = None,
    max_input_size: MaxSizeOpt = DEFAULT_MAX_SIZE,
    quiet: QuietOpt = False,
) -> None:
    """Clean articles: print the cleaned text or records, or write a record file (JSONL, Parquet) or a folder."""
    if output_format not in ("text", "jsonl", "parquet"):
        raise typer.BadParameter("must be text, jsonl or parquet", param_hint="--format")
    options = _options(
        rules, no_shipped, disable, outlet, manifest, lang, detect_lang, lang_engine, input_format, max_input_size
    )
    _check_out(out, output_format)
    if engine == "dask":
        _dask_run(paths, options, "clean", output_format, out, scheduler, resume, progress, quiet)
        return
    _check_engine(engine)
    kind = destination(out)
    render: Render = "jsonl" if output_format == "jsonl" else "text"
    if kind != "caller":
        render = {"parquet": "record", "jsonl": "jsonl"}.get(kind, "jsonl" if output_format == "jsonl" else "folder")
    headers = kind == "caller" and render == "text" and (len(paths) > 1 or any(Path(p).is_dir() for p in paths))
    report = _run(
        paths, out, options, stage="clean", render=render, workers=workers, resume=resume, fail_fast=fail_fast,
        progress=progress, quiet=quiet, on_output=_printer(headers),
    )  # fmt: skip
    _finish(report)


def _check_out(out: Path | None, output_format: str, *, folders: bool = True) -> None:
    """--out and --format must agree: Parquet goes to a FILE.parquet; stage 2 writes record files only."""
    kind = destination(out)
    if output_format == "parquet" and kind != "parquet":
        hint = "add --out FILE.parquet" if out is None else "give --out FILE.parquet"
        raise typer.BadParameter(f"Parquet is written to a file: {hint}", param_hint="--format")
    if kind == "folder" and not folders:
        raise typer.BadParameter("must name a FILE.jsonl or FILE.parquet", param_hint="--out")


def _check_engine(engine: str) -> None:
    if engine != "local":
        raise typer.BadParameter("must be local or dask", param_hint="--engine")


def _printer(headers: bool) -> Callable[[Done], None]:
    """Write each document's payload to stdout as it comes, under a '==> source <==' header if asked."""
    out = sys.stdout.buffer

    def write(done: Done) -> None:
        if done.payload is None:
            return
        if headers:
            out.write(f"==> {done.source} <==\n".encode("utf-8", "backslashreplace"))
        data = done.payload
        out.write(data if data.endswith(b"\n") else data + b"\n")
        out.flush()

    return write


def _dask_run(
    paths: list[str],
    options: RunOptions,
    stage: Stage,
    output_format: str,
    out: Path | None,
    scheduler: str | None,
    resume: bool,
    progress: bool | None,
    quiet: bool,
) -> None:
    """--engine dask: partitions on a Dask cluster, one part file each in the --out folder."""
    if out is None:
        raise typer.BadParameter("the Dask engine writes part files: give --out FOLDER", param_hint="--out")
    output = "parquet" if output_format == "parquet" or out.suffix.lower() == ".parquet" else "jsonl"
    if output_format == "markdown":
        raise typer.BadParameter("the Dask engine writes records: jsonl or parquet", param_hint="--format")
    with _reported():
        from cleaner.runs.dask import run_partitions

        show = progress if progress is not None else (not quiet and sys.stderr.isatty())
        bar = _Bar(f"{stage} on dask") if show else None
        if bar:
            bar.start(sum(file_size(Path(p)) for p in paths if p != "-" and Path(p).is_file()) or None, 0)
        counts = Counts()

        def on_part(part: Any) -> None:
            for line in part.problems:
                (bar.note if bar else _err)(line)
            counts.merge(part.counts)
            if bar:
                bar.update(part.units, part.size)

        report = run_partitions(
            paths, out, stage=stage, output=output, options=options, scheduler=scheduler, resume=resume,
            on_part=on_part,
        )  # fmt: skip
        if bar:
            bar.close()
    if report.already_done == report.partitions and not report.parts:
        _err(f"cleaner: {display_path(out)} is complete: nothing to resume")
        return
    if not quiet:
        before = f", {report.already_done} written before" if report.already_done else ""
        _err(
            f"cleaner: {report.partitions} partitions{before}: {counts.cleaned} documents "
            f"({counts.changed} changed, {counts.spans} spans removed), {counts.skipped} skipped, "
            f"{counts.failed} failed; parts in {out}"
        )
    if report.failed or counts.timed_out:
        raise typer.Exit(1)


@app.command("explain")
def explain_command(
    paths: PathsArg,
    rules: RulesOpt = None,
    no_shipped: NoShippedOpt = False,
    disable: DisableOpt = None,
    outlet: OutletOpt = None,
    manifest: ManifestOpt = None,
    lang: LangOpt = None,
    detect_lang: DetectOpt = True,
    lang_engine: LangEngineOpt = DEFAULT_ENGINE,
    input_format: InputFormatOpt = None,
    max_input_size: MaxSizeOpt = DEFAULT_MAX_SIZE,
    quiet: QuietOpt = False,
) -> None:
    """List every span cleaning removes, with its line, rule and the rule's description, for auditing."""
    options = _options(
        rules, no_shipped, disable, outlet, manifest, lang, detect_lang, lang_engine, input_format, max_input_size
    )
    with _reported():
        ruleset, _ = load_rules(options.rules, shipped=options.shipped, stage_2=False, check_user_examples=False)
    descriptions = {rule.id: rule.description for rule in ruleset.rules}  # once per run, not per document

    def show(done: Done) -> None:
        assert done.doc is not None
        typer.echo(_explain(done.doc, descriptions))

    _finish(_run(paths, None, options, stage="clean", workers=1, quiet=quiet, progress=False, on_output=show))


@app.command("annotate")
def annotate_command(
    paths: PathsArg,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="text (inline markers), jsonl (records) or markdown.")
    ] = "text",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write records to FILE.jsonl or FILE.parquet.")
    ] = None,
    workers: WorkersOpt = None,
    resume: ResumeOpt = False,
    progress: ProgressOpt = None,
    engine: EngineOpt = "local",
    scheduler: SchedulerOpt = None,
    discover_names: Annotated[
        bool,
        typer.Option("--discover", help="Print the names recognition found outside the list, as entities.yaml."),
    ] = False,
    min_count: Annotated[int, typer.Option("--min-count", help="With --discover: how often a name must occur.")] = 2,
    rules: RulesOpt = None,
    no_shipped: NoShippedOpt = False,
    disable: DisableOpt = None,
    outlet: OutletOpt = None,
    manifest: ManifestOpt = None,
    lang: LangOpt = None,
    detect_lang: DetectOpt = True,
    lang_engine: LangEngineOpt = DEFAULT_ENGINE,
    fail_fast: FailFastOpt = False,
    input_format: InputFormatOpt = None,
    max_input_size: MaxSizeOpt = DEFAULT_MAX_SIZE,
    quiet: QuietOpt = False,
) -> None:
    """Clean, then mark framing choices and score sentiment toward each person, state and organisation."""
    if output_format not in ("text", "jsonl", "markdown", "parquet"):
        raise typer.BadParameter("must be text, jsonl, markdown or parquet", param_hint="--format")
    options = _options(
        rules, no_shipped, disable, outlet, manifest, lang, detect_lang, lang_engine, input_format, max_input_size
    )
    if discover_names:
        _discover(paths, options, workers, fail_fast, quiet, min_count)
        return
    _check_out(out, output_format, folders=False)
    if engine == "dask":
        _dask_run(paths, options, "annotate", output_format, out, scheduler, resume, progress, quiet)
        return
    _check_engine(engine)
    render: Render = {"text": "marked", "markdown": "markdown"}.get(output_format, "jsonl")  # type: ignore[assignment]
    if out is not None:
        render = "record" if destination(out) == "parquet" else "jsonl"
    report = _run(
        paths, out, options, stage="annotate", render=render, workers=workers, resume=resume, fail_fast=fail_fast,
        progress=progress, quiet=quiet, on_output=_printer(False),
    )  # fmt: skip
    _finish(report)


def _discover(
    paths: list[str], options: RunOptions, workers: int | None, fail_fast: bool, quiet: bool, min_count: int
) -> None:
    texts: list[str] = []
    report = _run(
        paths, None, options, stage="clean", workers=workers, fail_fast=fail_fast, quiet=quiet, progress=False,
        on_output=lambda done: texts.append(done.doc.text if done.doc else ""),
    )  # fmt: skip
    with _reported():
        _, annotator = load_rules(options.rules, shipped=options.shipped, check_user_examples=False)
    assert annotator is not None
    found = [d for d in discover(texts, annotator.entities) if d.mentions >= min_count]
    typer.echo(render_discovered(found) if found else "no new names", nl=not found)
    _finish(report)


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
    top_entities: Annotated[
        int, typer.Option("--top-entities", help="Entity rows: the N most mentioned.", min=1)
    ] = TOP_ENTITIES,
    pick: Annotated[
        str | None, typer.Option("--entities", help="Entity rows: these names, comma-separated, in this order.")
    ] = None,
    workers: WorkersOpt = None,
    rules: RulesOpt = None,
    no_shipped: NoShippedOpt = False,
    disable: DisableOpt = None,
    outlet: OutletOpt = None,
    manifest: ManifestOpt = None,
    lang: LangOpt = None,
    detect_lang: DetectOpt = True,
    lang_engine: LangEngineOpt = DEFAULT_ENGINE,
    fail_fast: FailFastOpt = False,
    input_format: InputFormatOpt = None,
    max_input_size: MaxSizeOpt = DEFAULT_MAX_SIZE,
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
    options = _options(
        rules, no_shipped, disable, outlet, manifest, lang, detect_lang, lang_engine, input_format, max_input_size
    )
    comparison = Comparison()
    report = _run(
        paths, None, options, stage="annotate", workers=workers, fail_fast=fail_fast, quiet=quiet,
        on_output=lambda done: comparison.add(done.doc),
    )  # fmt: skip
    # The tables of what was read, even when some inputs failed (exit 1 all the same).
    names = [n.strip() for n in pick.split(",") if n.strip()] if pick else []
    tables_built = build_tables(comparison, voice=voice, top=top, top_entities=top_entities, entities=names)
    built = [t for t in tables_built if t.name in wanted]
    built = [transpose(t) for t in built] if transpose_tables else built
    sys.stdout.write(render_tables(sorted(built, key=lambda t: wanted.index(t.name)), table_format))
    _finish(report)


@app.command("review")
def review_command(
    paths: PathsArg,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report here (default: stdout).")
    ] = None,
    report_format: Annotated[
        str, typer.Option("--format", "-f", help="html (one self-contained page) or markdown.")
    ] = "html",
    workers: WorkersOpt = None,
    rules: RulesOpt = None,
    no_shipped: NoShippedOpt = False,
    disable: DisableOpt = None,
    outlet: OutletOpt = None,
    manifest: ManifestOpt = None,
    lang: LangOpt = None,
    detect_lang: DetectOpt = True,
    lang_engine: LangEngineOpt = DEFAULT_ENGINE,
    fail_fast: FailFastOpt = False,
    input_format: InputFormatOpt = None,
    max_input_size: MaxSizeOpt = DEFAULT_MAX_SIZE,
    quiet: QuietOpt = False,
) -> None:
    """Write a review report for editors: the comparison tables, a sentiment chart, and every article annotated."""
    if report_format not in ("html", "markdown"):
        raise typer.BadParameter("must be html or markdown", param_hint="--format")
    options = _options(
        rules, no_shipped, disable, outlet, manifest, lang, detect_lang, lang_engine, input_format, max_input_size
    )
    if output is not None:
        with _reported():
            refuse_overlap(output, paths, [])
    docs: list[Document] = []
    comparison = Comparison()

    def keep(done: Done) -> None:
        assert done.doc is not None
        comparison.add(done.doc)
        docs.append(done.doc)  # the report shows every article: it is for a story's handful, not a corpus

    run = _run(
        paths, None, options, stage="annotate", workers=workers, fail_fast=fail_fast, quiet=quiet, on_output=keep
    )
    # The report of what was read, even when some inputs failed (exit 1 all the same).
    tables = build_tables(comparison)
    page = (
        render_review_html(docs, comparison, tables)
        if report_format == "html"
        else render_review_markdown(docs, tables)
    )
    if output is None:
        sys.stdout.write(page)
    else:
        output.write_text(page, encoding="utf-8")
        if not quiet:
            _err(f"cleaner: wrote {display_path(output)} ({len(docs)} articles)")
    _finish(run)


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
    with _reported():
        ruleset, annotator = load_rules(dirs or [], shipped=not no_shipped, check_user_examples=False)
    assert annotator is not None
    problems = check_examples(ruleset) + check_framing_examples(annotator) + check_framing_terms(annotator)
    for problem in problems:
        _err(str(problem))
    if problems:
        _err(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}.")
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
    no_shipped: NoShippedOpt = False,
    disable: DisableOpt = None,
    table_format: Annotated[
        str, typer.Option("--format", "-f", help="Any tabulate format: simple, github, plain...")
    ] = "simple",
) -> None:
    """Show each rule in application order, then framing variants and entities, each with its file:line."""
    with _reported():
        ruleset, annotator = load_rules(
            rules or [], shipped=not no_shipped, disable=disable or [], check_user_examples=False
        )
    assert annotator is not None
    tables = [tabulate(t.rows, headers=t.headers, tablefmt=table_format) for t in list_rules(ruleset, annotator)]
    typer.echo("\n\n".join(tables))


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
