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
from operator import index as as_int
from pathlib import Path
from typing import Final, SupportsIndex, cast

from vaderSentiment.vaderSentiment import BOOSTER_DICT, N_SCALAR, NEGATE, normalize

from cleaner.annotation.sentences import clause_spans, sentences
from cleaner.annotation.sentiment import (
    PROPER,
    SentimentLexicon,
    added,
    clause_sentiment,
    default_sentiment,
    rounded,
    sentence_at,
)

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


_Weights = tuple[float, float, float, float]  # per class (negative, neutral, positive), then positive minus negative
# The families of features named by one word ("left:forced"). The model keeps their weights per word too, so
# that annotate looks each word of a sentence up once, and its mentions read their windows from that,
# instead of making and looking up a name per family and word (a name is made only for a feature shown).
FAMILIES = ("word:", "left:", "left-far:", "right:", "right-far:", "left-dist:", "right-dist:", "between:")
_WORD: Final = 0
_LEFT: Final = 1
_LEFT_FAR: Final = 2
_RIGHT: Final = 3
_RIGHT_FAR: Final = 4
_LEFT_DIST: Final = 5
_RIGHT_DIST: Final = 6
_BETWEEN: Final = 7
_Word = tuple[_Weights | None, ...]  # a word's weights per family (FAMILIES), None where the model has none
_Words = tuple[_Word | None, ...]  # a sentence's words' weights, None where the model has none of a word


class _Tally:
    """Sums per class, added feature by feature in the order of a feature map, and the features whose push
    (positive minus negative) is at least `floor` either way, as (-|push|, name, push): those a score may show.

    Added one by one, left to right: a score from a sentence's partial and a mention's features is exactly
    the score of the two in one map, and the same on every Python (as sentiment.added).
    Compiled (hatch_build.py), the sums are machine floats and no weight is boxed.
    """

    def __init__(self, sums: tuple[float, float, float], floor: float) -> None:
        self.neg, self.neu, self.pos = sums
        self.floor = floor
        self.low = -floor  # |push| >= floor spelled without abs: abs is taken only for the few kept
        self.kept: list[tuple[float, str, float]] = []

    def narrow(self, top: int) -> None:
        """Raise the floor to the `top`-th strongest push kept so far, and keep only those as strong: no
        feature weaker than that can be among the `top` strongest of all."""
        if len(self.kept) > top:
            floor = sorted([entry[0] for entry in self.kept])[top - 1]
            self.kept = [entry for entry in self.kept if entry[0] <= floor]
            self.floor, self.low = -floor, floor

    # Each loop below adds weight x value to the sums and keeps the strong (the same lines in each: one
    # method call per feature costs an interpreted run about a tenth of annotate's time). A feature valued
    # 1.0 (most are: there or not) adds its weights as they are: no product to take.

    def add_map(self, features: dict[str, float], weights: dict[str, _Weights]) -> None:
        """Add the features of a map that the model weighs, in the map's order."""
        get = weights.get
        neg, neu, pos, floor, low, kept = self.neg, self.neu, self.pos, self.floor, self.low, self.kept
        for name, value in features.items():
            w = get(name)
            if w is None:
                continue
            if value == 1.0:
                neg += w[0]
                neu += w[1]
                pos += w[2]
                push = w[3]
            else:
                neg += w[0] * value
                neu += w[1] * value
                pos += w[2] * value
                push = w[3] * value
            if push >= floor or push <= low:
                kept.append((-abs(push), name, push))
        self.neg, self.neu, self.pos = neg, neu, pos

    def add_words(self, view: SentenceView, words: _Words, lo: int, hi: int, family: int) -> None:
        """Add the family's feature of each word from lo to hi (a window: a word repeated counts once)."""
        head = FAMILIES[family]
        tokens, previous = view.tokens, view.previous
        neg, neu, pos, floor, low, kept = self.neg, self.neu, self.pos, self.floor, self.low, self.kept
        for i in range(lo, hi):
            record = words[i]
            if record is None:
                continue
            w = record[family]
            if w is None or previous[i] >= lo:
                continue
            neg += w[0]
            neu += w[1]
            pos += w[2]
            push = w[3]
            if push >= floor or push <= low:
                kept.append((-abs(push), head + tokens[i], push))
        self.neg, self.neu, self.pos = neg, neu, pos

    def add_pairs(self, view: SentenceView, pairs: dict[str, dict[str, _Weights]]) -> None:
        """Add the sentence's word pairs ("pair:a_b", the first word paired with "<s>"), a pair repeated once."""
        tokens, previous = view.tokens, view.previous
        neg, neu, pos, floor, low, kept = self.neg, self.neu, self.pos, self.floor, self.low, self.kept
        before = "<s>"
        for i, token in enumerate(tokens):
            followers = pairs.get(before)
            w = followers.get(token) if followers is not None else None
            if w is not None and not _pair_repeated(tokens, previous, i, before):
                neg += w[0]
                neu += w[1]
                pos += w[2]
                push = w[3]
                if push >= floor or push <= low:
                    kept.append((-abs(push), f"pair:{before}_{token}", push))
            before = token
        self.neg, self.neu, self.pos = neg, neu, pos

    def add_nearness(self, view: SentenceView, words: _Words, first: int, stop: int, family: int) -> None:
        """Add the family's feature of the words from `first` to `stop` (left of it: `stop` < `first`), each
        valued by its nearness (1/distance; a word repeated counts at its nearest: where no nearer one is)."""
        head = FAMILIES[family]
        tokens = view.tokens
        leftward = stop < first
        step, distance, nearer = (-1, first - stop, view.following) if leftward else (1, stop - first, view.previous)
        neg, neu, pos, floor, low, kept = self.neg, self.neu, self.pos, self.floor, self.low, self.kept
        for d in range(distance):
            i = first + d * step
            record = words[i]
            if record is None:
                continue
            w = record[family]
            if w is None or (nearer[i] <= first if leftward else nearer[i] >= first):
                continue
            value = _NEARNESS[d]
            neg += w[0] * value
            neu += w[1] * value
            pos += w[2] * value
            push = w[3] * value
            if push >= floor or push <= low:
                kept.append((-abs(push), head + tokens[i], push))
        self.neg, self.neu, self.pos = neg, neu, pos


