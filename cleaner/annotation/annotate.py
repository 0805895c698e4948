"""Stage 2: framing markers and per-entity sentiment over a cleaned document. Never changes the text."""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cleaner.annotation.entities import EntityList, Mention, load_entities
from cleaner.annotation.framing import Lexicon, load_lexicon
from cleaner.annotation.sentences import clause_spans, sentences
from cleaner.annotation.sentiment import METHODS, SentimentLexicon, added, clause_sentiment, load_sentiment, rounded
from cleaner.annotation.sentiment_model import SentimentModel, default_model, sentence_view
from cleaner.annotation.voice import Quotes, is_pronoun, reported_speaker
from cleaner.document import Document, EntityReport, Evidence, Marker


@dataclass(frozen=True)
class Annotator:
    """Everything stage 2 needs, loaded and compiled once per run."""

    lexicon: Lexicon
    entities: EntityList
    sentiment: SentimentLexicon
    model: SentimentModel | None = None  # None: entity sentiment by the lexicon method alone


def load_annotator(
    dirs: Sequence[str | Path] = (), *, shipped: bool = True, disable: Sequence[str] = (), sentiment: str = "model"
) -> Annotator:
    """Load the framing axes, entities and sentiment lexicon (shipped, then each DIR over them).

    `sentiment` is "model" (the shipped trained model, the lexicon among its features) or "lexicon".
    """
    if sentiment not in METHODS:
        raise ValueError(f"sentiment must be one of {', '.join(METHODS)}, not {sentiment!r}")
    return Annotator(
        load_lexicon(dirs, shipped=shipped, disable=disable),
        load_entities(dirs, shipped=shipped),
        load_sentiment(dirs, shipped=shipped),
        default_model() if sentiment == "model" else None,
    )


@functools.lru_cache(maxsize=1)
def default_annotator() -> Annotator:
    """The shipped lexicons, loaded once per process."""
    return load_annotator()


def annotate(doc: Document | str, *, annotator: Annotator | None = None) -> Document:
    """Return `doc` with framing markers and entity sentiment added; its text is never changed."""
    if isinstance(doc, str):
        doc = Document(text=doc)
    annotator = annotator or default_annotator()
    text = doc.text
    spans = sentences(text)  # once per document: attribution and sentiment both read sentences
    quoted = Quotes(text, spans)
    mentions = annotator.entities.mentions(text, spans)

    def voice(start: int, end: int) -> str:
        return "narrative" if quoted.at(start, end) is None else "quoted"

    def resolve(who: str | None, at: int) -> str | None:
        if who is None:
            return None
        if is_pronoun(who):
            people = [m for m in mentions if m.type == "person" and m.end <= at]
            return people[-1].entity if people else who
        return annotator.entities.name_of(who) or who

    markers = []
    for match in annotator.lexicon.find(text):
        where = voice(match.start, match.end)
        if where == "quoted":
            index = quoted.at(match.start, match.end)
            assert index is not None
            speaker = resolve(quoted.speaker(index), quoted.spans[index][0])
        else:
            speaker = resolve(reported_speaker(text, match.start, match.end, spans), match.start)
        words = text[match.start : match.end]
        markers.append(Marker(match.axis, match.variant, words, match.start, match.end, where, speaker))
    return doc.evolve(markers=tuple(markers), entities=_entity_reports(text, spans, mentions, voice, annotator))


