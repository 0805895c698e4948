"""Read inputs into documents: text, HTML, JSONL, Parquet, gzip of the first three, folders and standard input.

Readers yield an InputError value for a bad file or record instead of raising, so one bad record
never stops a batch; the caller decides whether to go on (`--fail-fast`).
"""

from __future__ import annotations

import datetime
import gzip
import io
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from cleaner.document import Document
from cleaner.errors import InputError

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
PARQUET_SUFFIXES = (".parquet",)
FORMATS = ("text", "html", "jsonl", "parquet")
SNIFF_BYTES = 8192
PARQUET_BATCH_ROWS = 32  # rows per unit (a Parquet batch): about the work of a JSONL block
RECORD_BLOCK_BYTES = 1 << 18  # JSONL bytes per unit
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
    return [*plain, *(s + ".gz" for s in plain), *PARQUET_SUFFIXES]


def format_of(path: Path) -> str | None:
    """'text', 'html', 'jsonl' or 'parquet' from a file name (a .gz suffix looks through), or None."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in PARQUET_SUFFIXES:
        return "parquet"
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


@dataclass(frozen=True, slots=True)
class Unit:
    """A piece of input cut out cheaply where inputs are listed: a whole text or HTML file, or a block of
    JSONL lines or Parquet rows; `load` makes its documents.

    Cutting (`read_units`) and loading (`load`) are apart so a batch can cut in one process, in input
    order, and load, extract and clean in worker processes: a unit is small and pickles cheaply.
    """

    entry: Entry
    kind: str  # "text" or "html" (a whole file or stream), "records" (JSONL lines), "rows" (Parquet rows)
    display: str
    number: int | None = None  # the first record's line, or the first row's number (1-based)
    data: bytes | list[dict[str, Any]] | None = None  # None: read entry.path when loaded
    stem: str = ""
    size: int = 0  # input bytes it stands for, for progress
    outlet: str | None = None  # the outlet a manifest gives it

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        # Units cross to worker processes by the thousand: a plain tuple pickles ~5x faster than a
        # frozen slotted dataclass's default state.
        fields = (self.entry, self.kind, self.display, self.number, self.data, self.stem, self.size, self.outlet)
        return (Unit, fields)


def read_entry(
    entry: Entry, *, stdin: IO[bytes] | None = None, input_format: str | None = None
) -> Iterator[Document | InputError]:
    """Documents (or errors) from one input; a named file of unknown type is read as text."""
    for item in read_units(entry, stdin=stdin, input_format=input_format):
        if isinstance(item, InputError):
            yield item
        else:
            yield from load(item)


def read_units(
    entry: Entry, *, stdin: IO[bytes] | None = None, input_format: str | None = None
) -> Iterator[Unit | InputError]:
    """Cut one input into units, in order; a problem with the whole input is an InputError.

    A text or HTML file is one unit read when loaded; JSONL is read here line by line and Parquet
    batch by batch, so memory holds one line or batch at a time, never the whole file.
    """
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
        if kind == "jsonl":
            yield from _jsonl_units(io.BytesIO(data), entry)
        elif kind == "parquet":
            yield from _parquet_units(io.BytesIO(data), entry, len(data))
        else:
            yield Unit(entry, kind, display, data=data, stem="stdin", size=len(data))
        return
    kind = input_format or format_of(entry.path) or "text"
    stem = entry.path.name.split(".")[0]
    if kind in ("text", "html"):
        yield Unit(entry, kind, display, stem=stem, size=file_size(entry.path))
        return
    opened = _open(entry)
    if isinstance(opened, InputError):
        yield opened
        return
    with opened as raw:
        if kind == "parquet":
            yield from _parquet_units(raw, entry, file_size(entry.path))
            return
        stream: IO[bytes] = raw
        if entry.path.suffix.lower() == ".gz":
            stream = gzip.GzipFile(fileobj=raw)  # type: ignore[assignment]
        yield from _jsonl_units(stream, entry)


def load(unit: Unit) -> Iterator[Document | InputError]:
    """The documents a unit holds (or why each cannot be read), in order: decode, parse, extract HTML."""
    if unit.kind == "records":
        assert isinstance(unit.data, bytes)
        first = unit.number or 1
        for offset, raw in enumerate(unit.data.split(b"\n")):
            if raw.strip():  # blank lines separate nothing in JSONL; skipping them loses nothing
                yield _guarded(_json_record, raw, unit.display, first + offset)
        return
    if unit.kind == "rows":
        assert isinstance(unit.data, list)
        first = unit.number or 1
        for offset, row in enumerate(unit.data):
            yield _guarded(_record_document, row, unit.display, first + offset, row=True)
        return
    data = unit.data
    if data is None:
        data = _read_file(unit.entry)
        if isinstance(data, InputError):
            yield data
            return
    assert isinstance(data, bytes)
    problem = _binary_or_empty(data)
    if problem:
        yield InputError(unit.display, problem)
    elif unit.kind == "html":
        yield _guarded(_html_document, data, unit.display, unit.stem)
    else:
        text = _decode(data, unit.display)
        yield text if isinstance(text, InputError) else Document(text=text, id=unit.stem, source=unit.display)


def _guarded(read: Any, data: Any, display: str, number: Any, **where: Any) -> Document | InputError:
    """One record read with a safety net: a bug on one record is reported with its place, not fatal."""
    try:
        return read(data, display, number, **where)
    except Exception as exc:
        at = {"row": number} if where.get("row") else {"line": number if isinstance(number, int) else None}
        return InputError(display, f"internal error, please report: {type(exc).__name__}: {exc}", **at)


def _json_record(raw: bytes, display: str, number: int) -> Document | InputError:
    text = _decode(raw, display, line=number)
    if isinstance(text, InputError):
        return text
    try:
        record = json.loads(text.rstrip("\n"))  # so an error's column is on this line
    except json.JSONDecodeError as exc:
        return InputError(display, f"malformed JSON ({exc.msg} at column {exc.colno})", line=number)
    return _record_document(record, display, number)


def file_size(path: Path | None) -> int:
    """A file's size in bytes; 0 for standard input or a file that cannot be read (reported elsewhere)."""
    try:
        return path.stat().st_size if path is not None else 0
    except OSError:
        return 0


