"""A trained, transparent model of the sentiment toward a mention: a linear model over the words around it.

Trained on NewsMTSC (benchmarks/train_sentiment.py), shipped as a small JSON file of weights, scored in
pure Python. Each feature is a name ("left:forced", "lexicon-score") with a value; a score is the
softmax over three classes (negative, neutral, positive) of the weighted sums, and the sentiment is
P(positive) - P(negative), in [-1, 1]. The features that moved the score most are kept as evidence.

The lexicon (VADER with rules/sentiment.yaml and a user's sentiment.yaml over it) enters as features:
the lexicon method's own score for the target, and the valences found left and right of it. A word a
user adds to sentiment.yaml therefore moves the model's score the way the lexicon says.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import neg as neg_
from pathlib import Path

from vaderSentiment.vaderSentiment import BOOSTER_DICT, N_SCALAR, NEGATE, normalize

from cleaner.annotation.sentences import clause_spans, sentences
from cleaner.annotation.sentiment import PROPER, SentimentLexicon, clause_sentiment, default_sentiment, sentence_at

MODEL_FILE = Path(__file__).parent / "models" / "target_sentiment.json.gz"
LABELS = ("negative", "neutral", "positive")
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9’'-]*|[!?]")
_NEGATE = frozenset(NEGATE)  # VADER's negations are a list of 59: a set answers `in` at once
NEGATIONS = {"not", "no", "never", "nor", "without", "cannot", "nobody", "nothing", "neither"}
PRONOUNS = {"he", "she", "they", "it", "him", "her", "them", "his", "their", "its", "i", "we", "you"}
QUOTES = '“”"«»'
# How far (in words) a word still counts as near the target: most of what NewsMTSC labels lies within a few words.
NEAR = 3
FAR = 10
TOP = 5  # features kept as evidence per score
NAME = "<name>"
NUMBER = "<number>"
OTHERS = "(all other features)"  # evidence entry: the summed push of the features not shown
BASELINE = "(baseline)"  # evidence entry: the model's intercept, positive minus negative


@dataclass(frozen=True)
class Scored:
    """The model's sentiment toward one mention, with the features that moved it most and their pushes.

    `features`: the strongest features, each with its push toward positive (weight x value, in log-odds
    of positive over negative), strongest first; then the summed push of all the others, then the baseline.
    The pushes add up to log(P(positive) / P(negative)).
    """

    score: float
    label: str
    features: tuple[tuple[str, float], ...]


# How the features are keyed in the model's tables (its file names them "family:key"): the words of one
# family ("left:forced") by the word alone, a pair of words ("pair:one_of") by the tuple of its words, the
# n-grams around the target and the words between it and a valenced word ("around:was_T_to", "between:the")
# by (family, *words) in one table with the features that have no word ("lexicon-score", "target:first").
# A mention's features are then looked up by the words the sentence already holds: no name is built (a new
# string, hashed) per feature, only for the few shown as evidence.
WORD_FAMILIES = ("word:", "left:", "left-far:", "right:", "right-far:", "left-dist:", "right-dist:")
PAIR = "pair:"
NGRAM_FAMILIES = ("left2:", "right2:", "around:", "left3:", "right3:", "around2:", "between:")
OTHER = ""  # the table of the features with no word, and of the n-grams keyed (family, *words)
NAMES = "*"  # a feature map's own names: the model's weights as the file names them

# A feature segment: a family (a table of the model), the keys of its features in that table (unique), and
# their values (None: all 1.0). A mention's features are a few segments, in the order of its feature map.
Segment = tuple[str, Sequence, Sequence[float] | None]


@dataclass(frozen=True, eq=False)
class SentimentModel:
    """Weights per feature (one per class), intercepts, and where they came from."""

    weights: dict[str, tuple[float, float, float, float]]  # per class, then positive minus negative
    intercept: tuple[float, float, float]
    meta: dict
    known: frozenset[str] = frozenset()  # words seen in lowercase in training: other capitalised words are names
    # The intercepts' push toward positive, and its evidence entry: the same for every score.
    _baseline: tuple[float, tuple[str, float]] = field(init=False, repr=False)
    _tables: dict[str, dict] = field(init=False, repr=False)  # the weights by family and key (see WORD_FAMILIES)

    def __post_init__(self) -> None:
        baseline = self.intercept[2] - self.intercept[0]
        object.__setattr__(self, "_baseline", (baseline, (BASELINE, round(baseline, 3))))
        tables: dict[str, dict] = {family: {} for family in (*WORD_FAMILIES, PAIR, OTHER)}
        for name, row in self.weights.items():
            family, colon, key = name.partition(":")
            family += colon
            if family in WORD_FAMILIES:
                tables[family][key] = row
            elif family == PAIR:
                tables[PAIR][tuple(key.split("_"))] = row
            elif family in NGRAM_FAMILIES:
                tables[OTHER][(family, *key.split("_"))] = row
            else:
                tables[OTHER][name] = row
        tables[NAMES] = self.weights
        object.__setattr__(self, "_tables", tables)

    def partial(self, features: dict[str, float], *, top: int = TOP) -> Partial:
        """The weighted sums of some features, and the strongest of them: a sentence's share, computed once."""
        return self.partial_segments([(NAMES, features.keys(), features.values())], top=top)

    def partial_segments(self, segments: Sequence[Segment], *, top: int = TOP) -> Partial:
        """`partial` of features given as segments (a sentence's, SentenceView.segments)."""
        found = self._weigh(segments)
        if found is None:
            return Partial((), top=top)
        neg, neu, pos, pushes, labels = found
        # How far each feature pushed the score toward positive (or negative): what evidence shows.
        moved = _strongest_labelled(labels, pushes, top)
        return Partial(tuple(moved[:top]), (neg, neu, pos), top=top)

    def score(self, features: dict[str, float], *, shared: Partial | None = None, top: int = TOP) -> Scored:
        """Score a feature map (plus a shared partial): P(positive) - P(negative), the likeliest label, and the
        features that moved the score most.

        Scoring `features` with the partial of other features (a sentence's) gives exactly the score of the
        other features and these in one map, when none is in both.
        """
        return self.score_segments([(NAMES, features.keys(), features.values())], shared=shared, top=top)

    def score_segments(self, segments: Sequence[Segment], *, shared: Partial | None = None, top: int = TOP) -> Scored:
        """`score` of features given as segments (a mention's, mention_segments): the same score and evidence
        as for their feature map."""
        if shared is not None and shared.top < top:
            raise ValueError(f"a partial kept its {shared.top} strongest features; {top} asked")
        neg, neu, pos = ((), (), ()) if shared is None else shared.terms
        moved: list[tuple[float, str, float]] | tuple[tuple[float, str, float], ...] = []
        found = self._weigh(segments)
        if found is not None:
            negs, neus, poss, pushes, labels = found
            neg, neu, pos = neg + negs, neu + neus, pos + poss
            if shared is not None and len(shared.moved) == top:
                # Only a feature as strong as the weakest the sentence shows can be shown: those alone are
                # taken (|push| >= floor, spelled without abs) and sorted with the sentence's.
                moved = _named(_as_strong(range(len(pushes)), pushes, -shared.moved[-1][0]), labels)
            else:
                moved = _strongest_labelled(labels, pushes, top)
        if shared is not None:
            # The strongest of the union are the strongest of the sentence's and these together.
            moved = sorted(moved + list(shared.moved)) if moved else shared.moved
        # The shared terms, then these, summed at once (sum adds in order up to Python 3.11 and compensates
        # from 3.12 on): exactly the sums of the shared features and these in one map, on any Python.
        base = self.intercept
        neg, neu, pos = base[0] + sum(neg), base[1] + sum(neu), base[2] + sum(pos)
        high = max(neg, neu, pos)
        exps = (math.exp(neg - high), math.exp(neu - high), math.exp(pos - high))
        best = exps.index(max(exps))  # the first likeliest class, as max(range(3), key=...) would give
        shown = moved[:top]
        kept = [(name, round(push, 3)) for _, name, push in shown]
        # The rest, so that the pushes shown add up to the log-odds of positive over negative: many small
        # features can outweigh the few large ones.
        baseline, baseline_shown = self._baseline
        rest = (pos - neg) - baseline - sum([push for _, _, push in shown])
        kept += [(OTHERS, round(rest, 3)), baseline_shown]
        return Scored(round((exps[2] - exps[0]) / sum(exps), 4), LABELS[best], tuple(kept))

    def _weigh(self, segments: Sequence[Segment]) -> tuple[Sequence, ...] | None:
        """The weight x value of each of the model's features among the segments', per class, then the pushes
        (positive minus negative) and the features' labels (family, key): None when the model knows none."""
        # The segments' keys looked up table by table into one list, then kept and multiplied at once (map and
        # compress run at C speed; a few calls per segment, none per feature).
        tables = self._tables
        weights: list = []
        keys: list = []
        values: list = []
        families: list = []
        for family, seg_keys, seg_values in segments:
            weights += map(tables[family].get, seg_keys)
            keys += seg_keys
            values += [1.0] * len(seg_keys) if seg_values is None else seg_values
            families += [family] * len(seg_keys)
        rows = list(compress(weights, weights))
        if not rows:
            return None
        values = list(compress(values, weights))
        if values.count(1.0) != len(values):  # most features are there or not (1.0): no product to take
            # Spelled out rather than a generator per row: a third of a mention's features have a value.
            rows = [w if v == 1.0 else (w[0] * v, w[1] * v, w[2] * v, w[3] * v) for w, v in zip(rows, values, strict=False)]
        labels = _Labels(list(compress(families, weights)), list(compress(keys, weights)))
        # Not strict: the rows are each of four, by construction (measured 3%).
        return (*zip(*rows, strict=False), labels)


