"""Run cleaner's stages on a Dask cluster: the inputs cut into partitions, each cleaned (or annotated) on a
worker and written there as one part file of a JSONL or Parquet dataset.

    from dask.distributed import Client
    from cleaner.runs.dask import clean_partitions

    report = clean_partitions(["corpus/"], "cleaned/", client=Client("tcp://scheduler:8786"))
    report.records, report.failed, report.problems   # what was written, and every bad input, located

Partitions follow the inputs: each JSONL or Parquet file is one, and text or HTML files go in runs of
`files_per_partition`, in input order. Part `cleaned/part-00007.jsonl` holds partition 7's records in
input order, so reading the parts in name order gives exactly the records of a single-process run, in
the same order. The workers read the inputs and write the parts themselves: both paths must be on
storage every worker sees (a shared filesystem), as with any Dask job. Each worker process loads the
rules once and keeps them for every partition it is given.

A part is written to a temporary name and renamed when complete, so a part file is always whole; an
interrupted run is continued with `resume=True`, which does only the partitions with no part yet.
Needs the `dask` extra: pip install 'cleaner[dask]'.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cleaner.boilerplate.outlets import Manifest, load_manifest
from cleaner.errors import UsageError
from cleaner.io.readers import Entry, expand, file_size, format_of
from cleaner.io.sinks import PART_ROWS, run_digest
from cleaner.runs.batch import Counts, Done, Task, Worker, default_workers, execute
from cleaner.runs.pipeline import cut

try:
    import dask.bag as db
    from dask.distributed import Client, LocalCluster, as_completed
except ImportError:  # pragma: no cover - exercised only without the extra
    db = Client = LocalCluster = as_completed = None  # type: ignore[assignment]

NEEDS_DASK = "the Dask engine needs dask: pip install 'cleaner[dask]'"
FILES_PER_PARTITION = 256
PLAN_FILE = "_cleaner.json"
OUTPUTS = ("jsonl", "parquet")


@dataclass(frozen=True)
class Partition:
    """One task's input: consecutive entries (a JSONL or Parquet file alone; text and HTML files in runs)."""

    number: int
    entries: tuple[Entry, ...]
    size: int = 0


@dataclass
class PartReport:
    """What one partition did: its part file, what it wrote, and every skip and failure, located."""

    number: int
    part: str
    records: int = 0
    units: int = 0
    size: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


@dataclass
class Report:
    """A whole run: totals, and the partitions' reports in partition order."""

    out: Path
    partitions: int
    parts: list[PartReport]
    already_done: int = 0  # partitions a resumed run found written

    @property
    def records(self) -> int:
        return sum(p.records for p in self.parts)

    @property
    def failed(self) -> int:
        return sum(p.counts.get("failed", 0) for p in self.parts)

    @property
    def skipped(self) -> int:
        return sum(p.counts.get("skipped", 0) for p in self.parts)

    @property
    def problems(self) -> list[str]:
        return [line for p in self.parts for line in p.problems]


def plan(paths: Sequence[str], *, files_per_partition: int = FILES_PER_PARTITION) -> list[Partition]:
    """Cut the inputs into partitions in input order (paths made absolute: workers may run elsewhere)."""
    if "-" in paths:
        raise UsageError("the Dask engine reads files, not standard input")
    partitions: list[Partition] = []
    run: list[Entry] = []

    def close_run() -> None:
        if run:
            partitions.append(Partition(len(partitions), tuple(run), sum(file_size(e.path) for e in run)))
            run.clear()

    for entry in expand(list(paths)):
        absolute = Entry(
            entry.path.resolve() if entry.path else None, entry.display,
            entry.root.resolve() if entry.root else None, entry.skip,
        )  # fmt: skip
        if absolute.path is not None and absolute.skip is None and format_of(absolute.path) in ("jsonl", "parquet"):
            close_run()
            partitions.append(Partition(len(partitions), (absolute,), file_size(absolute.path)))
        else:
            run.append(absolute)
            if len(run) >= files_per_partition:
                close_run()
    close_run()
    return partitions


_WORKERS: dict[Task, Worker] = {}


def _worker(task: Task) -> Worker:
    """This process's worker for the task: rules loaded once per process, kept for later partitions."""
    if task not in _WORKERS:
        _WORKERS[task] = task.worker()
    return _WORKERS[task]


def run_partition(
    partition: Partition,
    *,
    task: Task,
    out: str,
    output: str,
    manifest: Manifest | None = None,
    input_format: str | None = None,
) -> PartReport:
    """Clean (or annotate) one partition and write its part file; runs on a Dask worker."""
    worker = _worker(task)
    final = Path(out) / f"part-{partition.number:05d}.{output}"
    temporary = final.with_name(f".{final.name}.{os.getpid()}.tmp")
    report = PartReport(partition.number, final.name, size=partition.size)
    counts = Counts()
    items = cut(partition.entries, manifest=manifest, input_format=input_format)
    writer: Any = None
    try:
        if output == "parquet":
            from cleaner.io.columnar import pq, schema

            writer = pq.ParquetWriter(temporary, schema(task.stage == "annotate"))
            pending: list[Any] = []
        else:
            handle = temporary.open("wb")
        for chunk in execute(items, task, workers=1, worker=worker):
            report.units += len(chunk.items)
            for outcome in chunk.outcomes:
                line = counts.add(outcome)
                if line:
                    report.problems.append(line)
                elif isinstance(outcome, Done):
                    report.records += 1
                    if output == "jsonl" and outcome.payload:
                        handle.write(outcome.payload)
            if output == "parquet" and chunk.batch is not None and chunk.batch.num_rows:
                pending.append(chunk.batch)
                if sum(b.num_rows for b in pending) >= PART_ROWS:
                    writer.write_batch(_join(pending))
                    pending = []
        if output == "parquet":
            if pending:
                writer.write_batch(_join(pending))
            writer.close()
        else:
            handle.close()
        os.replace(temporary, final)
    finally:
        temporary.unlink(missing_ok=True)
    report.counts = counts.as_dict()
    return report


