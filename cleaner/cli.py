"""The `cleaner` command line: thin typer commands over the library. The only module that prints."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from itertools import islice
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from tabulate import tabulate

from cleaner import __version__
from cleaner.annotation.annotate import Annotator, annotate, load_annotator
from cleaner.annotation.entities import discover
from cleaner.annotation.sentiment import METHODS
from cleaner.boilerplate.outlets import load_manifest
from cleaner.boilerplate.ruleset import Ruleset, load_ruleset
from cleaner.document import Document
from cleaner.errors import CleanerError, RulesetError, UsageError
from cleaner.io.readers import FORMATS, Entry, expand, file_size, format_of
from cleaner.io.sinks import Checkpoint, JsonlOut, ParquetOut, run_digest
from cleaner.reports.compare import FORMATS as COMPARE_FORMATS
from cleaner.reports.compare import TABLES, VOICES, Comparison, build_tables, render_tables, transpose
from cleaner.reports.review import render_review_html, render_review_markdown
from cleaner.rulefiles.checks import check_examples, check_framing_examples, example_cases, framing_example_cases
from cleaner.rulefiles.validation import did_you_mean
from cleaner.runs.batch import Chunk, Counts, Done, Task, default_workers, execute, load_stages
from cleaner.runs.pipeline import Cleaned, Failed, Item, Result, Skipped, cut, run
from cleaner.runs.progress import Progress

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
    str | None,
    typer.Option("--input-format", help="Read inputs as text, html, jsonl or parquet instead of by file name."),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No summary line and no progress bar.")]
SentimentOpt = Annotated[
    str, typer.Option("--sentiment", help="Entity sentiment by the trained model or the lexicon method: model|lexicon.")
]
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


@dataclass
class Tally(Counts):
    """What a run did, for the summary line and the exit code."""

    inputs: int = 0
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
    disable: DisableOpt = None,
    outlet: OutletOpt = None,
    manifest: ManifestOpt = None,
    lang: LangOpt = None,
    detect_lang: DetectOpt = True,
    fail_fast: FailFastOpt = False,
    input_format: InputFormatOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Clean articles: print the cleaned text or records, or write a record file (JSONL, Parquet) or a folder."""
    if output_format not in ("text", "jsonl", "parquet"):
        raise typer.BadParameter("must be text, jsonl or parquet", param_hint="--format")
    options = _RunOptions(rules, disable, outlet, manifest, lang, detect_lang, input_format, quiet)
    if engine == "dask":
        _dask_run(paths, options, "clean", output_format, out, scheduler, resume, progress)
        return
    target = _target(out, output_format)
    if target[0] == "parquet":
        render = "record"
    elif target[0] == "jsonl" or output_format == "jsonl":
        render = "jsonl"
    else:  # text on stdout; in a folder, text or records by each input's own format
        render = "text" if target[0] == "stdout" else "folder"
    headers = target[0] == "stdout" and render == "text" and (len(paths) > 1 or any(Path(p).is_dir() for p in paths))
    _corpus(
        paths, options, _task(options, "clean", render, disable), target, workers=workers, resume=resume,
        progress=progress, fail_fast=fail_fast, engine=engine, headers=headers,
    )  # fmt: skip


def _target(out: Path | None, output_format: str, *, folders: bool = True) -> tuple[str, Path | None]:
    """Where records go: ("stdout"|"folder"|"jsonl"|"parquet", path); a record file is chosen by its suffix."""
    if out is None:
        if output_format == "parquet":
            raise typer.BadParameter("Parquet is written to a file: add --out FILE.parquet", param_hint="--format")
        return ("stdout", None)
    suffix = out.suffix.lower()
    if suffix in (".jsonl", ".parquet"):
        return (suffix[1:], out)
    if output_format == "parquet":
        raise typer.BadParameter("--format parquet writes one file: give --out FILE.parquet", param_hint="--out")
    if not folders:
        raise typer.BadParameter("must name a FILE.jsonl or FILE.parquet", param_hint="--out")
    return ("folder", out)


def _task(options: _RunOptions, stage: str, render: str, disable: list[str] | None, sentiment: str = "model") -> Task:
    if sentiment not in METHODS:
        raise typer.BadParameter(f"must be one of {', '.join(METHODS)}", param_hint="--sentiment")
    lang = options.lang
    languages = frozenset(code.strip() for code in lang.split(",") if code.strip()) if lang else None
    return Task(
        stage=stage, render=render, rules=tuple(str(r) for r in options.rules or []),
        disable=tuple(disable or []), outlet=options.outlet, languages=languages,
        detect_lang=options.detect_lang or bool(languages), sentiment=sentiment,
    )  # fmt: skip


