"""The command line: what users see and the exit codes they script against."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from cleaner.cli import app
from helpers import ROOT, SEEDS, seed_path, seed_text

runner = CliRunner()


def invoke(*args: str, stdin: str | None = None):
    return runner.invoke(app, list(args), input=stdin, catch_exceptions=False)


def test_single_input_prints_only_the_cleaned_text():
    result = invoke("clean", str(seed_path("002")))
    assert result.exit_code == 0
    assert result.stdout.startswith("\nTrump calls Putin") is False
    assert result.stdout.startswith("Trump calls Putin, says talks “good” but fumes at Kyiv strikes.\n")
    assert "==>" not in result.stdout
    assert "— Reuters" not in result.stdout
    assert (
        result.stderr.strip()
        == "cleaner: 1 input: 1 document cleaned (1 changed, 2 spans removed), 0 skipped, 0 failed"
    )


def test_jsonl_record_fields_and_offsets():
    result = invoke("clean", "--format", "jsonl", str(seed_path("002")))
    record = json.loads(result.stdout)
    assert list(record) == ["id", "source", "outlet", "lang", "title", "date", "text", "removed", "warnings"]
    original = seed_text("002")
    assert record["lang"] == "en"
    assert record["date"] == "2025-08-26"
    for removal in record["removed"]:
        assert list(removal) == ["rule", "category", "start", "end", "text"]
        assert original[removal["start"] : removal["end"]] == removal["text"]


def test_seeds_main_command_many_documents_with_headers():
    result = invoke("clean", str(SEEDS))
    assert result.exit_code == 0
    headers = [line for line in result.stdout.splitlines() if line.startswith("==> ")]
    assert headers == [f"==> {p} <==" for p in sorted(SEEDS.glob("*.txt"))]
    assert "5 documents cleaned (2 changed, 4 spans removed)" in result.stderr


def test_out_writes_one_file_per_input_mirroring_folders(tmp_path):
    out = tmp_path / "out"
    result = invoke("clean", "--out", str(out), str(SEEDS))
    assert result.exit_code == 0
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    assert written == sorted(p.stem + ".txt" for p in SEEDS.glob("*.txt"))
    assert "Remind me later." not in (out / (seed_path("001").stem + ".txt")).read_text()
    assert result.stdout == ""


def test_out_with_jsonl_input_writes_records(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a", "text": "Body.\nAdvertisement\nMore."}) + "\n")
    invoke("clean", "--out", str(tmp_path / "out"), str(source))
    record = json.loads((tmp_path / "out" / "in.jsonl").read_text())
    assert record["text"] == "Body.\nMore."


def test_explain_lists_each_removal_with_line_rule_and_description():
    result = invoke("explain", str(seed_path("001")))
    assert result.exit_code == 0
    out = result.stdout
    assert "(outlet: The Moscow Times, lang: en)  2 removals" in out
    assert "  line 11  credits.contributed-reporting  [credit-line]" in out
    assert "  line 12  moscowtimes.donation-appeal  [donation-appeal]" in out
    assert "    | AFP contributed reporting." in out
    assert "    why: Reader-donation appeal" in out


def test_lang_filter_reports_other_languages(tmp_path):
    german = tmp_path / "de.txt"
    german.write_text(
        "Der Bundeskanzler hat am Montag in Berlin erklärt, dass Deutschland die Ukraine weiterhin unterstützen werde."
    )
    result = invoke("clean", "--lang", "en", "--format", "jsonl", str(german), str(seed_path("000")))
    assert result.exit_code == 0
    assert [json.loads(line)["lang"] for line in result.stdout.splitlines()] == ["en"]
    assert f"skipped: {german}: language de not in --lang en" in result.stderr
    assert "1 skipped" in result.stderr


def test_no_detect_lang_leaves_lang_empty():
    result = invoke("clean", "--no-detect-lang", "--format", "jsonl", str(seed_path("000")))
    assert json.loads(result.stdout)["lang"] is None


def test_disable_on_the_command_line():
    result = invoke("clean", "--disable", "photo-caption", str(seed_path("002")))
    assert "— Reuters" in result.stdout
    assert "date 2025-08-26" not in result.stdout


LINK_LIST_PAGE = """<html><head><title>Storm floods the harbour</title></head><body><article>
<p>Heavy rain flooded the harbour town of Porthmoor on Monday, and the council opened two shelters for residents.</p>
<p>The river rose by two metres overnight, the mayor told reporters at the town hall on Monday afternoon.</p>
<p>Engineers will inspect the sea wall on Tuesday, the council said in a statement issued late on Monday.</p>
<ul>
<li><h3><a href="/2025/ferry-sinks">Ferry sinks off the north coast</a></h3><p>All twelve passengers were rescued.</p></li>
<li><h3><a href="/2025/bridge-closed">Old bridge closed after cracks found</a></h3><p>Engineers closed the crossing.</p></li>
<li><h3><a href="/2025/school-reopens">Village school reopens after the floods</a></h3><p>Pupils returned on Monday.</p></li>
</ul></article></body></html>"""


def test_disable_reaches_the_structure_rules_at_extraction(tmp_path):
    # Structure rules run while the HTML is read, before cleaning: --disable must reach them there too,
    # for an .html file and for a record's html field (read in the worker processes).
    page = tmp_path / "storm.html"
    page.write_text(LINK_LIST_PAGE)
    records = tmp_path / "storm.jsonl"
    records.write_text(json.dumps({"id": "storm", "html": LINK_LIST_PAGE}) + "\n")
    for source in (page, records):
        assert "Ferry sinks off the north coast" not in invoke("clean", str(source)).stdout
        for disabled in ("structure.link-list", "read-more-teaser"):
            result = invoke("clean", "--disable", disabled, str(source))
            assert result.exit_code == 0
            assert "Ferry sinks off the north coast" in result.stdout


def test_disable_unknown_rule_is_a_usage_error():
    result = invoke("clean", "--disable", "no-such-rule", str(seed_path("002")))
    assert result.exit_code == 2
    assert "cleaner: --disable: no rule or category 'no-such-rule'" in result.stderr


def test_bad_user_rules_exit_1_with_located_messages(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "mine" / "boilerplate"
    folder.mkdir(parents=True)
    (folder / "extra.yaml").write_text("rules:\n  - id: x\n    description: d\n    category: c\n    line: '('\n")
    result = invoke("clean", "--rules", "mine", str(seed_path("000")))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("mine/boilerplate/extra.yaml:5: rule 'extra.x': bad regex in 'line'")
    assert lines[-1] == "2 errors in 1 file; no rules loaded."
    assert result.stdout == ""


def test_rules_check_ok_and_failing(tmp_path):
    ok = invoke("rules", "check")
    assert ok.exit_code == 0
    assert ok.stdout.startswith("ok: ") and "examples pass" in ok.stdout
    folder = tmp_path / "mine" / "boilerplate"
    folder.mkdir(parents=True)
    # A rule whose own keep example it removes: the check runs examples, not just the schema.
    (folder / "greedy.yaml").write_text(
        "rules:\n  - id: any-short-line\n    description: d\n    category: c\n    line: '.{1,40}'\n"
        "    examples:\n      remove: [Advertisement]\n      keep: [Norway pledged air defense.]\n"
    )
    bad = invoke("rules", "check", str(tmp_path / "mine"))
    assert bad.exit_code == 1
    assert "rule 'greedy.any-short-line': keep example 0 lost 'Norway pledged air defense.'" in bad.stderr


def test_rules_list_shows_every_rule_with_scope():
    result = invoke("rules", "list", "--format", "plain")
    assert result.exit_code == 0
    rows = {line.split()[0]: line for line in result.stdout.split("\n\n")[0].splitlines()[1:]}
    assert "moscowtimes.donation-appeal" in rows
    assert "The Moscow Times" in rows["moscowtimes.donation-appeal"]
    assert "bottom 15" in rows["moscowtimes.donation-appeal"]
    shipped = {p.stem for p in (ROOT / "rules" / "boilerplate").glob("*.yaml")}
    assert {rule.split(".")[0] for rule in rows} == shipped


def test_rules_list_shows_framing_variants_and_entities_with_their_file_and_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "mine" / "framing"
    folder.mkdir(parents=True)
    (folder / "health.yaml").write_text(
        "axes:\n  - id: health-law\n    description: d\n    provenance: p\n    variants:\n"
        "      - {id: aca, label: ACA, terms: [Affordable Care Act], examples: {match: [the Affordable Care Act]}}\n"
        "      - {id: obamacare, label: Obamacare, terms: [Obamacare], examples: {match: [repeal Obamacare]}}\n"
    )
    result = invoke("rules", "list", "--rules", "mine", "--format", "plain")
    assert result.exit_code == 0
    _, framing, entities = result.stdout.split("\n\n")
    variants = {line.split()[0]: line.split()[-1] for line in framing.splitlines()[1:]}
    assert variants["health-law.obamacare"] == "mine/framing/health.yaml:7"
    assert variants["capital-spelling.kiev"].endswith("rules/framing/names.yaml:16")
    people = {line.split("  ")[0]: line.split()[-1] for line in entities.splitlines()[1:]}
    assert re.fullmatch(r".*rules/entities\.yaml:\d+", people["Vladimir Putin"])


def test_rules_check_reports_a_term_two_variants_share(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "mine" / "framing"
    folder.mkdir(parents=True)
    (folder / "health.yaml").write_text(
        "axes:\n  - id: health-law\n    description: d\n    provenance: p\n    variants:\n"
        "      - {id: aca, label: ACA, terms: [health care law], examples: {match: [the health care law]}}\n"
        "      - {id: other, label: x, terms: [health-care law], examples: {match: [a health-care law]}}\n"
    )
    result = invoke("rules", "check", "mine")
    assert result.exit_code == 1
    assert (
        "mine/framing/health.yaml:7: framing 'health-law.other': term 'health-care law' is the same term as "
        "'health care law' of health-law.aca (mine/framing/health.yaml:6), which comes first and always wins"
    ) in result.stderr.splitlines()
    # Its match example fails too: the earlier variant takes the words.
    assert result.stderr.splitlines()[-1] == "2 problems."


def test_usage_errors_exit_2():
    assert invoke("clean", "--format", "xml", str(seed_path("000"))).exit_code == 2
    assert invoke("clean", "--input-format", "pdf", str(seed_path("000"))).exit_code == 2
    assert invoke("clean").exit_code == 2


def test_version():
    from cleaner.annotation import compiled

    result = invoke("--version")
    assert result.stdout.startswith("cleaner ")
    # Says whether annotation runs compiled: a speed figure means little without it.
    assert ("compiled with mypyc" in result.stdout) is compiled()
    assert ("pure Python" in result.stdout) is not compiled()


def test_python_api_example_from_readme():
    from cleaner import Document, clean

    doc = clean("Talks resumed in Geneva.\nAdvertisement\nShare this article")
    assert doc.text == "Talks resumed in Geneva.\n"
    assert [r.rule for r in doc.removed] == ["notices.advertisement-marker", "prompts.share-prompt"]
    assert doc.original == "Talks resumed in Geneva.\nAdvertisement\nShare this article"
    assert isinstance(doc, Document)


def test_cli_module_is_the_only_printer():
    # The library never prints: no print( or echo outside cli.py.
    package = ROOT / "cleaner"
    offenders = [
        p.name
        for p in package.glob("*.py")
        if p.name != "cli.py" and ("print(" in p.read_text() or "echo(" in p.read_text())
    ]
    assert offenders == []


def test_shipped_rules_dir_is_found(tmp_path):
    from cleaner.boilerplate.ruleset import shipped_rules_dir

    assert (shipped_rules_dir() / "boilerplate" / "moscowtimes.yaml").is_file()
    assert Path(shipped_rules_dir()).is_dir()
