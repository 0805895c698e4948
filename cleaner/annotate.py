"""Stage 2: framing markers and per-entity sentiment over a cleaned document. Never changes the text."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .document import Document, EntityReport, Evidence, Marker
from .entities import EntityList, Mention, load_entities
from .framing import Lexicon, load_lexicon
from .sentences import sentences
from .sentiment import SentimentLexicon, load_sentiment, target_sentiment
from .voice import is_pronoun, quotes, reported_speaker


@dataclass(frozen=True)
class Annotator:
    """Everything stage 2 needs, loaded and compiled once per run."""

    lexicon: Lexicon
    entities: EntityList
    sentiment: SentimentLexicon


def load_annotator(dirs: Sequence[str | Path] = (), *, shipped: bool = True, disable: Sequence[str] = ()) -> Annotator:
    """Load the framing axes, entities and sentiment lexicon (shipped, then each DIR over them)."""
    return Annotator(
        load_lexicon(dirs, shipped=shipped, disable=disable),
        load_entities(dirs, shipped=shipped),
        load_sentiment(dirs, shipped=shipped),
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
    quoted = quotes(text)
    mentions = annotator.entities.find(text)

    def voice(start: int, end: int) -> str:
        return "quoted" if any(q.start <= start and end <= q.end for q in quoted) else "narrative"

    def resolve(who: str | None, at: int) -> str | None:
        if who is None:
            return None
        if is_pronoun(who):
            people = [m for m in mentions if m.type == "person" and m.end <= at]
            return people[-1].entity if people else who
        named = annotator.entities.find(who)
        return named[0].entity if named else who

    markers = []
    for match in annotator.lexicon.find(text):
        where = voice(match.start, match.end)
        if where == "quoted":
            quote = next(q for q in quoted if q.start <= match.start and match.end <= q.end)
            speaker = resolve(quote.speaker, quote.start)
        else:
            speaker = resolve(reported_speaker(text, match.start, match.end), match.start)
        words = text[match.start : match.end]
        markers.append(Marker(match.axis, match.variant, words, match.start, match.end, where, speaker))
    return doc.evolve(markers=tuple(markers), entities=_entity_reports(text, mentions, voice, annotator))


def _entity_reports(text: str, mentions: list[Mention], voice, annotator: Annotator) -> tuple[EntityReport, ...]:
    spans = sentences(text)
    by_entity: dict[str, list[Evidence]] = defaultdict(list)
    types: dict[str, str] = {}
    for mention in mentions:
        others = [(m.start, m.end) for m in mentions if m is not mention]
        score = target_sentiment(text, mention.start, mention.end, others=others, lexicon=annotator.sentiment)
        s_start, s_end = next(((s, e) for s, e in spans if s <= mention.start < e), (mention.start, mention.end))
        evidence = Evidence(text[s_start:s_end], score, voice(mention.start, mention.end), mention.start, mention.end)
        by_entity[mention.entity].append(evidence)
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


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 4)