def _open(entry: Entry) -> IO[bytes] | InputError:
    assert entry.path is not None
    try:
        return entry.path.open("rb")
    except IsADirectoryError:
        return InputError(entry.display, "is a folder with nothing to read")
    except FileNotFoundError:
        return InputError(entry.display, "no such file")
    except OSError as exc:
        return InputError(entry.display, f"cannot read: {exc.strerror or exc}")


def _read_file(entry: Entry) -> bytes | InputError:
    opened = _open(entry)
    if isinstance(opened, InputError):
        return opened
    assert entry.path is not None
    with opened as raw:
        try:
            if entry.path.suffix.lower() == ".gz":
                return gzip.GzipFile(fileobj=raw).read()
            return raw.read()
        except (OSError, EOFError, zlib.error) as exc:
            return InputError(entry.display, f"cannot read: {exc}")


def _jsonl_units(stream: IO[bytes], entry: Entry) -> Iterator[Unit | InputError]:
    """Blocks of whole lines, about RECORD_BLOCK_BYTES each: cutting is a few C-speed scans per block,
    so the reading side stays light however many workers parse the records. The blocks depend on the
    file's bytes only, so a resumed run cuts the same ones."""
    display = entry.display
    seen_any = False
    number = 1  # the line a block starts at
    rest = b""
    try:
        while True:
            data = stream.read(RECORD_BLOCK_BYTES)
            if not data:
                break
            data = rest + data
            end = data.rfind(b"\n") + 1
            if end == 0:
                rest = data  # a line longer than a block: read on
                continue
            block, rest = data[:end], data[end:]
            if block.strip():
                seen_any = True
                yield Unit(entry, "records", display, number, block, size=len(block))
            number += block.count(b"\n")
    except (OSError, EOFError, zlib.error) as exc:
        yield InputError(display, f"cannot read: {exc}")
        return
    if rest.strip():
        seen_any = True
        yield Unit(entry, "records", display, number, rest, size=len(rest))
    if not seen_any:
        yield InputError(display, "empty file (no records)")


