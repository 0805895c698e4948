"""The `cleaner` commands: thin typer functions that parse, call the library and print.

`cleaner.cli.options` declares the options, `cleaner.cli.display` does the printing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from tabulate import tabulate

from cleaner import __version__
from cleaner.annotation import build
from cleaner.annotation.entities import discover, render_discovered
from cleaner.cli.display import Bar, err, finish, partitions_summary, printer, reported, run
from cleaner.cli.options import (
    DisableOpt,
    EngineOpt,
    FailFastOpt,
    NoShippedOpt,
    PathsArg,
    ProgressOpt,
    QuietOpt,
    ResumeOpt,
    RulesOpt,
    SchedulerOpt,
    WorkersOpt,
    with_run_options,
)
from cleaner.document import Document
from cleaner.errors import display_path
from cleaner.io.readers import file_size
from cleaner.reports.compare import FORMATS as COMPARE_FORMATS
from cleaner.reports.compare import TABLES, TOP_ENTITIES, VOICES, Comparison, build_tables, render_tables, transpose
from cleaner.reports.review import render_review_html, render_review_markdown
from cleaner.rulefiles.checks import (
    check_entity_examples,
    check_examples,
    check_framing_examples,
    check_framing_terms,
    check_word_examples,
    entity_example_cases,
    example_cases,
    framing_example_cases,
)
from cleaner.rulefiles.listing import list_rules
from cleaner.rulefiles.loader import load_rules
from cleaner.rulefiles.validation import did_you_mean
from cleaner.runs.batch import Counts, Done
from cleaner.runs.corpus import destination, refuse_overlap
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


@app.command("clean")
@with_run_options()
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
    fail_fast: FailFastOpt = False,
    quiet: QuietOpt = False,
    *,
    options: RunOptions,
) -> None:
    """Clean articles: print the cleaned text or records, or write a record file (JSONL, Parquet) or a folder."""
    if output_format not in ("text", "jsonl", "parquet"):
        raise typer.BadParameter("must be text, jsonl or parquet", param_hint="--format")
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
    report = run(
        paths, out, options, stage="clean", render=render, workers=workers, resume=resume, fail_fast=fail_fast,
        progress=progress, quiet=quiet, on_output=printer(headers),
    )  # fmt: skip
    finish(report)


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
    with reported():
        from cleaner.runs.dask import run_partitions

        show = progress if progress is not None else (not quiet and sys.stderr.isatty())
        bar = Bar(f"{stage} on dask") if show else None
        if bar:
            bar.start(sum(file_size(Path(p)) for p in paths if p != "-" and Path(p).is_file()) or None, 0)
        counts = Counts()

        def on_part(part: Any) -> None:
            for line in part.problems:
                (bar.note if bar else err)(line)
            counts.merge(part.counts)
            if bar:
                bar.update(part.units, part.size)

        report = run_partitions(
            paths, out, stage=stage, output=output, options=options, scheduler=scheduler, resume=resume,
            on_part=on_part,
        )  # fmt: skip
        if bar:
            bar.close()
    partitions_summary(report, counts, out, quiet)


@app.command("explain")
@with_run_options()
def explain_command(
    paths: PathsArg,
    quiet: QuietOpt = False,
    *,
    options: RunOptions,
) -> None:
    """List every span cleaning removes, with its line, rule and the rule's description, for auditing."""
    with reported():
        ruleset, _ = load_rules(options.rules, shipped=options.shipped, stage_2=False, check_user_examples=False)
    descriptions = {rule.id: rule.description for rule in ruleset.rules}  # once per run, not per document

    def show(done: Done) -> None:
        assert done.doc is not None
        typer.echo(_explain(done.doc, descriptions))

    finish(run(paths, None, options, stage="clean", workers=1, quiet=quiet, progress=False, on_output=show))


@app.command("annotate")
@with_run_options(stage_2=True)
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
    fail_fast: FailFastOpt = False,
    quiet: QuietOpt = False,
    *,
    options: RunOptions,
) -> None:
    """Clean, then mark framing choices and score sentiment toward each person, state and organisation."""
    if output_format not in ("text", "jsonl", "markdown", "parquet"):
        raise typer.BadParameter("must be text, jsonl, markdown or parquet", param_hint="--format")
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
    report = run(
        paths, out, options, stage="annotate", render=render, workers=workers, resume=resume, fail_fast=fail_fast,
        progress=progress, quiet=quiet, on_output=printer(False),
    )  # fmt: skip
    finish(report)


