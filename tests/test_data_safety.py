"""Issue 9: runs that never lose a user's data. Each test is a case that lost data or hung before.

Outputs that would overwrite inputs, folder outputs with colliding names, resumes that lie, rules that
hang, rules that fail their own examples, YAML alias bombs.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner import Document, clean, load_ruleset
from cleaner.errors import RulesetError, RuleTimeout, UsageError
from cleaner.io.sinks import Checkpoint
from cleaner.rulefiles.loader import load_rules
from cleaner.runs.corpus import run_corpus
from cleaner.runs.options import RunOptions
from helpers import SEEDS

SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
FAST = RunOptions(detect_lang=False)


def cleaner(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cleaner", *args], capture_output=True, text=True, timeout=300, **kwargs
    )


def records(path: Path, count: int, text: str | None = None) -> Path:
    lines = [json.dumps({"id": f"doc-{n}", "text": text or SEED_TEXTS[n % 5]}) for n in range(1, count + 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def rule_folder(tmp_path: Path, body: str, name: str = "user") -> Path:
    folder = tmp_path / name
    (folder / "boilerplate").mkdir(parents=True)
    (folder / "boilerplate" / "mine.yaml").write_text(body, encoding="utf-8")
    return folder


RUNAWAY = """rules:
  - id: runaway
    description: A line of a's; backtracks without end on a line of a's and one other character.
    category: teaser
    line: '(a|aa)+'
    examples:
      remove: ["aaaa"]
      keep: ["Talks resumed in Geneva."]
