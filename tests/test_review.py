"""The review report: self-contained, every marker and removal shown, tables linking to what exists;
and, where Debian's chromium is installed, the page as a real browser renders it."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app
from helpers import SEEDS

runner = CliRunner()
VOID = {"meta", "br", "img", "input", "link", "hr", "line", "rect"}


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("review") / "report.html"
    result = runner.invoke(
        app, ["review", "--no-detect-lang", "-q", "-o", str(path), str(SEEDS)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    return path


class TagBalance(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            if attrs["id"] in self.ids:
                self.errors.append(f"duplicate id {attrs['id']}")
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href", "").startswith("#"):
            self.links.append(attrs["href"][1:])
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()


def test_report_is_well_formed_and_links_resolve(report):
    parser = TagBalance()
    parser.feed(report.read_text(encoding="utf-8"))
    assert parser.errors == []
    assert parser.stack == []
    assert parser.links and all(target in parser.ids for target in parser.links)


def test_report_is_self_contained(report):
    page = report.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page
    assert "<style>" in page and "<script>" in page and "<svg" in page


def test_every_marker_removal_and_mention_is_on_the_page(report):
    page = report.read_text(encoding="utf-8")
    assert len(re.findall(r'<mark class="marker [a-z]+" id="m-', page)) == 54  # the gold markers of the five seeds
    assert re.findall(r"removed: ([a-z.-]+) \(", page) == [
        "credits.contributed-reporting", "moscowtimes.donation-appeal", "stamps.date-prefix", "captions.agency-caption",
    ]  # fmt: skip
    assert 'data-axis="maidan-2014" data-variant="coup"' in page
    assert "other outlets: The Moscow Times: kyiv; seed-000: kyiv; seed-002: kyiv; seed-004: kiev" in page
    assert 'class="quote"' in page and 'class="mention"' in page


def test_markdown_report():
    result = runner.invoke(app, ["review", "--no-detect-lang", "-q", "--format", "markdown", str(SEEDS)])
    assert result.stdout.startswith("# Framing review")
    assert "**Western-supported coup** <sup>maidan-2014: coup</sup>" in result.stdout
    assert "`moscowtimes.donation-appeal` (donation-appeal)" in result.stdout


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_report_in_headless_chromium(report):
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", report.as_uri()],
            capture_output=True, text=True, timeout=120, check=True,
        ).stdout  # fmt: skip
    # What the browser built from the page, after its script ran.
    marks = re.findall(r'<mark class="marker (narrative|quoted)" id="m-(\d+)-(\d+)"', dom)
    assert len(marks) == 54
    assert sum(1 for voice, *_ in marks if voice == "quoted") == 4
    assert len(re.findall(r"<table>", dom)) == 6
    assert len(re.findall(r'<details class="removed"', dom)) == 4
    assert len(re.findall(r'<rect class="bar"', dom)) >= 20
    targets = set(re.findall(r'href="#([^"]+)"', dom))
    assert targets and all(f'id="{t}"' in dom for t in targets)


def test_chart_shows_the_most_mentioned_entities_and_merged_names_link():
    from cleaner.document import Document, EntityReport, Evidence
    from cleaner.reports.compare import build_tables, collect
    from cleaner.reports.review import render_review_html

    def report(name: str, mentions: int) -> EntityReport:
        evidence = tuple(Evidence("Roe spoke.", 0.5, "narrative", 0, 3) for _ in range(mentions))
        return EntityReport(name, "person", mentions, 0.5, 0.5, None, evidence)

    people = tuple(report(f"Person{n:02d} Name", 20 - n) for n in range(12))
    docs = [
        Document(text="Roe spoke.", id="a", outlet="A", markers=(), entities=(report("Jane Roe", 30), *people)),
        Document(text="Roe spoke.", id="b", outlet="B", markers=(), entities=(report("Roe", 1),)),
    ]
    comparison = collect(docs)
    page = render_review_html(docs, comparison, build_tables(comparison))
    chart = page[page.index("<svg") : page.index("</svg>")]
    labels = re.findall(r'font-size="12">([^<]+)</text>', chart)
    assert labels == ["Jane Roe", *[f"Person{n:02d} Name" for n in range(7)]]
    assert 'href="#e-1-0"' in page  # outlet B's "Roe" is Jane Roe's row
