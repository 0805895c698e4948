"""Never lose a user's data (issue 9), the input and output side: every input a walk meets is read or
reported, names cannot forge report lines, a decompression cap, typed records, wide encodings, and
outputs (Markdown, CSV) that never render or run what an article carried.

Each test is one case of docs/reliability.md; each failed on the code before the fix.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.io.readers import Entry, expand, read_entry

runner = CliRunner()
BODY = "Kellogg said in Kyiv on Monday that officials are working very hard on a settlement.\n"


def invoke(*args: str, stdin: bytes | str | None = None):
    return runner.invoke(app, list(args), input=stdin, catch_exceptions=False)


def summary(result) -> str:
    return result.stderr.rstrip().splitlines()[-1]


# --- 1. Every input a folder walk meets is read or reported -------------------------------------------


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    bound = socket.socket(socket.AF_UNIX)
    bound.bind(str(path))
    bound.close()  # the socket file stays


def _device_link(path: Path) -> None:
    path.symlink_to("/dev/null")


def _self_loop(path: Path) -> None:
    path.symlink_to(path.name)


def _dangling(path: Path) -> None:
    path.symlink_to("gone.txt")


def _folder_link(path: Path) -> None:
    elsewhere = path.parent.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "hidden-story.txt").write_text(BODY)
    path.symlink_to(elsewhere)


def _unreadable_folder(path: Path) -> None:
    path.mkdir()
    (path / "inside.txt").write_text(BODY)
    path.chmod(0)


# name, how to make it, the line reported, skipped or failed
SPECIAL_ENTRIES = [
    ("pipe.txt", _fifo, "skipped: {}: a FIFO (named pipe), not a regular file", "skipped"),
    ("sock.txt", _socket, "skipped: {}: a socket, not a regular file", "skipped"),
    ("null.txt", _device_link, "skipped: {}: a device, not a regular file", "skipped"),
    ("loop.txt", _self_loop, "error: {}: a symbolic link loop (it points back at itself)", "failed"),
    ("dangling.txt", _dangling, "error: {}: a broken symbolic link (its target 'gone.txt' does not exist)", "failed"),
    ("linked", _folder_link, "skipped: {}: a link to a folder, not followed (name it as an argument)", "skipped"),
    ("locked", _unreadable_folder, "error: {}: cannot read folder: Permission denied", "failed"),
]


@pytest.fixture
def short_tmp():
    """A folder with a short path (a Unix socket's path is limited to about 100 bytes)."""
    with tempfile.TemporaryDirectory(prefix="rel") as folder:
        yield Path(folder)


@pytest.fixture
def unreadable(monkeypatch):
    """chmod 0 makes a folder unreadable, except to root: then os.scandir is made to refuse it as the kernel would."""
    real = os.scandir

    def scandir(path=".", *args):
        if os.path.isdir(path) and not os.stat(path).st_mode & 0o777 and os.geteuid() == 0:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path, *args)

    monkeypatch.setattr(os, "scandir", scandir)


@pytest.mark.parametrize(("name", "make", "line", "outcome"), SPECIAL_ENTRIES, ids=[e[0] for e in SPECIAL_ENTRIES])
def test_folder_walk_reports_what_it_does_not_read(short_tmp, unreadable, name, make, line, outcome):
    folder = short_tmp / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text(BODY)
    special = folder / name
    make(special)
    try:
        result = invoke("clean", str(folder))
    finally:
        if special.is_dir() and not special.is_symlink():
            special.chmod(0o755)
    assert line.format(special) in result.stderr.splitlines()
    assert BODY.strip() in result.stdout  # the rest of the folder was read
    assert summary(result).startswith("cleaner: 2 inputs: 1 document cleaned")
    assert f"1 {outcome}" in summary(result)
    assert result.exit_code == (1 if outcome == "failed" else 0)


def test_looping_link_beside_a_folder_manifest_is_reported(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "outlets.csv").write_text("path,outlet\ngood.txt,Kyiv Post\n")
    (folder / "good.txt").write_text(BODY)
    _self_loop(folder / "loop.txt")
    result = invoke("clean", "--format", "jsonl", str(folder))
    assert f"error: {folder}/loop.txt: a symbolic link loop (it points back at itself)" in result.stderr.splitlines()
    assert json.loads(result.stdout)["outlet"] == "Kyiv Post"
    assert result.exit_code == 1


