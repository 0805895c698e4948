"""Train the target-sentiment model on NewsMTSC and write cleaner/annotation/models/target_sentiment.json.gz.

    pip install -e '.[train]'
    python benchmarks/train_sentiment.py [--data ../shared/data/newsmtsc] [--out FILE] [--c 0.1,0.3,1] [--folds 5]
        [--pages ../shared/data/pages] [--teacher benchmarks/teacher_labels.json.gz] [--no-teacher]

Features come from cleaner.annotation.sentiment_model.mention_features (the same code annotate runs);
a multinomial logistic regression (scikit-learn, lbfgs, balanced class weights, fixed seed) is fitted on
the rw and mt train splits together (they hold the same 8,673 labelled targets) and, distilled, on the
entity mentions of the English news pages with the soft labels a fine-tuned transformer gave them
(benchmarks/teach_sentiment.py wrote them to benchmarks/teacher_labels.json.gz), for each C given; the C
with the best mean dev macro-F1 (rw and mt) is kept, then a shift of the neutral intercept chosen the same
way. Features are NB-scaled and some families multiplied (FAMILY_SCALES) in training; both scales are
folded into the written weights. The model is pruned of rare and
near-zero features and written as gzipped JSON, with the words seen in lowercase in train (the others,
capitalised, are names and masked). The written file is loaded back and scored in pure Python, as annotate
does, and its dev macro-F1 printed beside VADER on the whole sentence and the lexicon method. Last,
cross-validation on train (folds by article) gives a figure not chosen on, and its out-of-fold scores
compare per-document aggregates of an entity's mentions (mean, weighted, median).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner.annotation.sentiment import _vader, target_sentiment  # noqa: E402
from cleaner.annotation.sentiment_eval import label_of, macro_f1, read_newsmtsc  # noqa: E402
from cleaner.annotation.sentiment_model import (  # noqa: E402
    LABELS,
    MODEL_FILE,
    WORD,
    load_model,
    mention_features,
)

SEED = 13
SPLITS = ("rw", "mt")
MIN_COUNT = 2  # a feature seen once in train is noise, and would only grow the file
MIN_WEIGHT = 0.001  # below this, a feature moves no score by a visible amount
KNOWN: frozenset[str] = frozenset()  # set from train before any feature is read
# NBSVM's interpolation between plain features (0) and features scaled by their log-count ratio (1):
# dev rw/mt 69.5/66.2 at 0.5, 68.8/65.7 at 0.75, 70.6/64.6 at 1.0 (C and shift chosen on dev for each);
# cross-validated 65.8 at 0.5. See docs/sentiment.md.
NB_INTERPOLATION = 0.5
# Added to the neutral intercept, chosen on dev: -0.5, inside the grid.
NEUTRAL_SHIFTS = [x / 10 for x in range(-10, 11)]
# Per-family multipliers of the feature values (by name prefix, first match), in training only: a family
# multiplied by k is regularised as if its weights could be k times larger. Folded into the written weights
# like the NB scale, so annotate computes the same features as before. Nearness-weighted words x2 and the
# near-window words x0.7 (the nearness carries what the window did): cross-validated 65.8 -> 66.4 at C=0.3,
# dev rw/mt 69.5/66.2 -> 68.9/67.2; other families x0.5 or x2 moved cross-validation by -1.4 to +0.1
# (docs/sentiment.md).
FAMILY_SCALES: dict[str, float] = {"left-dist:": 2.0, "right-dist:": 2.0, "left:": 0.7, "right:": 0.7}
# Distillation (docs/sentiment.md): the soft labels a fine-tuned transformer (benchmarks/teach_sentiment.py)
# gave the entity mentions of real news pages, and how much one of them counts against a gold mention.
TEACHER_LABELS = ROOT / "benchmarks" / "teacher_labels.json.gz"
TEACHER_WEIGHT = 1.0
POOL_LONGEST = 400  # characters: longer "sentences" are lists and tables the splitter left whole
# lbfgs stops when the loss improves by less than this. scikit-learn's default (1e-4) stops early enough
# that changing the teacher's probabilities in their fifth decimal moved dev macro-F1 by up to 1.1: figures
# that rest on where the optimiser happened to stop. At 1e-6 the fit is converged (the same figures either way).
TOLERANCE = 1e-6


@dataclass(frozen=True)
class PoolMention:
    """An unlabelled entity mention of a news page. Found sentence by sentence, so without the document-wide
    steps of annotate's recognition (one type per name, pronouns resolved to a person)."""

    sentence: str
    start: int
    end: int
    others: tuple[tuple[int, int], ...]


