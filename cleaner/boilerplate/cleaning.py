"""Stage 1: remove boilerplate with rules, recording every removal against the text before cleaning.

Rules run one after another in ruleset order; each sees the text the rules before it left. A pass
over all rules repeats until it removes nothing, so a cleaned text is a fixed point: cleaning it
again removes nothing more (idempotence by construction, not by luck of rule order).

Every document has a time budget for all its rules (`seconds`), so a pattern that backtracks
catastrophically on some text raises RuleTimeout naming the rule instead of hanging the run. The
budget is a SIGALRM timer around the document: Python's `re` checks for signals while it matches,
so the alarm interrupts even a runaway match, at no cost per pattern call (the `regex` module's
timeout argument, measured, made each call ten times slower). Signals reach only the main thread:
elsewhere (Dask's worker threads) a document runs without a budget.
"""

from __future__ import annotations

import functools
import re
import signal
import threading
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

from cleaner.boilerplate.ruleset import LineFilter, Rule, Ruleset, default_ruleset
from cleaner.document import Document, Removal
from cleaner.errors import RuleTimeout

DOC_SECONDS = 5.0  # real documents take milliseconds: this only stops a runaway pattern


def clean(doc: Document | str, *, ruleset: Ruleset | None = None, seconds: float | None = DOC_SECONDS) -> Document:
    """Return `doc` with boilerplate removed and each removal recorded; a string is wrapped first.

    Raises RuleTimeout when the rules take more than `seconds` on this document (None: no budget).
    """
    if isinstance(doc, str):
        doc = Document(text=doc)
    ruleset = ruleset or default_ruleset()
    rules = ruleset.for_document(doc.outlet, doc.lang)
    line_filter = ruleset.line_filter(doc.outlet, doc.lang)
    if seconds is None or not _can_alarm():
        return _clean(doc, rules, line_filter)
    with _alarm(seconds):
        return _clean(doc, rules, line_filter, seconds)


def _clean(doc: Document, rules: tuple[Rule, ...], line_filter: LineFilter, seconds: float = 0.0) -> Document:
    view = _View.of(doc)
    removals = list(doc.removed)
    date = doc.date
    # A line rule's verdict on a line depends only on the line's text: kept for the repeat passes.
    verdicts: list[dict[str, re.Match[str] | None]] = [{} for _ in rules]
    filtered = line_filter.filtered
    changed = bool(rules)
    while changed:
        changed = False
        for position, (rule, seen) in enumerate(zip(rules, verdicts, strict=True)):
            try:
                candidates = None
                if position in filtered:
                    candidates = view.candidates(line_filter)[position]
                    if not candidates:
                        continue  # no line it could match: most rules on most documents
                spans, captured = _find(rule, view, seen, candidates)
            except _OutOfTime:
                raise RuleTimeout(rule.id, seconds) from None
            if not spans:
                continue
            if date is None and captured:
                date = captured
            removals.extend(view.removals(spans, rule))
            view = view.without(spans)
            changed = True
    if len(removals) == len(doc.removed):
        return doc if date == doc.date else doc.evolve(date=date)
    removals.sort(key=lambda r: r.start)
    return doc.evolve(text=view.text, removed=tuple(removals), date=date)


_LIST_MARKS = frozenset({"- ", "* ", "• "})


class _OutOfTime(BaseException):
    """Raised by the alarm inside whatever rule is running (BaseException: no `except Exception` eats it)."""


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _ring(signum: int, frame: object) -> None:
    raise _OutOfTime


_ARMED: list[bool] = []  # non-empty while a document's alarm is set


