"""`python -m cleaner`: the same command line as `cleaner`."""

from .cli import run_cli

run_cli()
