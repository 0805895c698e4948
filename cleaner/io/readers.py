"""Read inputs into documents: text, HTML, JSONL, Parquet, gzip of the first three, folders and standard input.

Readers yield an InputError value for a bad file or record instead of raising, so one bad record
never stops a batch; the caller decides whether to go on (`--fail-fast`).
"""

from __future__ import annotations

import datetime
import errno
import gzip
import io
import json
import os
import re
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from cleaner.document import Document
from cleaner.errors import InputError, UsageError, display_path

if TYPE_CHECKING:
    from cleaner.boilerplate.ruleset import Ruleset

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
PARQUET_SUFFIXES = (".parquet",)
FORMATS = ("text", "html", "jsonl", "parquet")
SNIFF_BYTES = 8192
GZIP_MAGIC = b"\x1f\x8b"
PARQUET_BATCH_ROWS = 32  # rows per unit (a Parquet batch): about the work of a JSONL block
RECORD_BLOCK_BYTES = 1 << 18  # JSONL bytes per unit
RECORD_FIELDS = ("id", "text", "html", "url", "outlet", "title", "date")
MAX_INPUT_SIZE = 256 << 20  # see docs/reliability.md: ~160x the largest real page, ~2.5 GB of memory to clean


@dataclass(frozen=True)
class Entry:
    """One input to read: a file (or standard input when `path` is None), or one to skip or fail and why."""

    path: Path | None
    display: str
    root: Path | None = None  # the folder argument it was found under, for --out and manifests
    skip: str | None = None
    error: str | None = None  # found unreadable while listing (a broken link, a folder we may not open)
    max_size: int = MAX_INPUT_SIZE  # bytes one document (or a JSONL line) may take once decompressed


def expand(paths: list[str], *, max_size: int = MAX_INPUT_SIZE) -> list[Entry]:
    """The inputs behind the arguments: folders walked recursively in sorted order, '-' is stdin.

    Whatever a walk meets is listed: files to read, and the rest with why it is skipped (a FIFO,
    socket or device, a link to a folder, a file of another type) or cannot be read (an unreadable
    folder, a broken or looping link), so nothing is left out unreported. Names starting with a dot
    are not inputs (as `ls` hides them).
    """
    entries: list[Entry] = []
    for arg in paths:
        if arg == "-":
            entries.append(Entry(None, "<stdin>", max_size=max_size))
            continue
        path = Path(arg)
        display = display_path(arg)
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            problem = _link_problem(path, exc)  # a missing or unreadable file is reported when read
            entries.append(Entry(path, display, error=problem, max_size=max_size))
            continue
        if stat.S_ISDIR(mode):
            entries.extend(_walk(path, max_size))
        elif stat.S_ISREG(mode) or stat.S_ISFIFO(mode):  # a pipe named on purpose, e.g. <(zcat x.gz), is read
            entries.append(Entry(path, display, max_size=max_size))
        else:
            entries.append(Entry(path, display, skip=_not_a_file(mode), max_size=max_size))
    return entries


def _walk(root: Path, max_size: int) -> list[Entry]:
    """Every entry under a folder, sorted by path; links to folders are reported, not followed (no loops)."""
    found: list[Entry] = []
    folders = [root]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as scan:
                children = list(scan)
        except OSError as exc:
            reason = f"cannot read folder: {exc.strerror or exc}"
            found.append(Entry(folder, display_path(folder), root, error=reason, max_size=max_size))
            continue
        for child in children:
            if child.name.startswith("."):
                continue
            path = Path(child.path)
            entry = Entry(path, display_path(path), root, max_size=max_size)
            try:
                mode = child.stat().st_mode  # follows a link to what it points at
            except OSError as exc:
                found.append(replace(entry, error=_link_problem(path, exc)))
                continue
            if stat.S_ISDIR(mode):
                if child.is_symlink():
                    found.append(replace(entry, skip="a link to a folder, not followed (name it as an argument)"))
                else:
                    folders.append(path)
            elif not stat.S_ISREG(mode):
                found.append(replace(entry, skip=_not_a_file(mode)))
            elif child.name == "outlets.csv" and folder == root:
                continue  # the folder's manifest, read by the pipeline, not an article
            elif format_of(path) is None:
                found.append(replace(entry, skip=f"not an input type ({', '.join(_all_suffixes())})"))
            else:
                found.append(entry)
    return sorted(found, key=lambda e: e.path or Path())