def cut_short() -> None:
    """End the document being cleaned now, as if its budget ran out (a run asked to stop calls this from
    its signal handler, so a stop is not kept waiting by a slow document)."""
    if _ARMED:
        signal.setitimer(signal.ITIMER_REAL, 1e-3)


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """SIGALRM after `seconds`; the caller's own handler and timer are put back afterwards."""
    previous = signal.signal(signal.SIGALRM, _ring)
    delay, interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    _ARMED.append(True)
    try:
        yield
    finally:
        _ARMED.clear()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if delay:  # someone else's timer was running: let it go on (less the time spent here)
            signal.setitimer(signal.ITIMER_REAL, max(delay - seconds, 1e-3), interval)


class _Line(NamedTuple):
    start: int  # offset of the line's first character in the current text
    end: int  # offset of its line break (or the end of the text)
    stripped: str
    words: int


# NamedTuple's own constructor is Python code; tuple.__new__ builds the same object in C (the
# line index is built a few times per document: this halves its cost).
_new_line = functools.partial(tuple.__new__, _Line)


class _View:
    """The current text as kept segments of the original, with the offset map between the two."""

    __slots__ = ("_candidates", "_lines", "_offsets", "_texts", "original", "segments", "text")

    def __init__(self, original: str, segments: list[tuple[int, int]], text: str):
        self.original = original
        self.segments = segments
        self.text = text
        offsets, total = [], 0
        for start, end in segments:
            offsets.append(total)
            total += end - start
        self._offsets = offsets  # current-text offset where each segment begins
        self._lines: list[_Line] | None = None
        self._texts: set[str] | None = None
        self._candidates: list[list[int]] | None = None

    @classmethod
    def of(cls, doc: Document) -> _View:
        if not doc.removed:
            return cls(doc.text, [(0, len(doc.text))], doc.text)
        original = doc.original
        segments, position = [], 0
        for removal in sorted(doc.removed, key=lambda r: r.start):
            if removal.start > position:
                segments.append((position, removal.start))
            position = removal.end
        if position < len(original):
            segments.append((position, len(original)))
        return cls(original, segments, doc.text)

    @property
    def lines(self) -> list[_Line]:
        """The non-blank lines of the current text."""
        if self._lines is None:
            # The hottest loop of cleaning (built once per view): plain tuples, no per-line regex.
            lines: list[_Line] = []
            append, start, new_line = lines.append, 0, _new_line
            for raw in self.text.split("\n"):
                length = len(raw)
                if length and not raw.isspace():
                    stripped = raw.strip()
                    if stripped[:2] in _LIST_MARKS:
                        # trafilatura writes a list item as "- item": rules judge the item's text.
                        stripped = stripped[2:].lstrip()
                    words = stripped.count(" ") + 1
                    if "  " in stripped or "\t" in stripped or "\r" in stripped:
                        words = len(stripped.split())
                    append(new_line((start, start + length, stripped, words)))
                start += length + 1
            self._lines = lines
        return self._lines

    @property
    def texts(self) -> set[str]:
        """The distinct texts of the non-blank lines."""
        if self._texts is None:
            self._texts = {line.stripped for line in self.lines}
        return self._texts

    def candidates(self, line_filter: LineFilter) -> list[list[int]]:
        """For each rule position, the indexes (into `lines`) of the lines the filter says it could match."""
        if self._candidates is None:
            per_rule: list[list[int]] = [[] for _ in range(line_filter.size)]
            candidates = line_filter.candidates
            for index, line in enumerate(self.lines):
                for position in candidates(line.stripped):
                    per_rule[position].append(index)
            self._candidates = per_rule
        return self._candidates

    def window(self, rule: Rule) -> range:
        """Indexes (into `lines`) of the lines a rule may match, by its `where`."""
        count = len(self.lines)
        if rule.where == "top":
            return range(min(rule.within, count))
        if rule.where == "bottom":
            return range(max(0, count - rule.within), count)
        return range(count)

    def line_span(self, first: int, last: int) -> tuple[int, int]:
        """Current-text span that removes lines first..last whole, with the break that separates them."""
        lines = self.lines
        if last + 1 < len(lines):
            # Take the lines and the break (blank lines too) up to the next line, keeping its indent.
            start, end = lines[first].start, lines[last + 1].start - _indent(self.text, lines[last + 1].start)
        else:
            # The last line has no break after it: take the break before it instead.
            start, end = (lines[first - 1].end if first > 0 else 0), len(self.text)
        # A break is not taken across an earlier removal: that would split this one in two pieces,
        # one of them a lone line break (seen with "Body\nAdvertisement\nShare this article").
        index = bisect_right(self._offsets, lines[first].start) - 1
        start = max(start, self._offsets[index])
        index = bisect_right(self._offsets, max(lines[last].end - 1, 0)) - 1
        seg_start, seg_end = self.segments[index]
        end = max(lines[last].end, min(end, self._offsets[index] + seg_end - seg_start))
        return start, end

    def removals(self, spans: list[tuple[int, int]], rule: Rule) -> list[Removal]:
        """Removals, in original offsets, for current-text spans (a span over an earlier gap splits)."""
        out = []
        for start, end in spans:
            index = bisect_right(self._offsets, start) - 1
            while start < end:
                seg_start, seg_end = self.segments[index]
                offset = self._offsets[index]
                piece_end = min(end, offset + seg_end - seg_start)
                original_start = seg_start + start - offset
                original_end = seg_start + piece_end - offset
                out.append(
                    Removal(
                        rule.id, rule.category, original_start, original_end, self.original[original_start:original_end]
                    )
                )
                start = piece_end
                index += 1
        return out

    def without(self, spans: list[tuple[int, int]]) -> _View:
        """The view after removing current-text spans (sorted and disjoint)."""
        segments: list[tuple[int, int]] = []
        span_index = 0
        for (seg_start, seg_end), offset in zip(self.segments, self._offsets, strict=True):
            cursor = offset
            seg_cur_end = offset + seg_end - seg_start
            while span_index < len(spans) and spans[span_index][0] < seg_cur_end:
                start, end = spans[span_index]
                if start > cursor:
                    segments.append((seg_start + cursor - offset, seg_start + start - offset))
                cursor = max(cursor, min(end, seg_cur_end))
                if end > seg_cur_end:
                    break  # the span goes on into the next segment
                span_index += 1
            if cursor < seg_cur_end:
                segments.append((seg_start + cursor - offset, seg_end))
        pieces, position = [], 0
        for start, end in spans:
            pieces.append(self.text[position:start])
            position = end
        pieces.append(self.text[position:])
        return _View(self.original, segments, "".join(pieces))


