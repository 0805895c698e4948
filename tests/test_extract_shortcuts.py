"""The extraction's speed shortcuts against the plain code they replaced: the same link groups and the
same comparable texts on generated pages and lines.

The reference below is the code as it was before the shortcuts (cleaner 0.x, issue 10): reading every
link's text with text_content, counting a block's descendants then reading it, reading every child of
a candidate container twice and splitting its whole text, and the regex forms of the comparisons.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from unittest.mock import patch
from urllib.parse import urlsplit

from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree
from trafilatura.utils import load_html

from cleaner.io import extract
from cleaner.io.extract import (
    _ASCII_EDGE,
    _LIST_MARK,
    _QUOTES,
    INLINE_TAGS,
    MAX_BLOCK_CHILDREN,
    MAX_BLOCK_DESCENDANTS,
    MAX_ITEM_DEPTH,
    MAX_LABEL_CHARS,
    MIN_HEADLINE_WORDS,
    MIN_LINKED_SHARE,
    MIN_LIST_ITEMS,
    MIN_PART_CHARS,
    LinkGroup,
    _bounded_words,
    _compact,
    _from_group,
    _in_main,
    _site_host,
    _teaser_sized,
    _visible_size,
)

_DESCENDANTS = etree.XPath("count(descendant::*)")
_SPACES = re.compile(r"\s+")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_INNER = re.compile(r"[^\W_](?:.*[^\W_])?", re.DOTALL)


def _plain_quotes(text: str) -> str:
    return text.translate(str.maketrans(_QUOTES))


def reference_comparable(line: str) -> str:
    line = unicodedata.normalize("NFKC", line)
    return _EDGE.sub("", _SPACES.sub(" ", _plain_quotes(line))).casefold()


def reference_compact(text: str) -> str:
    if text.isascii():
        return "".join(text.replace("`", "'").split()).strip(_ASCII_EDGE).casefold()
    text = _plain_quotes(unicodedata.normalize("NFKC", text))
    inner = _INNER.search("".join(text.split()))
    return inner.group().casefold() if inner else ""


def reference_same_site(href: str, host: str | None) -> bool:
    if not href.startswith(("http:", "https:", "//")):
        return ":" not in href.split("/", 1)[0]
    if not host:
        return False
    authority = re.split(r"[/?#]", href.split("//", 1)[1], maxsplit=1)[0] if "//" in href else ""
    if "@" in authority or ":" in authority or "[" in authority or "\\" in authority:
        target = urlsplit(href).hostname
    else:
        target = authority.lower()
    return bool(target) and target.removeprefix("www.") == host


def reference_block_of(link: Any) -> Any:
    block = link.getparent()
    while block is not None and block.tag in INLINE_TAGS and block.getparent() is not None:
        block = block.getparent()
    return block if block is not None else link


def reference_link_kind(link: Any, host: str | None) -> tuple[bool, int, Any] | None:
    href = (link.get("href") or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:")):
        return None
    words = link.text_content().split()
    if not words:
        return None
    if len(words) < MIN_HEADLINE_WORDS and not reference_same_site(href, host):
        return None
    block = reference_block_of(link)
    if (
        link.getparent() is block
        and len(block) == 1
        and not (block.text or "").strip()
        and not (link.tail or "").strip()
    ):
        around = words
    elif len(block) > MAX_BLOCK_CHILDREN:
        return None
    else:
        limit = sum(map(len, words)) + MAX_LABEL_CHARS
        if _DESCENDANTS(block) <= MAX_BLOCK_DESCENDANTS:
            whole = block.text_content()
            around = whole.split() if _visible_size(whole) <= limit else None
        else:
            around = _bounded_words(block, limit)
    if around is None or not extract._stands_alone(link, block, words, around):  # unchanged
        return None
    return len(words) >= MIN_HEADLINE_WORDS, len(words), block


def reference_link_groups(tree: Any) -> tuple[LinkGroup, ...]:
    host = _site_host(tree)
    marked: dict[Any, dict[Any, tuple[bool, int]]] = {}
    for link in tree.iter("a"):
        kind = reference_link_kind(link, host)
        if kind is None:
            continue
        headline, size, item = kind
        for _ in range(MAX_ITEM_DEPTH):
            container = item.getparent()
            if container is None:
                break
            items = marked.setdefault(container, {})
            was_headline, was_size = items.get(item, (False, 0))
            items[item] = (was_headline or headline, was_size + size)
            item = container
    groups = []
    for container, items in marked.items():
        if len(items) < MIN_LIST_ITEMS:
            continue
        children = extract._children_of(container)  # which children may be items did not change
        linked_count = sum(child in items for child in children)
        if linked_count < MIN_LIST_ITEMS or not _mostly_linked(children, items, linked_count):
            continue
        present = [(child, text) for child in children if not (text := child.text_content()).isspace() and text]
        linked = [(child, text) for child, text in present if child in items]
        linked = [(child, text) for child, text in linked if _teaser_sized(len(text.split()), items[child][1])]
        if len(linked) < MIN_LIST_ITEMS or len(linked) < MIN_LINKED_SHARE * len(present):
            continue
        headlines = sum(items[child][0] for child, _ in linked)
        kind = "link-list" if headlines >= MIN_LINKED_SHARE * len(present) else "link-menu"
        if kind == "link-menu" and _in_main(container):
            continue
        groups.append(LinkGroup(kind, tuple(reference_compact(text) for _, text in linked)))
    return tuple(groups)


def _mostly_linked(children: list[Any], items: dict[Any, Any], linked_count: int) -> bool:
    others = 0
    for child in children:
        if child in items:
            continue
        text = child.text_content()
        if text and not text.isspace():
            others += 1
            if linked_count < MIN_LINKED_SHARE * (linked_count + others):
                return False
    return True


# Texts with what each shortcut reads differently: runs of spaces and line breaks (text read from the
# page), no-break and other non-ASCII spaces, curly quotes, compatibility forms, a combining accent.
_WORD = st.sampled_from(["Storm", "hits", "the", "coast", "“Talks”", "l’été", "ﬁnal", "2025", "—", "é", "İ"])
_GAP = st.sampled_from([" ", "  ", "\n", "\n    ", "\t", "\xa0", "\u2009", ""])
_TEXT = st.lists(st.tuples(_WORD, _GAP), max_size=8).map(lambda pairs: "".join(w + g for w, g in pairs))
_HREF = st.sampled_from(
    ["/story/1", "story/2", "https://news.example.com/a", "https://www.news.example.com/b?x=1", "//other.org/c",
     "https://other.org/d", "#top", "mailto:x@y.z", "tel:123", "https://user@news.example.com:8080/e", ""]
)  # fmt: skip
_INLINE = st.sampled_from(["span", "b", "strong", "em"])
_BLOCK = st.sampled_from(["li", "div", "p", "h3", "td", "article", "section"])


_HEADLINE = st.lists(_WORD, min_size=1, max_size=6).map(" ".join)


@st.composite
def _teaser(draw: st.DrawFn) -> str:
    # A headline link (one to six words), maybe with a kicker before it, a summary after it, in a heading.
    link = f'<a href="{draw(_HREF)}">{draw(_HEADLINE)}</a>'
    if draw(st.booleans()):
        link = f"<h3>{link}</h3>"
    kicker = draw(
        st.sampled_from(["", "<b>Opinion</b> ", "Live<br>", "Read more: ", "<span>Video</span>", "<!-- c -->"])
    )
    return kicker + link + draw(st.sampled_from(["", "", "<p>A summary of the story in a few words.</p>", " tail"]))


@st.composite
def _fragment(draw: st.DrawFn, depth: int = 0) -> str:
    kinds = ["text", "link", "inline", "br", "block", "list", "teasers"] if depth < 4 else ["text", "link"]
    kind = draw(st.sampled_from(kinds))
    if kind == "teasers":
        teasers = draw(st.lists(_teaser(), min_size=2, max_size=7))
        tag, item = draw(st.sampled_from([("ul", "li"), ("ol", "li"), ("div", "div"), ("section", "article")]))
        return f"<{tag}>{''.join(f'<{item}>{t}</{item}>' for t in teasers)}</{tag}>"
    text = draw(_TEXT).replace("<", "")
    if kind == "text":
        return text
    if kind == "br":
        return "<br>"
    if kind == "link":
        return f'<a href="{draw(_HREF)}">{text}</a>{draw(_TEXT)}'
    inner = "".join(draw(st.lists(_fragment(depth + 1), max_size=4)))
    if kind == "inline":
        return f"<{(tag := draw(_INLINE))}>{inner}</{tag}>"
    if kind == "list":
        items = draw(st.lists(_fragment(depth + 1), min_size=2, max_size=7))
        return f"<{(tag := draw(st.sampled_from(['ul', 'ol'])))}>{''.join(f'<li>{i}</li>' for i in items)}</{tag}>"
    return f"<{(tag := draw(_BLOCK))}>{inner}</{tag}>"


@st.composite
def _page(draw: st.DrawFn) -> str:
    body = "".join(draw(st.lists(_fragment(), min_size=1, max_size=6)))
    if draw(st.booleans()):
        body = f"<main>{body}</main>"
    head = '<link rel="canonical" href="https://www.news.example.com/a">' if draw(st.booleans()) else ""
    return f"<html><head><title>Storm</title>{head}</head><body><div>{body}</div></body></html>"


@settings(max_examples=300, deadline=None)
@given(_page())
def test_link_groups_equal_the_plain_reading(page):
    tree = load_html(page)
    assert extract._link_groups(tree) == reference_link_groups(tree)
    assert all(extract._text_of(element) == element.text_content() for element in tree.iter())


_LINES = st.text(
    alphabet=st.sampled_from(
        [*" \t-_.,'`\"“”„‘’«»ÄéﬁAbzß19:;!?İ—|•*", chr(769), "\xa0", "\u2009", "\u3000", "\u2028", "\x85", "\u200b",
         "\xad", "Ａ", "٣", "‾", "\x1c"]
    ),
    max_size=40,
)  # fmt: skip


@settings(max_examples=500)
@given(_LINES)
def test_comparable_and_compact_equal_their_regex_forms(line):
    assert extract._comparable(line) == reference_comparable(line)
    assert extract._compact(line) == reference_compact(line)
    assert extract._compact(line + "\n  " + line) == reference_compact(line + "\n  " + line)


@given(st.sampled_from(["news.example.com", None]), _HREF, st.sampled_from(["", "/x", "?q", "#f", "//z"]))
def test_same_site_equals_its_first_reading(host, href, suffix):
    assert extract._same_site(href + suffix, host) == reference_same_site(href + suffix, host)


def reference_link_group_runs(text: str, groups: tuple[LinkGroup, ...], taken: int) -> list[tuple[str, int, int]]:
    """_link_group_runs as it was before a line's head could rule it out: every line compacted whole."""
    joined = ["\n".join(group.items) for group in groups]
    wholes = [set(group.items) for group in groups]
    any_joined = "\n".join(text for text, group in zip(joined, groups, strict=True) if group.structure != "link-menu")
    any_whole = set().union(*wholes)
    lines = []
    position = 0
    for raw in text.split("\n"):
        start, position = position, position + len(raw) + 1
        if not raw.strip():
            continue
        if start < taken:
            lines.append((start, start + len(raw), -1, 0))
            continue
        stripped = raw.strip()
        if stripped.startswith("|") and stripped.endswith("|"):
            parts = [_compact(cell) for cell in stripped.strip("|").split("|")]
            parts = [part for part in parts if part]
        else:
            parts = [_compact(_LIST_MARK.sub("", raw) if stripped[0] in "-*•" else raw)]
        source = -1
        if parts and (
            all(part in any_whole for part in parts)
            or all(len(part) >= MIN_PART_CHARS and part in any_joined for part in parts)
        ):
            source = next((k for k in range(len(groups)) if _from_group(parts, groups[k], joined[k], wholes[k])), -1)
        lines.append((start, start + len(raw), source, len(parts)))
    return extract._runs(text, lines, groups)  # the joining of lines into runs did not change