def _link_problem(path: Path, exc: OSError) -> str | None:
    """Why a path that cannot be looked at is unreadable, when it is a link; None leaves it to the reader."""
    if exc.errno == errno.ELOOP:
        return "a symbolic link loop (it points back at itself)"
    if path.is_symlink():
        return f"a broken symbolic link (its target '{display_path(os.readlink(path))}' does not exist)"
    return None


def _not_a_file(mode: int) -> str:
    kind = "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    return f"{kind}, not a regular file"


def _all_suffixes() -> list[str]:
    plain = [*TEXT_SUFFIXES, *HTML_SUFFIXES, *JSONL_SUFFIXES]
    return [*plain, *(s + ".gz" for s in plain), *PARQUET_SUFFIXES]


def input_stem(name: str) -> str:
    """A file name without its input-type suffixes: 'story.v2.txt' -> 'story.v2', 'feed.jsonl.gz' -> 'feed'."""
    known = {*TEXT_SUFFIXES, *HTML_SUFFIXES, *JSONL_SUFFIXES, *PARQUET_SUFFIXES}
    stem = name[:-3] if name.lower().endswith(".gz") else name
    suffix = Path(stem).suffix
    return stem[: -len(suffix)] if suffix.lower() in known else stem


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
    entry: Entry,
    *,
    stdin: IO[bytes] | None = None,
    input_format: str | None = None,
    ruleset: Ruleset | None = None,
) -> Iterator[Document | InputError]:
    """Documents (or errors) from one input; a named file of unknown type is read as text.

    `ruleset` gives the structure rules HTML extraction applies (None: the shipped rules)."""
    for item in read_units(entry, stdin=stdin, input_format=input_format):
        if isinstance(item, InputError):
            yield item
        else:
            yield from load(item, ruleset=ruleset)


def read_units(
    entry: Entry, *, stdin: IO[bytes] | None = None, input_format: str | None = None
) -> Iterator[Unit | InputError]:
    """Cut one input into units, in order; a problem with the whole input is an InputError.

    A text or HTML file is one unit read when loaded; JSONL is read here line by line and Parquet
    batch by batch, so memory holds one line or batch at a time, never the whole file.
    """
    display = entry.display
    if entry.error is not None:
        yield InputError(display, entry.error)
        return
    if entry.path is None:
        if stdin is None:
            yield InputError(display, "no standard input")
            return
        data = stdin.read(entry.max_size + 1)
        if data[:2] == GZIP_MAGIC:
            try:
                data = gzip.GzipFile(fileobj=io.BytesIO(data)).read(entry.max_size + 1)
            except (OSError, EOFError, zlib.error) as exc:
                yield InputError(display, f"not a valid gzip stream ({exc})")
                return
        if len(data) > entry.max_size:
            yield InputError(display, too_big(entry.max_size))
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
    stem = display_path(entry.path.name.split(".")[0])
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


