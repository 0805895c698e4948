"""Corpus runs: worker processes, record files (JSONL, Parquet), bad records, interruption and --resume.

The runs go through a real `python -m cleaner` process where processes matter (workers, signals,
a killed run); the corpora are the seeds, repeated with their ids changed, big enough for several chunks.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cleaner import Document, annotate
from cleaner.cli.display import Bar
from cleaner.io.readers import expand
from cleaner.io.sinks import Checkpoint
from cleaner.runs.batch import CHUNK_BYTES, YOUNG_GENERATION_THRESHOLD, Task, chunked, execute
from cleaner.runs.corpus import checkpoint_digest
from cleaner.runs.options import RunOptions
from cleaner.runs.pipeline import list_units
from helpers import SEEDS

SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def corpus(path: Path, megabytes: float, bad_lines: dict[int, str] | None = None) -> Path:
    """JSONL records cycling through the seeds until about `megabytes`; `bad_lines` replaces lines by number."""
    lines, size, number = [], 0, 0
    while size < megabytes * 1e6:
        number += 1
        text = SEED_TEXTS[number % len(SEED_TEXTS)]
        line = json.dumps({"id": f"doc-{number}", "text": text}, ensure_ascii=False)
        if bad_lines and number in bad_lines:
            line = bad_lines[number]
        lines.append(line)
        size += len(line.encode("utf-8"))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cleaner(*args: str, cwd: Path | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cleaner", *args], capture_output=True, text=True, cwd=cwd, timeout=300, **kwargs
    )


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    return corpus(tmp_path_factory.mktemp("corpus") / "corpus.jsonl", 3.0)


def test_the_corpus_is_several_chunks(big):
    # Otherwise the worker tests below would run in one process and prove nothing.
    chunks = list(chunked(list_units(expand([str(big)]))))
    assert len(chunks) >= 4
    assert all(c.size <= CHUNK_BYTES * 2 for c in chunks)


@pytest.mark.parametrize("command", ["clean", "annotate"])
def test_two_workers_write_what_one_writes_in_the_same_order(big, tmp_path, command):
    one = cleaner(command, str(big), "--format", "jsonl", "--workers", "1", "--no-detect-lang", "-q")
    two = cleaner(command, str(big), "--format", "jsonl", "--workers", "2", "--no-detect-lang", "-q")
    assert one.returncode == two.returncode == 0, two.stderr
    assert one.stdout == two.stdout
    ids = [json.loads(line)["id"] for line in two.stdout.splitlines()]
    assert ids == [f"doc-{n}" for n in range(1, len(ids) + 1)]
    assert len(ids) > 300


def test_execute_returns_chunks_in_input_order_from_a_pool(big):
    chunks = list(execute(list_units(expand([str(big)])), Task(options=RunOptions(detect_lang=False)), workers=2))
    firsts = [c.items[0].number for c in chunks]
    assert firsts == sorted(firsts)
    assert sum(len(c.outcomes) for c in chunks) == sum(1 for line in big.open(encoding="utf-8") if line.strip())


def test_bad_records_are_reported_with_file_and_line_and_the_rest_is_written(tmp_path):
    bad = {7: "{not json", 250: '{"id": "no-text"}', 400: json.dumps({"text": 5.5})}
    path = corpus(tmp_path / "bad.jsonl", 3.0, bad_lines=bad)
    out = tmp_path / "out.jsonl"
    result = cleaner("clean", str(path), "--out", str(out), "--workers", "2", "--no-detect-lang")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {path}:7: malformed JSON (Expecting property name enclosed in double quotes at column 2)",
        f"error: {path}:250: record has neither 'text' nor 'html'",
        f"error: {path}:400: field 'text' must be a string",
    ]
    total = sum(1 for _ in path.open(encoding="utf-8"))
    records = [json.loads(line) for line in out.open(encoding="utf-8")]
    assert len(records) == total - 3
    assert {r["id"] for r in records}.isdisjoint({"doc-7", "doc-250", "doc-400", "no-text"})
    assert not out.with_name("out.jsonl.progress").exists()  # complete: no checkpoint left behind


def test_parquet_out_has_the_jsonl_records_field_for_field(big, tmp_path):
    out = tmp_path / "out.parquet"
    result = cleaner("annotate", str(big), "--out", str(out), "--no-detect-lang", "-q")
    assert result.returncode == 0, result.stderr
    reference = cleaner("annotate", str(big), "--format", "jsonl", "--no-detect-lang", "-q")
    expected = [json.loads(line) for line in reference.stdout.splitlines()]
    table = pq.read_table(out)
    assert table.schema.names == list(expected[0])
    assert table.to_pylist() == expected
    assert not out.with_name("out.parquet.parts").exists()


def test_parquet_in_reads_rows_and_reports_bad_ones_by_row(tmp_path):
    rows = [
        {"id": "a", "text": SEED_TEXTS[1], "date": None},
        {"id": "b", "text": None, "date": None},
        {"id": "c", "text": SEED_TEXTS[2], "date": None},
    ]
    table = pa.table(
        {
            "id": [r["id"] for r in rows],
            "text": [r["text"] for r in rows],
            "date": pa.array([None, None, 20326], type=pa.date32()),  # a date column, not a string
        }
    )
    source = tmp_path / "in.parquet"
    pq.write_table(table, source)
    out = tmp_path / "out.jsonl"
    result = cleaner("clean", str(source), "--out", str(out), "--no-detect-lang")
    assert result.returncode == 1
    assert f"error: {source}: row 2: record has neither 'text' nor 'html'" in result.stderr
    records = [json.loads(line) for line in out.open(encoding="utf-8")]
    assert [r["id"] for r in records] == ["a", "c"]
    assert records[1]["date"] == "2025-08-26"
    assert records[1]["source"] == f"{source}:3"


def test_parquet_in_without_a_text_column_names_the_file(tmp_path):
    source = tmp_path / "wrong.parquet"
    pq.write_table(pa.table({"body": ["x"]}), source)
    result = cleaner("clean", str(source), "--format", "jsonl")
    assert result.returncode == 1
    assert f"error: {source}: a Parquet input needs a 'text' or 'html' column (it has: body)" in result.stderr


def _kill_midway(args: list[str], progress: Path, sig: int) -> tuple[int, str]:
    """Start a run, wait until it has checkpointed some work, then send `sig`; return its exit code and stderr."""
    process = subprocess.Popen(
        [sys.executable, "-m", "cleaner", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if progress.exists() and json.loads(progress.read_text() or "{}").get("items", 0) > 0:
            break
        assert process.poll() is None, "the run ended before it could be interrupted: make the corpus bigger"
        time.sleep(0.02)
    assert process.poll() is None, "the run ended before it could be interrupted: make the corpus bigger"
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=120)
    return process.returncode, stderr


@pytest.fixture(scope="module")
def slow(tmp_path_factory) -> tuple[Path, str]:
    """A corpus annotate takes seconds on, and its uninterrupted output."""
    path = corpus(tmp_path_factory.mktemp("slow") / "slow.jsonl", 5.0)
    reference = cleaner("annotate", str(path), "--format", "jsonl", "--no-detect-lang", "-q")
    assert reference.returncode == 0
    return path, reference.stdout


def test_a_killed_jsonl_run_is_readable_and_resumes_without_duplicates_or_losses(slow, tmp_path):
    path, expected = slow
    out = tmp_path / "out.jsonl"
    progress = tmp_path / "out.jsonl.progress"
    args = ["annotate", str(path), "--out", str(out), "--workers", "2", "--no-detect-lang", "-q"]
    code, _ = _kill_midway(args, progress, signal.SIGKILL)
    assert code == -signal.SIGKILL
    # Readable up to the last complete record: every whole line parses, and they are the first records.
    data = out.read_bytes()
    whole = data[: data.rfind(b"\n") + 1].decode("utf-8").splitlines()
    assert whole and [json.loads(line) for line in whole] == [
        json.loads(x) for x in expected.splitlines()[: len(whole)]
    ]
    assert len(whole) < len(expected.splitlines())
    # Running again without --resume must not overwrite the partial output.
    refused = cleaner(*args)
    assert refused.returncode == 2 and "continue it with --resume" in refused.stderr
    resumed = cleaner(*args, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert out.read_text(encoding="utf-8") == expected
    assert not progress.exists()


def test_a_stopped_parquet_run_keeps_its_parts_and_resumes_to_the_same_file(slow, tmp_path):
    path, expected = slow
    out = tmp_path / "out.parquet"
    progress = tmp_path / "out.parquet.progress"
    args = ["annotate", str(path), "--out", str(out), "--workers", "2", "--no-detect-lang", "-q"]
    code, stderr = _kill_midway(args, progress, signal.SIGTERM)
    assert code == 130
    assert "continue with --resume" in stderr
    kept = pq.read_table(tmp_path / "out.parquet.parts").to_pylist()  # the parts are a readable dataset
    records = [json.loads(x) for x in expected.splitlines()]
    assert 0 < len(kept) < len(records)
    assert kept == records[: len(kept)]
    assert json.loads(progress.read_text())["tally"]["cleaned"] == len(kept)
    resumed = cleaner(*args, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming" in resumed.stderr
    assert pq.read_table(out).to_pylist() == records
    assert not (tmp_path / "out.parquet.parts").exists() and not progress.exists()


def test_resume_refuses_other_options_and_says_when_there_is_nothing_to_do(big, tmp_path):
    out = tmp_path / "out.jsonl"
    progress = tmp_path / "out.jsonl.progress"
    progress.write_text(json.dumps({"digest": "0" * 64, "items": 3, "position": 0, "tally": {}}))
    out.write_text("")
    other = cleaner("clean", str(big), "--out", str(out), "--resume")
    assert other.returncode == 2
    assert "the inputs or options differ from the interrupted run's" in other.stderr
    progress.unlink()
    out.unlink()
    first = cleaner(
        "clean", str(big), "--out", str(out), "--resume", "--no-detect-lang", "-q"
    )  # nothing yet: a fresh run
    assert first.returncode == 0 and out.stat().st_size > 0
    again = cleaner("clean", str(big), "--out", str(out), "--resume", "--no-detect-lang")
    assert again.returncode == 0
    assert "is complete: nothing to resume" in again.stderr
    from_stdin = cleaner("clean", "-", "--out", str(tmp_path / "x.jsonl"), "--resume", input="text")
    assert from_stdin.returncode == 2 and "cannot read standard input again" in from_stdin.stderr


def test_resume_cuts_a_torn_last_line(big, tmp_path):
    out = tmp_path / "out.jsonl"
    full = cleaner("clean", str(big), "--out", str(out), "--no-detect-lang", "-q")
    assert full.returncode == 0
    expected = out.read_bytes()
    # Fake a run killed mid-write: a checkpoint at the end of record 40's block, then half a record.
    lines = expected.splitlines(keepends=True)
    items = next(iter(chunked(list_units(expand([str(big)])))))
    done = sum(1 for i in items.items for line in i.data.split(b"\n") if line.strip())
    position = sum(len(line) for line in lines[:done])
    out.write_bytes(expected[:position] + lines[done][:50])
    task = Task(stage="clean", render="jsonl", options=RunOptions(detect_lang=False))
    digest = checkpoint_digest(task, "jsonl", expand([str(big)]))
    Checkpoint(out.with_name("out.jsonl.progress"), digest).save(len(items.items), position, {"cleaned": done})
    resumed = cleaner("clean", str(big), "--out", str(out), "--resume", "--no-detect-lang")
    assert resumed.returncode == 0, resumed.stderr
    assert out.read_bytes() == expected
    assert f"{len(lines)} documents cleaned" in resumed.stderr  # the summary counts the whole run


def test_progress_bar_counts_docs_and_share_and_prints_notes_verbatim(capsys):
    bar = Bar("cleaning")
    bar.start(1000, 0)
    bar.update(50, 250)
    bar.note("skipped: [odd] name.txt: not an input type")  # brackets are not rich markup here
    bar.update(50, 750)
    bar.close()
    err = capsys.readouterr().err
    assert "skipped: [odd] name.txt: not an input type" in err
    assert "cleaning: 100 docs" in err and "100%" in err
    unknown = Bar("annotating")
    unknown.start(None, 0)
    unknown.update(10, 99)
    unknown.close()
    err = capsys.readouterr().err
    assert "annotating: 10 docs" in err and "%" not in err and "ETA" not in err


def test_progress_is_shown_when_asked(big):
    result = cleaner("clean", str(big), "--format", "jsonl", "--progress", "--no-detect-lang")
    assert result.returncode == 0
    assert "docs/s" in result.stderr and "100%" in result.stderr and "ETA" in result.stderr
    assert "docs/s" not in cleaner("clean", str(big), "--format", "jsonl", "--no-detect-lang").stderr


def test_parquet_to_stdout_is_refused_with_the_fix():
    result = cleaner("clean", str(SEEDS), "--format", "parquet", env={**os.environ, "COLUMNS": "300"})
    assert result.returncode == 2
    assert "add --out FILE.parquet" in result.stderr


def test_a_worker_is_gone_when_its_parent_is_killed(slow, tmp_path):
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-m", "cleaner", "annotate", str(slow[0]), "--out", str(out), "-j", "2", "-q",
         "--no-detect-lang"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    children: list[int] = []
    while time.monotonic() < deadline and not children:
        children = [int(p) for p in _children(process.pid)]
        time.sleep(0.05)
    assert children, "no worker processes seen"
    process.kill()
    process.wait()
    time.sleep(2)
    assert [c for c in children if _alive(c)] == []


def _children(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_run_collects_young_objects_less_often_and_a_library_call_leaves_the_collector_alone():
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        annotate(Document(text="The mayor said the city would rebuild the harbour."))
        assert gc.get_threshold() == (700, 10, 10)  # the caller's settings
        Task(stage="annotate", options=RunOptions(detect_lang=False)).worker()
        assert gc.get_threshold() == (YOUNG_GENERATION_THRESHOLD, 10, 10)  # a run's own process
    finally:
        gc.set_threshold(*before)