# Characters that NFKC composes, reorders or expands (combining marks, Hangul jamo, "¨" to " ̈", ligatures),
# spaces of every kind, quotes and edges: where a head's compaction could stop being the line's prefix.
_HEAD_CHARS = [*" \t-_.,'`\"“”‘’«»ÄéﬁAbzß19:|•*", chr(769), chr(776), chr(803), "\u1100", "\u1161", "\u11a8",
               "¨", "´", "\xa0", "\u2009", "\u3000", "\u2028", "\x85", "\xad", "Ａ", "İ", "ǅ", "ﬃ", "①", "㈜"]  # fmt: skip
_LONG_LINES = st.text(alphabet=st.sampled_from(_HEAD_CHARS), max_size=60)


@settings(max_examples=1000)
@given(_LONG_LINES)
def test_a_heads_compaction_is_a_prefix_of_its_lines(line):
    for head_chars in (extract.HEAD_CHARS, 0, 3):
        with patch.object(extract, "HEAD_CHARS", head_chars):
            head = extract._head(line)
        if head is not None:
            assert line.startswith(head)
            assert _compact(line).startswith(_compact(head))


_ITEM_WORDS = st.sampled_from(["Storm", "hits", "the", "coast", "“Talks”", "l’été", "ﬁnal", "2025", "—", "é", "Ｂ"])
_ITEM = st.lists(_ITEM_WORDS, min_size=1, max_size=9).map(" ".join)