def read_train(newsmtsc: Path) -> list:
    """The labelled train mentions: rw and mt share most of their train sentences, each target is kept once."""
    return list(
        {
            (m.sentence, m.start, m.end): m for s in SPLITS for m in read_newsmtsc(newsmtsc / s / "train.jsonl.gz")
        }.values()
    )


def pool_key(sentence: str, start: int, end: int) -> str:
    """The labels file's key of a mention: a hash, so that the committed file holds no text of the pages."""
    return hashlib.sha1(f"{start}:{end}:{sentence}".encode()).hexdigest()[:20]


def unlabelled_pool(pages: Path) -> list[PoolMention]:
    """Every entity mention cleaner's recogniser finds in the English pages (main text by trafilatura)."""
    import trafilatura
    from langdetect import DetectorFactory, LangDetectException, detect

    from cleaner.annotation.annotate import default_annotator
    from cleaner.annotation.sentences import sentences

    DetectorFactory.seed = 0
    entities = default_annotator().entities
    pool: dict[tuple[str, int, int], PoolMention] = {}  # a sentence a page repeats (a caption) counts once
    for page in sorted(pages.iterdir()):
        source = page / "source.html.gz"
        if not source.exists():
            continue
        with gzip.open(source, "rt", encoding="utf-8", errors="replace") as handle:
            text = trafilatura.extract(handle.read()) or ""
        try:
            if len(text) < 500 or detect(text) != "en":
                continue
        except LangDetectException:
            continue
        for low, high in sentences(text):
            sentence = text[low:high]
            if len(sentence) > POOL_LONGEST:
                continue
            spans = [(m.start, m.end) for m in entities.mentions(sentence, [(0, len(sentence))])]
            for span in spans:
                pool.setdefault((sentence, *span), PoolMention(sentence, *span, tuple(o for o in spans if o != span)))
    return list(pool.values())