def _discover(
    paths: list[str], options: RunOptions, workers: int | None, fail_fast: bool, quiet: bool, min_count: int
) -> None:
    texts: list[str] = []
    report = run(
        paths, None, options, stage="clean", workers=workers, fail_fast=fail_fast, quiet=quiet, progress=False,
        on_output=lambda done: texts.append(done.doc.text if done.doc else ""),
    )  # fmt: skip
    with reported():
        _, annotator = load_rules(options.rules, shipped=options.shipped, check_user_examples=False)
    assert annotator is not None
    found = [d for d in discover(texts, annotator.entities) if d.mentions >= min_count]
    typer.echo(render_discovered(found) if found else "no new names", nl=not found)
    finish(report)


@app.command("compare")
@with_run_options(stage_2=True)
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
    fail_fast: FailFastOpt = False,
    quiet: QuietOpt = False,
    *,
    options: RunOptions,
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
    comparison = Comparison()
    report = run(
        paths, None, options, stage="annotate", workers=workers, fail_fast=fail_fast, quiet=quiet,
        on_output=lambda done: comparison.add(done.doc),
    )  # fmt: skip
    # The tables of what was read, even when some inputs failed (exit 1 all the same).
    names = [n.strip() for n in pick.split(",") if n.strip()] if pick else []
    tables_built = build_tables(comparison, voice=voice, top=top, top_entities=top_entities, entities=names)
    built = [t for t in tables_built if t.name in wanted]
    built = [transpose(t) for t in built] if transpose_tables else built
    sys.stdout.write(render_tables(sorted(built, key=lambda t: wanted.index(t.name)), table_format))
    finish(report)


@app.command("review")
@with_run_options(stage_2=True)
def review_command(
    paths: PathsArg,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report here (default: stdout).")
    ] = None,
    report_format: Annotated[
        str, typer.Option("--format", "-f", help="html (one self-contained page) or markdown.")
    ] = "html",
    workers: WorkersOpt = None,
    fail_fast: FailFastOpt = False,
    quiet: QuietOpt = False,
    *,
    options: RunOptions,
) -> None:
    """Write a review report for editors: the comparison tables, a sentiment chart, and every article annotated."""
    if report_format not in ("html", "markdown"):
        raise typer.BadParameter("must be html or markdown", param_hint="--format")
    if output is not None:
        with reported():
            refuse_overlap(output, paths, [])
    docs: list[Document] = []
    comparison = Comparison()

    def keep(done: Done) -> None:
        assert done.doc is not None
        comparison.add(done.doc)
        docs.append(done.doc)  # the report shows every article: it is for a story's handful, not a corpus

    report = run(
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
            err(f"cleaner: wrote {display_path(output)} ({len(docs)} articles)")
    finish(report)


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
    with reported():
        ruleset, annotator = load_rules(dirs or [], shipped=not no_shipped, check_user_examples=False)
    assert annotator is not None
    problems = check_examples(ruleset) + check_framing_examples(annotator) + check_framing_terms(annotator)
    problems += check_entity_examples(annotator) + check_word_examples(annotator)
    for problem in problems:
        err(str(problem))
    if problems:
        err(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}.")
        raise typer.Exit(1)
    cases = len(example_cases(ruleset))
    variants = sum(len(a.variants) for a in annotator.lexicon.axes)
    framing_cases = len(framing_example_cases(annotator))
    typer.echo(
        f"ok: {len(ruleset.rules)} rules in {len(ruleset.files)} files; all {cases} examples pass.\n"
        f"ok: {len(annotator.lexicon.axes)} framing axes with {variants} variants; all {framing_cases} examples pass; "
        f"{len(annotator.entities.entities)} entities; all {len(entity_example_cases(annotator))} entity examples "
        f"pass; all {len(annotator.sentiment.examples)} sentiment-word examples pass."
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
    with reported():
        ruleset, annotator = load_rules(
            rules or [], shipped=not no_shipped, disable=disable or [], check_user_examples=False
        )
    assert annotator is not None
    tables = [tabulate(t.rows, headers=t.headers, tablefmt=table_format) for t in list_rules(ruleset, annotator)]
    typer.echo("\n\n".join(tables))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cleaner {__version__} ({build()})")
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
