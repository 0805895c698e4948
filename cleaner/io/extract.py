"""Main-text extraction from HTML with trafilatura, keeping the metadata a record carries.

What the page's structure tells about the extracted text (a first line that repeats the page's own
title, lines that come from a list of links to other stories) is recorded as removals by the
`structure` rules of the ruleset, with offsets into the extracted text, so `explain` and `restore`
see them like any other removal.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import trafilatura
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from cleaner.boilerplate.ruleset import Rule, Ruleset, default_ruleset
from cleaner.document import Removal

# A title is often the headline plus the site's name or section: "Headline | Site", "Site - Headline".
TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", ": ")
MAX_TITLE_AFFIX_WORDS = 6  # a longer remainder is a second headline, not a site name
MAX_TITLE_LINE = 3  # the title is looked for in the first lines only, after stamps and kickers
MAX_KICKER_WORDS = 8  # a longer line before the title is a sentence: the article has begun
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "`": "'"})
_SPACES = re.compile(r"\s+")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_LIST_MARK = re.compile(r"^\s*[-*•]\s+")
MIN_LIST_ITEMS = 3  # two links side by side are a pair of sources as often as a list of stories
MIN_HEADLINE_WORDS = 3  # "Home", "World", "Sign in": menu entries, not headlines of other stories
MAX_ITEM_WORDS = 200  # a longer item is an article's own paragraph that happens to hold a link
MIN_LINKED_SHARE = 0.75  # of a list's items that must hold a headline link
INLINE_TAGS = frozenset({"span", "strong", "b", "em", "i", "small", "font", "time", "abbr", "u"})
MIN_RUN_LINES = 2  # one matching line could be the article quoting a headline; a run is the list
MIN_PART_CHARS = 12  # a shorter line found in an item ("Reuters", "More") proves nothing


def extract_html(html: bytes | str, *, ruleset: Ruleset | None = None) -> dict[str, Any] | None:
    """The article's main text (comments excluded) with title, date, sitename and url; None if there is none.

    `removed` holds what the structure rules took out of the extracted text (offsets into it); `text`
    is the text without them.
    """
    # One parse: the link lists are read from the tree before trafilatura prunes it in place.
    tree = load_html(html)
    if tree is None:
        return None
    link_lists = _link_lists(tree)
    result = trafilatura.bare_extraction(tree, include_comments=False, with_metadata=True)
    if result is None:
        return None
    text = (result.text or "").replace("\r\n", "\n")
    if not text.strip():
        return None
    removed = structure_removals(text, title=result.title, link_lists=link_lists, ruleset=ruleset)
    return {
        "text": _without(text, removed),
        "removed": removed,
        "title": result.title or None,
        "date": result.date or None,
        "sitename": result.sitename or None,
        "url": result.url or None,
    }


def structure_removals(
    text: str,
    *,
    title: str | None,
    link_lists: tuple[tuple[str, ...], ...] = (),
    ruleset: Ruleset | None = None,
) -> tuple[Removal, ...]:
    """Removals that the page's structure calls for, by the ruleset's `structure` rules (none if it has none).

    `link_lists` holds, per list of links to other stories on the page, the comparable text of each item.
    """
    rules = {rule.structure: rule for rule in (ruleset or default_ruleset()).rules if rule.kind == "structure"}
    removals = []
    taken = 0  # text before this offset is removed already
    rule = rules.get("page-title")
    if rule is not None and title:
        span = _title_line(text, title)
        if span is not None:
            removals.append(_removal(rule, text, *span))
            taken = span[1]  # the lines before and the title itself are not searched for link lists
    rule = rules.get("link-list")
    if rule is not None and link_lists:
        removals += [_removal(rule, text, start, end) for start, end in _link_list_runs(text, link_lists, taken)]
    return tuple(removals)


def _link_lists(tree: HtmlElement) -> tuple[tuple[str, ...], ...]:
    """Each <ul>/<ol> on the page whose every item holds a link with a headline: its items' texts."""
    found = []
    for element in tree.iter("ul", "ol"):
        items = [child for child in element if child.tag == "li"]
        if len(items) < MIN_LIST_ITEMS:
            continue
        texts = []
        for item in items:
            words = item.text_content().split()
            if len(words) <= MAX_ITEM_WORDS and any(_headline_link(link, item) for link in item.iter("a")):
                texts.append(_comparable(" ".join(words)))
        # A stream of teasers may carry an advertisement or two among the stories.
        if len(texts) >= MIN_LIST_ITEMS and len(texts) >= MIN_LINKED_SHARE * len(items):
            found.append(tuple(texts))
    return tuple(found)