def _pair_repeated(tokens: tuple[str, ...], previous: tuple[int, ...], i: int, before: str) -> bool:
    """Whether the pair (before, tokens[i]) stands earlier in the sentence."""
    j = previous[i]
    while j >= 0:
        if (tokens[j - 1] if j > 0 else "<s>") == before:
            return True
        j = previous[j]
    return False


@dataclass(frozen=True, eq=False)
class SentimentModel:
    """Weights per feature (one per class), intercepts, and where they came from.

    The weights are read into per-word tables when the model is made: change them by making a new model.
    """

    weights: dict[str, _Weights]  # per class, then positive minus negative
    intercept: tuple[float, float, float]
    meta: dict
    known: frozenset[str] = frozenset()  # words seen in lowercase in training: other capitalised words are names
    # The intercepts' push toward positive, and its evidence entry: the same for every score.
    _baseline: tuple[float, tuple[str, float]] = field(init=False, repr=False)
    _words: dict[str, _Word] = field(init=False, repr=False)  # the weights of FAMILIES, per word
    _pairs: dict[str, dict[str, _Weights]] = field(init=False, repr=False)  # "pair:a_b" as [a][b]

    def __post_init__(self) -> None:
        baseline = self.intercept[2] - self.intercept[0]
        object.__setattr__(self, "_baseline", (baseline, (BASELINE, round(baseline, 3))))
        slots = {family: slot for slot, family in enumerate(FAMILIES)}
        # The tables hold the weights' own objects (typed object here: compiled, a typed tuple would be
        # unboxed and a copy boxed again, doubling the weights' memory).
        source = cast(dict[str, object], self.weights)
        by_word: dict[str, list[object]] = {}
        pairs: dict[str, dict[str, object]] = {}
        one: dict[str, str] = {}  # each word as one string object, however many tables hold it
        for name, w in source.items():
            if name.startswith("pair:"):
                first, _, second = name[5:].partition("_")
                if "_" in second or not second:
                    continue  # not a pair of words (no word holds "_" or is empty): no sentence has it
                first, second = one.setdefault(first, first), one.setdefault(second, second)
                pairs.setdefault(first, {})[second] = w
                continue
            colon = name.find(":")
            slot = slots.get(name[: colon + 1]) if colon > 0 else None
            if slot is not None:
                word = name[colon + 1 :]
                word = one.setdefault(word, word)
                row = by_word.get(word)
                if row is None:
                    row = by_word[word] = [None] * len(FAMILIES)
                row[slot] = w
        words = {word: tuple(row) for word, row in by_word.items()}
        object.__setattr__(self, "_words", cast(dict[str, _Word], words))
        object.__setattr__(self, "_pairs", cast(dict[str, dict[str, _Weights]], pairs))

    def partial(self, features: dict[str, float], *, top: int = TOP) -> Partial:
        """The weighted sums of a feature map, and the strongest of its features (for a sentence's own
        features, sentence_partial gives the same without making the map)."""
        tally = _Tally((0.0, 0.0, 0.0), 0.0)
        tally.add_map(features, self.weights)
        # How far each feature pushed the score toward positive (or negative): what evidence shows.
        return Partial(tuple(_strongest(tally.kept, top)[:top]), (tally.neg, tally.neu, tally.pos), top=top)

    def sentence_partial(self, view: SentenceView, *, top: int = TOP) -> Partial:
        """partial(sentence_features(view)), without making the map: and the model's weights for each word of
        the sentence, which score_target reads."""
        get = self._words.get
        words = tuple([get(token) for token in view.tokens])
        tally = _Tally((0.0, 0.0, 0.0), 0.0)
        tally.add_words(view, words, 0, len(words), _WORD)
        tally.narrow(top)  # the pairs' names are made only for those as strong as the strongest words
        tally.add_pairs(view, self._pairs)
        tally.add_map(view.lexicon_features, self.weights)
        return Partial(tuple(_strongest(tally.kept, top)[:top]), (tally.neg, tally.neu, tally.pos), top, words)

    def score(self, features: dict[str, float], *, shared: Partial | None = None, top: int = TOP) -> Scored:
        """Score a feature map (plus a shared partial): P(positive) - P(negative), the likeliest label, and the
        features that moved the score most.

        Scoring `features` with the partial of other features (a sentence's) gives exactly the score of the
        other features and these in one map, when none is in both.
        """
        tally = self._tally(shared, top)
        tally.add_map(features, self.weights)
        return self._scored(tally, shared, top)

    def score_target(
        self,
        sentence: str,
        view: SentenceView,
        start: int,
        end: int,
        *,
        shared: Partial,
        others: Sequence[tuple[int, int]] = (),
        quoted: bool | None = None,
        lexicon: SentimentLexicon | None = None,
        lexicon_score: float | None = None,
        top: int = TOP,
    ) -> Scored:
        """The score of the mention sentence[start:end] given its sentence's partial (sentence_partial): exactly
        score(target_features(...), shared=partial(sentence_features(view))), without making the map."""
        if not shared.words and view.tokens:
            raise ValueError("score_target needs the partial of sentence_partial, which holds the words' weights")
        lexicon = lexicon or default_sentiment()
        tally = self._tally(shared, top)
        tokens = view.tokens
        left, first_inside, right = _window(view, start, end)
        n, weights = len(tokens), shared.words
        near, far = max(0, left - NEAR), max(0, left - FAR)
        near_right, far_right = min(n, right + NEAR), min(n, right + FAR)
        # In the order target_features puts them in its map.
        tally.add_words(view, weights, near, left, _LEFT)
        tally.add_words(view, weights, far, near, _LEFT_FAR)
        tally.add_words(view, weights, right, near_right, _RIGHT)
        tally.add_words(view, weights, near_right, far_right, _RIGHT_FAR)
        tally.add_nearness(view, weights, left - 1, far - 1, _LEFT_DIST)
        tally.add_nearness(view, weights, right, far_right, _RIGHT_DIST)
        context, low, high = _context_features(
            sentence, view, start, end, left, first_inside, right, others, lexicon, lexicon_score
        )
        tally.add_map(context, self.weights)
        closing: dict[str, float] = {}
        nearest = _nearest(view, left, right)
        if nearest is not None:
            tally.add_words(view, weights, nearest[0], nearest[1], _BETWEEN)
            closing[nearest[2]] = 1.0
        _closing(closing, sentence, view, start, low, high, quoted)
        tally.add_map(closing, self.weights)
        return self._scored(tally, shared, top)

    def _tally(self, shared: Partial | None, top: int) -> _Tally:
        """A tally that goes on from the shared partial's sums."""
        if shared is None:
            return _Tally((0.0, 0.0, 0.0), 0.0)
        if shared.top < top:
            raise ValueError(f"a partial kept its {shared.top} strongest features; {top} asked")
        # Only a feature as strong as the weakest the sentence shows can be shown: those alone are kept.
        return _Tally(shared.sums, -shared.moved[-1][0] if len(shared.moved) == top else 0.0)

    def _scored(self, tally: _Tally, shared: Partial | None, top: int) -> Scored:
        """The score from a tally (and the partial it went on from)."""
        if shared is None:
            moved = _strongest(tally.kept, top)
        elif len(shared.moved) == top:  # what the tally kept is sorted with the sentence's strongest
            moved = sorted(tally.kept + list(shared.moved)) if tally.kept else list(shared.moved)
        else:
            moved = _strongest(tally.kept + list(shared.moved), top)
        base = self.intercept
        neg, neu, pos = base[0] + tally.neg, base[1] + tally.neu, base[2] + tally.pos
        high = max(neg, neu, pos)
        exps = (math.exp(neg - high), math.exp(neu - high), math.exp(pos - high))
        best = exps.index(max(exps))  # the first likeliest class, as max(range(3), key=...) would give
        shown = moved[:top]
        kept = [(name, rounded(push, 3)) for _, name, push in shown]
        # The rest, so that the pushes shown add up to the log-odds of positive over negative: many small
        # features can outweigh the few large ones.
        baseline, baseline_shown = self._baseline
        rest = (pos - neg) - baseline - added([push for _, _, push in shown])
        kept += [(OTHERS, rounded(rest, 3)), baseline_shown]
        return Scored(rounded((exps[2] - exps[0]) / (exps[0] + exps[1] + exps[2]), 4), LABELS[best], tuple(kept))


