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

    def evolve(self, **changes: Any) -> Document:
        """Return a copy with the given fields changed (documents are immutable)."""
        return replace(self, **changes)

    @property
    def original(self) -> str:
        """The text before cleaning, rebuilt from the cleaned text and the removals."""
        return restore(self.text, self.removed)

    def to_record(self) -> dict[str, Any]:
        """The JSONL record of this document (stage 1 fields, in a stable order)."""
        return {
            "id": self.id,
            "source": self.source,
            "outlet": self.outlet,
            "lang": self.lang,
            "title": self.title,
            "date": self.date,
            "text": self.text,
            "removed": [r.to_dict() for r in self.removed],
        }


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