def read_teacher(path: Path, pool: list[PoolMention]) -> tuple[list[PoolMention], list[list[float]]]:
    """The pool mentions the labels file has probabilities for, and those probabilities."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        probs = json.load(handle)["probs"]
    found = [(p, probs.get(pool_key(p.sentence, p.start, p.end))) for p in pool]
    kept = [(p, row) for p, row in found if row is not None]
    print(f"teacher labels for {len(kept)} of {len(pool)} pool mentions ({path.name})")
    if len(kept) < len(pool):
        # The pool follows cleaner's recogniser and trafilatura: when they change, re-run teach_sentiment.py.
        print(f"warning: {len(pool) - len(kept)} pool mentions have no teacher label: re-run teach_sentiment.py")
    return [p for p, _ in kept], [row for _, row in kept]


def main() -> None:
    """Train, choose C on dev, write the model file, and print the dev figures from the written file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "newsmtsc"))
    parser.add_argument("--out", default=str(MODEL_FILE))
    parser.add_argument("--c", default="0.1,0.2,0.3,0.5,0.7", help="Inverse regularisation strengths to try.")
    parser.add_argument("--folds", type=int, default=5, help="Cross-validation folds on train (0: none).")
    parser.add_argument(
        "--pages", default=str(ROOT.parent / "shared" / "data" / "pages"), help="The news pages of the pool."
    )
    parser.add_argument("--teacher", default=str(TEACHER_LABELS), help="The teacher's labels of the pool's mentions.")
    parser.add_argument("--no-teacher", action="store_true", help="Train on the human labels alone, without the pool.")
    args = parser.parse_args()
    from sklearn.feature_extraction import DictVectorizer

    data = Path(args.data)
    train = read_train(data)
    dev = {split: read_newsmtsc(data / split / "dev.jsonl.gz") for split in SPLITS}
    started = time.perf_counter()
    # Words seen in lowercase in train: a capitalised word that is none of them is a name, and masked.
    global KNOWN
    KNOWN = frozenset(w.replace("’", "'") for m in train for w in WORD.findall(m.sentence) if not w[0].isupper())
    pool, soft = ([], []) if args.no_teacher else read_teacher(Path(args.teacher), unlabelled_pool(Path(args.pages)))
    train_x = [_features(m) for m in train]
    pool_x = [_features(p) for p in pool]
    # A feature is kept if seen twice in train and pool together: the pool brings the words NewsMTSC lacks.
    counts = Counter(name for x in train_x + pool_x for name in x)
    train_x = [{k: v for k, v in x.items() if counts[k] >= MIN_COUNT} for x in train_x]
    pool_x = [{k: v for k, v in x.items() if counts[k] >= MIN_COUNT} for x in pool_x]
    dev_x = {split: [_features(m) for m in rows] for split, rows in dev.items()}
    vectorizer = DictVectorizer()
    counted = vectorizer.fit_transform(train_x + pool_x)
    pool_counted, counted = counted[len(train_x) :], counted[: len(train_x)]
    train_y = [m.label for m in train]
    teacher = Teacher(pool_counted, soft)
    took = time.perf_counter() - started
    print(f"{len(train)} train and {len(pool)} pool mentions, {counted.shape[1]} features ({took:.1f}s)")
    # NB scaling (NBSVM): each feature is scaled by how much it tells one class from the rest (gold labels,
    # and the teacher's likeliest class in the pool); the scale is folded into the written weights.
    families = _family_scale(vectorizer.get_feature_names_out())
    scale = _nb_scale(*teacher.joined(counted, train_y)) * families
    dev_matrix = {s: _scaled(vectorizer.transform(dev_x[s]), scale) for s in SPLITS}

    def fit(c: float):
        return _fit(c, *teacher.rows(counted, train_y, scale))

    results = {}
    for c in [float(v) for v in args.c.split(",")]:
        model = fit(c)
        f1 = {s: macro_f1([m.label for m in dev[s]], model.predict(dev_matrix[s])) for s in SPLITS}
        results[c] = f1
        print(f"C={c:<6} dev macro-F1  rw {f1['rw']:.1f}  mt {f1['mt']:.1f}")
    best = max(results, key=lambda c: (sum(results[c].values()), -c))
    model = fit(best)
    # One more hyperparameter, also chosen on dev: a shift of the neutral class's intercept (news is mostly
    # neutral in mt, less so in rw; the shift that suits both best).
    decisions = {s: model.decision_function(dev_matrix[s]) for s in SPLITS}
    neutral = list(model.classes_).index("neutral")

    def shifted(shift: float) -> float:
        total = 0.0
        for s in SPLITS:
            values = decisions[s].copy()
            values[:, neutral] += shift
            total += macro_f1([m.label for m in dev[s]], model.classes_[values.argmax(axis=1)])
        return total

    shift = max(NEUTRAL_SHIFTS, key=lambda x: (round(shifted(x), 6), -abs(x)))
    model.intercept_[neutral] += shift
    print(f"chosen C={best}, neutral shift {shift:+.1f} (best mean dev macro-F1 of rw and mt)")
    _write(Path(args.out), model, scale, vectorizer.get_feature_names_out(), best, shift, len(train), len(pool))
    shipped = load_model(args.out)
    print(f"wrote {args.out} ({Path(args.out).stat().st_size / 1e6:.2f} MB, {len(shipped.weights)} features)\n")
    print(f"{'dev macro-F1':<28}{'rw':>6}{'mt':>6}")
    for name, method in (
        ("VADER on the sentence", _vader_label),
        ("lexicon method", _lexicon_label),
        ("model (shipped file)", lambda m: shipped.score(_features(m)).label),
    ):
        row = [macro_f1([m.label for m in dev[s]], [method(m) for m in dev[s]]) for s in SPLITS]
        print(f"{name:<28}{row[0]:>6.1f}{row[1]:>6.1f}")
    if args.folds:
        _cross_validate(train, counted, train_y, best, shift, args.folds, families, teacher)