@st.composite
def _text_and_groups(draw: st.DrawFn) -> tuple[str, tuple[LinkGroup, ...], int]:
    raw = draw(st.lists(st.lists(_ITEM, min_size=1, max_size=5), max_size=3))
    groups = tuple(
        LinkGroup(draw(st.sampled_from(["link-list", "link-menu"])), tuple(_compact(item) for item in items))
        for items in raw
    )
    # Lines that are items, items' heads or tails, items with more after them, list marks, rows, others.
    item = st.sampled_from([item for items in raw for item in items]) if raw else _ITEM
    line = st.one_of(item, item.map(lambda item: "- " + item), item.map(lambda item: f"| {item} | {item} |"),
                     st.tuples(item, st.integers(0, 40)).map(lambda pair: pair[0][pair[1]:]),
                     st.tuples(item, _ITEM).map(" ".join), _LONG_LINES)  # fmt: skip
    lines = draw(st.lists(line, max_size=10))
    text = "\n".join(lines)
    return text, groups, draw(st.integers(0, len(text)))


@settings(max_examples=500)
@given(_text_and_groups())
def test_link_group_runs_equal_the_plain_reading(case):
    text, groups, taken = case
    for head_chars in (extract.HEAD_CHARS, 2):  # short heads too, to try the shortcut on short lines
        with patch.object(extract, "HEAD_CHARS", head_chars):
            assert extract._link_group_runs(text, groups, taken) == reference_link_group_runs(text, groups, taken)


