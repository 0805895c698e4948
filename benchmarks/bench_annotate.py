"""Annotate end to end on real news, one core: MB per CPU second (framing, entities with recognition, sentiment).

Two corpora: "articles", the text of the English news articles among the Readability test pages (BBC,
CNN, NYT, Guardian, Washington Post ... as Readability extracts them) and the seeds, repeated to the size
asked (1 MB holds each once); and
"newsmtsc", NewsMTSC train sentences joined 40 to a document, the worst case: sentences chosen because
they name people, several a sentence. Run: python benchmarks/bench_annotate.py [../shared/data] [MB] [--python-gc]
"""

from __future__ import annotations

import gc
import gzip
import json
import sys
import time
from pathlib import Path

from langdetect import DetectorFactory, detect
from lxml import html

from cleaner import Document, annotate
from cleaner.annotation import build
from cleaner.annotation.annotate import default_annotator
from cleaner.runs.batch import YOUNG_GENERATION_THRESHOLD

ROOT = Path(__file__).resolve().parent.parent
DetectorFactory.seed = 0  # langdetect is random otherwise: the same pages every run
PER_DOCUMENT = 40  # sentences: about 6 KB, an article's length


def articles(data: Path) -> list[str]:
    """The text of the real news articles among the Readability pages, and the seeds."""
    docs = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    for folder in sorted((data / "pages").iterdir()):
        if folder.name[0].isdigit() or not (folder / "expected.html.gz").is_file():
            continue  # the synthetic pages of Readability's own unit tests
        with gzip.open(folder / "expected.html.gz", "rt", encoding="utf-8") as page:
            text = html.fromstring(page.read()).text_content()
        if len(text) > 2000 and detect(text[:2000]) == "en":  # the rules are for English news
            docs.append("\n".join(line.strip() for line in text.splitlines() if line.strip()))
    return docs


def newsmtsc(data: Path) -> list[str]:
    """NewsMTSC train sentences joined 40 to a document."""
    with gzip.open(data / "newsmtsc" / "rw" / "train.jsonl.gz", "rt", encoding="utf-8") as lines:
        sentences = [json.loads(line)["sentence_normalized"] for line in lines]
    return [" ".join(sentences[i : i + PER_DOCUMENT]) for i in range(0, len(sentences), PER_DOCUMENT)]


def repeat(docs: list[str], megabytes: float) -> list[str]:
    """The documents, repeated until they hold `megabytes` of text."""
    out, size = [], 0
    while size < megabytes * 1e6:
        for doc in docs:
            out.append(doc)
            size += len(doc.encode())
    return out


def main() -> None:
    """Print MB/s and documents/s."""
    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    data = Path(args[0]) if args else ROOT.parent / "shared" / "data"
    megabytes = float(args[1]) if len(args) > 1 else 2.0
    default_annotator()  # loading the rules is once per run, not part of the rate
    # A wheel built where a C compiler is runs the annotation modules compiled (hatch_build.py); an editable
    # install runs the source. The figures differ by about a quarter: say which.
    print(f"{build()}, Python {sys.version.split()[0]}")
    # As a run does once its rules are loaded (cleaner.runs.batch.Task.worker); --python-gc leaves Python's
    # collector as it is, as a library call to annotate does.
    if "--python-gc" not in sys.argv:
        gc.freeze()
        gc.set_threshold(YOUNG_GENERATION_THRESHOLD, *gc.get_threshold()[1:])
    for corpus, docs in (("articles", articles(data)), ("newsmtsc", newsmtsc(data))):
        docs = repeat(docs, megabytes)
        size = sum(len(d.encode()) for d in docs)
        started, wall = time.process_time(), time.perf_counter()
        mentions = 0
        for text in docs:
            mentions += sum(r.mentions for r in annotate(Document(text=text)).entities or ())
        seconds, wall = time.process_time() - started, time.perf_counter() - wall
        # CPU seconds: on a machine shared with other work the wall clock measures the others too.
        print(f"annotate {corpus}: {size / 1e6:.1f} MB in {seconds:.2f} CPU s = {size / 1e6 / seconds:.2f} MB/s "
              f"(wall clock {size / 1e6 / wall:.2f} MB/s); "
              f"{len(docs) / seconds:.0f} documents/s, {1000 * mentions / size:.1f} mentions per KB")  # fmt: skip


if __name__ == "__main__":
    main()
