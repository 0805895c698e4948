"""Speed and memory: documents/s, MB/s and peak RSS for cleaning (text and HTML) and annotation.

    python benchmarks/bench_clean.py            # full run: 10,000 documents, a >100 MB JSONL file
    python benchmarks/bench_clean.py --quick    # a small corpus, to check the script itself
    python benchmarks/bench_clean.py --corpus-only   # only the corpus runs: 1 vs 2 workers, Dask, RSS

The corpus runs time the installed command end to end (`cleaner clean|annotate FILE --out FILE.jsonl`)
with --workers 1 and 2, and on a Dask LocalCluster of 2 workers; their peak RSS is the sum over the
whole process tree (main process and workers), sampled from /proc every 50 ms.

Each measurement runs in a fresh child process pinned to one core, so its peak RSS is its own.
The corpus is built from the seeds and the rules' own examples (reshuffled, with words varied), is
the same for the same --seed, and is written under benchmarks/out/ (ignored by git).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(ROOT))


def build_corpus(path: Path, docs: int, seed: int) -> int:
    """Write `docs` JSONL records of about 10 KB each; return the bytes of article text written."""
    from cleaner import load_ruleset
    from cleaner.rulefiles.checks import example_cases

    rng = random.Random(seed)
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    paragraphs = [line for p in seeds for line in p.read_text(encoding="utf-8").split("\n") if len(line.split()) > 6]
    # Structure rules' examples are HTML pages, not text lines: they have no place in a text corpus.
    cases = [c for c in example_cases(load_ruleset()) if c.rule.kind != "structure"]
    boilerplate = [c.text for c in cases if c.kind == "remove"] + [c.text for c in cases if c.kind == "clean"]
    near_misses = [c.text for c in cases if c.kind == "keep"]
    vocabulary = sorted({w for p in paragraphs for w in p.split() if w.isalpha()})
    total = 0
    with path.open("w", encoding="utf-8") as handle:
        for number in range(docs):
            body = []
            while sum(len(p) for p in body) < 9500:
                words = rng.choice(paragraphs).split()
                for _ in range(rng.randint(0, 3)):  # vary wording so documents are not copies
                    words[rng.randrange(len(words))] = rng.choice(vocabulary)
                body.append(" ".join(words))
            if rng.random() < 0.3:
                body.insert(rng.randrange(len(body)), rng.choice(near_misses))
            for _ in range(rng.randint(0, 4)):
                where = rng.choice([0, len(body), rng.randrange(len(body) + 1)])
                body.insert(where, rng.choice(boilerplate))
            text = rng.choice(["\n", "\n\n"]).join(body)
            total += len(text.encode("utf-8"))
            handle.write(json.dumps({"id": f"doc-{number}", "text": text}, ensure_ascii=False) + "\n")
    return total


def html_page(record: dict, rng: random.Random) -> str:
    """A page shaped like a news site's: head metadata and scripts, navigation, a figure, sidebars, footer."""
    paragraphs = [p for p in record["text"].split("\n") if p.strip()]
    links = "".join(f"<li><a href='/section/{i}'>Section {i}</a></li>" for i in range(40))
    footer = "".join(f"<li><a href='/about/{i}'>About page {i}</a></li>" for i in range(60))
    most_read = "".join(f"<li><a href='/story/{rng.randrange(10**6)}'>Story headline {i}</a></li>" for i in range(10))
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs[: len(paragraphs) // 2])
    body += "<aside class='related'><a href='/x'>Read more: Kremlin rejects Western troops</a></aside>\n"
    body += "".join(f"<p>{p}</p>\n" for p in paragraphs[len(paragraphs) // 2 :])
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Talks | Example News</title>"
        + "".join(f"<meta name='m{i}' content='value {i}'>" for i in range(20))
        + "<meta property='og:site_name' content='Example News'>"
        "<link rel='stylesheet' href='/a.css'><link rel='stylesheet' href='/b.css'>"
        '<script type=\'application/ld+json\'>{"@type": "NewsArticle", "headline": "Talks"}</script>'
        "<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}</script>"
        f"</head><body><header><nav><ul>{links}</ul></nav></header>"
        "<div class='breadcrumb'><a href='/'>Home</a> / <a href='/world'>World</a></div>"
        f"<main><article><h1>Headline {rng.randrange(10**6)}</h1><p class='byline'>By Staff Reporter</p>"
        "<time datetime='2025-08-26T10:00:00Z'>August 26, 2025</time>"
        "<figure><img src='/photo.jpg' alt='Leaders meet'><figcaption>Leaders meet in Helsinki. — Reuters"
        f"</figcaption></figure>\n{body}</article>"
        f"<aside class='most-read'><h3>Most read</h3><ol>{most_read}</ol></aside>"
        "<form class='newsletter'><p>Sign up for our daily newsletter</p><input type='email'></form></main>"
        f"<footer><ul>{footer}</ul><p>© 2025 Example News. All rights reserved.</p></footer>"
        "<script src='/app.js'></script></body></html>"
    )


def child(mode: str, corpus: Path, limit: int) -> dict:
    """One measurement, in this (child) process: returns its figures."""
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    from cleaner import clean, load_ruleset
    from cleaner.document import Document
    from cleaner.io.readers import Entry
    from cleaner.runs.pipeline import Cleaned, run

    ruleset = load_ruleset()
    if mode == "compare":
        from cleaner.annotation.annotate import annotate, load_annotator
        from cleaner.reports.compare import Comparison, build_tables, render_tables

        annotator = load_annotator()
        comparison = Comparison()
        in_bytes = documents = 0
        start = time.perf_counter()
        for result in run([Entry(corpus, str(corpus))], ruleset=ruleset, detect_lang=False):
            if isinstance(result, Cleaned):
                documents += 1
                in_bytes += len(result.doc.original.encode("utf-8"))
                comparison.add(annotate(result.doc, annotator=annotator))
        render_tables(build_tables(comparison), "simple")
        elapsed = time.perf_counter() - start
        figures = {"mode": mode, "documents": documents, "mb": in_bytes / 1e6, "seconds": elapsed}
        return {**figures, "peak_rss_mb": _peak_rss_mb(), "clusters": len(comparison.clusters)}
    if mode in ("text", "text+lang", "annotate"):
        from cleaner.annotation.annotate import annotate, load_annotator

        annotator = load_annotator() if mode == "annotate" else None
        in_bytes = 0
        documents = 0
        start = time.perf_counter()
        with open(os.devnull, "w", encoding="utf-8") as sink:
            for result in run([Entry(corpus, str(corpus))], ruleset=ruleset, detect_lang=mode == "text+lang"):
                if isinstance(result, Cleaned):
                    documents += 1
                    in_bytes += len(result.doc.original.encode("utf-8"))
                    doc = annotate(result.doc, annotator=annotator) if annotator else result.doc
                    sink.write(json.dumps(doc.to_record(), ensure_ascii=False) + "\n")
        elapsed = time.perf_counter() - start
    elif mode in ("html", "html+lang", "extract"):
        from cleaner.boilerplate.language import detect_language
        from cleaner.io.extract import extract_html

        rng = random.Random(1)
        pages = []
        with corpus.open(encoding="utf-8") as handle:
            for line in handle:
                pages.append(html_page(json.loads(line), rng))
                if len(pages) >= limit:
                    break
        in_bytes = sum(len(p.encode("utf-8")) for p in pages)
        documents = len(pages)
        extract_time = clean_time = 0.0
        for page in pages:
            t0 = time.perf_counter()
            extracted = extract_html(page)
            t1 = time.perf_counter()
            if mode != "extract" and extracted is not None:
                doc = Document(text=extracted["text"])
                if mode == "html+lang":
                    doc = doc.evolve(lang=detect_language(doc.text))
                clean(doc, ruleset=ruleset)
            t2 = time.perf_counter()
            extract_time += t1 - t0
            clean_time += t2 - t1
        elapsed = extract_time + clean_time
        return {
            "mode": mode, "documents": documents, "mb": in_bytes / 1e6, "seconds": elapsed,
            "page_kb": in_bytes / documents / 1e3,
            "extract_seconds": extract_time, "clean_seconds": clean_time, "peak_rss_mb": _peak_rss_mb(),
        }  # fmt: skip
    else:
        raise SystemExit(f"unknown mode {mode}")
    return {
        "mode": mode,
        "documents": documents,
        "mb": in_bytes / 1e6,
        "seconds": elapsed,
        "peak_rss_mb": _peak_rss_mb(),
    }


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def measure(mode: str, corpus: Path, limit: int = 0) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--corpus", str(corpus), "--limit", str(limit)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(out.stdout)


def language_figures(corpus: Path, count: int) -> dict:
    """Cost of langdetect per call with its defaults and with cleaner's settings, and how often they agree."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    from cleaner.boilerplate import language

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.seed = 0

    def default(text: str) -> str:
        detector = factory.create()
        detector.append(text)
        return detector.detect()

    texts = []
    with corpus.open(encoding="utf-8") as handle:
        for line in handle:
            texts.append(json.loads(line)["text"])
            if len(texts) >= count:
                break
    samples = [
        json.loads(line)["text"] for line in (ROOT / "tests" / "data" / "languages.jsonl").open(encoding="utf-8")
    ]
    # Short texts are where a smaller sample could disagree: every sentence of every language sample too.
    texts += samples + [s for text in samples for s in text.split(". ") if len(s) > 20]
    language.detect_language(texts[0], engine="langdetect")  # load the profiles before timing
    t0 = time.perf_counter()
    cheap = [language.detect_language(t, engine="langdetect") for t in texts]
    t1 = time.perf_counter()
    full = [default(t) for t in texts]
    t2 = time.perf_counter()
    agree = sum(a == b for a, b in zip(cheap, full, strict=True))
    return {
        "texts": len(texts), "agree": agree,
        "cleaner_ms": 1000 * (t1 - t0) / len(texts), "default_ms": 1000 * (t2 - t1) / len(texts),
    }  # fmt: skip


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB (Linux /proc)."""
    total, stack, seen = 0, [pid], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, StopIteration):
            continue
    return total / 1024


def corpus_run(command: list[str]) -> dict:
    """Run a command to completion; its wall time and the peak RSS of its process tree."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, tree_rss_mb(process.pid))
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read() if process.stderr else ''}")
    return {"seconds": elapsed, "peak_rss_mb": peak}


def corpus_figures(large: Path, small: Path, docs: int) -> None:
    """Documents/s with 1 and 2 workers, the Dask engine against the local pool, peak RSS at two sizes."""
    import shutil
    import tempfile

    exe = shutil.which("cleaner") or str(Path(sys.executable).with_name("cleaner"))
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        # A corpus in 8 part files, as Dask datasets are laid out (the Dask engine's partitions are files).
        large, small = split(large, out / "large", 8), split(small, out / "small", 8)

        def run(stage: str, corpus: Path, *extra: str) -> dict:
            target = out / f"run-{time.monotonic_ns()}"
            target_file = target.with_suffix(".jsonl") if "dask" not in extra else target
            return corpus_run([exe, stage, str(corpus), "--no-detect-lang", "-q", "--out", str(target_file), *extra])

        cores = os.cpu_count()
        print(f"\ncorpus runs, end to end (`cleaner STAGE FOLDER --out FILE.jsonl`, 8 part files), {cores} cores:")
        for stage, corpus, n in (("clean", large, docs), ("annotate", small, docs // 4)):
            one = run(stage, corpus, "--workers", "1")
            two = run(stage, corpus, "--workers", "2")
            dask = run(stage, corpus, "--engine", "dask")
            for label, fig in (("1 worker", one), ("2 workers", two), ("dask, 2 workers", dask)):
                print(
                    f"  {stage:8s} {n:6d} docs  {label:16s} {n / fig['seconds']:7.0f} docs/s "
                    f"{fig['seconds']:7.1f} s  peak RSS (all processes) {fig['peak_rss_mb']:6.1f} MB"
                )
            print(
                f"  {stage:8s} 2 workers / 1 worker: {one['seconds'] / two['seconds']:.2f}x; "
                f"Dask / local pool: {dask['seconds'] / two['seconds']:.2f}x the time"
            )
        small_run = run("clean", small, "--workers", "2")
        print(
            f"  clean, 2 workers: peak RSS {small_run['peak_rss_mb']:.1f} MB at {docs // 4} docs, "
            f"{two_large_rss(run, large):.1f} MB at {docs} docs"
        )


def split(corpus: Path, folder: Path, parts: int) -> Path:
    """The corpus's lines dealt into `parts` files, in order (part-0 has the first lines)."""
    folder.mkdir()
    lines = corpus.read_bytes().splitlines(keepends=True)
    step = -(-len(lines) // parts)
    for number in range(parts):
        (folder / f"part-{number}.jsonl").write_bytes(b"".join(lines[number * step : (number + 1) * step]))
    return folder


def two_large_rss(run, large: Path) -> float:
    return run("clean", large, "--workers", "2")["peak_rss_mb"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--html-docs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="200 documents: checks the script, not the speed")
    parser.add_argument("--corpus-only", action="store_true", help="only the corpus runs (workers, Dask, RSS)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.corpus, args.limit)))
        return
    if args.quick:
        args.docs, args.html_docs = 200, 20
    OUT.mkdir(exist_ok=True)
    large = OUT / f"corpus-{args.docs}.jsonl"
    small = OUT / f"corpus-{args.docs // 4}.jsonl"
    for path, docs in ((large, args.docs), (small, args.docs // 4)):
        if not path.exists():
            build_corpus(path, docs, args.seed)
    print(f"corpus: {args.docs} documents, {large.stat().st_size / 1e6:.1f} MB JSONL ({large})")
    if args.corpus_only:
        corpus_figures(large, small, args.docs)
        return
    print(f"python {sys.version.split()[0]}, one core per measurement\n")

    rows = []
    for label, mode, corpus, limit in (
        ("text, no language detection", "text", large, 0),
        ("text, with language detection", "text+lang", large, 0),
        (f"text, 1/4 corpus ({args.docs // 4} docs)", "text", small, 0),
        ("annotate: clean + framing + entities + sentiment", "annotate", large, 0),
        (f"compare: all tables, 1/4 corpus ({args.docs // 4} docs)", "compare", small, 0),
        (f"compare: all tables ({args.docs} docs)", "compare", large, 0),
        (f"HTML: trafilatura alone ({args.html_docs} pages)", "extract", large, args.html_docs),
        (f"HTML: extraction + cleaning ({args.html_docs} pages)", "html", large, args.html_docs),
        (f"HTML: extraction + language + cleaning ({args.html_docs} pages)", "html+lang", large, args.html_docs),
    ):
        figures = measure(mode, corpus, limit)
        figures["label"] = label
        rows.append(figures)
        print(
            f"{label:58s} {figures['documents'] / figures['seconds']:8.0f} docs/s "
            f"{figures['mb'] / figures['seconds']:6.2f} MB/s  peak RSS {figures['peak_rss_mb']:6.1f} MB"
        )
    html = {r["mode"]: r for r in rows if r["mode"] in ("html", "html+lang")}
    print()
    for mode, row in html.items():
        share = 100 * row["clean_seconds"] / row["extract_seconds"]
        what = "cleaning" if mode == "html" else "language detection + cleaning"
        print(f"HTML: {what} adds {share:.1f}% to trafilatura's extraction time")
    corpus_figures(large, small, args.docs)
    lang = language_figures(large, 300)
    print(
        f"langdetect: {lang['default_ms']:.2f} ms a call with its defaults, {lang['cleaner_ms']:.2f} ms with cleaner's "
        f"settings; same answer on {lang['agree']}/{lang['texts']} texts"
    )


if __name__ == "__main__":
    main()