class Teacher:
    """The pool's features and soft labels, joined to the gold mentions for training.

    A soft label is fitted as three rows of the mention, one per class, weighted by the teacher's
    probability of that class (times TEACHER_WEIGHT): the same log-loss as fitting the distribution itself.
    """

    def __init__(self, counted, soft: list[list[float]]) -> None:
        import numpy as np

        self.counted = counted
        self.soft = np.array(soft, dtype=float).reshape(-1, len(LABELS))

    def joined(self, counted, labels: list[str]):
        """Gold rows and the pool's rows with the teacher's likeliest class: for the NB scale."""
        from scipy.sparse import vstack

        return vstack([counted, self.counted]).tocsr(), list(labels) + [LABELS[i] for i in self.soft.argmax(axis=1)]

    def rows(self, counted, labels: list[str], scale):
        """The scaled training matrix, labels and sample weights: gold rows at balanced class weights, then the
        pool's."""
        import numpy as np
        from scipy.sparse import vstack

        # Balanced class weights: the metric is macro-F1, and positive is the rarest class in train and dev.
        found = Counter(labels)
        balance = {label: len(labels) / (len(LABELS) * found[label]) for label in LABELS}
        weights = [np.array([balance[y] for y in labels])]
        pool = _scaled(self.counted, scale)
        parts, ys = [_scaled(counted, scale)], list(labels)
        for index, label in enumerate(LABELS):
            parts.append(pool)
            ys += [label] * pool.shape[0]
            weights.append(TEACHER_WEIGHT * balance[label] * self.soft[:, index])
        return vstack(parts).tocsr(), ys, np.concatenate(weights)


def _fit(c: float, x, y, weights):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=10000, tol=TOLERANCE, random_state=SEED).fit(x, y, sample_weight=weights)


def _nb_scale(counted, labels: list[str]):
    """Per feature, NBSVM's log-count ratio: the largest |log(share among one class / share among the rest)|
    of the mentions having it, over the three classes, interpolated with 1 (NB_INTERPOLATION)."""
    import numpy as np

    present = (counted != 0).astype(float)
    labels = np.array(labels)
    ratios = []
    for label in LABELS:
        inside = 1.0 + np.asarray(present[labels == label].sum(axis=0)).ravel()
        outside = 1.0 + np.asarray(present[labels != label].sum(axis=0)).ravel()
        ratios.append(np.abs(np.log((inside / inside.sum()) / (outside / outside.sum()))))
    return (1 - NB_INTERPOLATION) + NB_INTERPOLATION * np.max(ratios, axis=0)


def _family_scale(names):
    """Per feature, the multiplier of its family (FAMILY_SCALES, by prefix), 1 for the others."""
    import numpy as np

    return np.array([next((k for p, k in FAMILY_SCALES.items() if name.startswith(p)), 1.0) for name in names])


def _scaled(matrix, scale):
    from scipy.sparse import diags

    return matrix @ diags(scale)


def _cross_validate(train, counted, labels, c: float, shift: float, folds: int, families, teacher: Teacher) -> None:
    """Out-of-fold scores on train (folds by article): a figure not chosen on, and per-document aggregates.

    The pool joins every training fold. Its teacher was fine-tuned on all of train, held-out folds
    included, so with a pool the figure leans a little optimistic (docs/sentiment.md)."""
    import numpy as np

    articles = [_article(m.target_id) for m in train]
    order = sorted(set(articles))
    fold_of = {a: i % folds for i, a in enumerate(order)}
    scores = np.zeros(len(train))
    predicted = [""] * len(train)
    for fold in range(folds):
        test = np.array([fold_of[a] == fold for a in articles])
        # The NB scale from the training folds only: from all of train it would leak the held-out labels.
        kept = [y for y, t in zip(labels, test, strict=True) if not t]
        scale = _nb_scale(*teacher.joined(counted[~test], kept)) * families
        model = _fit(c, *teacher.rows(counted[~test], kept, scale))
        model.intercept_[list(model.classes_).index("neutral")] += shift
        probs = model.predict_proba(_scaled(counted[test], scale))
        classes = list(model.classes_)
        for index, row in zip(np.flatnonzero(test), probs, strict=True):
            scores[index] = row[classes.index("positive")] - row[classes.index("negative")]
            predicted[index] = classes[int(row.argmax())]
    print(f"\n{folds}-fold cross-validation on train (by article), macro-F1 {macro_f1(labels, predicted):.1f}")
    groups: dict[tuple[str, str], list[int]] = {}
    for index, mention in enumerate(train):
        key = (_article(mention.target_id), mention.sentence[mention.start : mention.end].split()[-1].lower())
        groups.setdefault(key, []).append(index)
    many = [g for g in groups.values() if len(g) > 1]
    value = {"negative": -1.0, "neutral": 0.0, "positive": 1.0}
    gold = [sum(value[labels[i]] for i in g) / len(g) for g in many]
    print(f"per-document aggregation: {len(many)} article-target groups of 2 or more mentions (out-of-fold scores)")
    quoted = [_quoted(m) for m in train]
    aggregates = {
        "plain mean": lambda g: sum(scores[i] for i in g) / len(g),
        "confidence-weighted (|score|)": lambda g: _weighted(g, scores, [abs(scores[i]) for i in g]),
        "narrative x2 over quoted": lambda g: _weighted(g, scores, [1.0 if quoted[i] else 2.0 for i in g]),
        "median": lambda g: float(np.median([scores[i] for i in g])),
    }
    for name, aggregate in aggregates.items():
        values = [aggregate(g) for g in many]
        error = sum(abs(a - b) for a, b in zip(values, gold, strict=True)) / len(many)
        f1 = macro_f1([_band(v) for v in gold], [_band(v) for v in values])
        print(f"  {name:<30} sign macro-F1 {f1:5.1f}  mean abs error {error:.3f}")