def _strongest(pushed: list[tuple[float, str, float]], top: int) -> list[tuple[float, str, float]]:
    """(-|push|, name, push) of the features, sorted: the `top` strongest, and any tied with the weakest of them."""
    if len(pushed) <= top:
        return sorted(pushed)
    # Only a feature as strong as the top-th can be among the top: sort those alone.
    floor = sorted([entry[0] for entry in pushed])[top - 1]
    return sorted([entry for entry in pushed if entry[0] <= floor])


@dataclass(frozen=True)
class Partial:
    """The weighted sums per class of some features, and the `top` among them that moved the score most."""

    moved: tuple[tuple[float, str, float], ...]  # (-|push|, feature, push), strongest first
    sums: tuple[float, float, float] = (0.0, 0.0, 0.0)  # weight x value per class, added in the features' order
    top: int = TOP  # how many of the strongest `moved` kept: a score may show as many, not more
    words: _Words = ()  # a sentence's partial: the model's weights for each of its words


def load_model(path: str | Path = MODEL_FILE) -> SentimentModel:
    """Load a model file written by benchmarks/train_sentiment.py (gzipped JSON)."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    names = data["features"]
    rows = data["weights"]
    # float(): a weight written as a whole number ("2") reads as an int, and evidence shows floats.
    weights = {
        name: (float(row[0]), float(row[1]), float(row[2]), float(row[2]) - float(row[0]))
        for name, row in zip(names, rows, strict=True)
    }
    negative, neutral, positive = data["intercept"]
    intercept = (float(negative), float(neutral), float(positive))
    return SentimentModel(weights, intercept, data.get("meta", {}), frozenset(data.get("known", ())))


@functools.lru_cache(maxsize=1)
def default_model() -> SentimentModel:
    """The shipped model, loaded once per process."""
    return load_model()


@dataclass(frozen=True)
class SentenceView:
    """What every mention of one sentence shares: its words, the words with a valence, its clauses, and
    the lexicon's features of the whole sentence (sentence_features adds its words and word pairs)."""

    words: tuple[tuple[int, int, str], ...]
    valenced: tuple[tuple[int, int, float], ...]  # (word index, offset, valence)
    clauses: tuple[tuple[int, int], ...]
    lexicon_features: dict[str, float]
    negations: tuple[int, ...]  # offsets of the words that negate ("not", "never", "didn't")
    # Read off `words` once (sentence_view), as every mention of the sentence reads them:
    tokens: tuple[str, ...]  # the words alone (words[i][2]), which every mention's features slice
    # for each word, the index of the same word before it and after it (-1 and len(tokens) where none): a
    # window counts a word once
    previous: tuple[int, ...]
    following: tuple[int, ...]
    starts: tuple[int, ...]  # where each word starts (words[i][0]): a target's window is found by bisection