def _indent(text: str, line_start: int) -> int:
    """Leading whitespace length of the line starting at line_start (kept when the line before goes)."""
    end = line_start
    while end < len(text) and text[end] in " \t":
        end += 1
    return end - line_start


def _find(
    rule: Rule, view: _View, seen: dict[str, re.Match[str] | None], candidates: list[int] | None = None
) -> tuple[list[tuple[int, int]], str | None]:
    """Current-text spans the rule removes (sorted, merged) and a captured date, if any.

    `candidates`, when given, are the only lines (indexes, ascending) the rule could match: the others
    are known not to match it, and are not tried.
    """
    if rule.kind == "structure":
        return [], None  # found in the page's HTML at extraction (cleaner/io/extract.py), never in text
    if rule.kind == "span":
        return _find_spans(rule, view)
    if rule.kind == "block":
        return _merge(_find_blocks(rule, view, seen, _within(rule, view, candidates))), None
    lines = view.lines
    spans: list[tuple[int, int]] = []
    captured = None
    fullmatch, max_words = rule.pattern.fullmatch, rule.max_words
    if candidates is None and seen and rule.where == "anywhere" and view.texts <= seen.keys():
        # Every line was judged by this rule already and none matched, or it would be gone.
        return spans, None
    for index in _within(rule, view, candidates):
        line = lines[index]
        if max_words is not None and line.words > max_words:
            continue
        stripped = line.stripped
        if stripped in seen:
            match = seen[stripped]
        else:
            match = seen[stripped] = fullmatch(stripped)
        if match:
            spans.append(view.line_span(index, index))
            captured = captured or _date(match)
    return _merge(spans), captured