def _corpus(
    paths: list[str],
    options: _RunOptions,
    task: Task,
    target: tuple[str, Path | None],
    *,
    workers: int | None,
    resume: bool,
    progress: bool | None,
    fail_fast: bool,
    engine: str,
    headers: bool = False,
) -> None:
    """Run a stage over a batch with the local engine: workers, record files, checkpoints, progress."""
    if engine != "local":
        raise typer.BadParameter("must be local or dask", param_hint="--engine")
    kind, path = target
    tally = Tally()
    try:
        if options.input_format is not None and options.input_format not in FORMATS:
            raise UsageError(f"--input-format must be one of {', '.join(FORMATS)}, not '{options.input_format}'")
        worker = task.worker()  # rule errors are reported here, once, before any worker starts
        listed = load_manifest(options.manifest) if options.manifest else None
        entries = expand(paths)
        tally.inputs = len(entries)
        reads_stdin = any(e.path is None for e in entries)
        if resume and kind not in ("jsonl", "parquet"):
            raise UsageError("--resume continues a record file: give --out FILE.jsonl or FILE.parquet")
        if resume and reads_stdin:
            raise UsageError("--resume cannot read standard input again: name the input files")
        sink: JsonlOut | ParquetOut | None = None
        checkpoint: Checkpoint | None = None
        if path is not None and kind in ("jsonl", "parquet"):
            digest = run_digest(
                task=asdict(task), output=kind, input_format=options.input_format, manifest=options.manifest,
                inputs=[(e.display, file_size(e.path)) for e in entries],
            )  # fmt: skip
            checkpoint = Checkpoint.begin(path, digest, resume=resume)
            if checkpoint is None:
                _err(f"cleaner: {path} is complete: nothing to resume")
                return
            at = checkpoint.position if checkpoint.resumed else None
            sink = JsonlOut(path, at) if kind == "jsonl" else ParquetOut(path, task.stage == "annotate", at)
            tally.merge(checkpoint.tally)
        stdin: IO[bytes] | None = sys.stdin.buffer if reads_stdin else None
        items: Iterator[Item] = cut(entries, manifest=listed, stdin=stdin, input_format=options.input_format)
        done = checkpoint.items if checkpoint else 0
        size = checkpoint.size if checkpoint else 0
        if done:
            _err(f"cleaner: resuming {path}: {tally.cleaned:,} documents done before")
            items = islice(items, done, None)
        show = progress if progress is not None else (not options.quiet and sys.stderr.isatty())
        bar = None
        if show:
            total = _total_size(entries)
            before = checkpoint.size if checkpoint else 0
            label = "cleaning" if task.stage == "clean" else "annotating"
            bar = Progress(sys.stderr, label=label, total_bytes=total, done_bytes=before)
        report = bar.note if bar else _err
        interrupted = False
        try:
            with _OutFiles(path if kind == "folder" else None) as files, _stop_signals() as stop_requested:
                for chunk in execute(items, task, workers=workers or default_workers(), worker=worker):
                    stop = _tally_chunk(chunk, tally, report, fail_fast)
                    if kind == "stdout":
                        _print_chunk(chunk, headers)
                    elif kind == "folder":
                        for outcome in chunk.outcomes:
                            if isinstance(outcome, Done) and outcome.payload is not None:
                                files.write(outcome.payload, outcome.entry, render_records=task.render == "jsonl")
                    elif sink is not None and checkpoint is not None and sink.write(chunk):
                        checkpoint.save(done + len(chunk.items), sink.position, tally.as_dict(), size + chunk.size)
                    done += len(chunk.items)
                    size += chunk.size
                    if bar:
                        bar.update(len(chunk.outcomes), chunk.size)
                    if stop:
                        tally.stopped = True
                        break
                    if stop_requested():
                        interrupted = True
                        break
            if sink is not None and checkpoint is not None:
                sink.flush()  # every chunk taken is written: an interrupted run keeps all it did
                checkpoint.save(done, sink.position, tally.as_dict(), size)
                if interrupted:
                    sink.close()
                else:
                    sink.finish()
                    checkpoint.remove()
                    sink.cleanup()
        except KeyboardInterrupt:  # a second Ctrl-C: stop now; the last checkpoint stands
            interrupted = True
            if sink is not None:
                sink.close()
        if bar:
            bar.close()
        if interrupted:
            where = f"; the records are in {sink.partial}, continue with --resume" if sink is not None else ""
            _err(f"cleaner: interrupted after {tally.cleaned:,} documents{where}")
            raise typer.Exit(130)
    except CleanerError as exc:
        raise _fail(exc) from None
    _summary(tally, options.quiet)
    if tally.failed:
        raise typer.Exit(1)


