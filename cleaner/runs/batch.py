"""Run a stage over a batch in worker processes, results in input order, memory bounded.

The reading side (`pipeline.list_units`) cuts inputs into units in one process, cheaply; units go to the
workers in chunks; each worker loads the rules once (its initializer) and returns, per unit, what
is written (a rendered line, or an Arrow batch for Parquet) and what is reported. At most a few
chunks per worker are in flight, so memory does not grow with the corpus. A batch that fits in one
chunk runs in this process: starting workers would cost more than it saves.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any

from cleaner.annotation.annotate import Annotator, annotate
from cleaner.boilerplate.language import load_engine
from cleaner.boilerplate.ruleset import Ruleset
from cleaner.document import Document
from cleaner.errors import UsageError
from cleaner.io.readers import Entry, Unit, format_of
from cleaner.reports.render import render_markdown, render_text
from cleaner.rulefiles.loader import load_rules
from cleaner.runs.options import RENDERS, STAGES, Render, RunOptions, Stage
from cleaner.runs.pipeline import Cleaned, Failed, Item, Skipped, clean_unit, internal_error

CHUNK_DOCS = 64  # units per chunk at most (a unit: a file, or a block of JSONL lines or Parquet rows) ...
CHUNK_BYTES = 1 << 19  # ... and about this much input
AHEAD = 3  # chunks in flight per worker: enough to keep workers busy while the writer catches up
POLL_SECONDS = 0.2  # how often a wait for workers looks whether a stop was asked for
# Objects allocated (less those freed) between two collections of the youngest generation. With Python's
# 700, annotating 77 articles ran 230 collections that found no garbage, two of them full ones over the
# 100,000 objects made since the rules were frozen: 11% of its CPU time. 10,000 to 100,000 measure alike.
YOUNG_GENERATION_THRESHOLD = 50_000


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Task:
    """What a worker needs for its share of a batch; small and picklable, so it crosses to any process."""

    stage: Stage = "clean"
    render: Render = "jsonl"
    options: RunOptions = field(default_factory=RunOptions)

    def __post_init__(self) -> None:
        if self.stage not in STAGES:
            raise UsageError(f"no stage '{self.stage}' ({' or '.join(STAGES)})")
        if self.render not in RENDERS:
            raise UsageError(f"no output '{self.render}' ({', '.join(RENDERS)})")

    def worker(self) -> Worker:
        """Load the rules (and, to annotate, the lexicons) and return the function that does the work."""
        options = self.options
        if options.detect_lang:
            # Loaded here, in the parent before workers fork (execute): they share its pages.
            load_engine(options.lang_engine)
        ruleset, annotator = load_rules(
            options.rules, shipped=options.shipped, disable=options.disable, stage_2=self.stage == "annotate",
            sentiment=options.sentiment,
        )  # fmt: skip
        # What was just loaded (rules, lexicons, the sentiment model: hundreds of thousands of objects) lives as
        # long as the run: frozen, the garbage collector stops re-reading it at every full collection
        # (measured: 5% of annotate) and forked workers do not copy its pages by touching them.
        gc.freeze()
        # A run's own process (or worker): a library call to clean or annotate leaves the caller's settings alone.
        gc.set_threshold(YOUNG_GENERATION_THRESHOLD, *gc.get_threshold()[1:])
        return Worker(self, ruleset, annotator)


@dataclass(frozen=True, slots=True)
class Done:
    """One document done: what to write, UTF-8 encoded (None when it is a row of the chunk's Arrow batch),
    or the document itself (render "document"); `warning` when its rules ran out of time."""

    source: str
    removed: int
    payload: bytes | None  # bytes, not str: they cross the process boundary and go to files as they are
    entry: Entry
    doc: Document | None = None
    warning: str | None = None

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        # cheap to pickle, as Unit
        return (Done, (self.source, self.removed, self.payload, self.entry, self.doc, self.warning))


Outcome = Done | Skipped | Failed


@dataclass
class Counts:
    """What a batch did, outcome by outcome: the summary line's figures and a checkpoint's."""

    cleaned: int = 0
    changed: int = 0
    spans: int = 0
    skipped: int = 0
    failed: int = 0
    warned: int = 0  # documents written with a warning: a rule ran past their time budget, a page's broken UTF-8

    def add(self, outcome: Outcome) -> str | None:
        """Count one outcome; return the line to report for a skip, a failure or a document with a warning."""
        if isinstance(outcome, Failed):
            self.failed += 1
            return f"error: {outcome.error}"
        if isinstance(outcome, Skipped):
            self.skipped += 1
            return f"skipped: {outcome.source}: {outcome.reason}"
        self.cleaned += 1
        self.changed += bool(outcome.removed)
        self.spans += outcome.removed
        if outcome.warning:
            self.warned += 1
            return f"warning: {outcome.source}: {outcome.warning}"
        return None

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COUNTED}

    def merge(self, counts: dict[str, int]) -> None:
        """Add counts kept elsewhere (a checkpoint, a Dask partition's report)."""
        for name in COUNTED:
            setattr(self, name, getattr(self, name) + counts.get(name, 0))


COUNTED = ("cleaned", "changed", "spans", "skipped", "failed", "warned")


@dataclass
class Chunk:
    """A run of units in input order, and once worked, their outcomes (one each, same order)."""

    items: list[Item]
    size: int = 0  # input bytes the units stand for
    outcomes: list[Outcome] = field(default_factory=list)
    batch: Any = None  # an Arrow RecordBatch of the Done rows, for Parquet


class Worker:
    """Turns units into outcomes with rules loaded once; never raises for one bad document."""

    def __init__(self, task: Task, ruleset: Ruleset, annotator: Annotator | None):
        self.task, self.ruleset, self.annotator = task, ruleset, annotator

    def __call__(self, items: list[Item], stop: Callable[[], bool] | None = None) -> tuple[list[Outcome], Any, int]:
        """The outcomes of the items, the chunk's Arrow batch (for Parquet) and how many items were done:
        all of them, unless `stop` asks to stop (a unit cut short is dropped whole: --resume redoes it)."""
        task = self.task
        outcomes: list[Outcome] = []
        records: list[dict[str, Any]] = []
        done = 0
        for item in items:
            mark = (len(outcomes), len(records))
            if not self._unit(item, outcomes, records, stop):
                del outcomes[mark[0] :], records[mark[1] :]
                break
            done += 1
        batch = None
        if task.render == "record":
            from cleaner.io.columnar import to_batch

            batch = to_batch(records, annotated=task.stage == "annotate")
        return outcomes, batch, done

    def _unit(
        self, item: Item, outcomes: list[Outcome], records: list[dict[str, Any]], stop: Callable[[], bool] | None
    ) -> bool:
        """Work one unit's documents into `outcomes` (and `records`); False when `stop` cut it short."""
        task, options = self.task, self.task.options
        for result in clean_unit(
            item, ruleset=self.ruleset, outlet=options.outlet, languages=options.languages,
            detect_lang=options.detect_lang, seconds=options.doc_seconds, lang_engine=options.lang_engine,
        ):  # fmt: skip
            if stop is not None and stop():
                return False
            if not isinstance(result, Cleaned):
                outcomes.append(result)
                continue
            doc = result.doc
            payload, kept = None, None
            try:
                if self.annotator is not None:
                    doc = annotate(doc, annotator=self.annotator)
                if task.render == "record":
                    records.append(doc.to_record())
                elif task.render == "document":
                    kept = doc
                else:
                    payload = self.render(doc, result.entry).encode("utf-8")
            except Exception as exc:  # a bug on one document must not end a corpus run: report it, go on
                outcomes.append(Failed(internal_error(doc.source, exc)))
                continue
            warning = "; ".join(doc.warnings) or None
            outcomes.append(Done(doc.source, len(doc.removed), payload, result.entry, kept, warning))
        return stop is None or not stop()

    def render(self, doc: Document, entry: Entry) -> str:
        kind = self.task.render
        if kind == "jsonl" or (kind == "folder" and entry.path is not None and format_of(entry.path) == "jsonl"):
            return json_line(doc)
        if kind == "marked":
            return render_text(doc) + "\n"
        if kind == "markdown":
            return render_markdown(doc) + "\n"
        return doc.text


def json_line(doc: Document) -> str:
    """A document's JSONL record, one line."""
    return json.dumps(doc.to_record(), ensure_ascii=False) + "\n"


def chunked(items: Iterable[Item], docs: int = CHUNK_DOCS, size: int = CHUNK_BYTES) -> Iterator[Chunk]:
    """Group items into chunks of at most `docs` units and about `size` input bytes, in order."""
    chunk = Chunk([])
    for item in items:
        chunk.items.append(item)
        chunk.size += item.size if isinstance(item, Unit) else 0
        if len(chunk.items) >= docs or chunk.size >= size:
            yield chunk
            chunk = Chunk([])
    if chunk.items:
        yield chunk


_WORKER: Worker | None = None


def _start_worker(task: Task, parent: int) -> None:
    global _WORKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops cleanly
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    if _WORKER is None or _WORKER.task != task:  # a forked worker has the parent's, already loaded
        _WORKER = task.worker()


def _exit_with(parent: int) -> None:
    """End this worker when its parent is gone (killed with SIGKILL, say), instead of lingering."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _context() -> multiprocessing.context.BaseContext:
    """fork where it is safe and cheap (Linux): workers start at once with the rules already compiled;
    spawn elsewhere (each worker then loads the rules in its initializer)."""
    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _work(items: list[Item]) -> tuple[list[Outcome], Any, int]:
    assert _WORKER is not None
    return _WORKER(items)


def execute(
    items: Iterable[Item],
    task: Task,
    *,
    workers: int = 1,
    worker: Worker | None = None,
    chunks: int = CHUNK_DOCS,
    stop: Callable[[], bool] | None = None,
) -> Iterator[Chunk]:
    """Work every item and yield the chunks in input order, outcomes filled in.

    With workers > 1 and more than one chunk of input, the work runs in a pool of that many
    processes (each with the rules loaded once); otherwise here, with `worker` if given.
    `stop` is polled while waiting: once it says so, the chunks not yet done are dropped (in this
    process, a chunk is cut between two items and yielded with the items it did), the pool's
    workers are ended even inside a stuck document, and iteration ends.
    """
    stream = chunked(items, docs=chunks)
    head = list(islice(stream, 2))
    if workers <= 1 or len(head) < 2:
        local = worker or task.worker()
        for chunk in chain(head, stream):
            chunk.outcomes, chunk.batch, done = local(chunk.items, stop)
            if done < len(chunk.items):
                chunk.items = chunk.items[:done]
                yield chunk
                return
            yield chunk
        return
    global _WORKER
    _WORKER = worker or task.worker()  # inherited by forked workers
    pool = ProcessPoolExecutor(workers, mp_context=_context(), initializer=_start_worker, initargs=(task, os.getpid()))
    pending: deque[tuple[Chunk, Future[tuple[list[Outcome], Any, int]]]] = deque()
    stopped = False
    try:
        for chunk in chain(head, stream):
            pending.append((chunk, pool.submit(_work, chunk.items)))
            if len(pending) >= workers * AHEAD:
                collected = _collect(*pending.popleft(), stop)
                if collected is None:
                    stopped = True
                    return
                yield collected
        while pending:
            collected = _collect(*pending.popleft(), stop)
            if collected is None:
                stopped = True
                return
            yield collected
    finally:
        if stopped:
            _end_workers(pool)
        pool.shutdown(wait=not stopped, cancel_futures=True)


def _collect(
    chunk: Chunk, future: Future[tuple[list[Outcome], Any, int]], stop: Callable[[], bool] | None
) -> Chunk | None:
    """The chunk with its outcomes, or None when `stop` says to stop before they came."""
    while True:
        try:
            chunk.outcomes, chunk.batch, _ = future.result(timeout=POLL_SECONDS if stop else None)
            return chunk
        except TimeoutError:
            if stop is not None and stop():
                return None


def _end_workers(pool: ProcessPoolExecutor) -> None:
    """Terminate the pool's processes: a stop must not wait for a worker inside a stuck document.
    (ProcessPoolExecutor has no public way before Python 3.14's terminate_workers.)"""
    for child in list(getattr(pool, "_processes", {}).values()):
        child.terminate()