def _entity_reports(
    text: str,
    spans: Sequence[tuple[int, int]],
    mentions: list[Mention],
    voice: Callable[[int, int], str],
    annotator: Annotator,
) -> tuple[EntityReport, ...]:
    # Each mention's sentence: the sentence it starts in (mentions and sentences are both in text order).
    sentence_of: dict[tuple[int, int], tuple[int, int]] = {}
    starts = [low for low, _ in spans]
    for mention in mentions:
        index = bisect_right(starts, mention.start) - 1
        if index >= 0 and mention.start < spans[index][1]:
            sentence_of[(mention.start, mention.end)] = spans[index]
    voices = {(m.start, m.end): voice(m.start, m.end) for m in mentions}
    if annotator.model is None:
        scores = _lexicon_scores(text, sentence_of, annotator.sentiment)
    else:
        scores = _model_scores(text, sentence_of, voices, annotator)
    by_entity: dict[str, list[Evidence]] = defaultdict(list)
    types: dict[str, str] = {}
    for mention in mentions:
        span = (mention.start, mention.end)
        s_start, s_end = sentence_of.get(span, span)
        score, features = scores.get(span, (0.0, ()))
        by_entity[mention.entity].append(Evidence(text[s_start:s_end], score, voices[span], *span, features))
        types[mention.entity] = mention.type
    reports = []
    for entity, evidence in by_entity.items():
        narrative = [e.score for e in evidence if e.voice == "narrative"]
        in_quotes = [e.score for e in evidence if e.voice == "quoted"]
        reports.append(
            EntityReport(
                entity=entity,
                type=types[entity],
                mentions=len(evidence),
                sentiment=_mean([e.score for e in evidence]),
                narrative=_mean(narrative) if narrative else None,
                quoted=_mean(in_quotes) if in_quotes else None,
                evidence=tuple(evidence),
            )
        )
    # Most mentioned first; the name breaks ties, so the order is stable.
    return tuple(sorted(reports, key=lambda r: (-r.mentions, r.entity)))


def _lexicon_scores(
    text: str, sentence_of: dict[tuple[int, int], tuple[int, int]], lexicon: SentimentLexicon
) -> dict[tuple[int, int], tuple[float, tuple[tuple[str, float], ...]]]:
    """Each mention scored by the lexicon method within its clause, the clause read once for all its mentions."""
    clauses: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for sentence, members in _by_sentence(sentence_of).items():
        bounds = clause_spans(text, *sentence)
        for span in members:
            clauses[bounds[bisect_right(bounds, (span[0], len(text))) - 1]].append(span)
    scores: dict[tuple[int, int], tuple[float, tuple[tuple[str, float], ...]]] = {}
    for (low, high), members in clauses.items():
        found = clause_sentiment(text, low, high, members, lexicon=lexicon)
        scores.update((span, (score, ())) for span, score in found.items())
    return scores


def _model_scores(
    text: str,
    sentence_of: dict[tuple[int, int], tuple[int, int]],
    voices: dict[tuple[int, int], str],
    annotator: Annotator,
) -> dict[tuple[int, int], tuple[float, tuple[tuple[str, float], ...]]]:
    """Each mention scored by the model within its sentence, the other mentions of the sentence as context."""
    scores: dict[tuple[int, int], tuple[float, tuple[tuple[str, float], ...]]] = {}
    model, lexicon = annotator.model, annotator.sentiment
    assert model is not None
    for (low, high), spans in _by_sentence(sentence_of).items():
        sentence = text[low:high]
        view = sentence_view(sentence, lexicon, model.known)
        shared = model.sentence_partial(view)  # once per sentence: most features do not depend on the mention
        local = [(s - low, e - low) for s, e in spans]
        by_clause: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
        for start, end in local:
            by_clause[next((c for c in view.clauses if start < c[1]), (0, len(sentence)))].append((start, end))
        lexicon_scores: dict[tuple[int, int], float] = {}
        for (c_low, c_high), members in by_clause.items():
            lexicon_scores.update(clause_sentiment(sentence, c_low, c_high, members, lexicon=lexicon))
        for (start, end), span in zip(local, spans, strict=True):
            scored = model.score_target(
                sentence,
                view,
                start,
                end,
                shared=shared,
                quoted=voices[span] == "quoted",
                lexicon=lexicon,
                lexicon_score=lexicon_scores[(start, end)],
            )
            scores[span] = (scored.score, scored.features)
    return scores


def _by_sentence(sentence_of: dict[tuple[int, int], tuple[int, int]]) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """The mentions (spans) of each sentence, in text order."""
    members: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for span, sentence in sentence_of.items():
        members[sentence].append(span)
    return members


def _mean(values: list[float]) -> float:
    return rounded(added(values) / len(values), 4)