def _join(batches: list[Any]) -> Any:
    import pyarrow as pa

    return pa.Table.from_batches(batches).combine_chunks().to_batches()[0]


def clean_partitions(
    paths: Sequence[str],
    out: str | Path,
    *,
    stage: str = "clean",
    output: str = "jsonl",
    client: Any = None,
    scheduler: str | None = None,
    rules: Sequence[str | Path] = (),
    disable: Sequence[str] = (),
    outlet: str | None = None,
    languages: Sequence[str] | None = None,
    detect_lang: bool = True,
    input_format: str | None = None,
    manifest: str | Path | None = None,
    resume: bool = False,
    files_per_partition: int = FILES_PER_PARTITION,
    on_part: Callable[[PartReport], None] | None = None,
    sentiment: str = "model",
) -> Report:
    """Run `stage` ("clean" or "annotate") over the inputs on a Dask cluster, one part file per partition.

    client: a dask.distributed Client; else one is made for `scheduler` (an address), else for a
    local cluster of this machine's cores. output: "jsonl" or "parquet" part files in `out`.
    on_part is called with each partition's report as it completes (any order). Rule and option
    errors raise before any work is sent; bad inputs never do: they are in the report, located.
    """
    if db is None:
        raise UsageError(NEEDS_DASK)
    if output not in OUTPUTS:
        raise UsageError(f"no output '{output}' for the Dask engine ({', '.join(OUTPUTS)})")
    if output == "parquet":
        from cleaner.io.columnar import require_pyarrow

        require_pyarrow()
    wanted = frozenset(languages) if languages else None
    task = Task(
        stage=stage, render="record" if output == "parquet" else "jsonl", rules=tuple(str(r) for r in rules),
        disable=tuple(disable), outlet=outlet, languages=wanted, detect_lang=detect_lang or bool(wanted),
        sentiment=sentiment,
    )  # fmt: skip
    task.worker()  # rule errors here, once, before the cluster sees the task
    listed = load_manifest(manifest) if manifest else None
    partitions = plan(paths, files_per_partition=files_per_partition)
    out = Path(out)
    digest = run_digest(
        task=asdict(task), output=output, input_format=input_format, manifest=manifest,
        partitions=[(p.number, [(e.display, file_size(e.path)) for e in p.entries]) for p in partitions],
    )  # fmt: skip
    todo = _todo(out, partitions, digest, output, resume=resume)
    report = Report(out, len(partitions), [], already_done=len(partitions) - len(todo))
    if todo:
        owned = None
        if client is None:
            if scheduler:
                client = owned = Client(scheduler)
            else:
                cluster = LocalCluster(
                    n_workers=default_workers(), threads_per_worker=1, processes=True, dashboard_address=None
                )
                client = owned = Client(cluster)
        try:
            bag = db.from_sequence(todo, npartitions=len(todo)).map(
                run_partition, task=task, out=str(out.resolve()), output=output, manifest=listed,
                input_format=input_format,
            )  # fmt: skip
            futures = client.compute(bag.to_delayed())
            for future in as_completed(futures):
                for part in future.result():
                    report.parts.append(part)
                    if on_part is not None:
                        on_part(part)
        finally:
            if owned is not None:
                cluster = getattr(owned, "cluster", None)
                owned.close()
                if cluster is not None:
                    cluster.close()
    report.parts.sort(key=lambda p: p.number)
    _write_plan(out, digest, len(partitions), complete=True, report=report)
    return report


def _todo(out: Path, partitions: list[Partition], digest: str, output: str, *, resume: bool) -> list[Partition]:
    """The partitions still to do; sets up (or checks) the output folder's plan file."""
    plan_file = out / PLAN_FILE
    if plan_file.exists():
        try:
            state = json.loads(plan_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UsageError(f"{plan_file}: not readable ({exc}); remove {out} to start over") from None
        if not resume:
            raise UsageError(f"{out}: holds a run's parts already; continue it with --resume, or remove it")
        if state.get("digest") != digest:
            raise UsageError(
                f"{plan_file}: the inputs or options differ from that run's; resume with the same command, "
                f"or remove {out} to start over"
            )
        done = {p.name for p in out.glob(f"part-*.{output}")}
        return [p for p in partitions if f"part-{p.number:05d}.{output}" not in done]
    if out.exists() and any(out.iterdir()):
        raise UsageError(f"{out}: not empty and not a cleaner output folder; give a new or empty folder")
    out.mkdir(parents=True, exist_ok=True)
    _write_plan(out, digest, len(partitions), complete=False)
    return partitions


def _write_plan(out: Path, digest: str, partitions: int, *, complete: bool, report: Report | None = None) -> None:
    data: dict[str, Any] = {"digest": digest, "partitions": partitions, "complete": complete}
    if report is not None:
        data["written"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    path = out / PLAN_FILE
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(data), encoding="utf-8")
    os.replace(temporary, path)


__all__ = ["PartReport", "Partition", "Report", "clean_partitions", "plan", "run_partition"]
