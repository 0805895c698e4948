"""Stage 2 end to end: annotation never changes the text, records and renderings, the command line."""

from __future__ import annotations

import json

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cleaner import Document
from cleaner.annotation.annotate import annotate
from cleaner.annotation.entities import load_entities
from cleaner.cli import app
from helpers import SEEDS, seed_path

runner = CliRunner()
SEED_LINES = sorted(
    {line for p in SEEDS.glob("*.txt") for line in p.read_text(encoding="utf-8").split("\n") if line.strip()}
)
texts = st.one_of(
    st.lists(st.sampled_from(SEED_LINES), max_size=8).map("\n".join),
    st.text(max_size=400),
    st.text(alphabet="“”\"«»‘’' Kiev Kyiv Putin said, according to.\n", max_size=200),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_annotation_never_changes_the_text_and_offsets_point_into_it(text):
    doc = Document(text=text, removed=(), lang="en")
    annotated = annotate(doc)
    assert annotated.text == text
    assert annotated.removed == doc.removed
    for marker in annotated.markers:
        assert text[marker.start : marker.end] == marker.text
        assert marker.voice in ("narrative", "quoted")
    for report in annotated.entities:
        assert report.mentions == len(report.evidence)
        assert all(-1 <= e.score <= 1 for e in report.evidence)


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_annotate_jsonl_extends_the_stage_1_record():
    result = invoke("annotate", "--format", "jsonl", str(seed_path("004")))
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert list(record) == [
        "id",
        "source",
        "outlet",
        "lang",
        "title",
        "date",
        "text",
        "removed",
        "warnings",
        "markers",
        "entities",
    ]
    marker = record["markers"][0]
    assert list(marker) == ["axis", "variant", "text", "start", "end", "voice", "speaker"]
    assert record["text"][marker["start"] : marker["end"]] == marker["text"]
    entity = record["entities"][0]
    assert list(entity) == ["entity", "type", "mentions", "sentiment", "narrative", "quoted", "evidence"]
    assert entity["entity"] == "Donald Trump"


def test_annotate_text_format_marks_inline_and_tables_entities():
    result = invoke("annotate", str(seed_path("003")))
    assert "[[Kiev | capital-spelling: kiev]]" in result.stdout
    assert "[[Zelenskyy | president-name: zelenskyy, quoted: Donald Trump]]" in result.stdout
    assert "entity" in result.stdout and "Maria Zakharova" in result.stdout


def test_annotate_markdown():
    result = invoke("annotate", "--format", "markdown", str(seed_path("004")))
    assert result.stdout.startswith("## ")
    assert "**Western-supported coup** <sup>maidan-2014: coup</sup>" in result.stdout
    assert "| entity" in result.stdout and "<details><summary>Evidence</summary>" in result.stdout


def test_annotate_disable_takes_rules_and_axes():
    result = invoke("annotate", "--format", "jsonl", "--disable", "capital-spelling", "--disable", "photo-caption",
                    str(seed_path("002")))  # fmt: skip
    record = json.loads(result.stdout)
    assert not [m for m in record["markers"] if m["axis"] == "capital-spelling"]
    assert "— Reuters" in record["text"]
    bad = invoke("annotate", "--disable", "capital-speling", str(seed_path("002")))
    assert bad.exit_code == 2
    assert "did you mean 'capital-spelling'?" in bad.stderr


def test_annotate_discover():
    result = invoke("annotate", "--discover", str(SEEDS))
    assert result.exit_code == 0
    found = {e["name"]: e for e in yaml.safe_load(result.stdout)["entities"]}
    assert found["Alaska"]["type"] == "state"
    assert "# 5 mentions" in next(line for line in result.stdout.splitlines() if "name: Alaska" in line)
    assert "Donald Trump" not in found and "Trump" not in found


def test_discovered_names_paste_into_entities_yaml(tmp_path):
    result = invoke("annotate", "--discover", "--min-count", "1", str(SEEDS))
    (tmp_path / "entities.yaml").write_text(result.stdout, encoding="utf-8")
    entities = load_entities([tmp_path])
    assert {"Alaska", "Europeans"} <= {e.name for e in entities.entities}
    again = invoke("annotate", "--discover", "--min-count", "1", "--rules", str(tmp_path), str(SEEDS))
    assert "Alaska" not in again.stdout


def test_rules_check_covers_framing():
    result = invoke("rules", "check")
    assert "framing axes with" in result.stdout and "sentiment-word examples pass." in result.stdout


def test_user_folder_with_only_a_framing_axis(tmp_path):
    folder = tmp_path / "mine" / "framing"
    folder.mkdir(parents=True)
    (folder / "extra.yaml").write_text(
        "axes:\n  - id: summit-place\n    description: d\n    provenance: p\n    variants:\n"
        "      - {id: alaska, label: Alaska, terms: [Alaska], examples: {match: [in Alaska]}}\n"
        "      - {id: anchorage, label: Anchorage, terms: [Anchorage], examples: {match: [in Anchorage]}}\n",
        encoding="utf-8",
    )
    result = invoke("annotate", "--format", "jsonl", "--rules", str(tmp_path / "mine"), str(seed_path("004")))
    assert result.exit_code == 0, result.stderr
    axes = {m["axis"] for m in json.loads(result.stdout)["markers"]}
    assert "summit-place" in axes and "capital-spelling" in axes
