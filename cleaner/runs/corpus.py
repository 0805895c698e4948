"""A corpus run as one library call: read, clean (or annotate) in worker processes, write, checkpoint,
resume, stop on a signal. The command line is a thin shell over `run_corpus`; the Dask twin is
`cleaner.runs.dask.run_partitions`.

    from cleaner.runs.corpus import run_corpus
    from cleaner.runs.options import RunOptions

    report = run_corpus(["corpus/"], "cleaned.jsonl", options=RunOptions(), workers=2)
    report = run_corpus(["corpus/"], "cleaned.jsonl", resume=True)  # after an interruption

Where records go follows `out`: None hands every document to `on_output` (the caller prints or
aggregates); FILE.jsonl or FILE.parquet is one record file, checkpointed so an interrupted run resumes
exactly; any other path is a folder of one output file per input. An output is refused before anything
is read when it is, holds or lies inside an input, and a folder output when two inputs would land on
one file.
"""

from __future__ import annotations

import hashlib
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Any, Literal, Protocol

from cleaner.boilerplate.cleaning import cut_short
from cleaner.errors import UsageError, display_path
from cleaner.io.readers import Entry, expand, file_size, format_of, input_stem
from cleaner.io.sinks import Checkpoint, JsonlOut, ParquetOut, run_digest
from cleaner.runs.batch import Chunk, Counts, Done, Task, default_workers, execute
from cleaner.runs.options import Render, RunOptions, Stage
from cleaner.runs.pipeline import Failed, Item, list_units

Destination = Literal["caller", "folder", "jsonl", "parquet"]
SAMPLE_BYTES = 1 << 16  # bytes read at each of three places of an input for its resume fingerprint


class ProgressView(Protocol):
    """What a run tells a progress display (the CLI's bar): the work to do, what is done, lines to show."""

    def start(self, total_bytes: int | None, done_bytes: int) -> None: ...
    def update(self, docs: int, size: int) -> None: ...
    def note(self, message: str) -> None: ...
    def close(self) -> None: ...


@dataclass
class RunReport:
    """What a corpus run did: its counts, and how it ended."""

    inputs: int = 0
    counts: Counts = field(default_factory=Counts)
    out: Path | None = None
    resumed: int = 0  # documents an interrupted run had done before this one resumed it
    already_complete: bool = False  # --resume found the output complete: nothing was done
    stopped: bool = False  # fail_fast stopped the run at a failure
    interrupted: bool = False  # a signal (or stop()) stopped it; the output holds all that was taken
    partial: str | None = None  # where an interrupted run's records are

    @property
    def ok(self) -> bool:
        """Nothing the user must act on: no failure, no document kept unchanged by a runaway rule."""
        return not (self.counts.failed or self.counts.warned)


def destination(out: Path | None) -> Destination:
    """Where records go: to the caller, one record file (by its suffix), or a folder of files."""
    if out is None:
        return "caller"
    suffix = out.suffix.lower()
    if suffix in (".jsonl", ".parquet"):
        return "jsonl" if suffix == ".jsonl" else "parquet"
    return "folder"


