"""Run stage 1 over many inputs: read, identify outlet and language, clean. Yields results, never prints."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from cleaner.boilerplate.cleaning import DOC_SECONDS, clean
from cleaner.boilerplate.language import DEFAULT_ENGINE, detect_language, load_engine
from cleaner.boilerplate.outlets import MANIFEST_NAME, Manifest, load_manifest, resolve_outlet
from cleaner.boilerplate.ruleset import Ruleset
from cleaner.document import Document
from cleaner.errors import InputError, RuleTimeout
from cleaner.io.readers import Entry, Unit, load, read_units


@dataclass(frozen=True)
class Cleaned:
    """A document that went through stage 1."""

    doc: Document
    entry: Entry


@dataclass(frozen=True)
class Skipped:
    """An input left out on purpose (a file type cleaner does not read, a language not asked for)."""

    source: str
    reason: str


@dataclass(frozen=True)
class Failed:
    """An input that could not be read; the batch goes on."""

    error: InputError


Result = Cleaned | Skipped | Failed


def prepare(
    doc: Document,
    *,
    ruleset: Ruleset,
    outlet: str | None = None,
    detect_lang: bool = True,
    lang_engine: str = DEFAULT_ENGINE,
) -> Document:
    """Fill in a document's outlet (given, else metadata or fingerprint) and language before cleaning."""
    outlet = outlet or resolve_outlet(doc, ruleset)
    # Language is read before cleaning: rules may be scoped by it.
    lang = doc.lang or (detect_language(doc.text, engine=lang_engine) if detect_lang else None)
    return doc.evolve(outlet=outlet, lang=lang)


def run(
    entries: Iterable[Entry],
    *,
    ruleset: Ruleset,
    outlet: str | None = None,
    manifest: Manifest | None = None,
    languages: frozenset[str] | None = None,
    detect_lang: bool = True,
    stdin: IO[bytes] | None = None,
    input_format: str | None = None,
    lang_engine: str = DEFAULT_ENGINE,
) -> Iterator[Result]:
    """Clean every document behind the entries, in input order, one result per document or problem."""
    if detect_lang or languages:
        load_engine(lang_engine)  # an unknown engine is a usage error, said once, not a failure per document
    for item in list_units(entries, manifest=manifest, stdin=stdin, input_format=input_format):
        yield from clean_unit(
            item, ruleset=ruleset, outlet=outlet, languages=languages, detect_lang=detect_lang, lang_engine=lang_engine
        )


Item = Unit | Skipped | Failed


def list_units(
    entries: Iterable[Entry],
    *,
    manifest: Manifest | None = None,
    stdin: IO[bytes] | None = None,
    input_format: str | None = None,
) -> Iterator[Item]:
    """The first half of `run`, cheap and in input order: each input cut into units (one per document),
    with the outlet a manifest gives; a problem with a whole input comes as Failed, in its place."""
    folder_manifests: dict[Path, Manifest | Failed | None] = {}
    for entry in entries:
        if entry.skip is not None:
            yield Skipped(entry.display, entry.skip)
            continue
        listed = _listed_outlet(entry, manifest, folder_manifests)
        if isinstance(listed, Failed):
            yield listed
            listed = None
        for unit in read_units(entry, stdin=stdin, input_format=input_format):
            if isinstance(unit, InputError):
                yield Failed(unit)
            else:
                yield replace(unit, outlet=listed) if listed else unit


def clean_unit(
    item: Item,
    *,
    ruleset: Ruleset,
    outlet: str | None = None,
    languages: frozenset[str] | None = None,
    detect_lang: bool = True,
    seconds: float | None = DOC_SECONDS,
    lang_engine: str = DEFAULT_ENGINE,
) -> Iterator[Result]:
    """The second half of `run`, where the work is: load a unit's documents, find each one's outlet and
    language, clean it. A bug on one document is reported with its place and the rest go on; a document
    whose rules run past `seconds` is kept unchanged, with a warning that names the rule."""
    if not isinstance(item, Unit):
        yield item
        return
    for doc in load(item, ruleset=ruleset):
        if isinstance(doc, InputError):
            yield Failed(doc)
            continue
        try:
            detect = detect_lang or bool(languages)
            doc = prepare(
                doc, ruleset=ruleset, outlet=outlet or item.outlet, detect_lang=detect, lang_engine=lang_engine
            )
            if languages is not None and doc.lang not in languages:
                wanted = ",".join(sorted(languages))
                yield Skipped(doc.source, f"language {doc.lang or 'unknown'!s} not in --lang {wanted}")
                continue
            try:
                cleaned = clean(doc, ruleset=ruleset, seconds=seconds)
            except RuleTimeout as exc:
                cleaned = doc.evolve(warnings=(*doc.warnings, f"{exc}: document kept unchanged"))
            yield Cleaned(cleaned, item.entry)
        except Exception as exc:
            yield Failed(internal_error(doc.source, exc))


def internal_error(source: str, exc: Exception) -> InputError:
    """A bug met on one document, reported where it happened (a file, or file:line)."""
    path, _, line = source.rpartition(":")
    where = (path, int(line)) if line.isdigit() and path else (source, None)
    return InputError(where[0], f"internal error, please report: {type(exc).__name__}: {exc}", line=where[1])


def _listed_outlet(
    entry: Entry, manifest: Manifest | None, cache: dict[Path, Manifest | Failed | None]
) -> str | Failed | None:
    """The outlet a manifest gives this file: --manifest first, else an outlets.csv at the top of the
    folder it was found in (or beside it, for a file named on its own)."""
    if entry.path is None:
        return None
    if manifest is not None:
        found = manifest.outlet_of(entry.path)
        if found:
            return found
    folder = entry.root if entry.root is not None else entry.path.parent
    if folder not in cache:
        candidate = folder / MANIFEST_NAME
        try:
            cache[folder] = load_manifest(candidate) if candidate.is_file() else None
        except InputError as exc:
            cache[folder] = Failed(exc)
            return cache[folder]  # reported once, with the first file of the folder
    listed = cache[folder]
    return listed.outlet_of(entry.path) if isinstance(listed, Manifest) else None