def sentence_features(view: SentenceView) -> dict[str, float]:
    """The features of a sentence that do not depend on the mention: its words and word pairs say what the
    sentence is about and how it tells it; then the lexicon's valences over the whole sentence."""
    keys = ["word:" + t for t in view.tokens]
    keys += _pairs(view.tokens)
    return {**dict.fromkeys(keys, 1.0), **view.lexicon_features}


def _pairs(tokens: Sequence[str]) -> list[str]:
    """The names of a sentence's word-pair features, the first word paired with the start of the sentence."""
    return [f"pair:{a}_{b}" for a, b in zip(["<s>", *tokens], tokens, strict=False)]


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
    clauses = tuple(clause_spans(sentence, 0, len(sentence)))
    offsets = tuple(w[0] for w in words if w[2] in NEGATIONS or w[2].endswith("n't"))
    previous, following = _repeats(tokens)
    starts = tuple([w[0] for w in words])
    return SentenceView(words, tuple(valenced), clauses, features, offsets, tuple(tokens), previous, following, starts)


def _repeats(tokens: list[str]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """For each token, the index of the same token before it (-1 if none) and after it (len(tokens) if none)."""
    last: dict[str, int] = {}
    previous = []
    following = [len(tokens)] * len(tokens)
    for i, token in enumerate(tokens):
        j = last.get(token, -1)
        previous.append(j)
        if j >= 0:
            following[j] = i
        last[token] = i
    return tuple(previous), tuple(following)


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
    SentimentModel.score_target weighs the same features, in the same order, without making this map.
    """
    lexicon = lexicon or default_sentiment()
    left, first_inside, right = _window(view, start, end)
    tokens = view.tokens
    far, near = max(0, left - FAR), max(0, left - NEAR)
    # The words near the target (within 3) and farther (within 10) by side, a word repeated counted once.
    keys = ["left:" + t for t in tokens[near:left]]
    keys += ["left-far:" + t for t in tokens[far:near]]
    keys += ["right:" + t for t in tokens[right : right + NEAR]]
    keys += ["right-far:" + t for t in tokens[right + NEAR : right + FAR]]
    features = dict.fromkeys(keys, 1.0)
    # The same words weighed by nearness (1/distance; the nearest occurrence of a word counts), so that the
    # word next to the target counts more than one ten words away (measured: +0.4 cross-validated).
    for t, value in zip(tokens[far:left][::-1], _NEARNESS, strict=False):
        features.setdefault("left-dist:" + t, value)
    for t, value in zip(tokens[right : right + FAR], _NEARNESS, strict=False):
        features.setdefault("right-dist:" + t, value)
    context, low, high = _context_features(sentence, view, start, end, left, first_inside, right, others, lexicon,
                                           lexicon_score)  # fmt: skip
    features.update(context)
    nearest = _nearest(view, left, right)
    if nearest is not None:
        between, band = nearest[:2], nearest[2]
        features.update(dict.fromkeys(["between:" + t for t in tokens[between[0] : between[1]]], 1.0))
        features[band] = 1.0
    _closing(features, sentence, view, start, low, high, quoted)
    return features


def _window(view: SentenceView, start: int, end: int) -> tuple[int, int, int]:
    """The index of the first word left of the target, of the first inside it, and of the first right of it."""
    first_inside = bisect_left(view.starts, start)
    first_right = bisect_left(view.starts, end)
    left = first_inside if first_inside == 0 or view.words[first_inside - 1][1] <= start else first_inside - 1
    return left, first_inside, first_right


def _context_features(
    sentence: str,
    view: SentenceView,
    start: int,
    end: int,
    left: int,
    first_inside: int,
    first_right: int,
    others: Sequence[tuple[int, int]],
    lexicon: SentimentLexicon,
    lexicon_score: float | None,
) -> tuple[dict[str, float], int, int]:
    """The word n-grams around the target, what the target is, and the lexicon's valences by side, distance
    and clause; and the target's clause (start, end)."""
    words = view.words
    features: dict[str, float] = {}
    l1 = words[left - 1][2] if left > 0 else "<s>"
    l2 = words[left - 2][2] if left > 1 else "<s>"
    r1 = words[first_right][2] if first_right < len(words) else "</s>"
    r2 = words[first_right + 1][2] if first_right + 1 < len(words) else "</s>"
    # (f-strings: one new string each, where + makes one per step)
    features[f"left2:{l2}_{l1}"] = 1.0
    features[f"right2:{r1}_{r2}"] = 1.0
    features[f"around:{l1}_T_{r1}"] = 1.0
    # Three words each side, and two around: "was forced to T", "T was caught lying" (measured: +0.5 cross-validated).
    l3 = words[left - 3][2] if left > 2 else "<s>"
    r3 = words[first_right + 2][2] if first_right + 2 < len(words) else "</s>"
    features[f"left3:{l3}_{l2}_{l1}"] = 1.0
    features[f"right3:{r1}_{r2}_{r3}"] = 1.0
    features[f"around2:{l2}_{l1}_T_{r1}_{r2}"] = 1.0
    if first_right - first_inside == 1 and words[first_inside][2] in PRONOUNS:
        features["target:pronoun"] = 1.0
    if left == 0:
        features["target:first"] = 1.0
    if r1 in ("'s", "s") or sentence[end : end + 2] in ("'s", "’s"):
        features["target:possessive"] = 1.0
    # The target's clause: the lexicon method's own score, and the lexicon's valences by side and distance.
    low, high = next(((a, b) for a, b in view.clauses if start < b), (0, len(sentence)))
    if lexicon_score is None:
        in_clause = [(s, e) for s, e in others if low <= s and e <= high and (s, e) != (start, end)]
        spans = [(start, end), *in_clause]
        lexicon_score = clause_sentiment(sentence, low, high, spans, lexicon=lexicon)[(start, end)]
    if lexicon_score:
        features["lexicon-score"] = lexicon_score
        features["lexicon-score:" + ("positive" if lexicon_score > 0 else "negative")] = 1.0
    clause_total = 0.0
    for index, w_start, value in view.valenced:
        if start <= w_start < end:
            continue
        if index < first_inside:
            key = "lexicon:left-" + ("near" if left - index <= NEAR else "far")
        else:
            key = "lexicon:right-" + ("near" if index - first_right < NEAR else "far")
        if low <= w_start < high:
            key += "-clause"
            clause_total += value
        else:
            key += "-sentence"
        features[key] = features.get(key, 0.0) + value / 4
    if clause_total:
        features["lexicon:clause-compound"] = normalize(clause_total)
    return features, low, high


def _closing(features: dict[str, float], sentence: str, view: SentenceView, start: int, low: int, high: int,
             quoted: bool | None) -> None:  # fmt: skip
    """Add the last features: a negation in the target's clause, and quoted speech (None: read from the
    quotation marks of the sentence)."""
    if any(low <= offset < high for offset in view.negations):
        features["clause:negation"] = 1.0
    if quoted is None:
        quoted = _in_quotes(sentence, start)
    if quoted:
        features["voice:quoted"] = 1.0


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
    return {**sentence_features(view), **own}


def _nearest(view: SentenceView, left: int, right: int) -> tuple[int, int, str] | None:
    """The valenced word nearest the target (in words), by side and distance: the words between them
    (from, to) and its feature's name; None when the sentence has none outside the target.

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
        return None
    distance, index, value = nearest
    band = "1" if distance <= 1 else str(NEAR) if distance <= NEAR else str(FAR) if distance < FAR else "far"
    side = "left" if index < left else "right"
    name = "nearest:" + ("positive" if value > 0 else "negative") + "-" + side + "-" + band
    return (index + 1, left, name) if index < left else (right, index, name)


_NEARNESS = tuple(1.0 / distance for distance in range(1, FAR + 1))  # the value of a word `distance` away


def _in_quotes(sentence: str, start: int) -> bool:
    opened = sentence.count("“", 0, start) - sentence.count("”", 0, start)
    straight = sentence.count('"', 0, start) % 2
    return opened > 0 or straight == 1


def score_mention(
    text: str,
    start: SupportsIndex,
    end: SupportsIndex,
    *,
    others: Sequence[tuple[SupportsIndex, SupportsIndex]] | None = None,
    lexicon: SentimentLexicon | None = None,
    model: SentimentModel | None = None,
) -> Scored:
    """The model's sentiment toward text[start:end] within its sentence, with the features that moved it.

    Offsets may be any integers (numpy's too): they are read with operator.index.
    """
    start, end = as_int(start), as_int(end)
    low, high = sentence_at(sentences(text), start, end)
    sentence = text[low:high]
    if others is None:
        spans = [(m.start() + low, m.end() + low) for m in PROPER.finditer(sentence)]
    else:
        spans = [(as_int(s), as_int(e)) for s, e in others]
    inside = [(s - low, e - low) for s, e in spans if low <= s and e <= high]
    model = model or default_model()
    lexicon = lexicon or default_sentiment()
    view = sentence_view(sentence, lexicon, model.known)
    shared = model.sentence_partial(view)
    return model.score_target(sentence, view, start - low, end - low, shared=shared, others=inside, lexicon=lexicon)