def _headline_link(link: HtmlElement, item: HtmlElement) -> bool:
    """A link to another page that stands as a headline: a few words, the whole text of its block.

    A link inside a sentence ("as <a>the report</a> shows") is the article citing a source; a link
    that is its block's whole text (a heading, a line of its own) is a headline of another story.
    """
    href = (link.get("href") or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:")):
        return False
    words = link.text_content().split()
    if len(words) < MIN_HEADLINE_WORDS:
        return False
    block = link.getparent()
    while block is not None and block is not item and block.tag in INLINE_TAGS:
        block = block.getparent()
    return block is not None and block.text_content().split() == words


def _link_list_runs(text: str, link_lists: tuple[tuple[str, ...], ...], taken: int) -> list[tuple[int, int]]:
    """Spans of runs of at least MIN_RUN_LINES lines that all come from the items of one link list."""
    # A line is found inside an item's text (trafilatura may split an item into headline and summary).
    joined = ["\n".join(items) for items in link_lists]
    lines = []  # (start, end, index of the list the line comes from, or -1)
    position = 0
    for raw in text.split("\n"):
        start, position = position, position + len(raw) + 1
        if not raw.strip():
            continue
        line = _comparable(_LIST_MARK.sub("", raw))
        source = -1
        if start >= taken and len(line) >= MIN_PART_CHARS:
            source = next((k for k, items in enumerate(joined) if line in items), -1)
        lines.append((start, start + len(raw), source))
    spans = []
    index = 0
    while index < len(lines):
        source = lines[index][2]
        last = index
        while last + 1 < len(lines) and source >= 0 and lines[last + 1][2] == source:
            last += 1
        if source >= 0 and last - index + 1 >= MIN_RUN_LINES:
            spans.append(_lines_span(text, lines, index, last))
        index = last + 1
    return spans


def _lines_span(text: str, lines: list[tuple[int, int, int]], first: int, last: int) -> tuple[int, int]:
    """Lines first..last whole with the break after them (or, at the end of the text, the break before)."""
    if last + 1 < len(lines):
        return lines[first][0], lines[last + 1][0]
    start = lines[first][0]
    if first > 0:
        start = lines[first - 1][1]
    return start, len(text)


def _title_line(text: str, title: str) -> tuple[int, int] | None:
    """The span (with its break) of the line that repeats the title (alone or with the site's name),
    if it is the first line or follows only a short stamp or kicker ("08.04.2015 12:46", "Opinion")."""
    wanted = _comparable(title)
    if not wanted:
        return None
    position = 0
    for _ in range(MAX_TITLE_LINE):
        start = position + len(text[position:]) - len(text[position:].lstrip())
        if start >= len(text):
            return None
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = _comparable(_LIST_MARK.sub("", text[start:end]))
        # Past the first line only the whole title counts: a part of it ("Headline" under "Series:")
        # may be the second half of a title broken over two lines.
        if line and (line == wanted or (position == 0 and _affixed(line, wanted))):
            # Take the break after the line too (the next line then starts where it stood).
            after = end
            while after < len(text) and text[after] == "\n":
                after += 1
            return (0 if position == 0 else start), after
        if len(line.split()) > MAX_KICKER_WORDS:
            return None  # a sentence before it: the title, if repeated further down, is the article's
        position = end
    return None


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
