"""Comparison tables: the seeds' tables as golden files, and what each table must show."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import Document
from cleaner.annotation.annotate import annotate
from cleaner.cli import app
from cleaner.document import EntityReport, Evidence
from cleaner.reports.compare import MAX_MATRIX, Comparison, build_tables, collect
from helpers import SEEDS

runner = CliRunner()
GOLDEN = Path(__file__).resolve().parent / "golden"


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.mark.parametrize(
    ("name", "args"), [("compare_seeds.txt", []), ("compare_seeds.json", ["--format", "json", "--top-entities", "50"])]
)
def test_seed_tables_match_golden_files(name, args, update_golden):
    result = invoke("compare", "--no-detect-lang", *args, str(SEEDS))
    assert result.exit_code == 0, result.stderr
    path = GOLDEN / name
    if update_golden:
        path.parent.mkdir(exist_ok=True)
        path.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == path.read_text(encoding="utf-8"), (
        f"run pytest --update-golden and review the diff of {path}"
    )


@pytest.fixture(scope="module")
def seed_tables():
    data = json.loads(invoke("compare", "--no-detect-lang", "--format", "json", str(SEEDS)).stdout)
    return {name: [dict(zip(t["headers"], row, strict=True)) for row in t["rows"]] for name, t in data.items()}


def row(table: list[dict], key: str, value: str) -> dict:
    (found,) = [r for r in table if r[key] == value]
    return found


def test_framing_cells_show_own_voice_and_quoted_apart(seed_tables):
    capital = row(seed_tables["framing"], "axis", "capital-spelling")
    assert capital["The Moscow Times"] == "kyiv 1 (+1 quoted)"
    assert capital["seed-003"] == "kiev 1"
    assert capital["seed-004"] == "kiev 1"
    axes = {r["axis"] for r in seed_tables["framing"]}
    assert "western-backing" not in axes and "ukraine-government-label" not in axes  # no outlet used them


def test_overlap_exposes_shared_wire_copy(seed_tables):
    matrix = {r["document"]: r for r in seed_tables["overlap"]}
    assert float(matrix["seed-000"]["seed-002"]) >= 0.8
    for a in matrix:
        for b in matrix:
            if a != b and {a, b} != {"seed-000", "seed-002"}:
                assert float(matrix[a][b]) <= 0.11


def test_coverage_and_word_choices(seed_tables):
    shared = [r for r in seed_tables["coverage"] if not r["sentence"].startswith("(")]
    assert any(r["The Moscow Times"] and r["seed-000"] and r["seed-002"] for r in shared)  # the shared Trump quote
    wording = seed_tables["wording"]
    assert any(r["words"] == "defense" and r["instead of"] == "defence" for r in wording)


def test_boilerplate_per_outlet(seed_tables):
    table = {r["category"]: r for r in seed_tables["boilerplate"]}
    assert table["donation-appeal"]["The Moscow Times"] == 1
    assert table["photo-caption"]["seed-002"] == 1
    assert table["date-stamp"]["seed-002"] == 1


def test_entity_voice_option_and_transpose():
    quoted = invoke(
        "compare", "--no-detect-lang", "--table", "entities", "--voice", "quoted", "--format", "csv", str(SEEDS)
    )
    rows = list(csv.reader(io.StringIO(quoted.stdout)))
    assert rows[0][0].startswith("# entities: Entity sentiment (quoted voice)")
    flipped = invoke("compare", "--no-detect-lang", "--table", "framing", "--transpose", "--format", "csv", str(SEEDS))
    lines = list(csv.reader(io.StringIO(flipped.stdout)))
    assert lines[1][0] == "axis" and lines[2][0] == "The Moscow Times"


def entity_rows(*args: str) -> list[list[str]]:
    result = invoke("compare", "--no-detect-lang", "--table", "entities", "--format", "csv", *args, str(SEEDS))
    assert result.exit_code == 0, result.stderr
    return [row for row in csv.reader(io.StringIO(result.stdout)) if row][2:]


def test_entity_table_shows_the_most_mentioned_or_the_ones_picked():
    everything = entity_rows("--top-entities", "100", "--voice", "all")  # ranked by all mentions
    counts = [sum(int(cell.rsplit("(", 1)[1].rstrip(")")) for cell in row[2:] if cell) for row in everything]
    assert len(everything) > 20 and counts == sorted(counts, reverse=True)
    assert entity_rows("--voice", "all") == everything[:20]
    assert [row[0] for row in entity_rows("--top-entities", "3")] == [row[0] for row in everything[:3]]
    picked = entity_rows("--entities", "Russia, Alaska,Nobody")
    assert [row[0] for row in picked] == ["Russia", "Alaska"]
    assert invoke("compare", "--top-entities", "0", str(SEEDS)).exit_code == 2


def test_one_word_names_count_with_the_fuller_name_across_documents():
    def report(entity: str, score: float) -> EntityReport:
        evidence = Evidence("s", score, "narrative", 0, 1)
        return EntityReport(entity, "person", 1, score, score, None, (evidence,))

    comparison = Comparison()
    comparison.add(Document(text="a", outlet="A", markers=(), entities=(report("Jane Roe", 0.5),)))
    comparison.add(Document(text="b", outlet="A", markers=(), entities=(report("Roe", -0.1),)))
    (table,) = [t for t in build_tables(comparison) if t.name == "entities"]
    assert table.rows == [["Jane Roe", "person", "+0.20 (2)"]]


@pytest.mark.parametrize("fmt", ["github", "grid", "html", "latex", "plain", "pipe"])
def test_every_tabulate_format(fmt):
    result = invoke("compare", "--no-detect-lang", "--table", "boilerplate", "--format", fmt, str(SEEDS))
    assert result.exit_code == 0
    assert "donation-appeal" in result.stdout


def test_bad_table_and_format_are_usage_errors():
    assert invoke("compare", "--table", "framin", str(SEEDS)).exit_code == 2
    assert invoke("compare", "--format", "xlsx", str(SEEDS)).exit_code == 2


def test_many_documents_get_top_pairs_not_a_matrix():
    docs = []
    for index in range(MAX_MATRIX + 5):
        text = " ".join(f"word{index}x{n} filler{n}" for n in range(40)) + "."
        docs.append(annotate(Document(text=text, id=f"d{index}", outlet=f"o{index}")))
    wire = "Trump said on Monday he had talked to Putin about a deal to end the war in Ukraine this week."
    docs.append(annotate(Document(text=wire + " " + wire, id="copy-a", outlet="A")))
    docs.append(annotate(Document(text=wire, id="copy-b", outlet="B")))
    comparison = collect(docs)
    assert comparison.grams is None
    overlap = next(t for t in build_tables(comparison) if t.name == "overlap")
    assert overlap.headers == ["document", "document", "overlap"]
    assert overlap.rows[0][:2] == ["A", "B"]


def test_identical_sentences_make_one_cluster():
    sentence = "Norway pledged about 7 billion kroner toward air defense systems for Ukraine."
    comparison = Comparison()
    for outlet in ("A", "B", "C"):
        comparison.add(annotate(Document(text=sentence, outlet=outlet)))
    assert len(comparison.clusters) == 1
    assert comparison.clusters[0].outlets == {"A": 1, "B": 1, "C": 1}


def test_cluster_store_is_bounded_and_retired_sentences_still_count(monkeypatch):
    import cleaner.reports.compare as compare_module

    monkeypatch.setattr(compare_module, "MAX_CLUSTERS", 5)
    shared = "Norway pledged about 7 billion kroner toward air defense systems for Ukraine."
    comparison = Comparison()
    comparison.add(Document(text=shared, outlet="A", markers=(), entities=()))
    comparison.add(Document(text=shared, outlet="B", markers=(), entities=()))
    for index in range(40):
        words = " ".join(f"w{index}n{k}" for k in range(12))
        comparison.add(Document(text=f"Sentence {words} ends here.", outlet="A", markers=(), entities=()))
    assert len(comparison.clusters) <= 6
    assert sum(comparison.retired.values()) >= 35
    coverage = next(t for t in build_tables(comparison) if t.name == "coverage")
    assert coverage.rows[0][1:] == [1, 1]  # the shared sentence survived
    assert coverage.rows[-1] == ["(sentences only this outlet carries)", 40, 0]
