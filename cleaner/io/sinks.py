"""Record files a batch writes (JSONL, Parquet), and the checkpoint that lets an interrupted run resume.

Crash safety, by construction rather than by luck:
- JSONL: each chunk's lines go out in one unbuffered write, so a killed run leaves complete lines
  (at worst a torn last line); the checkpoint beside the output (OUT.progress) records how many
  input units and how many bytes of output were complete after the last chunk.
- Parquet: a Parquet file is unreadable until its footer is written, so records go to complete,
  atomically renamed part files in OUT.parts/ (a Parquet dataset any reader opens) and are joined
  into OUT when the run ends; the checkpoint counts parts.
- `--resume` cuts the output back to the checkpoint (a torn line, parts past it) and skips that many
  units of input: no record is written twice and none is lost.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner import __version__
from cleaner.errors import UsageError

PART_ROWS = 1000  # records per Parquet part: the checkpoint's step, and the writer's memory bound


def run_digest(**what: Any) -> str:
    """A digest of what a run reads and how: a resumed run must match it."""
    text = json.dumps({"cleaner": __version__, **what}, sort_keys=True, default=_plain)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, set | frozenset):
        return sorted(value)
    return str(value)


@dataclass
class Checkpoint:
    """OUT.progress: how far an unfinished run got. Gone once the run completes."""

    path: Path
    digest: str
    items: int = 0  # input units done (documents, skips and failures alike)
    position: int = 0  # output bytes (JSONL) or parts (Parquet) done
    tally: dict[str, int] = field(default_factory=dict)
    resumed: bool = False
    size: int = 0  # input bytes done, for the progress line

    @classmethod
    def begin(cls, out: Path, digest: str, *, resume: bool) -> Checkpoint | None:
        """The checkpoint of a run writing `out`: fresh, or read back with --resume.

        None when --resume finds `out` complete (nothing to do). Without --resume an unfinished
        run's output is never overwritten: the user says which they want.
        """
        path = out.with_name(out.name + ".progress")
        if not resume:
            if path.exists():
                raise UsageError(
                    f"{out}: an interrupted run's output (beside it: {path.name}); continue it with --resume, "
                    f"or delete both to start over"
                )
            return cls.fresh(path, digest)
        if not path.exists():
            # The checkpoint is written before the output is created and removed only after the output
            # is complete: an output without one is complete; no output and no checkpoint, a fresh start.
            return None if out.exists() else cls.fresh(path, digest)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            state = cls(
                path, data["digest"], int(data["items"]), int(data["position"]), dict(data["tally"]), True,
                int(data.get("size", 0)),
            )  # fmt: skip
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise UsageError(f"{path}: not a readable checkpoint ({exc}); delete it and {out} to start over") from None
        if state.digest != digest:
            raise UsageError(
                f"{path}: the inputs or options differ from the interrupted run's; resume with the same "
                f"command, or delete {out} and {path.name} to start over"
            )
        return state

    @classmethod
    def fresh(cls, path: Path, digest: str) -> Checkpoint:
        """A new run's checkpoint, on disk before the output exists: a run killed at any instant resumes."""
        path.parent.mkdir(parents=True, exist_ok=True)
        checkpoint = cls(path, digest)
        checkpoint.save(0, 0, {})
        return checkpoint

    def save(self, items: int, position: int, tally: dict[str, int], size: int = 0) -> None:
        """Record progress atomically: a reader sees the old checkpoint or the new, never half of one."""
        self.items, self.position, self.tally, self.size = items, position, tally, size
        data = {"digest": self.digest, "items": items, "position": position, "tally": tally, "size": size}
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, self.path)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


class JsonlOut:
    """A JSONL record file written chunk by chunk; `position` is the bytes complete."""

    def __init__(self, path: Path, resume_at: int | None = None):
        path.parent.mkdir(parents=True, exist_ok=True)
        if not resume_at or not path.exists():
            self.handle = path.open("wb", buffering=0)
        else:
            self.handle = path.open("r+b", buffering=0)
            self.handle.truncate(resume_at)  # drops a torn last line and anything past the checkpoint
            self.handle.seek(resume_at)
        self.position = self.handle.tell()
        self.partial = str(path)  # where an interrupted run's records are

    def write(self, data: bytes) -> bool:
        """Write whole record lines in one go; True: all is on disk up to here (always, for JSONL)."""
        view = memoryview(data)
        while view:
            written = self.handle.write(view)
            view = view[written:]
        self.position += len(data)
        return True

    def flush(self) -> None:
        """Nothing is buffered: every chunk was written whole."""

    def cleanup(self) -> None:
        """Nothing beside the output to remove."""

    def finish(self) -> None:
        self.handle.close()

    def close(self) -> None:
        self.handle.close()


class ParquetOut:
    """A Parquet file built from complete part files; `position` is the parts complete."""

    def __init__(self, path: Path, annotated: bool, resume_at: int | None = None):
        from cleaner.io.columnar import require_pyarrow, schema

        require_pyarrow()
        self.path = path
        self.schema = schema(annotated)
        self.parts = path.with_name(path.name + ".parts")
        if resume_at is None and self.parts.exists():
            shutil.rmtree(self.parts)
        self.parts.mkdir(parents=True, exist_ok=True)
        self.position = resume_at or 0
        self.partial = f"{self.parts}/ (a Parquet dataset)"
        for part in self.parts.iterdir():  # parts past the checkpoint, and half-written ones, go
            if not part.name.endswith(".parquet") or _part_number(part) >= self.position:
                part.unlink()
        self.batches: list[Any] = []
        self.rows = 0

    def write(self, batch: Any) -> bool:
        """Buffer an Arrow batch of rows; True when a part was completed (a checkpoint can follow)."""
        if batch is not None and batch.num_rows:
            self.batches.append(batch)
            self.rows += batch.num_rows
        if self.rows >= PART_ROWS:
            self.flush()
            return True
        return False

    def flush(self) -> None:
        """Write the buffered rows as the next complete part."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_batches(self.batches, schema=self.schema)
        final = self.parts / f"part-{self.position:05d}.parquet"
        temporary = final.with_name(final.name + ".tmp")
        pq.write_table(table, temporary)
        os.replace(temporary, final)
        self.position += 1
        self.batches, self.rows = [], 0

    def finish(self) -> None:
        """Write the last part, then join the parts into the output file (one row group per part)."""
        import pyarrow.parquet as pq

        if self.rows:
            self.flush()
        temporary = self.path.with_name(self.path.name + ".tmp")
        with pq.ParquetWriter(temporary, self.schema) as writer:
            for part in sorted(self.parts.glob("part-*.parquet")):
                writer.write_table(pq.read_table(part, schema=self.schema))
        os.replace(temporary, self.path)

    def cleanup(self) -> None:
        shutil.rmtree(self.parts, ignore_errors=True)

    def close(self) -> None:
        """Stop without finishing: complete parts stay for --resume."""


def _part_number(path: Path) -> int:
    try:
        return int(path.name.split("-")[1].split(".")[0])
    except (IndexError, ValueError):
        return 1 << 30
