"""The command line's options: declared once, shared by the commands that take them.

Every command that reads inputs takes the same ten run options (rules, languages, formats...).
`with_run_options` adds them to a command's signature and hands the command one RunOptions built and
checked from them, so each option is declared, parsed and validated in one place.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from cleaner.boilerplate.language import DEFAULT_ENGINE, ENGINES
from cleaner.cli.display import reported
from cleaner.io.readers import MAX_INPUT_SIZE, format_size
from cleaner.runs.options import RunOptions

RulesOpt = Annotated[
    list[Path] | None,
    typer.Option("--rules", help="Extra rule folder laid out like rules/ (repeatable); same full id overrides."),
]
NoShippedOpt = Annotated[
    bool,
    typer.Option("--no-shipped", help="Load only the --rules folders: they replace the shipped rules, axes and lists."),
]
DisableOpt = Annotated[
    list[str] | None, typer.Option("--disable", help="Turn off a rule (full id) or a whole category (repeatable).")
]
OutletOpt = Annotated[str | None, typer.Option("--outlet", help="Outlet name for every document (overrides all else).")]
ManifestOpt = Annotated[
    Path | None, typer.Option("--manifest", help="CSV 'path,outlet' naming each file's outlet (paths relative to it).")
]
LangOpt = Annotated[
    str | None,
    typer.Option("--lang", help="Keep only these languages, e.g. 'en,de'; others are reported, not cleaned."),
]
DetectOpt = Annotated[
    bool, typer.Option("--detect-lang/--no-detect-lang", help="Identify each document's language (--lang-engine).")
]
LangEngineOpt = Annotated[
    str, typer.Option("--lang-engine", help=f"Language identification: {' or '.join(ENGINES)} (docs/languages.md).")
]
FailFastOpt = Annotated[bool, typer.Option("--fail-fast", help="Stop at the first input that cannot be read.")]
InputFormatOpt = Annotated[
    str | None,
    typer.Option("--input-format", help="Read inputs as text, html, jsonl or parquet instead of by file name."),
]
DEFAULT_MAX_SIZE = format_size(MAX_INPUT_SIZE)
MaxSizeOpt = Annotated[
    str,
    typer.Option("--max-input-size", help="Largest document (or JSONL line) to read, once decompressed: e.g. 64M, 1G."),
]
SentimentOpt = Annotated[
    str,
    typer.Option("--sentiment", help="Entity sentiment by the trained model or the lexicon method: model|lexicon."),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No summary line and no progress bar.")]
PathsArg = Annotated[list[str], typer.Argument(help="Files, folders (read recursively) or '-' for standard input.")]
WorkersOpt = Annotated[
    int | None,
    typer.Option("--workers", "-j", min=1, help="Worker processes (default: this machine's cores); 1: this process."),
]
ResumeOpt = Annotated[
    bool, typer.Option("--resume", help="Continue an interrupted run into the same --out FILE (or Dask folder).")
]
ProgressOpt = Annotated[
    bool | None,
    typer.Option("--progress/--no-progress", help="Show docs/s and an ETA on stderr (default: on a terminal)."),
]
EngineOpt = Annotated[
    str, typer.Option("--engine", help="local (worker processes here) or dask (pip install 'cleaner-news\\[dask]').")
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option("--scheduler", help="With --engine dask: the scheduler's address (default: a local cluster)."),
]

# The run options, in the order --help lists them: (parameter, declaration, default).
SHARED: tuple[tuple[str, Any, Any], ...] = (
    ("rules", RulesOpt, None),
    ("no_shipped", NoShippedOpt, False),
    ("disable", DisableOpt, None),
    ("outlet", OutletOpt, None),
    ("manifest", ManifestOpt, None),
    ("lang", LangOpt, None),
    ("detect_lang", DetectOpt, True),
    ("lang_engine", LangEngineOpt, DEFAULT_ENGINE),
    ("input_format", InputFormatOpt, None),
    ("max_input_size", MaxSizeOpt, DEFAULT_MAX_SIZE),
)


# Stage 2 adds one: how entity sentiment is scored.
STAGE_2: tuple[tuple[str, Any, Any], ...] = (("sentiment", SentimentOpt, "model"),)


def with_run_options(*, stage_2: bool = False) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Give a command the shared run options (and, with stage_2, --sentiment); it receives them as one
    `options: RunOptions` argument, built and checked once."""
    declared = SHARED + (STAGE_2 if stage_2 else ())

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        hints = typing.get_type_hints(command, include_extras=True)
        own = [
            p.replace(annotation=hints[p.name])
            for p in inspect.signature(command).parameters.values()
            if p.name != "options"
        ]
        shared = [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, annotation=a, default=d) for n, a, d in declared]

        @functools.wraps(command)
        def wrapper(**values: Any) -> None:
            given = {name: values.pop(name) for name, _, _ in declared}
            given["shipped"] = not given.pop("no_shipped")
            with reported():
                options = RunOptions.build(**given)
            command(**values, options=options)

        wrapper.__signature__ = inspect.Signature(own + shared)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in own + shared}
        return wrapper

    return decorate
