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
from typing import SupportsIndex

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


# What _weigh gives: the summed weight x value per class (negative, neutral, positive), and the features whose
# push is at least the floor asked, as (-|push|, name, push).
_Weighed = tuple[float, float, float, list[tuple[float, str, float]]]


@dataclass(frozen=True, eq=False)
class SentimentModel:
    """Weights per feature (one per class), intercepts, and where they came from."""

    weights: dict[str, tuple[float, float, float, float]]  # per class, then positive minus negative
    intercept: tuple[float, float, float]
    meta: dict
    known: frozenset[str] = frozenset()  # words seen in lowercase in training: other capitalised words are names
    # The intercepts' push toward positive, and its evidence entry: the same for every score.
    _baseline: tuple[float, tuple[str, float]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        baseline = self.intercept[2] - self.intercept[0]
        object.__setattr__(self, "_baseline", (baseline, (BASELINE, round(baseline, 3))))

    def partial(self, features: dict[str, float], *, top: int = TOP) -> Partial:
        """The weighted sums of some features, and the strongest of them: a sentence's share, computed once."""
        neg, neu, pos, pushed = self._weigh(features, 0.0, 0.0, 0.0, 0.0)
        # How far each feature pushed the score toward positive (or negative): what evidence shows.
        return Partial(tuple(_strongest(pushed, top)[:top]), (neg, neu, pos), top=top)

    def score(self, features: dict[str, float], *, shared: Partial | None = None, top: int = TOP) -> Scored:
        """Score a feature map (plus a shared partial): P(positive) - P(negative), the likeliest label, and the
        features that moved the score most.

        Scoring `features` with the partial of other features (a sentence's) gives exactly the score of the
        other features and these in one map, when none is in both: the sums go on from the partial's, in the
        order of the one map.
        """
        if shared is not None and shared.top < top:
            raise ValueError(f"a partial kept its {shared.top} strongest features; {top} asked")
        neg, neu, pos = (0.0, 0.0, 0.0) if shared is None else shared.sums
        if shared is not None and len(shared.moved) == top:
            # Only a feature as strong as the weakest the sentence shows can be shown: those alone are
            # kept and sorted with the sentence's.
            neg, neu, pos, pushed = self._weigh(features, -shared.moved[-1][0], neg, neu, pos)
            moved = sorted(pushed + list(shared.moved)) if pushed else list(shared.moved)
        else:
            neg, neu, pos, pushed = self._weigh(features, 0.0, neg, neu, pos)
            moved = _strongest(pushed + list(shared.moved) if shared is not None else pushed, top)
        base = self.intercept
        neg, neu, pos = base[0] + neg, base[1] + neu, base[2] + pos
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

    def _weigh(self, features: dict[str, float], floor: float, neg: float, neu: float, pos: float) -> _Weighed:
        """The sums `neg`, `neu`, `pos` plus the weight x value of each of the model's features among `features`,
        per class, added one by one in the map's order; and (-|push|, name, push) of those whose push (positive
        minus negative) is at least `floor` (>= 0) either way."""
        # Running sums rather than lists of terms: compiled (hatch_build.py), the sums are machine floats and
        # no weight is boxed, and only the few features strong enough to be shown are kept. Added one by one,
        # left to right, on any Python (sum() compensates from 3.12 on): a score with a partial gives exactly
        # what one map gives.
        get = self.weights.get
        low = -floor
        pushed: list[tuple[float, str, float]] = []
        for name, value in features.items():
            w = get(name)
            if w is None:
                continue
            if value == 1.0:  # most features are there or not (1.0): no product to take
                neg += w[0]
                neu += w[1]
                pos += w[2]
                push = w[3]
            else:
                neg += w[0] * value
                neu += w[1] * value
                pos += w[2] * value
                push = w[3] * value
            if push >= floor or push <= low:  # |push| >= floor, spelled without abs: abs for the few kept
                pushed.append((-abs(push), name, push))
        return neg, neu, pos, pushed


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
    features: dict[str, float]
    negations: tuple[int, ...]  # offsets of the words that negate ("not", "never", "didn't")
    tokens: tuple[str, ...] = ()  # the words alone (words[i][2]), which every mention's features slice


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
    # The sentence's words and word pairs say what the sentence is about and how it tells it. (Lists and
    # dict.fromkeys rather than one loop: this runs for every sentence with a mention.)
    keys = ["word:" + t for t in tokens]
    keys += ["pair:" + a + "_" + b for a, b in zip(["<s>", *tokens], tokens, strict=False)]
    features = dict.fromkeys(keys, 1.0)
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
    return SentenceView(words, tuple(valenced), clauses, features, offsets, tuple(tokens))


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
    lexicon = lexicon or default_sentiment()
    words = view.words
    first_inside = bisect_left(words, start, key=_word_start)
    first_right = bisect_left(words, end, key=_word_start)
    left = first_inside if first_inside == 0 or words[first_inside - 1][1] <= start else first_inside - 1
    # Slices of the words alone (comprehensions: measured cheaper than map over str.__add__ or a loop).
    tokens = view.tokens or tuple(w[2] for w in words)
    far, near, right = max(0, left - FAR), max(0, left - NEAR), first_right
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
    l1 = words[left - 1][2] if left > 0 else "<s>"
    l2 = words[left - 2][2] if left > 1 else "<s>"
    r1 = words[first_right][2] if first_right < len(words) else "</s>"
    r2 = words[first_right + 1][2] if first_right + 1 < len(words) else "</s>"
    features["left2:" + l2 + "_" + l1] = 1.0
    features["right2:" + r1 + "_" + r2] = 1.0
    features["around:" + l1 + "_T_" + r1] = 1.0
    # Three words each side, and two around: "was forced to T", "T was caught lying" (measured: +0.5 cross-validated).
    l3 = words[left - 3][2] if left > 2 else "<s>"
    r3 = words[first_right + 2][2] if first_right + 2 < len(words) else "</s>"
    features["left3:" + l3 + "_" + l2 + "_" + l1] = 1.0
    features["right3:" + r1 + "_" + r2 + "_" + r3] = 1.0
    features["around2:" + l2 + "_" + l1 + "_T_" + r1 + "_" + r2] = 1.0
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
    _nearest_valence(view, left, first_right, features)
    if any(low <= offset < high for offset in view.negations):
        features["clause:negation"] = 1.0
    if quoted is None:
        quoted = _in_quotes(sentence, start)
    if quoted:
        features["voice:quoted"] = 1.0
    return features


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


def _nearest_valence(view: SentenceView, left: int, right: int, features: dict[str, float]) -> None:
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
    between = view.words[index + 1 : left] if index < left else view.words[right:index]
    features.update(dict.fromkeys(["between:" + w[2] for w in between], 1.0))
    band = "1" if distance <= 1 else str(NEAR) if distance <= NEAR else str(FAR) if distance < FAR else "far"
    side = "left" if index < left else "right"
    features["nearest:" + ("positive" if value > 0 else "negative") + "-" + side + "-" + band] = 1.0


_NEARNESS = tuple(1.0 / distance for distance in range(1, FAR + 1))  # the value of a word `distance` away


def _word_start(word: tuple[int, int, str]) -> int:
    return word[0]


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
    features = mention_features(sentence, start - low, end - low, others=inside, lexicon=lexicon, known=model.known)
    return model.score(features)