def test_unreadable_folder_argument_is_an_error(tmp_path, unreadable):
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "story.txt").write_text(BODY)
    folder.chmod(0)
    try:
        result = invoke("clean", str(folder))
    finally:
        folder.chmod(0o755)
    assert f"error: {folder}: cannot read folder: Permission denied" in result.stderr.splitlines()
    assert summary(result).endswith("1 failed")
    assert result.exit_code == 1


def test_fifo_argument_without_writer_does_not_block(tmp_path):
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    good = tmp_path / "good.txt"
    good.write_text(BODY)
    command = [sys.executable, "-m", "cleaner", "clean", str(pipe), str(good)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("cleaner blocked on a FIFO nobody writes to")
    assert f"error: {pipe}: a FIFO (named pipe) with nothing written to it" in result.stderr.splitlines()
    assert BODY.strip() in result.stdout
    assert result.returncode == 1


def test_fifo_argument_with_writer_is_read(tmp_path):
    # What `cleaner clean <(zcat story.txt.gz)` hands over: a pipe with a writer.
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    command = [sys.executable, "-m", "cleaner", "clean", "--no-detect-lang", str(pipe)]
    reader = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with open(pipe, "w") as writer:  # opens once the reader has the pipe open
        writer.write(BODY + "Advertisement\n")
    out, err = reader.communicate(timeout=60)
    assert out == BODY, err
    assert reader.returncode == 0


FORGING_NAMES = [
    ("newline", "x\nerror: passwd: forged.png", "x\\nerror: passwd: forged.png"),
    ("escape-sequence", "\x1b[2J\x1b[31mred.png", "\\x1b[2J\\x1b[31mred.png"),
    ("carriage-return", "ok.png\rerror: forged.png", "ok.png\\rerror: forged.png"),
    ("bidi-override", "\u202egnp.txt.exe.png", "\\u202egnp.txt.exe.png"),
]


@pytest.mark.parametrize(("_", "name", "shown"), FORGING_NAMES, ids=[n[0] for n in FORGING_NAMES])
def test_names_cannot_forge_report_lines(tmp_path, _, name, shown):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / name).write_bytes(b"an image, not an article")  # skipped: reported with its name
    (folder / "good.txt").write_text(BODY)
    result = invoke("clean", str(folder))
    lines = result.stderr.splitlines()
    assert f"skipped: {folder}/{shown}: not an input type" in "\n".join(lines)
    assert not any(line.startswith("error:") for line in lines)
    assert "\x1b" not in result.stderr and "\r" not in result.stderr and "\u202e" not in result.stderr
    assert len(lines) == 2  # one skip, one summary


@pytest.mark.parametrize("output", ["text", "jsonl"])
def test_non_utf8_file_names_work(tmp_path, output):
    folder = tmp_path / "corpus"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9-story.txt")  # Latin-1 bytes, not UTF-8
    (folder / name).write_text(BODY + "Advertisement\n")
    (folder / "other.txt").write_text(BODY)
    result = invoke("clean", "--format", output, "--no-detect-lang", str(folder))
    assert result.exit_code == 0, result.stderr
    assert "internal error" not in result.stderr
    if output == "text":
        assert f"==> {folder}/caf\\xe9-story.txt <==" in result.stdout
    else:
        records = [json.loads(line) for line in result.stdout.splitlines()]
        assert [r["source"] for r in records] == [f"{folder}/caf\\xe9-story.txt", f"{folder}/other.txt"]
        assert records[0]["id"] == "caf\\xe9-story"
        assert records[0]["removed"][0]["text"].strip() == "Advertisement"


@given(st.text())
def test_a_shown_name_is_one_printable_line(name):
    from cleaner.errors import display_path

    shown = display_path(name)
    assert shown.isprintable()  # no newline, carriage return, escape or bidi control
    assert display_path(shown) == shown


# --- 2. A cap on decompressed size --------------------------------------------------------------------


def test_gzip_bomb_is_stopped_at_the_cap_and_the_batch_goes_on(tmp_path):
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"A" * (3 << 20)))  # 3 KiB on disk, 3 MiB expanded
    good = tmp_path / "good.txt"
    good.write_text(BODY)
    result = invoke("clean", "--max-input-size", "1M", str(bomb), str(good))
    line = f"error: {bomb}: input larger than 1 MiB once decompressed (the --max-input-size limit); not read"
    assert line in result.stderr.splitlines()
    assert result.stdout.endswith(BODY)
    assert result.exit_code == 1