def load(unit: Unit, *, ruleset: Ruleset | None = None) -> Iterator[Document | InputError]:
    """The documents a unit holds (or why each cannot be read), in order: decode, parse, extract HTML.

    `ruleset` gives the structure rules HTML extraction applies (None: the shipped rules), so a
    disabled or user-added structure rule counts at extraction as it does in cleaning."""
    if unit.kind == "records":
        assert isinstance(unit.data, bytes)
        first, limit = unit.number or 1, unit.entry.max_size
        for offset, raw in enumerate(unit.data.split(b"\n")):
            if len(raw) > limit:
                yield InputError(unit.display, too_big(limit, "line"), line=first + offset)
            elif raw.strip():  # blank lines separate nothing in JSONL; skipping them loses nothing
                yield _guarded(_json_record, raw, unit.display, first + offset, ruleset=ruleset)
        return
    if unit.kind == "rows":
        assert isinstance(unit.data, list)
        first = unit.number or 1
        for offset, row in enumerate(unit.data):
            yield _guarded(_record_document, row, unit.display, first + offset, row=True, ruleset=ruleset)
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
    elif unit.kind == "html" and _wide_bom(data) is None:
        yield _guarded(_html_document, data, unit.display, unit.stem, ruleset=ruleset)  # trafilatura reads its charset
    else:
        text = _decode(data, unit.display)
        if isinstance(text, InputError):
            yield text
        elif unit.kind == "html":
            yield _guarded(_html_document, text, unit.display, unit.stem, ruleset=ruleset)
        else:
            yield Document(text=text, id=unit.stem, source=unit.display)


def _guarded(read: Any, data: Any, display: str, number: Any, **where: Any) -> Document | InputError:
    """One record read with a safety net: a bug on one record is reported with its place, not fatal."""
    try:
        return read(data, display, number, **where)
    except Exception as exc:
        at = {"row": number} if where.get("row") else {"line": number if isinstance(number, int) else None}
        return InputError(display, f"internal error, please report: {type(exc).__name__}: {exc}", **at)


def _json_record(raw: bytes, display: str, number: int, *, ruleset: Ruleset | None = None) -> Document | InputError:
    text = _decode(raw, display, line=number)
    if isinstance(text, InputError):
        return text
    try:
        record = json.loads(text.rstrip("\n"))  # so an error's column is on this line
    except json.JSONDecodeError as exc:
        return InputError(display, f"malformed JSON ({exc.msg} at column {exc.colno})", line=number)
    # JSON may spell half of a surrogate pair alone ("\ud800"), which is no character: Python reads it, but
    # it cannot be written as UTF-8, and libxml2 drops the rest of a page after it. Only an escape can
    # make one, so a line without "\ud" or "\uD" is not searched.
    if isinstance(record, dict) and (b"\\ud" in raw or b"\\uD" in raw):
        problem = _lone_surrogate(record)
        if problem:
            return InputError(display, problem, line=number)
    return _record_document(record, display, number, ruleset=ruleset)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogate(record: dict[str, Any]) -> str | None:
    """What is wrong with the first field of a record that holds half of a surrogate pair; None if none does."""
    for key in RECORD_FIELDS:
        value = record.get(key)
        if isinstance(value, str):
            found = _SURROGATE.search(value)
            if found:
                return (
                    f"field '{key}' holds an unpaired surrogate (\\u{ord(found.group()):04x} at character "
                    f"{found.start()}), which is not a character: the program that wrote the JSON split a pair"
                )
    return None


def file_size(path: Path | None) -> int:
    """A file's size in bytes; 0 for standard input or a file that cannot be read (reported elsewhere)."""
    try:
        return path.stat().st_size if path is not None else 0
    except OSError:
        return 0


def _open(entry: Entry) -> IO[bytes] | InputError:
    assert entry.path is not None
    try:
        if stat.S_ISFIFO(entry.path.stat().st_mode):
            # Opening a FIFO blocks until someone writes to it: open without waiting, then read as a pipe
            # (with no writer, reading ends at once with nothing read).
            descriptor = os.open(entry.path, os.O_RDONLY | os.O_NONBLOCK)
            os.set_blocking(descriptor, True)
            return os.fdopen(descriptor, "rb")
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
    limit = entry.max_size
    with opened as raw:
        try:
            if entry.path.suffix.lower() == ".gz":
                data = gzip.GzipFile(fileobj=raw).read(limit + 1)  # a small .gz can expand to gigabytes
            else:
                data = raw.read(limit + 1)
        except (OSError, EOFError, zlib.error) as exc:
            return InputError(entry.display, f"cannot read: {exc}")
    if len(data) > limit:
        return InputError(entry.display, too_big(limit))
    if not data and stat.S_ISFIFO(entry.path.stat().st_mode):
        return InputError(entry.display, "a FIFO (named pipe) with nothing written to it")
    return data


