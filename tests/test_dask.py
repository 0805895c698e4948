"""The Dask engine, on a real dask.distributed LocalCluster: two worker processes on loopback."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")

from cleaner.errors import UsageError  # noqa: E402
from cleaner.runs.dask import plan, run_partitions  # noqa: E402
from cleaner.runs.options import RunOptions  # noqa: E402
from helpers import SEEDS  # noqa: E402

SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


@pytest.fixture(scope="module")
def cluster():
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        ) as local,
        distributed.Client(local) as client,
    ):
        yield local, client


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """Two JSONL files (one with a bad line), the seed files with their manifest, and a Parquet file."""
    folder = tmp_path_factory.mktemp("dask") / "corpus"
    folder.mkdir()
    for name, count, bad in (("a.jsonl", 120, None), ("b.jsonl", 80, 17)):
        lines = [
            json.dumps({"id": f"{name}-{n}", "text": SEED_TEXTS[n % len(SEED_TEXTS)]}) for n in range(1, count + 1)
        ]
        if bad:
            lines[bad - 1] = "{broken"
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    for seed in sorted(SEEDS.iterdir()):
        shutil.copy(seed, folder / seed.name)
    import pyarrow as pa

    pq.write_table(pa.table({"id": ["p1", "p2"], "text": [SEED_TEXTS[0], SEED_TEXTS[3]]}), folder / "c.parquet")
    return folder


def single_process(inputs: Path, command: str = "clean") -> list[dict]:
    result = subprocess.run(
        [sys.executable, "-m", "cleaner", command, str(inputs), "--format", "jsonl", "-q", "--workers", "1",
         "--no-detect-lang"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 1  # b.jsonl's bad line
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_plan_keeps_input_order_and_gives_each_record_file_its_own_partition(inputs):
    partitions = plan([str(inputs)], files_per_partition=3)
    names = [[e.path.name for e in p.entries] for p in partitions]
    assert [len(group) for group in names] == [3, 2, 1, 1, 1]  # five seed files in runs of 3, then one each
    assert names[2:] == [["a.jsonl"], ["b.jsonl"], ["c.parquet"]]
    flat = [n for group in names for n in group]
    assert flat == sorted(flat)
    assert all(len(group) <= 3 for group in names)
    assert all(e.path.is_absolute() for p in partitions for e in p.entries)


def test_parts_read_in_order_equal_a_single_process_run(cluster, inputs, tmp_path):
    _, client = cluster
    out = tmp_path / "out"
    seen: list[int] = []
    report = run_partitions(
        [str(inputs)], out, client=client, options=RunOptions(detect_lang=False), files_per_partition=2,
        on_part=lambda part: seen.append(part.number),
    )  # fmt: skip
    parts = sorted(out.glob("part-*.jsonl"))
    assert len(parts) == report.partitions == len(seen) > 3
    records = [json.loads(line) for part in parts for line in part.read_text(encoding="utf-8").splitlines()]
    expected = single_process(inputs)
    assert records == expected  # field for field, in the same order
    assert {r["outlet"] for r in records} >= {"The Moscow Times"}  # the folder's outlets.csv, read on the workers
    assert report.records == len(expected)
    assert report.failed == 1
    assert report.problems == [
        f"error: {inputs / 'b.jsonl'}:17: malformed JSON (Expecting property name enclosed in double quotes at column 2)"
    ]


def test_annotate_to_parquet_parts_on_the_cluster(cluster, inputs, tmp_path):
    _, client = cluster
    out = tmp_path / "out"
    report = run_partitions(
        [str(inputs)], out, stage="annotate", output="parquet", client=client, options=RunOptions(detect_lang=False)
    )
    table = pq.read_table(out)  # the folder is a Parquet dataset
    expected = single_process(inputs, "annotate")
    assert table.num_rows == report.records == len(expected)
    assert table.to_pylist() == expected


def test_resume_does_only_the_missing_parts(cluster, inputs, tmp_path):
    _, client = cluster
    out = tmp_path / "out"
    run_partitions([str(inputs)], out, client=client, options=RunOptions(detect_lang=False))
    complete = {p.name: p.read_bytes() for p in out.glob("part-*.jsonl")}
    (out / "part-00001.jsonl").unlink()
    with pytest.raises(UsageError, match="continue it with --resume"):
        run_partitions([str(inputs)], out, client=client, options=RunOptions(detect_lang=False))
    with pytest.raises(UsageError, match="differ from that run's"):
        run_partitions(
            [str(inputs)], out, client=client, options=RunOptions(detect_lang=False, outlet="Other"), resume=True
        )
    report = run_partitions([str(inputs)], out, client=client, options=RunOptions(detect_lang=False), resume=True)
    assert [p.number for p in report.parts] == [1]
    assert report.already_done == report.partitions - 1
    assert {p.name: p.read_bytes() for p in out.glob("part-*.jsonl")} == complete


def test_cli_engine_dask_with_a_scheduler_address(cluster, inputs, tmp_path):
    local, _ = cluster
    out = tmp_path / "cli-out"
    result = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", str(inputs), "--engine", "dask", "--scheduler",
         local.scheduler_address, "--out", str(out), "--no-detect-lang"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 1  # the bad line is reported, and the run is not fatal
    assert f"error: {inputs / 'b.jsonl'}:17: malformed JSON" in result.stderr
    assert "failed; parts in" in result.stderr
    records = [json.loads(line) for part in sorted(out.glob("part-*.jsonl")) for line in part.open(encoding="utf-8")]
    assert [r["id"] for r in records] == [r["id"] for r in single_process(inputs)]


@pytest.mark.parametrize(("engine", "lang"), [("cld2", "zh"), ("langdetect", "zh-cn")])
def test_the_language_engine_reaches_the_dask_workers(cluster, tmp_path, engine, lang):
    # The engines name Chinese differently: the records say which one the workers ran.
    text = "翱翔于距地球数千公里的太空中，进入广袤漆黑的未知领域，是一项艰苦卓绝的工作。这让人感到巨大压力和极度恐慌。"
    source = tmp_path / "zh.jsonl"
    source.write_text(json.dumps({"id": "zh", "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    _, client = cluster
    run_partitions([str(source)], tmp_path / "out", client=client, options=RunOptions(lang_engine=engine))
    records = [json.loads(line) for part in sorted((tmp_path / "out").glob("part-*.jsonl")) for line in part.open()]
    assert [r["lang"] for r in records] == [lang]