def _dask_run(
    paths: list[str],
    options: _RunOptions,
    stage: str,
    output_format: str,
    out: Path | None,
    scheduler: str | None,
    resume: bool,
    progress: bool | None,
    disable: list[str] | None = None,
    sentiment: str = "model",
) -> None:
    """--engine dask: partitions on a Dask cluster, one part file each in the --out folder."""
    if out is None:
        raise typer.BadParameter("the Dask engine writes part files: give --out FOLDER", param_hint="--out")
    output = "parquet" if output_format == "parquet" or out.suffix.lower() == ".parquet" else "jsonl"
    if output_format in ("markdown",):
        raise typer.BadParameter("the Dask engine writes records: jsonl or parquet", param_hint="--format")
    try:
        from cleaner.runs.dask import clean_partitions

        lang = options.lang
        languages = [code.strip() for code in lang.split(",") if code.strip()] if lang else None
        total = sum(file_size(Path(p)) for p in paths if p != "-" and Path(p).is_file()) or None
        show = progress if progress is not None else (not options.quiet and sys.stderr.isatty())
        bar = Progress(sys.stderr, label=f"{stage} on dask", total_bytes=total) if show else None
        report_line = bar.note if bar else _err
        tally = Tally()

        def on_part(part: Any) -> None:
            for line in part.problems:
                report_line(line)
            tally.merge(part.counts)
            if bar:
                bar.update(part.units, part.size)

        report = clean_partitions(
            paths, out, stage=stage, output=output, scheduler=scheduler, rules=options.rules or [],
            disable=(disable if stage == "annotate" else options.disable) or [], outlet=options.outlet,
            languages=languages, detect_lang=options.detect_lang, input_format=options.input_format,
            manifest=options.manifest, resume=resume, on_part=on_part, sentiment=sentiment,
        )  # fmt: skip
        if bar:
            bar.close()
    except CleanerError as exc:
        raise _fail(exc) from None
    if report.already_done == report.partitions and not report.parts:
        _err(f"cleaner: {out} is complete: nothing to resume")
        return
    if not options.quiet:
        before = f", {report.already_done} written before" if report.already_done else ""
        _err(
            f"cleaner: {report.partitions} partitions{before}: {tally.cleaned} documents "
            f"({tally.changed} changed, {tally.spans} spans removed), {tally.skipped} skipped, {tally.failed} failed; "
            f"parts in {out}"
        )
    if report.failed:
        raise typer.Exit(1)


@contextmanager
def _stop_signals() -> Iterator[Any]:
    """Ctrl-C (SIGINT) or SIGTERM asks the run to stop after the chunk in hand, with everything taken
    written and checkpointed; a second Ctrl-C stops at once."""
    requested: list[int] = []

    def handler(signum: int, frame: Any) -> None:
        if requested and signum == signal.SIGINT:
            raise KeyboardInterrupt
        requested.append(signum)

    try:
        previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread: leave signals alone
        previous = {}
    try:
        yield lambda: bool(requested)
    finally:
        for number, old in previous.items():
            signal.signal(number, old)


def _tally_chunk(chunk: Chunk, tally: Tally, report: Any, fail_fast: bool) -> bool:
    """Count and report a chunk's outcomes; with fail_fast, cut the chunk at its first failure (True: stop)."""
    for index, outcome in enumerate(chunk.outcomes):
        line = tally.add(outcome)
        if line:
            report(line)
        if fail_fast and isinstance(outcome, Failed):
            kept = chunk.outcomes[:index]
            if chunk.batch is not None:
                chunk.batch = chunk.batch.slice(0, sum(isinstance(o, Done) for o in kept))
            chunk.outcomes = kept
            return True
    return False


def _print_chunk(chunk: Chunk, headers: bool) -> None:
    out = sys.stdout.buffer
    for outcome in chunk.outcomes:
        if isinstance(outcome, Done) and outcome.payload is not None:
            if headers:
                out.write(f"==> {outcome.source} <==\n".encode())
            data = outcome.payload
            out.write(data if data.endswith(b"\n") else data + b"\n")
    out.flush()


