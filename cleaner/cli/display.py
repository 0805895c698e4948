"""What the command line shows: messages and errors on stderr, the progress bar, run summaries, and
documents on stdout. The command line is the only place cleaner prints; this is where it does."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

from cleaner.errors import CleanerError, RulesetError, UsageError, display_path
from cleaner.runs.batch import Counts, Done
from cleaner.runs.corpus import RunReport, run_corpus
from cleaner.runs.options import Render, RunOptions, Stage


def err(message: str) -> None:
    typer.echo(message, err=True)


class Bar:
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


def fail(exc: CleanerError) -> typer.Exit:
    if isinstance(exc, RulesetError):
        for problem in exc.problems:
            err(str(problem))
        err(exc.summary)
        return typer.Exit(1)
    err(f"cleaner: {exc}")
    return typer.Exit(2 if isinstance(exc, UsageError) else 1)


@contextmanager
def reported() -> Iterator[None]:
    """Turn the library's errors into their message and exit code (1 bad input or rules, 2 usage)."""
    try:
        yield
    except CleanerError as exc:
        raise fail(exc) from None


def run(
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
    the caller ends with `finish`, after writing what it built from the documents."""
    show = progress if progress is not None else (not quiet and sys.stderr.isatty())
    label = "cleaning" if stage == "clean" else "annotating"
    with reported():
        report = run_corpus(
            paths, out, stage=stage, render=render, options=options, workers=workers, resume=resume,
            fail_fast=fail_fast, on_output=on_output, on_problem=err,
            progress=Bar(label) if show else None,
            stdin=sys.stdin.buffer if "-" in paths else None,
        )  # fmt: skip
    if report.already_complete:
        err(f"cleaner: {display_path(out)} is complete: nothing to resume")
        return report
    if report.interrupted:
        where = f"; the records are in {display_path(report.partial)}, continue with --resume" if report.partial else ""
        err(f"cleaner: interrupted after {report.counts.cleaned:,} documents{where}")
        raise typer.Exit(130)
    summary(report, quiet)
    return report


def finish(report: RunReport) -> None:
    """Exit 1 when the user must act: an input failed, or a rule ran out of time on a document."""
    if not report.ok:
        raise typer.Exit(1)


def summary(report: RunReport, quiet: bool) -> None:
    if quiet:
        return
    counts = report.counts
    docs = "document" if counts.cleaned == 1 else "documents"
    inputs = "input" if report.inputs == 1 else "inputs"
    warned = f", {counts.warned} with a warning" if counts.warned else ""
    err(
        f"cleaner: {report.inputs} {inputs}: {counts.cleaned} {docs} cleaned ({counts.changed} changed, "
        f"{counts.spans} spans removed), {counts.skipped} skipped, {counts.failed} failed{warned}"
        + (" (stopped at the first failure)" if report.stopped else "")
    )


def printer(headers: bool) -> Callable[[Done], None]:
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


def partitions_summary(report: Any, counts: Counts, out: Path, quiet: bool) -> None:
    """The summary of a Dask run (cleaner.runs.dask.Report); exit 1 where the user must act."""
    if report.already_done == report.partitions and not report.parts:
        err(f"cleaner: {display_path(out)} is complete: nothing to resume")
        return
    if not quiet:
        before = f", {report.already_done} written before" if report.already_done else ""
        err(
            f"cleaner: {report.partitions} partitions{before}: {counts.cleaned} documents "
            f"({counts.changed} changed, {counts.spans} spans removed), {counts.skipped} skipped, "
            f"{counts.failed} failed; parts in {display_path(out)}"
        )
    if report.failed or counts.warned:
        raise typer.Exit(1)
