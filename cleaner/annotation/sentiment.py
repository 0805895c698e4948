"""Sentiment toward a span (a mention) rather than toward a whole sentence, built on VADER.

Within the clause that holds the target, each word with a valence (VADER's lexicon with the news
lexicon of rules/sentiment.yaml over it) is given to one mention: the object for a verb of judgment
("praised Putin"), the agent for an act ("Russia's invasion", "an invasion by Russia"), else the
nearest mention. The target's score is VADER's normalisation of what it received, in [-1, 1].

This is the lexicon method (method="lexicon"). By default target_sentiment asks the trained model of
cleaner.annotation.sentiment_model, which reads this lexicon among its features.
"""

from __future__ import annotations

import functools
import math
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress, islice
from operator import index as as_int
from pathlib import Path
from typing import SupportsIndex

from vaderSentiment.vaderSentiment import BOOSTER_DICT, N_SCALAR, NEGATE, SentimentIntensityAnalyzer, normalize

from cleaner.annotation.sentences import clause_bounds, sentences
from cleaner.boilerplate.ruleset import shipped_rules_dir
from cleaner.errors import Problem, RulesetError
from cleaner.rulefiles.validation import FileChecker, read_rule_file
from cleaner.rulefiles.yamlsource import Located

DIRECTIONS = ("any", "agent", "object")
METHODS = ("model", "lexicon")
WORD_KEYS = ("word", "valence", "direction", "reason", "examples")
EXAMPLE_KEYS = ("text", "target", "sign")
SIGNS = ("negative", "neutral", "positive")
TOKEN = re.compile(r"[A-Za-z][A-Za-z’'-]*")
_NEGATE = frozenset(NEGATE)  # VADER's is a list of 59: a set answers `in` at once
_SPAN = re.Match.span
PASSIVE = {"was", "were", "is", "are", "been", "being", "be", "get", "got"}
# A capitalised word not at the start of a sentence stands in for a mention when the caller names none.
PROPER = re.compile(r"(?<=[a-z,;:] )[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*")


@dataclass(frozen=True, eq=False)  # hashed by identity: a cache key for the words of a clause
class SentimentLexicon:
    """Valence (VADER scale) and direction of each word: VADER's lexicon with the news lexicon over it."""

    valence: dict[str, float]
    direction: dict[str, str]
    examples: tuple[WordExample, ...] = ()  # what each word of sentiment.yaml promises, run by `rules check`


@dataclass(frozen=True)
class WordExample:
    """A sentence in which a lexicon word must give `target` this sign (under the lexicon method)."""

    word: str
    text: str
    target: str
    sign: str
    path: str
    line: int


def load_sentiment(dirs: Sequence[str | Path] = (), *, shipped: bool = True) -> SentimentLexicon:
    """VADER's lexicon, then rules/sentiment.yaml, then each DIR/sentiment.yaml over it."""
    valence = dict(_vader().lexicon)
    direction: dict[str, str] = {}
    problems: list[Problem] = []
    examples: list[WordExample] = []
    files = [shipped_rules_dir() / "sentiment.yaml"] if shipped else []
    files += [Path(d) / "sentiment.yaml" for d in dirs if (Path(d) / "sentiment.yaml").is_file()]
    for path in files:
        examples += _load_file(path, problems, valence, direction)
    if problems:
        raise RulesetError(problems)
    return SentimentLexicon(valence, direction, tuple(examples))


@functools.lru_cache(maxsize=1)
def _vader() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


@functools.lru_cache(maxsize=1)
def default_sentiment() -> SentimentLexicon:
    """The shipped sentiment lexicon, loaded once per process."""
    return load_sentiment()