def too_big(limit: int, what: str = "input") -> str:
    """The message for an input (or a JSONL line) over the --max-input-size limit."""
    return f"{what} larger than {format_size(limit)} once decompressed (the --max-input-size limit); not read"


SIZE_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def parse_size(text: str) -> int:
    """Bytes from '1048576', '512K', '256M', '1G' or '1GiB' (binary units); raise UsageError if not a size."""
    match = re.fullmatch(r"\s*(\d+)\s*([KMGT]?)(?:i?B)?\s*", text, flags=re.IGNORECASE)
    if not match or int(match[1]) == 0:
        raise UsageError(f"--max-input-size: not a size: {text!r} (say 1048576, 512K, 256M or 1G)")
    return int(match[1]) * SIZE_UNITS[match[2].upper()]


def format_size(size: int) -> str:
    """'256 MiB', '1 GiB', '1500 bytes': the largest binary unit the size is a whole number of."""
    for unit, factor in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"


def _jsonl_units(stream: IO[bytes], entry: Entry) -> Iterator[Unit | InputError]:
    """Blocks of whole lines, about RECORD_BLOCK_BYTES each: cutting is a few C-speed scans per block,
    so the reading side stays light however many workers parse the records. The blocks depend on the
    file's bytes only, so a resumed run cuts the same ones."""
    display = entry.display
    seen_any = False
    number = 1  # the line a block starts at
    rest = b""
    skipping = False  # inside a line over the size limit: read on to its end, keeping nothing
    try:
        while True:
            data = stream.read(RECORD_BLOCK_BYTES)
            if not data:
                break
            if number == 1 and not rest and not seen_any and _wide_bom(data):
                yield InputError(display, f"{_wide_bom(data)} text: JSONL must be UTF-8 (iconv -t UTF-8 converts it)")
                return
            if skipping:
                cut = data.find(b"\n")
                if cut < 0:
                    continue
                data, skipping, number = data[cut + 1 :], False, number + 1
            data = rest + data
            end = data.rfind(b"\n") + 1
            if end == 0:
                rest = data  # a line longer than a block: read on, up to the limit
                if len(rest) > entry.max_size:
                    yield InputError(display, too_big(entry.max_size, "line"), line=number)
                    seen_any, skipping, rest = True, True, b""
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
        yield InputError(display, "reading Parquet needs pyarrow: pip install 'cleaner-news[parquet]'")
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


# UTF-32 first: its little-endian mark begins with UTF-16's.
WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"),
)  # fmt: skip


def _wide_bom(data: bytes) -> str | None:
    """'UTF-16' or 'UTF-32' when the data starts with that encoding's byte-order mark (Windows tools write them)."""
    return next((name for mark, name in WIDE_BOMS if data.startswith(mark)), None)


def _binary_or_empty(data: bytes) -> str | None:
    if not data.strip():
        return "empty file (no text)"
    if b"\x00" in data[:SNIFF_BYTES] and _wide_bom(data) is None:  # UTF-16 and -32 are full of NUL bytes
        return "binary file (NUL bytes), not text"
    return None