class _Labels:
    """The features' families and keys, kept apart: a label (family, key) is made for the few shown only."""

    __slots__ = ("families", "keys")

    def __init__(self, families: list[str], keys: list) -> None:
        self.families, self.keys = families, keys


def feature_name(family: str, key: str | tuple[str, ...]) -> str:
    """The name of the feature `key` of a table `family` of the model, as the model file names it."""
    if family == NAMES or family == OTHER and isinstance(key, str):
        return key  # type: ignore[return-value]
    if family == OTHER:
        return key[0] + "_".join(key[1:])
    if family == PAIR:
        return PAIR + "_".join(key)
    return family + key  # type: ignore[operator]


def _named(moved: list[tuple[float, int, float]], labels: _Labels) -> list[tuple[float, str, float]]:
    """(-|push|, name, push) of features given by index: names are built for the few that may be shown."""
    families, keys = labels.families, labels.keys
    return [(strength, feature_name(families[i], keys[i]), push) for strength, i, push in moved]


def _strongest_labelled(labels: _Labels, pushes: Sequence[float], top: int) -> list[tuple[float, str, float]]:
    """`_strongest` of labelled features, each named before the sort (names break ties in strength)."""
    if len(pushes) <= top:
        return sorted(_named(list(zip(map(neg_, map(abs, pushes)), range(len(pushes)), pushes, strict=True)), labels))
    return sorted(_named(_as_strong(range(len(pushes)), pushes, sorted(map(abs, pushes))[-top]), labels))


