"""The HTML path's cost over trafilatura alone in instructions (valgrind's callgrind), which machine load
does not move, unlike CPU time.

Runs each variant over the real pages in a fresh process under `valgrind --tool=callgrind` and subtracts a
run that loads everything and does nothing, so start-up and loading are not counted. Needs valgrind (Debian
package `valgrind`); about 15 minutes for the 92 pages.

    python benchmarks/html_instructions.py [../shared/data/pages] [--pages N]
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ("none", "trafilatura", "our_parse", "extraction", "html_path")
# A page small enough to cost nothing, run first in every variant: lazy loads (the language engine, the
# rules' compiled patterns and line filters) are then part of the subtracted "none" run.
TINY = b"<html><body><article><p>%s</p></article></body></html>" % (b"Warm-up text, long enough to be kept. " * 4)


def run_variant(variant: str, pages_dir: Path, count: int) -> None:
    """In this process: run one variant over the first `count` real pages."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from eval_pages import html_path, real_pages, trafilatura_on_our_parse, trafilatura_text

    from cleaner import Document, clean, default_ruleset
    from cleaner.io.extract import extract_html

    ruleset = default_ruleset()
    pages = [gzip.decompress((p / "source.html.gz").read_bytes()) for p in real_pages(pages_dir)][:count]
    trafilatura_text(TINY)
    html_path(TINY, ruleset)
    clean(Document(text="Warm-up line one.\nWarm-up line two."), ruleset=ruleset)
    variants = {
        "none": lambda html: None,
        "trafilatura": trafilatura_text,
        "our_parse": trafilatura_on_our_parse,
        "extraction": extract_html,
    }
    work = variants.get(variant, lambda html: html_path(html, ruleset))
    for html in pages:
        work(html)


def instructions(variant: str, pages_dir: Path, count: int) -> int:
    """Instructions of a fresh process running `variant`, counted by callgrind."""
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__,
               "--variant", variant, "--pages", str(count), str(pages_dir)]  # fmt: skip
    env = {**os.environ, "PYTHONHASHSEED": "0"}  # the same string hashes, hence the same dict probes, every run
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"html_instructions: no instruction count in valgrind's output:\n{done.stderr[-500:]}")
    return int(found.group(1))


def main() -> None:
    """Print each variant's instructions and the HTML path's cost over trafilatura alone."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="?", type=Path, default=ROOT.parent / "shared" / "data" / "pages")
    parser.add_argument("--pages", dest="count", type=int, default=10_000, help="only the first N real pages")
    parser.add_argument("--variant", choices=VARIANTS, help=argparse.SUPPRESS)  # the child process's part
    args = parser.parse_args()
    if args.variant:
        run_variant(args.variant, args.pages, args.count)
        return
    counts = {variant: instructions(variant, args.pages, args.count) for variant in VARIANTS}
    base = {variant: counts[variant] - counts["none"] for variant in VARIANTS[1:]}
    traf = base["trafilatura"]
    for variant, count in base.items():
        print(f"{variant:<12} {count / 1e6:>10,.0f} M instructions  ({100 * (count - traf) / traf:+.1f}%)")
    # our_parse is trafilatura on the tree the HTML path parses: the path's saving from the parse, apart from
    # what its own work (structure, language, cleaning) adds.
    added = base["html_path"] - base["our_parse"]
    share = 100 * added / base["our_parse"]
    print(f"what cleaner adds to trafilatura on its parse: {added / 1e6:,.0f} M ({share:+.1f}%)")


if __name__ == "__main__":
    main()