def _load_file(
    path: Path, problems: list[Problem], valence: dict[str, float], direction: dict[str, str]
) -> list[WordExample]:
    check, _, items = read_rule_file(path, problems, what="word", list_key="words", allowed=("words",))
    if items is None:
        return []
    seen: dict[str, int] = {}
    examples: list[WordExample] = []
    for item, line in zip(items, items.item_lines, strict=True):
        if not isinstance(item, Located):
            check.problem(line, "an entry is a mapping with 'word', 'valence', 'direction' and 'reason'")
            continue
        word = check.string(item, "word", None, required=True)
        check.keys(item, WORD_KEYS, word, "")
        check.string(item, "reason", word, required=True)
        if word is None:
            continue
        key = word.casefold()
        if key in seen:  # the later entry would silently replace the earlier one
            check.problem(line, f"duplicate word '{word}' (first at line {seen[key]})", word)
            continue
        seen[key] = line
        examples += _word_examples(item, word, check)
        if "valence" in item:
            value = item["valence"]
            if isinstance(value, bool) or not isinstance(value, int | float) or not -4 <= value <= 4:
                check.problem(item.key_lines["valence"], "'valence' must be a number from -4 to 4", word)
            else:
                valence[key] = float(value)
        elif key not in valence:
            check.problem(line, f"'{word}' is not in VADER's lexicon: give it a 'valence'", word)
        kind = item.get("direction", "any")
        if kind not in DIRECTIONS:
            check.problem(item.key_lines["direction"], f"'direction' must be one of {', '.join(DIRECTIONS)}", word)
        else:
            direction[key] = kind
    return examples


def _word_examples(item: Located, word: str, check: FileChecker) -> list[WordExample]:
    """A word's `examples: [{text, target, sign}]`, checked where they stand: the target must be in the text."""
    spec = item.get("examples", [])
    if not isinstance(spec, list):
        check.problem(item.key_lines["examples"], "'examples' is a list of {text, target, sign}", word)
        return []
    out = []
    for entry in spec:
        line = getattr(entry, "line", item.key_lines["examples"])
        if not isinstance(entry, Located):
            check.problem(line, "an example is a mapping with 'text', 'target' and 'sign'", word)
            continue
        check.keys(entry, EXAMPLE_KEYS, word, "example ")
        text, target = check.string(entry, "text", word, required=True), check.string(entry, "target", word, True)
        sign = entry.get("sign")
        if sign not in SIGNS:
            check.problem(entry.key_lines.get("sign", line), f"'sign' must be one of {', '.join(SIGNS)}", word)
        elif text and target and target not in text:
            check.problem(entry.key_lines["target"], f"target {target!r} is not in the example's text", word)
        elif text and target:
            out.append(WordExample(word, text, target, sign, check.path, line))
    return out