def _decode(data: bytes, display: str, line: int | None = None) -> str | InputError:
    encoding = _wide_bom(data) or "UTF-8"
    try:
        text = data.decode("utf-8-sig" if encoding == "UTF-8" else encoding.lower())  # the BOM is dropped
    except UnicodeDecodeError as exc:
        at_line = data.count(b"\n", 0, exc.start) + 1 if line is None else line
        if encoding != "UTF-8":
            at_line = None  # line ends are not single bytes in UTF-16 or -32
        return InputError(
            display, f"not valid {encoding} (byte 0x{data[exc.start]:02x} at offset {exc.start})", line=at_line
        )
    if encoding != "UTF-8" and "\x00" in text[:SNIFF_BYTES]:
        return InputError(display, f"binary file (NUL characters in {encoding}), not text")
    # Offsets index the decoded text: a BOM is dropped and line ends become \n.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _html_document(
    html: bytes | str, display: str, stem: str, *, ruleset: Ruleset | None = None, **fields: Any
) -> Document | InputError:
    from cleaner.io.extract import declared_encoding, extract_html  # trafilatura is imported only when HTML is read

    line, row = fields.pop("line", None), fields.pop("row", None)
    warning = None
    if isinstance(html, bytes):
        html, warning = _mostly_utf8(html)
    if isinstance(html, bytes) and html[:2] != GZIP_MAGIC and (declared := declared_encoding(html)) is not None:
        html = declared.text  # in the encoding the page declares; a page that declares none is guessed
        if declared.broken:
            warning = (
                f"{declared.broken} character{'s' * (declared.broken > 1)} not valid in {declared.encoding}, "
                "the encoding the page declares, replaced by U+FFFD"
            )
    extracted = extract_html(html, ruleset=ruleset)
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
        warnings=(warning,) if warning else (),
    )


def _mostly_utf8(html: bytes) -> tuple[bytes | str, str | None]:
    """A page's text if it is UTF-8 (with a warning when a few of its bytes are broken); else its bytes.

    trafilatura decodes a page that is not valid UTF-8 in the legacy encoding it guesses, which for a
    UTF-8 page with one stray byte (a multibyte character cut in two) turns every other non-ASCII
    character into mojibake, silently. Such a page is read as UTF-8 instead, each broken byte replaced by
    U+FFFD, and says so. A page whose non-ASCII bytes are mostly not UTF-8 (Windows-1252, Shift JIS)
    is left as bytes, to the encoding it declares or else trafilatura's guess (extract.decode_html), as
    are compressed bytes. Valid UTF-8 is decoded here once, as
    trafilatura would decode it (its first try), rather than checked here and decoded again there.
    """
    try:
        return html.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        first = exc.start
    if html[:2] == GZIP_MAGIC:
        return html, None  # gzip: trafilatura decompresses it first
    text = html.decode("utf-8", "replace")
    broken = text.count("\ufffd") - html.count("\ufffd".encode())  # U+FFFD the page itself holds is not broken
    valid = len(text) - len(text.encode("ascii", "ignore")) - text.count("\ufffd")
    # A legacy encoding's non-ASCII bytes almost never form valid UTF-8 sequences (an "é" in Windows-1252
    # is one byte that starts a sequence it does not finish): a page whose valid non-ASCII characters
    # outnumber its broken bytes is UTF-8 with a few broken.
    if valid <= broken:
        return html, None
    return text, (
        f"not valid UTF-8 at byte {first} ({broken} broken byte{'s' * (broken > 1)} beside {valid} valid non-ASCII "
        "characters): read as UTF-8, each broken byte replaced by U+FFFD"
    )


def _field_ok(name: str, value: Any) -> bool:
    """A record field cleaner can take: a string; a number may stand for an id, outlet, title, date or url,
    but never for the text (`"text": 123` is a mistake upstream, not an article)."""
    if isinstance(value, str):
        return True
    return name not in ("text", "html") and isinstance(value, int) and not isinstance(value, bool)


def _record_document(
    record: Any, display: str, number: int, *, row: bool = False, ruleset: Ruleset | None = None
) -> Document | InputError:
    """A JSONL record or Parquet row as a document; `number` is its line, or its row when `row`."""
    where = {"row": number} if row else {"line": number}
    if not isinstance(record, dict):
        return InputError(display, f"a record must be a JSON object, not {type(record).__name__}", **where)
    record = {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in record.items()}
    bad = [k for k in RECORD_FIELDS if k in record and record[k] is not None and not _field_ok(k, record[k])]
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
        title=fields["title"], date=fields["date"], url=fields["url"], ruleset=ruleset,
    )  # fmt: skip