def run_corpus(
    paths: list[str],
    out: str | Path | None = None,
    *,
    stage: Stage = "clean",
    render: Render | None = None,
    options: RunOptions | None = None,
    workers: int | None = None,
    resume: bool = False,
    fail_fast: bool = False,
    on_output: Callable[[Done], None] | None = None,
    on_problem: Callable[[str], None] | None = None,
    progress: ProgressView | None = None,
    stop: Callable[[], bool] | None = None,
    stdin: IO[bytes] | None = None,
    handle_signals: bool = True,
) -> RunReport:
    """Run `stage` over the inputs behind `paths` and write (or hand over) what it makes, in input order.

    render: what each document becomes (default: records for a record file, a folder's files by input
    type, else the Document itself). on_output gets each Done when `out` is None. on_problem gets each
    skip, failure and warning line, located, and the notice that a run resumes. Ctrl-C and SIGTERM
    (when handle_signals, in the main thread), or `stop()`, end the run within seconds with all that
    was taken written and checkpointed.
    Raises UsageError for options that cannot work and RulesetError for bad rules, before reading.
    """
    options = options or RunOptions()
    target = Path(out) if out is not None else None
    kind = destination(target)
    render = render or {"caller": "document", "folder": "folder", "jsonl": "jsonl", "parquet": "record"}[kind]
    if kind == "parquet" and render != "record":
        raise UsageError("a Parquet file holds records: render 'record'")
    if kind == "caller" and on_output is None:
        raise UsageError("give on_output to receive the documents, or an output path")
    if resume and kind not in ("jsonl", "parquet"):
        raise UsageError("--resume continues a record file: give --out FILE.jsonl or FILE.parquet")
    task = Task(stage=stage, render=render, options=options)
    worker = task.worker()  # rule errors are reported here, once, before anything is read
    entries = expand(paths, max_size=options.max_input_size)
    reads_stdin = any(e.path is None for e in entries)
    if resume and reads_stdin:
        raise UsageError("--resume cannot read standard input again: name the input files")
    if target is not None:
        refuse_overlap(target, paths, entries)
    folder_files = _folder_targets(target, entries, render) if kind == "folder" and target is not None else {}
    report = RunReport(inputs=len(entries), out=target)
    say = on_problem or (lambda line: None)

    sink: JsonlOut | ParquetOut | None = None
    checkpoint: Checkpoint | None = None
    if target is not None and kind in ("jsonl", "parquet"):
        checkpoint = Checkpoint.begin(target, checkpoint_digest(task, kind, entries), resume=resume)
        if checkpoint is None:
            report.already_complete = True
            return report
        at = checkpoint.position if checkpoint.resumed else None
        sink = JsonlOut(target, at) if kind == "jsonl" else ParquetOut(target, stage == "annotate", at)
        report.counts.merge(checkpoint.tally)
        report.resumed = report.counts.cleaned
        report.partial = sink.partial
    manifest = _manifest(options)
    items: Iterator[Item] = list_units(
        entries, manifest=manifest, stdin=stdin if reads_stdin else None, input_format=options.input_format
    )
    done = checkpoint.items if checkpoint else 0
    size = checkpoint.size if checkpoint else 0
    if done:
        say(f"cleaner: resuming {display_path(target)}: {report.resumed:,} documents done before")
        items = islice(items, done, None)
    if progress is not None:
        progress.start(_total_size(entries), size)
        say = progress.note
    with FolderFiles(folder_files) as files, _stop_signals(handle_signals, stop) as stop_requested:
        try:
            for chunk in execute(items, task, workers=workers or default_workers(), worker=worker, stop=stop_requested):
                halt = _count(chunk, report.counts, say, fail_fast)
                _deliver(chunk, kind, files, on_output)
                if sink is not None and checkpoint is not None and _write(sink, chunk):
                    checkpoint.save(done + len(chunk.items), sink.position, report.counts.as_dict(), size + chunk.size)
                done += len(chunk.items)
                size += chunk.size
                if progress is not None:
                    progress.update(len(chunk.outcomes), chunk.size)
                if halt:
                    report.stopped = True
                    break
                if stop_requested():
                    report.interrupted = True
                    break
            else:
                report.interrupted = stop_requested()
        except KeyboardInterrupt:  # a second Ctrl-C: stop now; the last checkpoint stands
            report.interrupted = True
            if sink is not None:
                sink.close()
            sink = None
        finally:
            if progress is not None:
                progress.close()
    if sink is not None and checkpoint is not None:
        sink.flush()  # every chunk taken is written: an interrupted run keeps all it did
        checkpoint.save(done, sink.position, report.counts.as_dict(), size)
        if report.interrupted:
            sink.close()
        else:
            sink.finish()
            checkpoint.remove()
            sink.cleanup()
    return report


