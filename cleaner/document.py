"""The document value that flows through the stages, and the record of what cleaning removed."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class Removal:
    """A span cleaning removed: which rule, and where it stood in the text before cleaning."""

    rule: str
    category: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "category": self.category, "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class Marker:
    """A framing choice in the cleaned text: which axis and variant, where, and in whose voice."""

    axis: str
    variant: str
    text: str
    start: int
    end: int
    voice: str  # "narrative" (the outlet's own words) or "quoted" (inside quotation marks)
    speaker: str | None = None  # who the text attributes it to, where it does

    def to_dict(self) -> dict[str, Any]:
        return {
            "axis": self.axis, "variant": self.variant, "text": self.text, "start": self.start,
            "end": self.end, "voice": self.voice, "speaker": self.speaker,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class Evidence:
    """One mention's sentence, the sentiment toward the mention in it, and the features that moved it most."""

    sentence: str
    score: float
    voice: str
    start: int
    end: int
    # (feature, push toward positive) of the trained model, strongest first, then the rest and the baseline
    # (cleaner.annotation.sentiment_model.Scored); empty under the lexicon method
    features: tuple[tuple[str, float], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "sentence": self.sentence, "score": self.score, "voice": self.voice, "start": self.start, "end": self.end,
            "features": [{"feature": name, "push": push} for name, push in self.features],
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class EntityReport:
    """Sentiment toward one entity in one document: mean over mentions, narrative and quoted apart."""

    entity: str
    type: str
    mentions: int
    sentiment: float
    narrative: float | None
    quoted: float | None
    evidence: tuple[Evidence, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity, "type": self.type, "mentions": self.mentions, "sentiment": self.sentiment,
            "narrative": self.narrative, "quoted": self.quoted, "evidence": [e.to_dict() for e in self.evidence],
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class Document:
    """One article. `text` is the current text; `removed` indexes the text before cleaning."""

    text: str
    id: str = ""
    source: str = ""
    outlet: str | None = None
    lang: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None
    removed: tuple[Removal, ...] = field(default=())
    markers: tuple[Marker, ...] | None = None  # None until the document is annotated
    entities: tuple[EntityReport, ...] | None = None
    warnings: tuple[str, ...] = ()  # what a reader should know: a rule ran out of time, a page's UTF-8 was broken

    def evolve(self, **changes: Any) -> Document:
        """Return a copy with the given fields changed (documents are immutable)."""
        return replace(self, **changes)

    @property
    def original(self) -> str:
        """The text before cleaning, rebuilt from the cleaned text and the removals."""
        return restore(self.text, self.removed)

    def to_record(self) -> dict[str, Any]:
        """The JSONL record of this document: stage 1 fields, then stage 2's once annotated."""
        record = {
            "id": self.id,
            "source": self.source,
            "outlet": self.outlet,
            "lang": self.lang,
            "title": self.title,
            "date": self.date,
            "text": self.text,
            "removed": [r.to_dict() for r in self.removed],
            "warnings": list(self.warnings),
        }
        if self.markers is not None:
            record["markers"] = [m.to_dict() for m in self.markers]
        if self.entities is not None:
            record["entities"] = [e.to_dict() for e in self.entities]
        return record


def restore(text: str, removed: tuple[Removal, ...] | list[Removal]) -> str:
    """Rebuild the text before cleaning from a cleaned text and its removals (disjoint spans)."""
    pieces: list[str] = []
    position = 0  # offset in the original text
    taken = 0  # characters of `text` used so far
    for removal in sorted(removed, key=lambda r: r.start):
        kept = removal.start - position  # original characters kept between two removals
        pieces.append(text[taken : taken + kept])
        pieces.append(removal.text)
        taken += kept
        position = removal.end
    pieces.append(text[taken:])
    return "".join(pieces)