def _parquet_units(source: IO[bytes], entry: Entry, size: int) -> Iterator[Unit | InputError]:
    display = entry.display
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        yield InputError(display, "reading Parquet needs pyarrow: pip install 'cleaner[parquet]'")
        return
    try:
        parquet = pq.ParquetFile(source)
    except (OSError, pa.ArrowException) as exc:
        yield InputError(display, f"not a readable Parquet file ({exc})")
        return
    names = parquet.schema_arrow.names
    if "text" not in names and "html" not in names:
        yield InputError(display, f"a Parquet input needs a 'text' or 'html' column (it has: {', '.join(names)})")
        return
    rows = parquet.metadata.num_rows
    if not rows:
        yield InputError(display, "empty file (no rows)")
        return
    per_row = size // rows
    columns = [name for name in RECORD_FIELDS if name in names]
    number = 0
    try:
        for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=columns):
            yield Unit(entry, "rows", display, number + 1, batch.to_pylist(), size=per_row * batch.num_rows)
            number += batch.num_rows
    except (OSError, pa.ArrowException) as exc:
        yield InputError(display, f"cannot read rows after row {number}: {exc}")


def _sniff(data: bytes) -> str:
    if data[:4] == b"PAR1":
        return "parquet"
    head = data[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "html"
    if head.startswith(b"{"):
        return "jsonl"
    return "text"


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
    from cleaner.io.extract import extract_html  # trafilatura is imported only when HTML is read

    line, row = fields.pop("line", None), fields.pop("row", None)
    extracted = extract_html(html)
    if extracted is None:
        return InputError(display, "no article text found in the HTML", line=line, row=row)
    meta = {k: v for k, v in extracted.items() if k not in ("text", "removed")}
    merged = {**meta, **{k: v for k, v in fields.items() if v is not None}}
    return Document(
        text=extracted["text"],
        id=merged.pop("id", stem),
        source=display if (line or row) is None else f"{display}:{line or row}",
        outlet=merged.get("outlet") or merged.get("sitename"),
        title=merged.get("title"),
        date=merged.get("date"),
        url=merged.get("url"),
        removed=extracted["removed"],  # what the page's structure showed (cleaner/io/extract.py)
    )


def _record_document(record: Any, display: str, number: int, *, row: bool = False) -> Document | InputError:
    """A JSONL record or Parquet row as a document; `number` is its line, or its row when `row`."""
    where = {"row": number} if row else {"line": number}
    if not isinstance(record, dict):
        return InputError(display, f"a record must be a JSON object, not {type(record).__name__}", **where)
    record = {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in record.items()}
    bad = [k for k in RECORD_FIELDS if k in record and record[k] is not None and not isinstance(record[k], str | int)]
    if bad:
        return InputError(display, f"field '{bad[0]}' must be a string", **where)
    fields = {k: (str(record[k]) if record.get(k) is not None else None) for k in RECORD_FIELDS}
    record_id = fields["id"] or f"{Path(display).name}:{number}"
    if fields["text"] is None and fields["html"] is None:
        return InputError(display, "record has neither 'text' nor 'html'", **where)
    if fields["text"] is not None:
        text = fields["text"].replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            return InputError(display, "record 'text' is empty", **where)
        return Document(
            text=text, id=record_id, source=f"{display}:{number}", outlet=fields["outlet"],
            title=fields["title"], date=fields["date"], url=fields["url"],
        )  # fmt: skip
    if not fields["html"].strip():
        return InputError(display, "record 'html' is empty", **where)
    return _html_document(
        fields["html"], display, record_id, id=record_id, **where, outlet=fields["outlet"],
        title=fields["title"], date=fields["date"], url=fields["url"],
    )  # fmt: skip