def test_jsonl_line_over_the_cap_is_reported_and_the_rest_read(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": BODY}),
        json.dumps({"id": "huge", "text": "x" * (2 << 20)}),  # one line longer than the cap and than a block
        json.dumps({"id": "b", "text": BODY}),
    ]
    path = tmp_path / "feed.jsonl.gz"
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    result = invoke("clean", "--format", "jsonl", "--max-input-size", "1M", str(path))
    assert f"error: {path}:2: line larger than 1 MiB once decompressed" in result.stderr
    assert [json.loads(r)["id"] for r in result.stdout.splitlines()] == ["a", "b"]
    assert result.exit_code == 1


def test_standard_input_over_the_cap_is_reported():
    result = invoke("clean", "--max-input-size", "64K", "-", stdin=gzip.compress(b"B" * (1 << 20)))
    assert "error: <stdin>: input larger than 64 KiB once decompressed" in result.stderr
    assert result.exit_code == 1


def test_the_cap_has_a_generous_default_and_reads_sizes():
    from cleaner.io.readers import parse_size

    (entry,) = expand(["-"])
    assert entry.max_size == parse_size("256M") == 256 << 20
    assert parse_size("1G") == parse_size("1 GiB") == 1 << 30
    assert parse_size("1500") == 1500
    result = invoke("clean", "--max-input-size", "lots", "-", stdin=BODY)
    assert "not a size: 'lots'" in result.stderr
    assert result.exit_code == 2


def test_cap_applies_to_a_library_read(tmp_path):
    path = tmp_path / "story.html.gz"
    path.write_bytes(gzip.compress(b"<p>" + b"word " * 100_000 + b"</p>"))
    (result,) = read_entry(Entry(path, str(path), max_size=10_000))
    assert "larger than 10000 bytes once decompressed" in str(result)


# --- 3. Typed records and wide encodings --------------------------------------------------------------

NON_STRING_TEXT = [
    ('{"id": "n", "text": 123}', "field 'text' must be a string"),
    ('{"id": "t", "text": true}', "field 'text' must be a string"),
    ('{"id": "h", "html": 42}', "field 'html' must be a string"),
]


@pytest.mark.parametrize(("line", "message"), NON_STRING_TEXT, ids=["int", "bool", "html-int"])
def test_non_string_text_is_a_located_error(tmp_path, line, message):
    good = json.dumps({"id": 7, "text": BODY})  # a numeric id is fine: ids often are numbers
    path = tmp_path / "feed.jsonl"
    path.write_text(f"{good}\n{line}\n")
    result = invoke("clean", "--format", "jsonl", str(path))
    assert f"error: {path}:2: {message}" in result.stderr.splitlines()
    assert [json.loads(r)["id"] for r in result.stdout.splitlines()] == ["7"]
    assert result.exit_code == 1


def test_integer_parquet_text_column_is_a_located_error(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "numbers.parquet"
    pq.write_table(pa.table({"id": ["a", "b"], "text": [123, 456]}), path)
    result = invoke("clean", "--format", "jsonl", str(path))
    assert f"error: {path}: row 1: field 'text' must be a string" in result.stderr.splitlines()
    assert f"error: {path}: row 2: field 'text' must be a string" in result.stderr.splitlines()
    assert result.stdout == ""
    assert result.exit_code == 1


WIDE = ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]
BOMS = {
    "utf-16-le": b"\xff\xfe",
    "utf-16-be": b"\xfe\xff",
    "utf-32-le": b"\xff\xfe\x00\x00",
    "utf-32-be": b"\x00\x00\xfe\xff",
}


@pytest.mark.parametrize("encoding", WIDE)
def test_utf16_and_utf32_with_a_bom_are_decoded(tmp_path, encoding):
    text = "Kyiv — «talks» stalled.\r\nAdvertisement\r\n" + BODY
    path = tmp_path / "windows.txt"
    path.write_bytes(BOMS[encoding] + text.encode(encoding))
    result = invoke("clean", "--format", "jsonl", str(path))
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["text"] == "Kyiv — «talks» stalled.\n" + BODY
    assert record["removed"][0]["text"] == "Advertisement\n"


