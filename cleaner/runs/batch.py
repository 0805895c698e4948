"""Run a stage over a batch in worker processes, results in input order, memory bounded.

The reading side (`pipeline.cut`) cuts inputs into units in one process, cheaply; units go to the
workers in chunks; each worker loads the rules once (its initializer) and returns, per unit, what
is written (a rendered line, or an Arrow batch for Parquet) and what is reported. At most a few
chunks per worker are in flight, so memory does not grow with the corpus. A batch that fits in one
chunk runs in this process: starting workers would cost more than it saves.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from itertools import chain, islice
from pathlib import Path
from typing import Any

from cleaner.annotation.annotate import Annotator, annotate, load_annotator
from cleaner.annotation.sentiment import METHODS
from cleaner.boilerplate.ruleset import Ruleset, load_ruleset
from cleaner.document import Document
from cleaner.errors import UsageError
from cleaner.io.readers import Entry, Unit, format_of
from cleaner.reports.render import render_markdown, render_text
from cleaner.rulefiles.validation import did_you_mean
from cleaner.runs.pipeline import Cleaned, Failed, Item, Skipped, internal_error, process

CHUNK_DOCS = 64  # units per chunk at most (a unit: a file, or a block of JSONL lines or Parquet rows) ...
CHUNK_BYTES = 1 << 19  # ... and about this much input
AHEAD = 3  # chunks in flight per worker: enough to keep workers busy while the writer catches up
RENDERS = ("text", "jsonl", "record", "folder", "marked", "markdown")


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def load_stages(
    dirs: Sequence[str | Path], disable: Sequence[str], *, sentiment: str = "model"
) -> tuple[Ruleset, Annotator]:
    """Load boilerplate rules and stage 2 once; --disable names go to whichever knows them."""
    ruleset, annotator = load_ruleset(dirs), load_annotator(dirs, sentiment=sentiment)
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
        annotator = replace(annotator, lexicon=lexicon.without(axes_off))
    return ruleset, annotator


@dataclass(frozen=True)
class Task:
    """What a worker needs for its share of a batch; small and picklable, so it crosses to any process.

    render: text (cleaned text), jsonl (a record line), record (a row of an Arrow batch), folder
    (a record line for a JSONL input, else the text), marked (annotated text), markdown.
    """

    stage: str = "clean"  # "clean" or "annotate"
    render: str = "jsonl"
    rules: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    outlet: str | None = None
    languages: frozenset[str] | None = None
    detect_lang: bool = True
    sentiment: str = "model"  # entity sentiment: the trained model or the lexicon method

    def __post_init__(self) -> None:
        if self.stage not in ("clean", "annotate"):
            raise UsageError(f"no stage '{self.stage}' (clean or annotate)")
        if self.render not in RENDERS:
            raise UsageError(f"no output '{self.render}' ({', '.join(RENDERS)})")
        if self.sentiment not in METHODS:
            raise UsageError(f"no sentiment method '{self.sentiment}' ({', '.join(METHODS)})")

    def worker(self) -> Worker:
        """Load the rules (and, to annotate, the lexicons) and return the function that does the work."""
        if self.stage == "annotate":
            ruleset, annotator = load_stages(self.rules, self.disable, sentiment=self.sentiment)
            return Worker(self, ruleset, annotator)
        return Worker(self, load_ruleset(self.rules, disable=self.disable), None)


@dataclass(frozen=True, slots=True)
class Done:
    """One document done: what to write, UTF-8 encoded (None when it is a row of the chunk's Arrow batch)."""

    source: str
    removed: int
    payload: bytes | None  # bytes, not str: they cross the process boundary and go to files as they are
    entry: Entry

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return (Done, (self.source, self.removed, self.payload, self.entry))  # cheap to pickle, as Unit


Outcome = Done | Skipped | Failed


@dataclass
class Counts:
    """What a batch did, outcome by outcome: the summary line's figures and a checkpoint's."""

    cleaned: int = 0
    changed: int = 0
    spans: int = 0
    skipped: int = 0
    failed: int = 0

    def add(self, outcome: Outcome) -> str | None:
        """Count one outcome; return the line to report for a skip or failure."""
        if isinstance(outcome, Failed):
            self.failed += 1
            return f"error: {outcome.error}"
        if isinstance(outcome, Skipped):
            self.skipped += 1
            return f"skipped: {outcome.source}: {outcome.reason}"
        self.cleaned += 1
        self.changed += bool(outcome.removed)
        self.spans += outcome.removed
        return None

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COUNTED}

    def merge(self, counts: dict[str, int]) -> None:
        """Add counts kept elsewhere (a checkpoint, a Dask partition's report)."""
        for name in COUNTED:
            setattr(self, name, getattr(self, name) + counts.get(name, 0))


COUNTED = ("cleaned", "changed", "spans", "skipped", "failed")


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

    def __call__(self, items: list[Item]) -> tuple[list[Outcome], Any]:
        task = self.task
        outcomes: list[Outcome] = []
        records: list[dict[str, Any]] = []
        for item in items:
            for result in process(
                item, ruleset=self.ruleset, outlet=task.outlet, languages=task.languages, detect_lang=task.detect_lang
            ):
                if not isinstance(result, Cleaned):
                    outcomes.append(result)
                    continue
                doc = result.doc
                try:
                    if self.annotator is not None:
                        doc = annotate(doc, annotator=self.annotator)
                    if task.render == "record":
                        record, payload = doc.to_record(), None
                    else:
                        payload = self.render(doc, result.entry).encode("utf-8")
                except Exception as exc:  # a bug on one document must not end a corpus run: report it, go on
                    outcomes.append(Failed(internal_error(doc.source, exc)))
                    continue
                if payload is None:
                    records.append(record)
                outcomes.append(Done(doc.source, len(doc.removed), payload, result.entry))
        batch = None
        if task.render == "record":
            from cleaner.io.columnar import to_batch

            batch = to_batch(records, annotated=task.stage == "annotate")
        return outcomes, batch

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


def _work(items: list[Item]) -> tuple[list[Outcome], Any]:
    assert _WORKER is not None
    return _WORKER(items)


def execute(
    items: Iterable[Item], task: Task, *, workers: int = 1, worker: Worker | None = None, chunks: int = CHUNK_DOCS
) -> Iterator[Chunk]:
    """Work every item and yield the chunks in input order, outcomes filled in.

    With workers > 1 and more than one chunk of input, the work runs in a pool of that many
    processes (each with the rules loaded once); otherwise here, with `worker` if given.
    Stopping early (break, Ctrl-C) cancels the chunks not yet started.
    """
    stream = chunked(items, docs=chunks)
    head = list(islice(stream, 2))
    if workers <= 1 or len(head) < 2:
        local = worker or task.worker()
        for chunk in chain(head, stream):
            chunk.outcomes, chunk.batch = local(chunk.items)
            yield chunk
        return
    global _WORKER
    _WORKER = worker or task.worker()  # inherited by forked workers
    pool = ProcessPoolExecutor(workers, mp_context=_context(), initializer=_start_worker, initargs=(task, os.getpid()))
    pending: deque[tuple[Chunk, Future[tuple[list[Outcome], Any]]]] = deque()
    try:
        for chunk in chain(head, stream):
            pending.append((chunk, pool.submit(_work, chunk.items)))
            if len(pending) >= workers * AHEAD:
                yield _collect(*pending.popleft())
        while pending:
            yield _collect(*pending.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _collect(chunk: Chunk, future: Future[tuple[list[Outcome], Any]]) -> Chunk:
    chunk.outcomes, chunk.batch = future.result()
    return chunk