def reference_title_line(text: str, title: str) -> tuple[int, int] | None:
    """_title_line as it was before a long line's head could rule it out: every line compared whole."""
    wanted = extract._comparable(title)
    if not wanted:
        return None
    position = 0
    for _ in range(extract.MAX_TITLE_LINE):
        start = position + len(text[position:]) - len(text[position:].lstrip())
        if start >= len(text):
            return None
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = extract._comparable(_LIST_MARK.sub("", text[start:end]))
        if line and (line == wanted or (position == 0 and extract._affixed(line, wanted))):
            after = end
            while after < len(text) and text[after] == "\n":
                after += 1
            return (0 if position == 0 else start), after
        if len(line.split()) > extract.MAX_KICKER_WORDS:
            return None
        position = end
    return None


_TITLE_WORDS = st.sampled_from(["Storm", "hits", "the", "coast", "“Talks”", "ﬁnal", "—", "é", "|", "-", "Site"])
_GAPS = st.sampled_from([" ", "  ", "\t", "\xa0", " | ", " - ", "\u3000", chr(769) + " "])


@st.composite
def _titled_text(draw: st.DrawFn) -> tuple[str, str]:
    title = " ".join(draw(st.lists(_TITLE_WORDS, min_size=1, max_size=100)))
    # Long lines of words and gaps (a table as one line), some beginning with the title or a part of it.
    words = st.lists(st.tuples(_TITLE_WORDS, _GAPS), min_size=90, max_size=150).map(
        lambda pairs: "".join(w + g for w, g in pairs)
    )
    part = st.tuples(st.integers(0, len(title)), st.integers(0, len(title))).map(lambda ab: title[ab[0] : ab[1]])
    short = st.lists(_TITLE_WORDS, max_size=10).map(" ".join)
    line = st.one_of(words, st.tuples(part, words).map("".join), st.just(title), part, st.just("- " + title), short)
    lines = draw(st.lists(line, max_size=4))
    return draw(st.sampled_from(["\n", "\n\n", "\n \n"])).join(lines), title


_LONG_TITLE = "Storm hits the “coast” again " * 30  # a title line long enough to be read by its head first


@settings(max_examples=500)
@given(_titled_text())
@example((_LONG_TITLE + "\nBody.", _LONG_TITLE))
@example(("Site | " + _LONG_TITLE + "\nBody.", _LONG_TITLE + " | Site"))
def test_title_line_equals_the_plain_reading(case):
    text, title = case
    for head_chars in (extract.TITLE_HEAD_CHARS, 5, 50):  # shorter heads too, to try the shortcut on more lines
        with patch.object(extract, "TITLE_HEAD_CHARS", head_chars):
            assert extract._title_line(text, title) == reference_title_line(text, title)
            assert extract._title_line(" \n" + text, title) == reference_title_line(" \n" + text, title)
