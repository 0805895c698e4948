"""The `cleaner` command line: typer commands (commands), their options (options) and what they print
(display). The only part of cleaner that prints."""

from cleaner.cli.commands import app, run_cli

__all__ = ["app", "run_cli"]
