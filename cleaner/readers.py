"""Read inputs into documents: text, HTML, JSONL, gzip of any of these, folders and standard input.

Readers yield an InputError value for a bad file or record instead of raising, so one bad record
never stops a batch; the caller decides whether to go on (`--fail-fast`).
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .document import Document
from .errors import InputError

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
FORMATS = ("text", "html", "jsonl")
SNIFF_BYTES = 8192
RECORD_FIELDS = ("id", "text", "html", "url", "outlet", "title", "date")


@dataclass(frozen=True)
class Entry:
    """One input to read: a file (or standard input when `path` is None), or one to skip and why."""

    path: Path | None
    display: str
    root: Path | None = None  # the folder argument it was found under, for --out and manifests
    skip: str | None = None


def expand(paths: list[str]) -> list[Entry]:
    """The files behind the arguments: folders walked recursively in sorted order, '-' is stdin."""
    entries: list[Entry] = []
    for arg in paths:
        if arg == "-":
            entries.append(Entry(None, "<stdin>"))
            continue
        path = Path(arg)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                if file.name.startswith("."):
                    continue
                kind = format_of(file)
                reason = None if kind else f"not an input type ({', '.join(_all_suffixes())})"
                if file.name == "outlets.csv" and file.parent == path:
                    continue  # the folder's manifest, read by the pipeline, not an article
                entries.append(Entry(file, str(file), path, reason))
        else:
            entries.append(Entry(path, arg))  # a missing or unreadable file is reported when read
    return entries


def _all_suffixes() -> list[str]:
    plain = [*TEXT_SUFFIXES, *HTML_SUFFIXES, *JSONL_SUFFIXES]
    return [*plain, *(s + ".gz" for s in plain)]


def format_of(path: Path) -> str | None:
    """'text', 'html' or 'jsonl' from a file name (a .gz suffix looks through), or None."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    last = suffixes[-1] if suffixes else ""
    if last in TEXT_SUFFIXES:
        return "text"
    if last in HTML_SUFFIXES:
        return "html"
    if last in JSONL_SUFFIXES:
        return "jsonl"
    return None


def read_entry(
    entry: Entry, *, stdin: IO[bytes] | None = None, input_format: str | None = None
) -> Iterator[Document | InputError]:
    """Documents (or errors) from one input; a named file of unknown type is read as text."""
    display = entry.display
    if entry.path is None:
        if stdin is None:
            yield InputError(display, "no standard input")
            return
        data = stdin.read()
        if data[:2] == b"\x1f\x8b":
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError, zlib.error) as exc:
                yield InputError(display, f"not a valid gzip stream ({exc})")
                return
        kind = input_format or _sniff(data)
        yield from _read_bytes(io.BytesIO(data), kind, display, "stdin")
        return
    kind = input_format or format_of(entry.path) or "text"
    try:
        raw = entry.path.open("rb")
    except IsADirectoryError:
        yield InputError(display, "is a folder with nothing to read")
        return
    except FileNotFoundError:
        yield InputError(display, "no such file")
        return
    except OSError as exc:
        yield InputError(display, f"cannot read: {exc.strerror or exc}")
        return
    with raw:
        stream: IO[bytes] = raw
        if entry.path.suffix.lower() == ".gz":
            stream = gzip.GzipFile(fileobj=raw)  # type: ignore[assignment]
        stem = entry.path.name.split(".")[0]
        try:
            yield from _read_bytes(stream, kind, display, stem)
        except (OSError, EOFError, zlib.error) as exc:
            yield InputError(display, f"cannot read: {exc}")


def _sniff(data: bytes) -> str:
    head = data[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "html"
    if head.startswith(b"{"):
        return "jsonl"
    return "text"


def _read_bytes(stream: IO[bytes], kind: str, display: str, stem: str) -> Iterator[Document | InputError]:
    if kind == "jsonl":
        yield from _read_jsonl(stream, display)
        return
    data = stream.read()
    problem = _binary_or_empty(data)
    if problem:
        yield InputError(display, problem)
        return
    if kind == "html":
        yield _html_document(data, display, stem)
        return
    text = _decode(data, display)
    if isinstance(text, InputError):
        yield text
    else:
        yield Document(text=text, id=stem, source=display)


def _binary_or_empty(data: bytes) -> str | None:
    if not data.strip():
        return "empty file (no text)"
    if b"\x00" in data[:SNIFF_BYTES]:
        return "binary file (NUL bytes), not text"
    return None


def _decode(data: bytes, display: str, line: int | None = None) -> str | InputError:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        at_line = data.count(b"\n", 0, exc.start) + 1 if line is None else line
        return InputError(
            display, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})", line=at_line
        )
    # Offsets index the decoded text: a BOM is dropped and line ends become \n.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _html_document(html: bytes | str, display: str, stem: str, **fields: Any) -> Document | InputError:
    from .extract import extract_html  # trafilatura is imported only when HTML is read

    line = fields.pop("line", None)
    extracted = extract_html(html)
    if extracted is None:
        return InputError(display, "no article text found in the HTML", line=line)
    meta = {k: v for k, v in extracted.items() if k != "text"}
    merged = {**meta, **{k: v for k, v in fields.items() if v is not None}}
    return Document(
        text=extracted["text"],
        id=merged.pop("id", stem),
        source=display if line is None else f"{display}:{line}",
        outlet=merged.get("outlet") or merged.get("sitename"),
        title=merged.get("title"),
        date=merged.get("date"),
        url=merged.get("url"),
    )


def _read_jsonl(stream: IO[bytes], display: str) -> Iterator[Document | InputError]:
    seen_any = False
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue  # blank lines separate nothing in JSONL; skipping them loses nothing
        seen_any = True
        text = _decode(raw, display, line=number)
        if isinstance(text, InputError):
            yield text
            continue
        try:
            record = json.loads(text.rstrip("\n"))  # so an error's column is on this line
        except json.JSONDecodeError as exc:
            yield InputError(display, f"malformed JSON ({exc.msg} at column {exc.colno})", line=number)
            continue
        yield _record_document(record, display, number)
    if not seen_any:
        yield InputError(display, "empty file (no records)")


def _record_document(record: Any, display: str, number: int) -> Document | InputError:
    if not isinstance(record, dict):
        return InputError(display, f"a record must be a JSON object, not {type(record).__name__}", line=number)
    bad = [k for k in RECORD_FIELDS if k in record and record[k] is not None and not isinstance(record[k], str | int)]
    if bad:
        return InputError(display, f"field '{bad[0]}' must be a string", line=number)
    fields = {k: (str(record[k]) if record.get(k) is not None else None) for k in RECORD_FIELDS}
    record_id = fields["id"] or f"{Path(display).name}:{number}"
    if fields["text"] is None and fields["html"] is None:
        return InputError(display, "record has neither 'text' nor 'html'", line=number)
    if fields["text"] is not None:
        text = fields["text"].replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            return InputError(display, "record 'text' is empty", line=number)
        return Document(
            text=text, id=record_id, source=f"{display}:{number}", outlet=fields["outlet"],
            title=fields["title"], date=fields["date"], url=fields["url"],
        )  # fmt: skip
    if not fields["html"].strip():
        return InputError(display, "record 'html' is empty", line=number)
    return _html_document(
        fields["html"], display, record_id, id=record_id, line=number, outlet=fields["outlet"],
        title=fields["title"], date=fields["date"], url=fields["url"],
    )  # fmt: skip
