"""`python -m cleaner`: the same command line as `cleaner`."""

from cleaner.cli import run_cli

run_cli()
