"""The options a run takes, parsed and checked once: the same frozen value serves the local, Dask and
in-process paths, and crosses to worker processes as it is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from cleaner.annotation.sentiment import METHODS
from cleaner.boilerplate.language import DEFAULT_ENGINE, check_engine
from cleaner.errors import UsageError
from cleaner.io.readers import FORMATS, MAX_INPUT_SIZE, parse_size

Stage = Literal["clean", "annotate"]
# text: cleaned text; jsonl: a record line; record: a row of an Arrow batch (Parquet); folder: a record
# line for a JSONL input, else the text; marked: annotated text; markdown; document: the Document itself
# (for tables built in the parent: compare, review, explain).
Render = Literal["text", "jsonl", "record", "folder", "marked", "markdown", "document"]
STAGES: tuple[str, ...] = get_args(Stage)
RENDERS: tuple[str, ...] = get_args(Render)
DEFAULT_DOC_SECONDS = 5.0  # a document's time budget for all rules: real ones take milliseconds


@dataclass(frozen=True)
class RunOptions:
    """Which rules, how inputs are read, and how documents are scoped; keyword-only and immutable."""

    rules: tuple[str, ...] = ()  # extra rule folders, laid out like rules/
    shipped: bool = True  # load the shipped rules too
    disable: tuple[str, ...] = ()  # rule ids, categories, axes or variants to turn off
    outlet: str | None = None  # outlet for every document
    manifest: str | None = None  # CSV 'path,outlet'
    languages: frozenset[str] | None = None  # keep only these; others are reported as skipped
    detect_lang: bool = True
    lang_engine: str = DEFAULT_ENGINE  # language identification: cld2 (fast) or langdetect
    input_format: str | None = None  # read every input as this format instead of by its name
    sentiment: str = "model"  # entity sentiment: the trained model or the lexicon method
    doc_seconds: float = DEFAULT_DOC_SECONDS  # per-document budget for rule patterns
    max_input_size: int = MAX_INPUT_SIZE  # bytes one document (or JSONL line) may take, decompressed

    def __post_init__(self) -> None:
        check_engine(self.lang_engine)
        if self.sentiment not in METHODS:
            raise UsageError(f"--sentiment must be one of {', '.join(METHODS)}, not '{self.sentiment}'")
        if self.input_format is not None and self.input_format not in FORMATS:
            raise UsageError(f"--input-format must be one of {', '.join(FORMATS)}, not '{self.input_format}'")
        if not self.shipped and not self.rules:
            raise UsageError("--no-shipped loads only the --rules folders: name at least one")
        if not self.doc_seconds > 0:
            raise UsageError(f"the per-document time budget must be positive, not {self.doc_seconds}")

    @classmethod
    def build(
        cls,
        *,
        rules: list[Path] | list[str] | tuple[str, ...] | None = None,
        shipped: bool = True,
        disable: list[str] | tuple[str, ...] | None = None,
        outlet: str | None = None,
        manifest: Path | str | None = None,
        lang: str | None = None,
        detect_lang: bool = True,
        lang_engine: str = DEFAULT_ENGINE,
        input_format: str | None = None,
        doc_seconds: float = DEFAULT_DOC_SECONDS,
        max_input_size: str | int = MAX_INPUT_SIZE,
        sentiment: str = "model",
    ) -> RunOptions:
        """Options from command-line shaped values ('en,de' for languages, paths for folders)."""
        languages = frozenset(code.strip() for code in lang.split(",") if code.strip()) if lang else None
        return cls(
            rules=tuple(str(r) for r in rules or ()), shipped=shipped, disable=tuple(disable or ()), outlet=outlet,
            manifest=str(manifest) if manifest is not None else None, languages=languages or None,
            detect_lang=detect_lang or bool(languages), lang_engine=lang_engine, input_format=input_format,
            doc_seconds=doc_seconds,
            max_input_size=parse_size(max_input_size) if isinstance(max_input_size, str) else max_input_size,
            sentiment=sentiment,
        )  # fmt: skip
