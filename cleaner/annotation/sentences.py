"""Sentence and clause boundaries: what attribution and sentiment are scoped to."""

from __future__ import annotations

import functools
import re

# A sentence ends at . ! ? (and any closing quote or bracket) before a space and a capital or an opening quote.
_END = re.compile(r"[.!?…][”\"’)\]]*(?=\s+[“\"‘(\[]?[A-Z0-9])|\n")
# "U.S. President", "Aug. 18", "Mr. Smith": a period that ends an abbreviation, not a sentence.
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]\.(?:[A-Z]\.)+|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sen|Rep|Gov|Prof|St|Jr|Sr|No|vs|etc|Jan|Feb|Mar|Apr"
    r"|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.K|U\.N)\.)$"
)
# Where a sentence changes who or what it talks about: contrast, a new clause, a semicolon or dash.
_CONTRAST = "but|while|whereas|although|though|yet|however|even as"
# Led by one character class so the regex engine skips ahead to candidates (twice as fast as ",?\s+...").
_CLAUSE = re.compile(
    rf"[,;\s—–](?:(?<=,)\s+(?:and|as)\s+(?=[A-Z])|(?<=,)\s+(?:{_CONTRAST})\s+|(?<=\s)(?:{_CONTRAST})\s+"
    r"|(?<=;)\s*|(?<=\s)[—–]\s+)"
)


def sentences(text: str) -> tuple[tuple[int, int], ...]:
    """[start, end) of each sentence, never across a line break; whitespace between them left out."""
    return _sentences(text)


@functools.lru_cache(maxsize=256)
def _sentences(text: str) -> tuple[tuple[int, int], ...]:
    # Cached: attribution asks for the sentences of the same paragraph once per marker and quote in it.
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(text):
        end = match.end() if match.group() != "\n" else match.start()
        if match.group() != "\n" and _ABBREVIATION.search(text, max(start, end - 12), end):
            continue
        _add(text, start, end, spans)
        start = match.end()
    _add(text, start, len(text), spans)
    return tuple(spans)


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clauses of the sentence text[start:end], in order; the separators between them belong to none."""
    spans, low = [], start
    for match in _CLAUSE.finditer(text, start, end):
        spans.append((low, match.start()))
        low = match.end()
    spans.append((low, end))
    return spans


def clause_bounds(text: str, start: int, end: int, offset: int) -> tuple[int, int]:
    """The clause of text[start:end] (a sentence) that contains offset."""
    for low, high in clause_spans(text, start, end):
        if offset < high:
            return low, high
    return start, end