def test_utf16_html_with_a_bom_is_decoded(tmp_path):
    page = (
        "<html><body><article><p>"
        + BODY * 3
        + "</p><p>Ещё один абзац о переговорах в Киеве.</p></article></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_bytes(b"\xff\xfe" + page.encode("utf-16-le"))
    result = invoke("clean", "--format", "jsonl", str(path))
    assert result.exit_code == 0, result.stderr
    assert "Ещё один абзац" in json.loads(result.stdout)["text"]


def test_utf16_jsonl_is_named_not_called_binary(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b"\xff\xfe" + (json.dumps({"id": "a", "text": BODY}) + "\n").encode("utf-16-le"))
    result = invoke("clean", "--format", "jsonl", str(path))
    assert f"error: {path}: UTF-16 text: JSONL must be UTF-8 (iconv -t UTF-8 converts it)" in result.stderr
    assert result.exit_code == 1


# --- 4. Outputs escape what they did not write --------------------------------------------------------

PAYLOAD = '<img src=x onerror="alert(1)">'
SHARED = (
    "Officials said the <script>alert(document.cookie)</script> talks in Geneva had stalled on Monday evening. "
    "Ukrainian President Volodymyr Zelensky met Russia's Vladimir Putin [click](javascript:alert(1)) in Geneva.\n"
)


@pytest.fixture
def hostile_feed(tmp_path) -> Path:
    """Two outlets whose names and shared text carry HTML, a link and a spreadsheet formula."""
    records = [
        {"id": "one", "text": SHARED + BODY, "outlet": PAYLOAD, "title": "<b>T</b>"},
        {"id": "two", "text": SHARED + "Kyiv said more talks were planned.\n", "outlet": '=HYPERLINK("http://x.test")'},
    ]
    path = tmp_path / "hostile.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def _assert_inert_markdown(text: str) -> None:
    tags = {m[1] for m in re.finditer(r"(?<!\\)</?(\w+)", text)}
    assert tags <= {"sup", "details", "summary"}  # only the tags the report writes itself
    assert not re.search(r"(?<!\\)\]\(javascript:", text)  # no live link
    assert "\\<script\\>" in text or "\\<img" in text  # shown as text, not dropped


MARKDOWN_COMMANDS = [
    ("review-markdown", ["review", "--format", "markdown"]),
    ("annotate-markdown", ["annotate", "--format", "markdown"]),
    ("compare-github", ["compare", "--format", "github"]),
    ("compare-pipe", ["compare", "--format", "pipe"]),
]


@pytest.mark.parametrize("command", [c[1] for c in MARKDOWN_COMMANDS], ids=[c[0] for c in MARKDOWN_COMMANDS])
def test_markdown_outputs_escape_input_text(hostile_feed, command):
    result = invoke(*command, "--no-detect-lang", str(hostile_feed))
    assert result.exit_code == 0, result.stderr
    _assert_inert_markdown(result.stdout)
    tables, rows = [], []
    for line in [*result.stdout.splitlines(), ""]:  # a | in a name is escaped: every row keeps its columns
        if line.startswith("|"):
            rows.append(line.replace("\\|", "").count("|"))
        elif rows:
            tables.append(rows)
            rows = []
    assert tables
    assert all(len(set(counts)) == 1 for counts in tables)


@given(st.text())
def test_markdown_text_leaves_nothing_live(text):
    from cleaner.reports.render import markdown_text

    shown = markdown_text(text)
    for match in re.finditer(r"(\\*)[<\[|`*]", shown):  # each such mark follows an odd run of backslashes
        assert len(match[1]) % 2 == 1, shown
    assert shown.replace("\\", "") == text.replace("\\", "")  # nothing changed or dropped, backslashes added


def test_compare_unsafehtml_escapes_cells(hostile_feed):
    result = invoke("compare", "--format", "unsafehtml", "--no-detect-lang", str(hostile_feed))
    assert result.exit_code == 0, result.stderr
    assert "<img" not in result.stdout and "<script" not in result.stdout
    assert "&lt;img" in result.stdout


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(hostile_feed, fmt):
    result = invoke("compare", "--format", fmt, "--table", "entities,coverage", "--no-detect-lang", str(hostile_feed))
    assert result.exit_code == 0, result.stderr
    lines = [line.strip() for line in result.stdout.splitlines()]
    rows = csv.reader(io.StringIO(result.stdout)) if fmt == "csv" else (line.split("\t") for line in lines)
    cells = [cell.strip() for row in rows for cell in row]
    assert '\'=HYPERLINK("http://x.test")' in cells
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) and not cell[1:2].isdigit() for cell in cells)
    assert any(cell[:1] in "+-" and cell[1:2].isdigit() for cell in cells)  # scores stay numbers


def test_html_review_escapes_input_text(hostile_feed):
    result = invoke("review", "--no-detect-lang", str(hostile_feed))
    assert result.exit_code == 0, result.stderr
    assert "<img src=x" not in result.stdout and "<script>alert" not in result.stdout
    assert "&lt;script&gt;alert" in result.stdout
