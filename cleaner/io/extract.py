"""Main-text extraction from HTML with trafilatura, keeping the metadata a record carries.

What the page's structure tells about the extracted text (a first line that repeats the page's own
title) is recorded as removals by the `structure` rules of the ruleset, with offsets into the
extracted text, so `explain` and `restore` see them like any other removal.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import trafilatura

from cleaner.boilerplate.ruleset import Rule, Ruleset, default_ruleset
from cleaner.document import Removal

# A title is often the headline plus the site's name or section: "Headline | Site", "Site - Headline".
TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", ": ")
MAX_TITLE_AFFIX_WORDS = 6  # a longer remainder is a second headline, not a site name
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "`": "'"})
_SPACES = re.compile(r"\s+")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")


def extract_html(html: bytes | str, *, ruleset: Ruleset | None = None) -> dict[str, Any] | None:
    """The article's main text (comments excluded) with title, date, sitename and url; None if there is none.

    `removed` holds what the structure rules took out of the extracted text (offsets into it); `text`
    is the text without them.
    """
    result = trafilatura.bare_extraction(html, include_comments=False, with_metadata=True)
    if result is None:
        return None
    text = (result.text or "").replace("\r\n", "\n")
    if not text.strip():
        return None
    removed = structure_removals(text, title=result.title, ruleset=ruleset)
    return {
        "text": _without(text, removed),
        "removed": removed,
        "title": result.title or None,
        "date": result.date or None,
        "sitename": result.sitename or None,
        "url": result.url or None,
    }


def structure_removals(text: str, *, title: str | None, ruleset: Ruleset | None = None) -> tuple[Removal, ...]:
    """Removals that the page's structure calls for, by the ruleset's `structure` rules (none if it has none)."""
    rules = {rule.structure: rule for rule in (ruleset or default_ruleset()).rules if rule.kind == "structure"}
    removals = []
    rule = rules.get("page-title")
    if rule is not None and title:
        span = _title_line(text, title)
        if span is not None:
            removals.append(_removal(rule, text, *span))
    return tuple(removals)


def _title_line(text: str, title: str) -> tuple[int, int] | None:
    """The span of the first line with its break, if it repeats the title (alone or with the site's name)."""
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    line, wanted = _comparable(text[start:end]), _comparable(title)
    if not line or not wanted:
        return None
    if line != wanted and not _affixed(line, wanted):
        return None
    # Take the break after the line too (the next line then starts the text), keeping its indent.
    after = end
    while after < len(text) and text[after] == "\n":
        after += 1
    return 0, after


def _affixed(line: str, title: str) -> bool:
    """Whether the title is the line plus a short site or section name, before or after a separator."""
    for separator in TITLE_SEPARATORS:
        for rest in (title.removeprefix(line + separator), title.removesuffix(separator + line)):
            if rest != title and 0 < len(rest.split()) <= MAX_TITLE_AFFIX_WORDS:
                return True
    return False


def _comparable(line: str) -> str:
    """A line as compared with a title: NFKC, one kind of quote, single spaces, no edge punctuation, any case."""
    line = unicodedata.normalize("NFKC", line).translate(_QUOTES)
    return _EDGE.sub("", _SPACES.sub(" ", line)).casefold()


def _removal(rule: Rule, text: str, start: int, end: int) -> Removal:
    return Removal(rule.id, rule.category, start, end, text[start:end])


def _without(text: str, removed: tuple[Removal, ...]) -> str:
    pieces, position = [], 0
    for removal in sorted(removed, key=lambda r: r.start):
        pieces.append(text[position : removal.start])
        position = removal.end
    pieces.append(text[position:])
    return "".join(pieces)