def _within(rule: Rule, view: _View, candidates: list[int] | None) -> range | list[int]:
    """The line indexes to try the rule on: its window, or the candidates in its window."""
    window = view.window(rule)
    if candidates is None:
        return window
    return candidates if rule.where == "anywhere" else [index for index in candidates if index in window]


def _find_spans(rule: Rule, view: _View) -> tuple[list[tuple[int, int]], str | None]:
    text, lines = view.text, view.lines
    window = view.window(rule)
    if not window:
        return [], None
    start, end = (0, len(text)) if rule.where == "anywhere" else (lines[window[0]].start, lines[window[-1]].end)
    spans: list[tuple[int, int]] = []
    captured = None
    for match in rule.pattern.finditer(text, start, end):
        a, b = match.span()
        if a == b:
            continue
        captured = captured or _date(match)
        line_start = text.rfind("\n", 0, a) + 1
        line_end = text.find("\n", b)
        line_end = len(text) if line_end < 0 else line_end
        before, after = text[line_start:a], text[b:line_end]
        if before.strip() or after.strip():
            # A span leaves no dangling spaces at a line's edge, so patterns can start with their
            # literal (a pattern starting with [ \t]* is tried at every position: 50x slower).
            if not after.strip():
                a, b = line_start + len(before.rstrip(" \t")), line_end
            elif not before.strip():
                b += len(after) - len(after.lstrip(" \t"))
                a = line_start
            spans.append((a, b))
            continue
        # The span was all a line held: take the line whole, as a line rule would, not leave it blank.
        first = _line_index(lines, line_start)
        last = _line_index(lines, line_end)
        spans.append(view.line_span(first, last) if first is not None and last is not None else (a, b))
    return _merge(spans), captured


def _line_index(lines: list[_Line], offset: int) -> int | None:
    """Index of the non-blank line containing offset (start or end inclusive)."""
    low, high = 0, len(lines) - 1
    while low <= high:
        mid = (low + high) // 2
        if lines[mid].end < offset:
            low = mid + 1
        elif lines[mid].start > offset:
            high = mid - 1
        else:
            return mid
    return None


def _find_blocks(
    rule: Rule, view: _View, seen: dict[str, re.Match[str] | None], indexes: range | list[int]
) -> list[tuple[int, int]]:
    lines = view.lines
    spans = []
    resume = 0
    for first in indexes:
        if first < resume:
            continue  # inside the block just found: a block is not searched for inside another one
        line = lines[first]
        if rule.max_words is not None and line.words > rule.max_words:
            continue
        stripped = line.stripped
        if stripped not in seen:
            seen[stripped] = rule.pattern.fullmatch(stripped)
        if not seen[stripped]:
            continue
        last = _block_end(rule, lines, first)
        if last is None:
            continue
        span = view.line_span(first, last)
        if rule.contains is not None and not rule.contains.search(view.text, span[0], span[1]):
            continue
        spans.append(span)
        resume = last + 1
    return spans


def _block_end(rule: Rule, lines: list[_Line], first: int) -> int | None:
    """Index of the block's last line, or None when the block does not close as the rule requires."""
    limit = min(len(lines), first + rule.max_lines)
    if rule.end_of_document:
        return len(lines) - 1 if len(lines) <= limit else None
    if rule.end is not None:
        for index in range(first + 1, limit):
            if rule.end.fullmatch(lines[index].stripped):
                return index
        return None
    last = first
    while last + 1 < limit and rule.while_ is not None and rule.while_.fullmatch(lines[last + 1].stripped):
        last += 1
    return last if last > first else None


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _date(match: object) -> str | None:
    groups = match.groupdict()  # type: ignore[attr-defined]
    value = groups.get("date")
    return value.strip() if value else None
