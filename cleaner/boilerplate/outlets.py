"""Which outlet a document comes from: override, manifest, metadata, fingerprint, or unknown."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from cleaner.boilerplate.ruleset import Ruleset
from cleaner.document import Document
from cleaner.errors import InputError

MANIFEST_NAME = "outlets.csv"  # a folder's own manifest, picked up when the folder is an input
FINGERPRINT_LINES = 60  # fingerprints are looked for in the first and last lines: mastheads, appeals, footers


@dataclass(frozen=True)
class Manifest:
    """`path,outlet` rows: the outlet of each listed file, paths relative to the manifest's folder."""

    path: Path
    outlets: dict[Path, str]

    def outlet_of(self, file: Path) -> str | None:
        return self.outlets.get(_real(file))


def _real(path: Path) -> Path:
    """The path with links resolved; as it is (made absolute) when a link loops, so it matches nothing."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symbolic link loop: RuntimeError up to Python 3.12, OSError after
        return path.absolute()


def load_manifest(path: str | Path) -> Manifest:
    """Read a manifest CSV with a `path,outlet` header; raise InputError naming the file and line."""
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(str(path), f"cannot read manifest: {exc.strerror or exc}") from exc
    outlets: dict[Path, str] = {}
    with handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or not {"path", "outlet"} <= set(reader.fieldnames):
            raise InputError(str(path), "a manifest needs a header row 'path,outlet'", line=1)
        for row in reader:
            file, outlet = (row.get("path") or "").strip(), (row.get("outlet") or "").strip()
            if not file or not outlet:
                raise InputError(str(path), "each row needs a path and an outlet", line=reader.line_num)
            outlets[_real(path.parent / file)] = outlet
    return Manifest(path, outlets)


def resolve_outlet(doc: Document, ruleset: Ruleset) -> str | None:
    """The outlet from the document's metadata (name or url, mapped to a declared outlet), else a fingerprint."""
    declared = {o.name.casefold(): o.name for o in ruleset.outlets}
    if doc.outlet:
        return declared.get(doc.outlet.casefold(), doc.outlet)
    if doc.url:
        host = (urlsplit(doc.url).hostname or "").casefold().removeprefix("www.")
        for outlet in ruleset.outlets:
            if any(host == d or host.endswith("." + d) for d in outlet.domains):
                return outlet.name
        if host:
            return host
    if ruleset.outlets:
        lines = doc.text.splitlines()
        if len(lines) > 2 * FINGERPRINT_LINES:
            lines = lines[:FINGERPRINT_LINES] + lines[-FINGERPRINT_LINES:]
        stripped = [line.strip() for line in lines]
        for outlet in ruleset.outlets:
            if any(p.fullmatch(line) for p in outlet.fingerprints for line in stripped):
                return outlet.name
    return None