def _total_size(entries: list[Entry]) -> int | None:
    """The input bytes, when every input is a plain file (a gzip or a stream has no size we can count in)."""
    if any(e.path is None or e.path.suffix.lower() == ".gz" for e in entries):
        return None
    return sum(file_size(e.path) for e in entries if e.skip is None) or None


def _out_path(out: Path, entry: Entry, record_format: bool) -> Path:
    if entry.path is None:
        relative = Path("stdin")
    elif entry.root is not None:
        relative = entry.path.relative_to(entry.root)
    else:
        relative = Path(entry.path.name)
    name = relative.name.split(".")[0] or "document"
    return out / relative.parent / (name + (".jsonl" if record_format else ".txt"))


class _OutFiles:
    """Writes --out folder files: one per input, a JSONL input (or --format jsonl) as records, else the text."""

    def __init__(self, out: Path | None):
        self.out = out
        self.entry: Entry | None = None
        self.handle: IO[bytes] | None = None

    def __enter__(self) -> _OutFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()

    def write(self, payload: bytes, entry: Entry, *, render_records: bool) -> None:
        as_records = render_records or (entry.path is not None and format_of(entry.path) == "jsonl")
        if entry != self.entry:
            assert self.out is not None
            if self.handle is not None:
                self.handle.close()
            target = _out_path(self.out, entry, as_records)
            target.parent.mkdir(parents=True, exist_ok=True)
            self.handle = target.open("wb")
            self.entry = entry
        assert self.handle is not None
        self.handle.write(payload)


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
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write records to FILE.jsonl or FILE.parquet.")
    ] = None,
    workers: WorkersOpt = None,
    resume: ResumeOpt = False,
    progress: ProgressOpt = None,
    engine: EngineOpt = "local",
    scheduler: SchedulerOpt = None,
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
    sentiment: SentimentOpt = "model",
) -> None:
    """Clean, then mark framing choices and score sentiment toward each person, state and organisation."""
    if output_format not in ("text", "jsonl", "markdown", "parquet"):
        raise typer.BadParameter("must be text, jsonl, markdown or parquet", param_hint="--format")
    options = _RunOptions(rules, None, outlet, manifest, lang, detect_lang, input_format, quiet)
    if discover_names:
        texts: list[str] = []
        with _stage_2(paths, options, disable, fail_fast, annotated=False) as (annotator, documents):
            texts.extend(doc.text for doc in documents)
            found = discover(texts, annotator.entities).most_common()
            counts = [(name, n) for name, n in found if n >= min_count]
            typer.echo(tabulate(counts, headers=["name", "occurrences"]) if counts else "no new names")
        return
    if engine == "dask":
        _dask_run(paths, options, "annotate", output_format, out, scheduler, resume, progress, disable, sentiment)
        return
    target = _target(out, output_format, folders=False)
    render = {"text": "marked", "markdown": "markdown"}.get(output_format, "jsonl")
    if target[0] != "stdout":
        render = "record" if target[0] == "parquet" else "jsonl"
    _corpus(
        paths, options, _task(options, "annotate", render, disable, sentiment), target, workers=workers, resume=resume,
        progress=progress, fail_fast=fail_fast, engine=engine,
    )  # fmt: skip


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
    sentiment: SentimentOpt = "model",
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
    with _stage_2(paths, options, disable, fail_fast, sentiment=sentiment) as (_, documents):
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
    sentiment: SentimentOpt = "model",
) -> None:
    """Write a review report for editors: the comparison tables, a sentiment chart, and every article annotated."""
    if report_format not in ("html", "markdown"):
        raise typer.BadParameter("must be html or markdown", param_hint="--format")
    options = _RunOptions(rules, None, outlet, manifest, lang, detect_lang, input_format, quiet)
    docs: list[Document] = []
    comparison = Comparison()
    with _stage_2(paths, options, disable, fail_fast, sentiment=sentiment) as (_, documents):
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
    paths: list[str],
    options: _RunOptions,
    disable: list[str] | None,
    fail_fast: bool,
    *,
    annotated: bool = True,
    sentiment: str = "model",
) -> Iterator[tuple[Annotator, Iterator[Document]]]:
    """Load rules and lexicons once, then yield the documents of the batch, cleaned and (unless told) annotated."""
    if sentiment not in METHODS:
        raise typer.BadParameter(f"must be one of {', '.join(METHODS)}", param_hint="--sentiment")
    try:
        ruleset, annotator = load_stages(options.rules or [], disable or [], sentiment=sentiment)
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