def _strongest(names: Sequence[str], pushes: Sequence[float], top: int) -> list[tuple[float, str, float]]:
    """(-|push|, name, push) of the features, sorted: the `top` strongest, and any tied with the weakest of them."""
    if len(pushes) <= top:
        return sorted(zip(map(neg_, map(abs, pushes)), names, pushes, strict=True))
    # Only a feature as strong as the top-th can be among the top: sort those alone.
    return sorted(_as_strong(names, pushes, sorted(map(abs, pushes))[-top]))


def _as_strong(names: Sequence[str], pushes: Sequence[float], floor: float) -> list[tuple[float, str, float]]:
    """(-|push|, name, push) of the features whose |push| is at least `floor` (>= 0), in their order."""
    low = -floor  # |p| >= floor spelled without abs: abs is taken only for the few kept
    return [(-abs(p), n, p) for n, p in zip(names, pushes, strict=True) if p >= floor or p <= low]


@dataclass(frozen=True)
class Partial:
    """The weighted terms per class of some features, and the `top` among them that moved the score most."""

    moved: tuple[tuple[float, str, float], ...]  # (-|push|, feature, push), strongest first
    terms: tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]] = ((), (), ())  # weight x value, in order
    top: int = TOP  # how many of the strongest `moved` kept: a score may show as many, not more