def target_sentiment(
    text: str,
    start: SupportsIndex,
    end: SupportsIndex,
    *,
    others: Sequence[tuple[SupportsIndex, SupportsIndex]] | None = None,
    lexicon: SentimentLexicon | None = None,
    method: str = "model",
) -> float:
    """Sentiment in [-1, 1] expressed toward text[start:end] (a person, state or organisation).

    `others` are the spans of the other mentions in the text; without them, capitalised words
    inside a sentence stand in for mentions. `method` is "model" (the trained model of
    cleaner.annotation.sentiment_model, the default) or "lexicon" (the word lexicon alone).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if method == "model":
        from cleaner.annotation.sentiment_model import score_mention  # the model's features read this module

        return score_mention(text, start, end, others=others, lexicon=lexicon).score
    # Offsets may be any integers (numpy's too), as the interpreted module took them: read with operator.index.
    span = (as_int(start), as_int(end))
    sentence = sentence_at(sentences(text), *span)
    low, high = clause_bounds(text, sentence[0], sentence[1], span[0])
    if others is None:
        spans = [(m.start(), m.end()) for m in PROPER.finditer(text, low, high)]
    else:
        spans = [(as_int(s), as_int(e)) for s, e in others]
    in_clause = [(s, e) for s, e in spans if low <= s and e <= high]
    return clause_sentiment(text, low, high, [span, *in_clause], lexicon=lexicon)[span]


_SCALES = (1.0, 10.0, 100.0, 1000.0, 10000.0)


def added(values: Sequence[float]) -> float:
    """The values added left to right: what sum() gives up to Python 3.11. From 3.12 on sum() compensates,
    which can move the last digit; scores and evidence are the same on every Python with this."""
    total = 0.0
    for value in values:
        total += value
    return total


def rounded(x: float, digits: int) -> float:
    """round(x, digits) of a float, to the bit (sign of zero included), at a fraction of its cost for digits
    0 to 4 (other digits: round() itself).

    round() converts to decimal and back to be exact; that is needed only where x * 10**digits lies within
    a hair of a tie (its error is far below the margin), and there round() decides. Elsewhere the nearest
    integer k of x * 10**digits is round()'s, and k / 10**digits is the double nearest that decimal, as
    round() returns. Evidence rounds every push it shows: round() was a tenth of scoring a mention.
    """
    if not 0 <= digits < len(_SCALES):
        return round(x, digits)
    scale = _SCALES[digits]
    y = x * scale
    if not -1e15 < y < 1e15:  # huge, infinite or not a number: round() as it is
        return round(x, digits)
    k = round(y)
    if abs(y - k) > 0.4999999:
        return round(x, digits)
    return k / scale if k else math.copysign(0.0, x)


def clause_sentiment(
    text: str, low: int, high: int, mentions: Sequence[tuple[int, int]], *, lexicon: SentimentLexicon | None = None
) -> dict[tuple[int, int], float]:
    """The sentiment toward each mention of one clause text[low:high], read in one pass over its words."""
    lexicon = lexicon or default_sentiment()
    spans = sorted(set(mentions))
    totals = dict.fromkeys(spans, 0.0)
    for start, end, value, direction, before, after in _valence_words(text[low:high], lexicon):
        t_start, t_end = low + start, low + end
        if any(s <= t_start < e for s, e in spans):
            continue  # a word of a name ("Good Morning America") says nothing about it
        recipient = _recipient(direction, t_start, t_end, before, after, spans)
        if recipient is not None:
            totals[recipient] += value
    return {span: (rounded(normalize(total), 4) if total else 0.0) for span, total in totals.items()}


@functools.lru_cache(maxsize=4096)
def _valence_words(clause: str, lexicon: SentimentLexicon) -> tuple[tuple[int, int, float, str, list[str], str], ...]:
    """The clause's words that carry valence: offsets, valence after negation and intensifiers, direction,
    the three words before and the word after. Cached per clause: most words carry none."""
    lowered = clause.replace("’", "'").lower()
    if len(lowered) != len(clause):  # a rare character changes length when lowered: word by word instead
        matches = list(TOKEN.finditer(clause))
        words = [m.group().replace("’", "'").lower() for m in matches]
    else:
        matches, words = None, TOKEN.findall(lowered)
    # Valences looked up at C speed (map, compress): most words carry none, and only those that do are read;
    # a clause with none (three in five of real news) never needs its words' offsets.
    valenced = list(compress(range(len(words)), map(lexicon.valence.get, words)))
    if not valenced:
        return ()
    # Offsets up to the last valenced word only, read at C speed.
    spans = list(map(_SPAN, islice(matches or TOKEN.finditer(lowered), valenced[-1] + 1)))
    found = []
    for index in valenced:
        value = lexicon.valence[words[index]]
        before = words[max(0, index - 3) : index]
        if any(w in _NEGATE or w.endswith("n't") for w in before):
            value *= N_SCALAR
        if before and before[-1] in BOOSTER_DICT:
            value += BOOSTER_DICT[before[-1]] if value > 0 else -BOOSTER_DICT[before[-1]]
        after = words[index + 1] if index + 1 < len(words) else ""
        start, end = spans[index]
        found.append((start, end, value, lexicon.direction.get(words[index], "any"), before, after))
    return tuple(found)


def sentence_at(spans: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The sentence span holding offset `start` (spans sorted), or the span itself between sentences."""
    index = bisect_right(spans, (start, len(spans) and spans[-1][1] + 1)) - 1
    if index >= 0 and spans[index][0] <= start < spans[index][1]:
        return spans[index]
    return start, end


def _recipient(
    direction: str, t_start: int, t_end: int, before: list[str], after: str, mentions: list[tuple[int, int]]
) -> tuple[int, int] | None:
    earlier = [m for m in mentions if m[1] <= t_start]
    later = [m for m in mentions if m[0] >= t_end]
    passive = bool(before) and (before[-1] in PASSIVE or (len(before) > 1 and before[-2] in PASSIVE))
    if direction == "object":
        if passive:
            return earlier[-1] if earlier else None
        return later[0] if later else None
    if direction == "agent":
        if after == "by" or passive:
            return later[0] if later else None
        return earlier[-1] if earlier else None
    candidates = [(t_start - m[1], 0, m) for m in earlier] + [(m[0] - t_end, 1, m) for m in later]
    return min(candidates)[2] if candidates else None
