"""Reading inputs: every supported form, and a table of bad inputs with their one-line errors."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app
from helpers import SEEDS, seed_path, seed_text

runner = CliRunner()
BODY = "Kellogg said in Kyiv on Monday that officials are working very hard on a settlement.\n"


def invoke(*args: str, stdin: bytes | str | None = None):
    return runner.invoke(app, list(args), input=stdin, catch_exceptions=False)


def make(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


BAD_FILES = [
    (
        "undecodable.txt",
        b"Kyiv said \xff\xfe that\nsecond line",
        "undecodable.txt:1: not valid UTF-8 (byte 0xff at offset 10)",
    ),
    (
        "late-bad-byte.txt",
        b"line one\nline two \xc3(\n",
        "late-bad-byte.txt:2: not valid UTF-8 (byte 0xc3 at offset 18)",
    ),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary.txt: binary file (NUL bytes), not text"),
    ("empty.txt", b"", "empty.txt: empty file (no text)"),
    ("blank.txt", b"  \n\n\t\n", "blank.txt: empty file (no text)"),
    ("broken.txt.gz", b"\x1f\x8b\x08\x00not really gzip", "broken.txt.gz: cannot read:"),
    ("nothing.html", b"<html><body></body></html>", "nothing.html: no article text found in the HTML"),
    ("empty.jsonl", b"\n\n", "empty.jsonl: empty file (no records)"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_reported_and_batch_goes_on(tmp_path, name, data, message):
    bad = make(tmp_path, name, data)
    good = make(tmp_path, "good.txt", BODY.encode())
    result = invoke("clean", str(bad), str(good))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1
    assert errors[0].startswith(f"error: {tmp_path / message}" if not message.startswith("/") else message)
    assert BODY.strip() in result.stdout  # the good file was still cleaned
    assert "1 documents cleaned" in result.stderr or "1 document cleaned" in result.stderr
    assert result.stderr.rstrip().endswith("1 failed")


BAD_RECORDS = [
    ('{"id": "a", "text": "ok"', "malformed JSON (Expecting ',' delimiter at column 25)"),
    ('["not", "an", "object"]', "a record must be a JSON object, not list"),
    ('{"id": "b", "url": "https://example.com/x"}', "record has neither 'text' nor 'html'"),
    ('{"id": "c", "text": "   "}', "record 'text' is empty"),
    ('{"id": "d", "text": {"nested": 1}}', "field 'text' must be a string"),
    (
        '{"id": "e", "text": "Harbour \\ud800 reopened."}',
        "field 'text' holds an unpaired surrogate (\\ud800 at character 8), which is not a character: "
        "the program that wrote the JSON split a pair",
    ),
    (
        '{"id": "f", "html": "<html><head>\\uDFFF</head><body><p>Harbour reopened.</p></body></html>"}',
        "field 'html' holds an unpaired surrogate (\\udfff at character 12), which is not a character: "
        "the program that wrote the JSON split a pair",
    ),
]


@pytest.mark.parametrize(("line", "message"), BAD_RECORDS, ids=[m.split(" (")[0] for _, m in BAD_RECORDS])
def test_bad_jsonl_record_names_file_and_line(tmp_path, line, message):
    good = json.dumps({"id": "ok-1", "text": BODY})
    path = make(tmp_path, "batch.jsonl", f"{good}\n{line}\n{good.replace('ok-1', 'ok-2')}\n".encode())
    result = invoke("clean", "--format", "jsonl", str(path))
    assert result.exit_code == 1
    assert f"error: {path}:2: {message}" in result.stderr.splitlines()
    ids = [json.loads(row)["id"] for row in result.stdout.splitlines()]
    assert ids == ["ok-1", "ok-2"]  # the records around the bad one are kept, in order


def test_a_surrogate_pair_spelled_as_two_escapes_is_one_character(tmp_path):
    line = json.dumps({"id": "a", "text": BODY + " \U0001f30a"})  # json.dumps spells it "\\ud83c\\udf0a"
    assert "\\ud83c\\udf0a" in line
    path = make(tmp_path, "batch.jsonl", f"{line}\n".encode())
    result = invoke("clean", "--format", "jsonl", str(path))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["text"].endswith("\U0001f30a")


def test_undecodable_jsonl_line(tmp_path):
    path = make(tmp_path, "batch.jsonl", b'{"id": "a", "text": "fine"}\n{"id": "b", "text": "\xff"}\n')
    result = invoke("clean", "--format", "jsonl", str(path))
    assert f"error: {path}:2: not valid UTF-8 (byte 0xff at offset 21)" in result.stderr.splitlines()
    assert result.exit_code == 1


def test_missing_and_unreadable_paths(tmp_path):
    missing = tmp_path / "missing.txt"
    locked = make(tmp_path, "locked.txt", BODY.encode())
    locked.chmod(0)
    good = make(tmp_path, "good.txt", BODY.encode())
    try:
        result = invoke("clean", str(missing), str(locked), str(good))
    finally:
        locked.chmod(0o644)
    assert f"error: {missing}: no such file" in result.stderr
    if os.geteuid() != 0:  # root reads any file: the permission case only exists for other users
        assert f"error: {locked}: cannot read: Permission denied" in result.stderr
    assert BODY.strip() in result.stdout
    assert result.exit_code == 1


def test_fail_fast_stops_at_first_failure(tmp_path):
    bad = make(tmp_path, "a.txt", b"")
    good = make(tmp_path, "b.txt", BODY.encode())
    result = invoke("clean", "--fail-fast", str(bad), str(good))
    assert result.exit_code == 1
    assert BODY.strip() not in result.stdout
    assert "stopped at the first failure" in result.stderr


def test_bom_and_crlf_are_tolerated(tmp_path):
    path = make(tmp_path, "win.txt", "\ufeffFirst paragraph.\r\nAdvertisement\r\nSecond paragraph.\r\n".encode())
    result = invoke("clean", "--format", "jsonl", str(path))
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert record["text"] == "First paragraph.\nSecond paragraph.\n"
    assert record["removed"][0]["text"] == "Advertisement\n"


def test_gzip_inputs(tmp_path):
    text = make(tmp_path, "a.txt.gz", gzip.compress(seed_text("002").encode()))
    jsonl = make(tmp_path, "b.jsonl.gz", gzip.compress((json.dumps({"id": "r1", "text": BODY}) + "\n").encode()))
    result = invoke("clean", "--format", "jsonl", str(text), str(jsonl))
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["a", "r1"]
    assert records[0]["date"] == "2025-08-26"


HTML = """<html><head><title>Talks stall</title>
<meta property="og:site_name" content="The Moscow Times">
<link rel="canonical" href="https://www.themoscowtimes.com/2025/08/26/talks-stall">
<meta property="article:published_time" content="2025-08-26T10:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Talks stall</h1>
<p>U.S. President Donald Trump said Monday that he has spoken again with Russia's Vladimir Putin following
last week's talks in Washington with Ukrainian President Volodymyr Zelensky and European leaders.</p>
<p>Advertisement</p>
<p>Italian Foreign Minister Antonio Tajani reiterated calls for binding security guarantees for Kyiv and said
Italy was prepared to contribute to demining efforts on land and sea.</p>
<p>AFP contributed reporting.</p></article>
<div class="comments"><p>Great article, thanks!</p></div>
<footer>© 2025 The Moscow Times. All rights reserved.</footer></body></html>"""


def test_html_main_text_and_metadata(tmp_path):
    path = make(tmp_path, "page.html", HTML.encode())
    result = invoke("clean", "--format", "jsonl", str(path))
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["title"] == "Talks stall"
    assert record["date"] == "2025-08-26"
    assert record["outlet"] == "The Moscow Times"
    assert "Tajani reiterated" in record["text"]
    assert "Home" not in record["text"] and "Great article" not in record["text"]  # nav and comments
    assert {r["rule"] for r in record["removed"]} >= {"notices.advertisement-marker", "credits.contributed-reporting"}
    assert "Advertisement" not in record["text"]


def test_jsonl_html_record_and_metadata_fields(tmp_path):
    rows = [
        {"id": "h1", "html": HTML, "outlet": "Custom Outlet"},
        {"id": "t1", "text": BODY, "url": "https://www.themoscowtimes.com/x", "title": "T", "date": "2025-01-02"},
    ]
    path = make(tmp_path, "mixed.jsonl", "\n".join(json.dumps(r) for r in rows).encode())
    result = invoke("clean", "--format", "jsonl", str(path))
    assert result.exit_code == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert (first["id"], first["outlet"], first["source"]) == ("h1", "Custom Outlet", f"{path}:1")
    assert "Tajani reiterated" in first["text"]
    assert (second["outlet"], second["title"], second["date"]) == ("The Moscow Times", "T", "2025-01-02")


@pytest.mark.parametrize(
    ("data", "expected_id"),
    [
        (BODY + "Advertisement\n", "stdin"),
        (json.dumps({"id": "from-pipe", "text": BODY + "Advertisement"}) + "\n", "from-pipe"),
        (HTML, "stdin"),
    ],
    ids=["text", "jsonl", "html"],
)
def test_standard_input_is_sniffed(data, expected_id):
    result = invoke("clean", "--format", "jsonl", "-", stdin=data)
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["id"] == expected_id
    assert "Advertisement" not in record["text"]


def test_gzip_on_standard_input():
    result = invoke("clean", "-", stdin=gzip.compress((BODY + "Share this article\n").encode()))
    assert result.stdout == BODY


def test_folder_is_read_recursively_in_sorted_order_with_skips_reported(tmp_path):
    (tmp_path / "b" / "deep").mkdir(parents=True)
    make(tmp_path, "b/deep/z.txt", b"Zeta paragraph.\n")
    make(tmp_path, "a.txt", b"Alpha paragraph.\n")
    make(tmp_path, "b/m.txt", b"Mu paragraph.\n")
    make(tmp_path, "b/notes.pdf", b"%PDF-1.4")
    result = invoke("clean", str(tmp_path))
    assert result.exit_code == 0
    order = [line for line in result.stdout.splitlines() if not line.startswith("==>")]
    assert order == ["Alpha paragraph.", "Zeta paragraph.", "Mu paragraph."]  # sorted by path: b/deep/ < b/m
    assert f"skipped: {tmp_path / 'b' / 'notes.pdf'}: skipped: not an input type" not in result.stderr
    assert f"skipped: {tmp_path / 'b' / 'notes.pdf'}: not an input type" in result.stderr
    assert "1 skipped" in result.stderr


def test_seed_folder_gets_outlets_from_its_manifest():
    result = invoke("clean", "--format", "jsonl", "--no-detect-lang", str(SEEDS))
    assert result.exit_code == 0, result.stderr
    outlets = {json.loads(line)["id"]: json.loads(line)["outlet"] for line in result.stdout.splitlines()}
    expected = {"000": "seed-000", "001": "The Moscow Times", "002": "seed-002", "003": "seed-003", "004": "seed-004"}
    assert outlets == {seed_path(prefix).stem: outlet for prefix, outlet in expected.items()}


def test_single_seed_file_gets_outlet_from_manifest_beside_it():
    result = invoke("clean", "--format", "jsonl", str(seed_path("002")))
    assert json.loads(result.stdout)["outlet"] == "seed-002"


def test_without_manifest_outlet_comes_only_from_what_the_text_proves(tmp_path):
    copies = [tmp_path / seed_path(p).name for p in ("001", "003")]
    for prefix, copy in zip(("001", "003"), copies, strict=True):
        copy.write_text(seed_text(prefix), encoding="utf-8")
    result = invoke("clean", "--format", "jsonl", *map(str, copies))
    outlets = [json.loads(line)["outlet"] for line in result.stdout.splitlines()]
    assert outlets == ["The Moscow Times", None]


def test_outlet_option_and_explicit_manifest(tmp_path):
    path = make(tmp_path, "x.txt", BODY.encode())
    manifest = make(tmp_path, "list.csv", b"path,outlet\nx.txt,Listed Outlet\n")
    by_manifest = invoke("clean", "--format", "jsonl", "--manifest", str(manifest), str(path))
    assert json.loads(by_manifest.stdout)["outlet"] == "Listed Outlet"
    forced = invoke("clean", "--format", "jsonl", "--manifest", str(manifest), "--outlet", "Forced", str(path))
    assert json.loads(forced.stdout)["outlet"] == "Forced"


def test_bad_manifest_names_file_and_line(tmp_path):
    path = make(tmp_path, "x.txt", BODY.encode())
    manifest = make(tmp_path, "list.csv", b"path,outlet\nx.txt,\n")
    result = invoke("clean", "--manifest", str(manifest), str(path))
    assert result.exit_code == 1
    assert f"cleaner: {manifest}:2: each row needs a path and an outlet" in result.stderr


PAGE = (
    "<html><head><title>Harbour</title></head><body><article><p>In Zürich the café by the lake reopened on "
    "Tuesday after the storm, the port authority said in a naïve statement.</p><p>Ferries will run again "
    "from Wednesday, the operator added — weather permitting.</p></article></body></html>"
)


def test_a_utf8_page_with_a_broken_byte_is_read_as_utf8_with_a_warning(tmp_path):
    """Not as a legacy encoding's guess, which would garble every other non-ASCII character, silently."""
    data = PAGE.encode("utf-8").replace(b"reopened", b"reopened \xed\xa0\x80", 1)  # a cut, invalid sequence
    page = make(tmp_path, "page.html", data)
    result = invoke("clean", "--format", "jsonl", str(page))
    record = json.loads(result.stdout)
    assert "In Zürich the café by the lake reopened \ufffd\ufffd\ufffd on Tuesday" in record["text"]
    assert "naïve" in record["text"] and "added — weather" in record["text"]
    cut = data.index(b"\xed")
    message = f"not valid UTF-8 at byte {cut} (3 broken bytes beside 4 valid non-ASCII characters)"
    assert record["warnings"] == [f"{message}: read as UTF-8, each broken byte replaced by U+FFFD"]
    assert f"warning: {page}: {message}" in result.stderr
    assert result.stderr.rstrip().endswith("0 failed, 1 with a warning")
    assert result.exit_code == 1


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8"])
def test_a_page_in_another_encoding_or_in_valid_utf8_is_read_as_before(tmp_path, encoding):
    page = make(tmp_path, "page.html", PAGE.replace(" —", ",").encode(encoding))
    result = invoke("clean", "--format", "jsonl", str(page))
    record = json.loads(result.stdout)
    # What trafilatura's guess makes of the page, as before (it reads this Windows-1252 as Windows-1250:
    # "naďve"); but no warning, and no U+FFFD.
    assert "In Zürich the café by the lake" in record["text"] and "\ufffd" not in record["text"]
    assert "warnings" not in record or not record["warnings"]
    assert result.exit_code == 0, result.stderr