def checkpoint_digest(task: Task, output: str, entries: list[Entry]) -> str:
    """What a resumed run must match: the task and its options, the output kind, the rules' content and
    each input's fingerprint."""
    return run_digest(
        task=asdict(task), output=output, rules=rules_fingerprint(task.options),
        inputs=[(e.display, input_fingerprint(e.path)) for e in entries],
    )  # fmt: skip


def _write(sink: JsonlOut | ParquetOut, chunk: Chunk) -> bool:
    """Hand a record file what it takes: the chunk's record lines as bytes, or its Arrow batch."""
    if isinstance(sink, JsonlOut):
        return sink.write(b"".join(o.payload for o in chunk.outcomes if isinstance(o, Done) and o.payload))
    return sink.write(chunk.batch)


def _manifest(options: RunOptions) -> Any:
    from cleaner.boilerplate.outlets import load_manifest

    return load_manifest(Path(options.manifest)) if options.manifest else None


def _count(chunk: Chunk, counts: Counts, say: Callable[[str], None], fail_fast: bool) -> bool:
    """Count and report a chunk's outcomes; with fail_fast, cut the chunk at its first failure (True: stop)."""
    for index, outcome in enumerate(chunk.outcomes):
        line = counts.add(outcome)
        if line:
            say(line)
        if fail_fast and isinstance(outcome, Failed):
            kept = chunk.outcomes[:index]
            if chunk.batch is not None:
                chunk.batch = chunk.batch.slice(0, sum(isinstance(o, Done) for o in kept))
            chunk.outcomes = kept
            return True
    return False


def _deliver(chunk: Chunk, kind: Destination, files: FolderFiles, on_output: Callable[[Done], None] | None) -> None:
    if kind == "caller" and on_output is not None:
        for outcome in chunk.outcomes:
            if isinstance(outcome, Done):
                on_output(outcome)
    elif kind == "folder":
        for outcome in chunk.outcomes:
            if isinstance(outcome, Done) and outcome.payload is not None:
                files.write(outcome.payload, outcome.entry)


@contextmanager
def _stop_signals(handle: bool, stop: Callable[[], bool] | None) -> Iterator[Callable[[], bool]]:
    """Ctrl-C (SIGINT) or SIGTERM asks the run to stop, with everything taken written and checkpointed;
    a second Ctrl-C stops at once. `stop` (the caller's) is asked too."""
    requested: list[int] = []

    def handler(signum: int, frame: Any) -> None:
        if requested and signum == signal.SIGINT:
            raise KeyboardInterrupt
        requested.append(signum)
        cut_short()  # a document being cleaned here ends now; its unit is dropped and redone on --resume

    previous: dict[int, Any] = {}
    if handle:
        try:
            previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
        except ValueError:  # not the main thread: leave signals alone
            previous = {}
    try:
        yield lambda: bool(requested) or (stop is not None and stop())
    finally:
        for number, old in previous.items():
            signal.signal(number, old)


def _total_size(entries: list[Entry]) -> int | None:
    """The input bytes, when every input is a plain file (a gzip or a stream has no size we can count in)."""
    if any(e.path is None or e.path.suffix.lower() == ".gz" for e in entries):
        return None
    return sum(file_size(e.path) for e in entries if e.skip is None) or None


def refuse_overlap(out: Path, paths: list[str], entries: list[Entry]) -> None:
    """Raise UsageError when the output is an input, holds one, or lies inside an input folder:
    writing there would destroy or change what is being read. Symlinks are resolved first."""
    target = out.resolve()
    sidecars = [target, target.with_name(target.name + ".progress"), target.with_name(target.name + ".parts")]
    for arg in paths:
        if arg == "-":
            continue
        source = Path(arg).resolve()
        for place in sidecars:
            if place == source or source in place.parents or place in source.parents:
                raise UsageError(_overlap_message(out, arg, place == source, source.is_dir()))
    for entry in entries:
        if entry.path is not None and entry.path.resolve() in sidecars:
            raise UsageError(_overlap_message(out, entry.display, True, False))