def load_model(path: str | Path = MODEL_FILE) -> SentimentModel:
    """Load a model file written by benchmarks/train_sentiment.py (gzipped JSON)."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    names = data["features"]
    rows = data["weights"]
    weights = {name: (row[0], row[1], row[2], row[2] - row[0]) for name, row in zip(names, rows, strict=True)}
    return SentimentModel(weights, tuple(data["intercept"]), data.get("meta", {}), frozenset(data.get("known", ())))


@functools.lru_cache(maxsize=1)
def default_model() -> SentimentModel:
    """The shipped model, loaded once per process."""
    return load_model()


@dataclass(frozen=True)
class SentenceView:
    """What every mention of one sentence shares: its words, the words with a valence, its clauses, and
    the features that do not depend on the mention."""

    words: tuple[tuple[int, int, str], ...]
    valenced: tuple[tuple[int, int, float], ...]  # (word index, offset, valence)
    clauses: tuple[tuple[int, int], ...]
    segments: tuple[Segment, ...]  # the features that do not depend on the mention, keyed as the model is
    negations: tuple[int, ...]  # offsets of the words that negate ("not", "never", "didn't")
    tokens: tuple[str, ...] = ()  # the words alone (words[i][2]), which every mention's features slice

    @functools.cached_property
    def features(self) -> dict[str, float]:
        """The features that do not depend on the mention, by name."""
        return _feature_map(self.segments)


def _feature_map(segments: Sequence[Segment]) -> dict[str, float]:
    """The features of some segments by name: the map that scoring the segments scores."""
    features: dict[str, float] = {}
    for family, keys, values in segments:
        names = [feature_name(family, key) for key in keys]
        features.update(zip(names, values) if values is not None else dict.fromkeys(names, 1.0))
    return features


def _words(sentence: str, known: frozenset[str] = frozenset()) -> tuple[tuple[int, int, str], ...]:
    """The words of a sentence, lowercased; a capitalised word that is not a known lowercase word is "<name>",
    a number "<number>".

    Names are masked so that the model learns how a sentence speaks of someone, not whom it names: the
    training news (US politics, 2017-2019) would otherwise teach it a prior about each person and state.
    """
    # Each word's masked form is remembered (per set of known words): news repeats its words, and a lookup
    # costs less than lowering and testing each word again.
    masked = _MASKED.get(known)
    if masked is None or len(masked) > 100_000:  # bounded: a long run meets ever more names and numbers
        if len(_MASKED) > 4:
            _MASKED.clear()
        masked = _MASKED[known] = {}
    words = []
    for match in WORD.finditer(sentence):
        token = match.group()
        lowered = masked.get(token)
        if lowered is None:
            lowered = masked[token] = _mask(token, known)
        words.append((match.start(), match.end(), lowered))
    return tuple(words)


_MASKED: dict[frozenset[str], dict[str, str]] = {}


def _mask(token: str, known: frozenset[str]) -> str:
    token = token.replace("’", "'")
    lowered = token.lower()
    if token[0].isupper() and lowered not in known:
        return NAME
    if token[0].isdigit():
        return NUMBER  # "2014", "30-minute": a number says nothing of whom a sentence judges
    return lowered


@functools.lru_cache(maxsize=512)
def sentence_view(sentence: str, lexicon: SentimentLexicon, known: frozenset[str] = frozenset()) -> SentenceView:
    """The shared part of the features of a sentence's mentions; cached, as a sentence often holds several.

    `known` are the words the model knows in lowercase (SentimentModel.known): other capitalised words are names.
    """
    words = _words(sentence, known)
    tokens = [w[2] for w in words]
    # The sentence's words and word pairs say what the sentence is about and how it tells it: keyed by the
    # words themselves (the pairs as zip gives them), each once, in order.
    segments: list[Segment] = [
        ("word:", list(dict.fromkeys(tokens)), None),
        (PAIR, list(dict.fromkeys(zip(["<s>", *tokens], tokens, strict=False))), None),
    ]
    features: dict[str, float] = {}
    positive = negative = 0.0
    valenced = []
    get = lexicon.valence.get
    hits = [(index, value) for index, token in enumerate(tokens) if (value := get(token))]
    if hits:
        negations = frozenset([i for i, t in enumerate(tokens) if t in _NEGATE or t.endswith("n't")])
    for index, value in hits:
        # VADER's rules: a negation in the three words before flips and damps, a booster before strengthens.
        if negations and (index - 1 in negations or index - 2 in negations or index - 3 in negations):
            value *= N_SCALAR
        if index and tokens[index - 1] in BOOSTER_DICT:
            boost = BOOSTER_DICT[tokens[index - 1]]
            value += boost if value > 0 else -boost
        valenced.append((index, words[index][0], value))
        if value > 0:
            positive += value
        else:
            negative -= value
    features["lexicon:positive"] = positive / 4
    features["lexicon:negative"] = negative / 4
    if positive or negative:
        features["lexicon:sentence-compound"] = normalize(positive - negative)
    if any(c in sentence for c in QUOTES):
        features["voice:quote-in-sentence"] = 1.0
    segments.append((OTHER, list(features), list(features.values())))
    clauses = tuple(clause_spans(sentence, 0, len(sentence)))
    offsets = tuple(w[0] for w in words if w[2] in NEGATIONS or w[2].endswith("n't"))
    return SentenceView(words, tuple(valenced), clauses, tuple(segments), offsets, tuple(tokens))


def target_features(
    sentence: str,
    view: SentenceView,
    start: int,
    end: int,
    *,
    others: Sequence[tuple[int, int]] = (),
    quoted: bool | None = None,
    lexicon: SentimentLexicon | None = None,
    lexicon_score: float | None = None,
) -> dict[str, float]:
    """The features of the mention sentence[start:end] that depend on where it stands (offsets in the sentence).

    `lexicon_score` is the lexicon method's score for the mention when the caller has it already.
    """
    segments = mention_segments(
        sentence, view, start, end, others=others, quoted=quoted, lexicon=lexicon, lexicon_score=lexicon_score
    )
    return _feature_map(segments)


def mention_segments(
    sentence: str,
    view: SentenceView,
    start: int,
    end: int,
    *,
    others: Sequence[tuple[int, int]] = (),
    quoted: bool | None = None,
    lexicon: SentimentLexicon | None = None,
    lexicon_score: float | None = None,
) -> list[Segment]:
    """`target_features` keyed as the model's tables are (SentimentModel.score_segments scores them): the
    words of each window, then the rest, in the order of the feature map."""
    lexicon = lexicon or default_sentiment()
    words = view.words
    first_inside = bisect_left(words, start, key=_word_start)
    first_right = bisect_left(words, end, key=_word_start)
    left = first_inside if first_inside == 0 or words[first_inside - 1][1] <= start else first_inside - 1
    tokens = view.tokens or tuple(w[2] for w in words)
    far, near, right = max(0, left - FAR), max(0, left - NEAR), first_right
    # The words of each window, each once (the first of a repeated word counts).
    segments: list[Segment] = [
        ("left:", list(dict.fromkeys(tokens[near:left])), None),
        ("left-far:", list(dict.fromkeys(tokens[far:near])), None),
        ("right:", list(dict.fromkeys(tokens[right : right + NEAR])), None),
        ("right-far:", list(dict.fromkeys(tokens[right + NEAR : right + FAR])), None),
        # The same words weighed by nearness (1/distance; the nearest occurrence of a word counts), so that the
        # word next to the target counts more than one ten words away (measured: +0.4 cross-validated).
        ("left-dist:", *_by_nearness(tokens[far:left][::-1])),
        ("right-dist:", *_by_nearness(tokens[right : right + FAR])),
    ]
    l1 = words[left - 1][2] if left > 0 else "<s>"
    l2 = words[left - 2][2] if left > 1 else "<s>"
    r1 = words[first_right][2] if first_right < len(words) else "</s>"
    r2 = words[first_right + 1][2] if first_right + 1 < len(words) else "</s>"
    # Three words each side, and two around: "was forced to T", "T was caught lying" (measured: +0.5 cross-validated).
    l3 = words[left - 3][2] if left > 2 else "<s>"
    r3 = words[first_right + 2][2] if first_right + 2 < len(words) else "</s>"
    keys: list[str | tuple[str, ...]] = [
        ("left2:", l2, l1),
        ("right2:", r1, r2),
        ("around:", l1, "T", r1),
        ("left3:", l3, l2, l1),
        ("right3:", r1, r2, r3),
        ("around2:", l2, l1, "T", r1, r2),
    ]
    values = [1.0] * 6
    if first_right - first_inside == 1 and words[first_inside][2] in PRONOUNS:
        keys.append("target:pronoun")
        values.append(1.0)
    if left == 0:
        keys.append("target:first")
        values.append(1.0)
    if r1 in ("'s", "s") or sentence[end : end + 2] in ("'s", "’s"):
        keys.append("target:possessive")
        values.append(1.0)
    # The target's clause: the lexicon method's own score, and the lexicon's valences by side and distance.
    low, high = next(((a, b) for a, b in view.clauses if start < b), (0, len(sentence)))
    if lexicon_score is None:
        in_clause = [(s, e) for s, e in others if low <= s and e <= high and (s, e) != (start, end)]
        spans = [(start, end), *in_clause]
        lexicon_score = clause_sentiment(sentence, low, high, spans, lexicon=lexicon)[(start, end)]
    if lexicon_score:
        keys += ["lexicon-score", "lexicon-score:positive" if lexicon_score > 0 else "lexicon-score:negative"]
        values += [lexicon_score, 1.0]
    if view.valenced:
        valences: dict[str, float] = {}
        clause_total = 0.0
        for index, w_start, value in view.valenced:
            if start <= w_start < end:
                continue
            in_clause = low <= w_start < high
            if index < first_inside:
                key = _VALENCE_KEYS[0, left - index <= NEAR, in_clause]
            else:
                key = _VALENCE_KEYS[1, index - first_right < NEAR, in_clause]
            if in_clause:
                clause_total += value
            valences[key] = valences.get(key, 0.0) + value / 4
        keys += valences
        values += valences.values()
        if clause_total:
            keys.append("lexicon:clause-compound")
            values.append(normalize(clause_total))
        _nearest_valence(view, left, first_right, keys, values)
    if any(low <= offset < high for offset in view.negations):
        keys.append("clause:negation")
        values.append(1.0)
    if quoted is None:
        quoted = _in_quotes(sentence, start)
    if quoted:
        keys.append("voice:quoted")
        values.append(1.0)
    segments.append((OTHER, keys, values))
    return segments


# The lexicon's valences by (side: left 0, right 1; near; in the target's clause).
_VALENCE_KEYS = {
    (side, near, clause): f"lexicon:{('left', 'right')[side]}-{'near' if near else 'far'}-"
    + ("clause" if clause else "sentence")
    for side in (0, 1)
    for near in (False, True)
    for clause in (False, True)
}


def _by_nearness(tokens: Sequence[str]) -> tuple[list[str], Sequence[float]]:
    """Words from the target outward, each once, and its nearness (1/distance) where it first stands."""
    unique = list(dict.fromkeys(tokens))
    if len(unique) == len(tokens):
        return unique, _NEARNESS[: len(unique)]
    return unique, [_NEARNESS[tokens.index(t)] for t in unique]


def mention_features(
    sentence: str,
    start: int,
    end: int,
    *,
    others: Sequence[tuple[int, int]] = (),
    quoted: bool | None = None,
    lexicon: SentimentLexicon | None = None,
    known: frozenset[str] | None = None,
) -> dict[str, float]:
    """All the features of the mention sentence[start:end]: the sentence's, then the mention's own.

    `others` are the other mentions of the sentence; `quoted` says whether the mention stands in quoted
    speech (None: read from the quotation marks of the sentence); `known` the lowercase words of the
    model (None: the shipped model's).
    """
    lexicon = lexicon or default_sentiment()
    view = sentence_view(sentence, lexicon, default_model().known if known is None else known)
    own = target_features(sentence, view, start, end, others=others, quoted=quoted, lexicon=lexicon)
    return {**view.features, **own}


def _nearest_valence(view: SentenceView, left: int, right: int, keys: list, values: list[float]) -> None:
    """The valenced word nearest the target (in words), by side and distance, and the words between them.

    What lies between says whether the valence reaches the target: "Smith condemned" vs "Smith said the
    plan was condemned" (the "between:" words and the distance band).
    """
    nearest = None
    for index, _, value in view.valenced:
        if left <= index < right:
            continue
        distance = left - index if index < left else index - right + 1
        if nearest is None or distance < nearest[0]:
            nearest = (distance, index, value)
    if nearest is None:
        return
    distance, index, value = nearest
    between = view.tokens[index + 1 : left] if index < left else view.tokens[right:index]
    between_keys = [("between:", t) for t in dict.fromkeys(between)]
    keys += between_keys
    values += [1.0] * len(between_keys)
    band = "1" if distance <= 1 else str(NEAR) if distance <= NEAR else str(FAR) if distance < FAR else "far"
    side = "left" if index < left else "right"
    keys.append("nearest:" + ("positive" if value > 0 else "negative") + "-" + side + "-" + band)
    values.append(1.0)


_NEARNESS = tuple(1.0 / distance for distance in range(1, FAR + 1))  # the value of a word `distance` away


def _word_start(word: tuple[int, int, str]) -> int:
    return word[0]


def _in_quotes(sentence: str, start: int) -> bool:
    opened = sentence.count("“", 0, start) - sentence.count("”", 0, start)
    straight = sentence.count('"', 0, start) % 2
    return opened > 0 or straight == 1


def score_mention(
    text: str,
    start: int,
    end: int,
    *,
    others: Sequence[tuple[int, int]] | None = None,
    lexicon: SentimentLexicon | None = None,
    model: SentimentModel | None = None,
) -> Scored:
    """The model's sentiment toward text[start:end] within its sentence, with the features that moved it."""
    low, high = sentence_at(sentences(text), start, end)
    sentence = text[low:high]
    if others is None:
        others = [(m.start() + low, m.end() + low) for m in PROPER.finditer(sentence)]
    inside = [(s - low, e - low) for s, e in others if low <= s and e <= high]
    model = model or default_model()
    features = mention_features(sentence, start - low, end - low, others=inside, lexicon=lexicon, known=model.known)
    return model.score(features)