"""
# A line the runaway rule takes forever to reject. It starts and ends like the rule's matches (with an
# "a"): a line that could not (ending in "!") is ruled out by cleaning's line filter, never matched.
STUCK = "a" * 40 + "!a"


# --- outputs that would overwrite inputs -------------------------------------------------------


def test_out_naming_the_input_file_is_refused_and_the_input_kept(tmp_path):
    feed = records(tmp_path / "feed.jsonl", 20)
    before = feed.read_bytes()
    result = cleaner("clean", str(feed), "--out", str(feed), "--no-detect-lang")
    assert result.returncode == 2
    assert f"--out {feed} is the input {feed}" in result.stderr
    assert feed.read_bytes() == before


def test_out_folder_that_is_the_input_folder_is_refused(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(SEED_TEXTS[0], encoding="utf-8")
    result = cleaner("clean", str(corpus), "--out", str(corpus), "--no-detect-lang")
    assert result.returncode == 2 and "it would be overwritten while read" in result.stderr
    assert (corpus / "a.txt").read_text(encoding="utf-8") == SEED_TEXTS[0]


@pytest.mark.parametrize("where", ["inside", "symlink", "parent"])
def test_out_inside_holding_or_linked_to_an_input_is_refused(tmp_path, where):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    feed = records(corpus / "feed.jsonl", 5)
    if where == "inside":
        out = corpus / "cleaned.jsonl"
    elif where == "symlink":
        out = tmp_path / "link.jsonl"
        out.symlink_to(feed)
    else:
        out = tmp_path  # a folder output that holds the input folder
    with pytest.raises(UsageError, match="choose an output outside the inputs"):
        run_corpus([str(corpus)], out, options=FAST, workers=1)
    assert feed.read_text(encoding="utf-8").count("\n") == 5


def test_review_output_over_an_input_is_refused(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(SEED_TEXTS[1], encoding="utf-8")
    result = cleaner("review", str(article), "--output", str(article), "--no-detect-lang")
    assert result.returncode == 2
    assert article.read_text(encoding="utf-8") == SEED_TEXTS[1]


# --- --out DIR name collisions -----------------------------------------------------------------


def test_inputs_that_would_share_an_output_file_are_refused_by_name(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "story.txt").write_text(SEED_TEXTS[0], encoding="utf-8")
    (corpus / "story.html").write_text(f"<html><body><p>{SEED_TEXTS[1]}</p></body></html>", encoding="utf-8")
    result = cleaner("clean", str(corpus), "--out", str(tmp_path / "out"), "--no-detect-lang")
    assert result.returncode == 2
    assert "story.html and " in result.stderr and "story.txt would both be written to" in result.stderr
    assert not (tmp_path / "out").exists()  # refused before anything was written


def test_same_names_in_two_folders_given_as_files_are_refused(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(SEED_TEXTS[2], encoding="utf-8")
    with pytest.raises(UsageError, match=r"a/x.txt and .*b/x.txt would both be written"):
        run_corpus([str(tmp_path / "a" / "x.txt"), str(tmp_path / "b" / "x.txt")], tmp_path / "out", options=FAST)


def test_a_version_suffix_is_part_of_the_output_name(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "story.txt").write_text(SEED_TEXTS[0], encoding="utf-8")
    (corpus / "story.v2.txt").write_text(SEED_TEXTS[3], encoding="utf-8")
    report = run_corpus([str(corpus)], tmp_path / "out", options=FAST, workers=1)
    assert report.counts.cleaned == 2
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["story.txt", "story.v2.txt"]
    assert (tmp_path / "out" / "story.v2.txt").read_text(encoding="utf-8") != ""


# --- resumes that never lie --------------------------------------------------------------------


def test_a_run_killed_before_its_first_checkpoint_resumes_everything(tmp_path):
    feed = records(tmp_path / "feed.jsonl", 40)
    reference = tmp_path / "reference.jsonl"
    run_corpus([str(feed)], reference, options=FAST, workers=1)
    out = tmp_path / "out.jsonl"
    # What a run leaves when killed right after it started: its checkpoint (written first), an empty output.
    run = run_corpus([str(feed)], out, options=FAST, workers=1, stop=lambda: True)
    assert run.interrupted and out.read_bytes() == b""
    assert out.with_name("out.jsonl.progress").exists()
    resumed = run_corpus([str(feed)], out, options=FAST, workers=1, resume=True)
    assert not resumed.already_complete
    assert out.read_bytes() == reference.read_bytes()


def test_the_checkpoint_exists_before_the_output(tmp_path):
    out = tmp_path / "deep" / "out.jsonl"
    checkpoint = Checkpoint.begin(out, "digest", resume=False)
    assert checkpoint is not None and checkpoint.path.exists() and not out.exists()
    assert json.loads(checkpoint.path.read_text())["items"] == 0


def test_resume_refuses_an_input_edited_to_the_same_size(tmp_path):
    feed = records(tmp_path / "feed.jsonl", 30)
    out = tmp_path / "out.jsonl"
    run_corpus([str(feed)], out, options=FAST, workers=1, stop=lambda: True)
    feed.write_text(feed.read_text(encoding="utf-8").replace("Putin", "Nitup"), encoding="utf-8")
    with pytest.raises(UsageError, match="differ from the interrupted run's"):
        run_corpus([str(feed)], out, options=FAST, workers=1, resume=True)


def test_resume_refuses_edited_rules(tmp_path):
    feed = records(tmp_path / "feed.jsonl", 30)
    folder = rule_folder(tmp_path, RUNAWAY.replace("(a|aa)+", "a+"))
    options = RunOptions(detect_lang=False, rules=(str(folder),))
    out = tmp_path / "out.jsonl"
    run_corpus([str(feed)], out, options=options, workers=1, stop=lambda: True)
    path = folder / "boilerplate" / "mine.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("A line of a's", "Lines of a's"), encoding="utf-8")
    with pytest.raises(UsageError, match="differ from the interrupted run's"):
        run_corpus([str(feed)], out, options=options, workers=1, resume=True)


# --- rules that cannot hang a run --------------------------------------------------------------


def test_a_runaway_rule_is_stopped_the_document_kept_and_named(tmp_path):
    folder = rule_folder(tmp_path, RUNAWAY)
    ruleset = load_ruleset([folder])
    text = "Talks resumed.\n" + STUCK + "\nThe end."
    with pytest.raises(RuleTimeout, match=r"rule 'mine\.runaway' ran past the 0\.3 s budget"):
        clean(text, ruleset=ruleset, seconds=0.3)
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"id": "ok-1", "text": SEED_TEXTS[0]}) + "\n" + json.dumps({"id": "stuck", "text": text}) + "\n"
        + json.dumps({"id": "ok-2", "text": "aaaa\nTalks resumed in Geneva."}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    options = RunOptions(detect_lang=False, rules=(str(folder),), doc_seconds=0.3)
    lines: list[str] = []
    out = tmp_path / "out.jsonl"
    started = time.monotonic()
    report = run_corpus([str(feed)], out, options=options, workers=1, on_problem=lines.append)
    assert time.monotonic() - started < 60
    assert report.counts.cleaned == 3 and report.counts.warned == 1 and not report.ok
    assert lines == [f"warning: {feed}:2: rule 'mine.runaway' ran past the 0.3 s budget for one document: "
                     "document kept unchanged"]  # fmt: skip
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in written] == ["ok-1", "stuck", "ok-2"]
    assert written[1]["text"] == text and written[1]["removed"] == [] and written[1]["warnings"]
    assert written[2]["text"] == "Talks resumed in Geneva."  # the rule still works where it does not run away


def test_the_cli_reports_a_runaway_rule_and_exits_1(tmp_path):
    folder = rule_folder(tmp_path, RUNAWAY)
    article = tmp_path / "a.txt"
    article.write_text("Talks resumed.\n" + STUCK + "\n", encoding="utf-8")
    result = cleaner("clean", str(article), "--rules", str(folder), "--no-detect-lang")
    assert result.returncode == 1
    assert "rule 'mine.runaway' ran past the 5 s budget" in result.stderr
    assert result.stderr.rstrip().endswith("0 failed, 1 with a warning")
    assert result.stdout.startswith("Talks resumed.\n" + "a" * 40)


def test_rules_check_reports_a_runaway_example_instead_of_hanging(tmp_path):
    folder = rule_folder(tmp_path, RUNAWAY.replace('keep: ["Talks', 'keep: ["' + STUCK + '", "Talks'))
    result = cleaner("rules", "check", str(folder))
    assert result.returncode == 1
    assert "rule 'mine.runaway': keep example 0: rule 'mine.runaway' ran past" in result.stderr


def test_sigterm_stops_a_run_within_seconds_while_workers_are_stuck(tmp_path):
    folder = rule_folder(tmp_path, RUNAWAY)
    stuck = "Talks resumed.\n" + STUCK + "\n"
    lines = [json.dumps({"id": f"doc-{n}", "text": stuck}) + "\n" for n in range(400)]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(lines), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-m", "cleaner", "clean", str(feed), "--out", str(out), "--rules", str(folder),
         "--workers", "2", "--no-detect-lang", "-q"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(3)  # the workers are inside documents that would take 5 s each
    assert process.poll() is None
    sent = time.monotonic()
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert time.monotonic() - sent < 3
    assert process.returncode == 130 and "continue with --resume" in stderr
    assert json.loads(out.with_name("out.jsonl.progress").read_text())["items"] == 0


# --- rules that fail their own examples, YAML aliases ------------------------------------------


@pytest.mark.parametrize("command", ["clean", "annotate", "compare", "review"])
def test_a_user_rule_failing_its_own_examples_is_refused_at_load(tmp_path, command):
    folder = rule_folder(tmp_path, RUNAWAY.replace("(a|aa)+", ".*"))
    result = cleaner(command, str(SEEDS), "--rules", str(folder), "--no-detect-lang")
    assert result.returncode == 1
    assert "rule 'mine.runaway': keep example 0 lost 'Talks resumed in Geneva.'" in result.stderr
    assert "failing examples; no rules loaded" in result.stderr
    assert result.stdout == ""


def test_shipped_examples_are_not_rerun_at_load(tmp_path):
    folder = rule_folder(tmp_path, RUNAWAY.replace("(a|aa)+", "a+"))
    ruleset, annotator = load_rules([folder])
    assert annotator is not None and any(r.id == "mine.runaway" for r in ruleset.rules)


@pytest.mark.parametrize(
    "body",
    [
        "rules: &a [*a]\n",
        'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
        "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nrules: *g\n",
    ],
    ids=["cycle", "billion-laughs"],
)
def test_yaml_aliases_are_refused_with_their_line(tmp_path, body):
    folder = rule_folder(tmp_path, body)
    started = time.monotonic()
    with pytest.raises(RulesetError) as caught:
        load_ruleset([folder])
    assert time.monotonic() - started < 5
    (problem,) = caught.value.problems
    assert problem.line in (1, 2) and "aliases (*a) are not allowed in rule files" in problem.message
    result = cleaner("rules", "check", str(folder))
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_documents_are_cleaned_as_before_under_the_budget():
    # The budget changes nothing for ordinary text: same result with and without it.
    doc = Document(text=SEED_TEXTS[1], lang="en")
    assert clean(doc, seconds=5.0) == clean(doc, seconds=None)