def _overlap_message(out: Path, arg: str, same: bool, folder: bool) -> str:
    if same:
        relation = "is the input"
    elif folder:
        relation = "overlaps the input folder"
    else:
        relation = "holds the input"
    return (
        f"--out {display_path(out)} {relation} {display_path(arg)}: it would be overwritten while read; "
        "choose an output outside the inputs"
    )


def _folder_targets(out: Path, entries: list[Entry], render: Render) -> dict[Entry, Path]:
    """Each input's output file in an --out folder; two inputs that would share one are refused by name."""
    targets: dict[Entry, Path] = {}
    owner: dict[Path, Entry] = {}
    for entry in entries:
        if entry.skip is not None:
            continue
        records = render == "jsonl" or (entry.path is not None and format_of(entry.path) == "jsonl")
        if entry.path is None:
            relative = Path("stdin")
        elif entry.root is not None:
            relative = entry.path.relative_to(entry.root)
        else:
            relative = Path(entry.path.name)
        name = input_stem(relative.name) or "document"
        target = out / relative.parent / (name + (".jsonl" if records else ".txt"))
        if target in owner:
            raise UsageError(
                f"--out {display_path(out)}: {display_path(owner[target].display)} and {display_path(entry.display)} "
                f"would both be written to {display_path(target)}; "
                f"rename one, or write records to one file with --out FILE.jsonl"
            )
        owner[target] = entry
        targets[entry] = target
    return targets


class FolderFiles:
    """Writes --out folder files, one per input, opened as each input's first document arrives."""

    def __init__(self, targets: dict[Entry, Path]):
        self.targets = targets
        self.entry: Entry | None = None
        self.handle: IO[bytes] | None = None

    def __enter__(self) -> FolderFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()

    def write(self, payload: bytes, entry: Entry) -> None:
        if entry != self.entry:
            if self.handle is not None:
                self.handle.close()
            target = self.targets[entry]
            target.parent.mkdir(parents=True, exist_ok=True)
            self.handle = target.open("wb")
            self.entry = entry
        assert self.handle is not None
        self.handle.write(payload)


def input_fingerprint(path: Path | None) -> list[Any]:
    """What a resumed run checks an input against: size, modification time (ns) and a hash of 64 KiB at
    its start, middle and end. Cheap on any size; an edit that keeps size and time and touches none
    of the three samples goes unseen (documented in the README)."""
    if path is None:
        return ["<stdin>"]
    try:
        stat = path.stat()
    except OSError:
        return [str(path), None]
    if not path.is_file():
        return [str(path), "not a file"]
    digest = hashlib.blake2b(digest_size=16)
    try:
        with path.open("rb") as handle:
            middle, end = max(stat.st_size // 2 - SAMPLE_BYTES // 2, 0), max(stat.st_size - SAMPLE_BYTES, 0)
            for offset in sorted({0, middle, end}):
                handle.seek(offset)
                digest.update(handle.read(SAMPLE_BYTES))
    except OSError:
        return [stat.st_size, stat.st_mtime_ns, None]
    return [stat.st_size, stat.st_mtime_ns, digest.hexdigest()]


def rules_fingerprint(options: RunOptions) -> str:
    """A hash of every rule file the run loads (shipped and the user's): editing a rule changes it."""
    from cleaner.boilerplate.ruleset import shipped_rules_dir

    folders = ([shipped_rules_dir()] if options.shipped else []) + [Path(d) for d in options.rules]
    digest = hashlib.blake2b(digest_size=16)
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()):
            digest.update(str(path.relative_to(folder)).encode("utf-8", "surrogateescape") + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


__all__ = ["Destination", "ProgressView", "RunReport", "destination", "refuse_overlap", "run_corpus"]