def _article(target_id: str) -> str:
    # "allsides_1000_401_25_Reality Leigh Winner_0_6": article, sentence number, target name, offsets
    return target_id.rsplit("_", 4)[0]


def _quoted(mention) -> bool:
    return "voice:quoted" in _features(mention)


def _weighted(group, scores, weights) -> float:
    total = sum(weights)
    return sum(w * scores[i] for w, i in zip(weights, group, strict=True)) / total if total else 0.0


def _band(value: float) -> str:
    return "positive" if value > 0.1 else "negative" if value < -0.1 else "neutral"


def _features(mention) -> dict[str, float]:
    return mention_features(mention.sentence, mention.start, mention.end, others=mention.others, known=KNOWN)


def _vader_label(mention) -> str:
    return label_of(_vader().polarity_scores(mention.sentence)["compound"])


def _lexicon_label(mention) -> str:
    return label_of(
        target_sentiment(mention.sentence, mention.start, mention.end, others=mention.others, method="lexicon")
    )


def _write(path: Path, model, scale, names, c: float, shift: float, n_train: int, n_pool: int) -> None:
    order = [list(model.classes_).index(label) for label in LABELS]
    coef = model.coef_[order] * scale  # the weights of the unscaled features: what annotate computes
    intercept = model.intercept_[order]
    features, weights = [], []
    for index, name in enumerate(names):
        column = coef[:, index]
        centred = column - column.mean()  # softmax is unchanged by a shift per feature; centred weights read better
        if abs(centred).max() < MIN_WEIGHT:
            continue
        features.append(str(name))
        weights.append([round(float(v), 4) for v in centred])
    data = {
        "meta": {
            "trained_on": "NewsMTSC rw+mt train",
            "model": "multinomial logistic regression (scikit-learn lbfgs, balanced class weights), NB-scaled features",
            "nb_interpolation": NB_INTERPOLATION,
            "family_scales": FAMILY_SCALES,
            "C": c,
            "neutral_shift": shift,
            "seed": SEED,
            "train_mentions": n_train,
            **(
                {
                    "distilled_from": "all-MiniLM-L6-v2 fine-tuned on the same train (benchmarks/teach_sentiment.py)",
                    "pool_mentions": n_pool,
                    "teacher_weight": TEACHER_WEIGHT,
                }
                if n_pool
                else {}
            ),
            "labels": list(LABELS),
        },
        "intercept": [round(float(v - intercept.mean()), 4) for v in intercept],
        "known": sorted(KNOWN),
        "features": features,
        "weights": weights,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    # No name and mtime 0 in the gzip header: the same weights always give the same bytes, wherever written.
    with open(path, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(json.dumps(data, separators=(",", ":"), sort_keys=False).encode("utf-8"))


if __name__ == "__main__":
    main()
