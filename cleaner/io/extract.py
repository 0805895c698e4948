"""Main-text extraction from HTML with trafilatura, keeping the metadata a record carries.

What the page's structure tells about the extracted text (a first line that repeats the page's own
title, lines that come from a list of links to other stories) is recorded as removals by the
`structure` rules of the ruleset, with offsets into the extracted text, so `explain` and `restore`
see them like any other removal.
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import trafilatura
from lxml import etree
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction, fromstring
from trafilatura import utils as trafilatura_utils
from w3lib.encoding import html_body_declared_encoding, read_bom

from cleaner.boilerplate.ruleset import Rule, Ruleset, default_ruleset
from cleaner.document import Removal

# A title is often the headline plus the site's name or section: "Headline | Site", "Site - Headline".
TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", ": ")
MAX_TITLE_AFFIX_WORDS = 6  # a longer remainder is a second headline, not a site name
MAX_TITLE_LINE = 3  # the title is looked for in the first lines only, after stamps and kickers
MAX_KICKER_WORDS = 8  # a longer line before the title is a sentence: the article has begun
_QUOTES = {"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "`": "'"}
_WORDY = re.compile(r"\w")
_INNER = re.compile(r"[^\W_](?:.*[^\W_])?", re.DOTALL)  # a text without its edges: no [\W_] at either end
_NON_SPACE = re.compile(r"\S")  # \s is str.isspace, so this finds where str.lstrip stops
_LIST_MARK = re.compile(r"^\s*[-*•]\s+")
_AUTHORITY = re.compile(r"//([^/?#]*)")  # what follows a URL's first "//", up to its path, query or fragment
_ASCII_EDGE = "".join(c for c in map(chr, range(128)) if re.fullmatch(r"[\W_]", c))  # edges, in ASCII
MIN_LIST_ITEMS = 3  # two links side by side are a pair of sources as often as a list of stories
MIN_HEADLINE_WORDS = 3  # "Home", "World", "Sign in": menu entries, not headlines of other stories
MAX_ITEM_WORDS = 200  # a longer item is an article's own paragraph that happens to hold a link
MIN_ITEM_LINK_SHARE = 0.08  # of an item's words in its links: a headline over a summary of 100 words has 10
MAX_ITEM_DEPTH = 6  # levels from a link's block up to its container: <ol><li><ol><li><article><div><h2><a>
MAX_LABEL_WORDS = 6  # beside a link in its block: a kicker ("Opinion", "Wave of stupidity"), not a sentence
MAX_BLOCK_CHILDREN = 8  # a label and a link: "<b>label</b><br><br><a>link</a>" has four
MAX_LABEL_CHARS = 40  # the same for scripts without spaces between words
MIN_LINKED_SHARE = 0.75  # of a list's items that must hold a headline link
INLINE_TAGS = frozenset({"span", "strong", "b", "em", "i", "small", "font", "time", "abbr", "u"})
MIN_RUN_LINES = 2  # one matching line could be the article quoting a headline; a run is the list
MAX_BLOCK_DESCENDANTS = 40  # a block this small is read whole at once; a larger one only as far as needed
# A small block's text in one XPath evaluation (each costs about as much as reading a small block);
# "" for a larger block, whose text always holds a link's words so is never "" itself.
_SMALL_BLOCK_TEXT = etree.XPath(
    f"string(self::*[count(descendant::*) <= {MAX_BLOCK_DESCENDANTS}])", smart_strings=False
)
HEAD_CHARS = 16  # a line's first words that rule it out of every group at a fraction of its compaction
TITLE_HEAD_CHARS = 200  # a line's head read before the whole of a longer line for the title
MIN_PART_CHARS = 10  # a shorter line found in an item ("Reuters", "More") proves nothing (spaces not counted)


def extract_html(html: bytes | str, *, ruleset: Ruleset | None = None) -> dict[str, Any] | None:
    """The article's main text (comments excluded) with title, date, sitename and url; None if there is none.

    `removed` holds what the structure rules took out of the extracted text (offsets into it); `text`
    is the text without them.
    """
    # One parse: the link groups are read from the tree before trafilatura extracts from it (before
    # 2.3, trafilatura pruned a tree it was given in place).
    tree = load_html(html)
    if tree is None:
        return None
    rules = structure_rules(ruleset or default_ruleset())
    # Reading the link groups is most of what structure costs: not done when no rule would use them.
    link_groups = _link_groups(tree) if rules.keys() & {"link-list", "link-menu"} else ()
    result = trafilatura.bare_extraction(tree, include_comments=False, with_metadata=True)
    if result is None:
        return None
    text = (result.text or "").replace("\r\n", "\n")
    if not text.strip():
        return None
    removed = structure_removals(text, title=result.title, link_groups=link_groups, rules=rules)
    return {
        "text": _without(text, removed),
        "removed": removed,
        "title": result.title or None,
        "date": result.date or None,
        "sitename": result.sitename or None,
        "url": result.url or None,
    }


def load_html(html: bytes | str | HtmlElement) -> HtmlElement | None:
    """The page's tree, as trafilatura's own `load_html` reads it, but built by _parser(): the same text,
    repairs and parser settings, and the same tree (tests/test_extract_parser.py), with cheaper elements.
    Bytes that are not UTF-8 are decoded in the encoding the page declares (decode_html), not guessed.
    A tree is returned as it is, and any other input is a TypeError, as there.

    lxml.html's parser asks a Python function which class each new element proxy gets (a form, an input,
    any other element), and trafilatura builds hundreds of thousands of proxies a page; here every
    element is an HtmlElement, chosen in C. Nothing trafilatura, htmldate or justext call differs between
    the two (the five form classes add form fields' values only), and trafilatura's copies of the tree
    keep its parser, so its own extraction runs on the cheaper elements too.
    """
    if isinstance(html, HtmlElement):
        return html
    if not isinstance(html, (bytes, str)):
        raise TypeError("incompatible input type", type(html))
    parser = _parser(trafilatura_utils.HTML_PARSER)
    text = decode_html(html)
    beginning = text[:50].lower()
    dubious = trafilatura_utils.is_dubious_html(beginning)
    text = trafilatura_utils.repair_faulty_html(text, beginning)
    tree, from_bytes = None, False
    try:
        tree = fromstring(text, parser=parser)
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree, from_bytes = _from_bytes(text, parser), True
    except Exception:  # as trafilatura's load_html: a page lxml cannot parse has no tree
        tree = None
    if (tree is None or len(tree) < 1) and not from_bytes:
        tree = _from_bytes(text, parser)
    if tree is not None and dubious and len(tree) < 2:
        return None  # not HTML at all
    return tree


# The encodings browsers decode (the WHATWG encoding standard), by Python codec name. A declared label that
# resolves to any other codec is not trusted: EBCDIC would turn the markup itself to noise, and
# "unicode_escape" would turn escapes in attributes into markup. ISO-2022-JP is left out: it is 7-bit, so
# valid UTF-8 first.
WEB_ENCODINGS = frozenset(
    codecs.lookup(name).name
    for name in (
        "cp866", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5", "iso8859-6", "iso8859-7", "iso8859-8",
        "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15", "iso8859-16", "koi8-r", "koi8-u", "mac-roman",
        "mac-cyrillic", "cp874", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257",
        "cp1258", "gbk", "gb18030", "big5", "big5hkscs", "euc-jp", "shift_jis", "cp932", "euc-kr", "cp949",
    )
)  # fmt: skip
# A declaration is wrong when more than this share of the page's non-ASCII characters do not decode in it
# (a wrong multibyte declaration breaks a third or more; a right one, a stray byte or two).
MAX_BROKEN_SHARE = 0.1


@dataclass(frozen=True)
class Declared:
    """A page decoded in the encoding its byte-order mark or declaration names; `broken`: the characters
    that did not decode in it, each now U+FFFD."""

    text: str
    encoding: str
    broken: int


def decode_html(html: bytes | str) -> str:
    """A page's text: UTF-8 when it is valid UTF-8; else in the encoding the page declares (declared_encoding);
    else as trafilatura guesses (`decode_file`). Text is returned as it is.

    trafilatura ignores the declaration and guesses from the bytes (the first and last 5,000 of a long
    page), and a guess can be wrong for a page that says what it is: a Windows-1252 page read as
    Windows-1250 ("Ministerĺs" for "Minister’s"), or its text lost.
    """
    if isinstance(html, str):
        return html
    data = trafilatura_utils.handle_compressed_file(html)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = declared_encoding(data)
    return trafilatura_utils.decode_file(data) if declared is None else declared.text


def declared_encoding(data: bytes) -> Declared | None:
    """Bytes that are not UTF-8, decoded as a browser decodes them: in the encoding of their byte-order mark,
    else of their `<meta charset>`, `<meta http-equiv="Content-Type">` or `<?xml encoding?>` (in the first
    4 KB, not in a comment), a byte the encoding does not define becoming U+FFFD. Labels are read as
    browsers read them (w3lib): "iso-8859-1" is Windows-1252, "gb2312" GB18030, "shift_jis" Windows-31J.

    None when there is no declaration, when it names an encoding no browser decodes (WEB_ENCODINGS; UTF-8
    and UTF-16 declared by a page that is not UTF-8 among them), or when more than 1 in 10 of the non-ASCII
    characters do not decode in it: then the declaration is wrong, and the caller guesses.
    """
    bom, mark = read_bom(data)
    if bom is not None:
        encoding, body = codecs.lookup(bom).name, data[len(mark or b"") :]
    else:
        label = html_body_declared_encoding(data)
        try:
            encoding = codecs.lookup(label).name if label else ""
        except LookupError:
            return None
        if encoding not in WEB_ENCODINGS:
            return None
        body = data
    try:
        return Declared(body.decode(encoding), encoding, 0)
    except UnicodeDecodeError:
        text = body.decode(encoding, "replace")
    broken = text.count("\ufffd")  # no legacy encoding holds U+FFFD itself
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if bom is None and broken > MAX_BROKEN_SHARE * non_ascii:
        return None
    return Declared(text, encoding, broken)


def _from_bytes(text: str, parser: etree.HTMLParser) -> HtmlElement | None:
    try:
        return fromstring(text.encode("utf8", "surrogatepass"), parser=parser)
    except Exception:  # as trafilatura's fromstring_bytes
        return None


@functools.lru_cache(maxsize=1)
def _parser(theirs: etree.HTMLParser) -> etree.HTMLParser:
    """trafilatura's HTML parser (its settings: comments and processing instructions dropped, ...) with
    lxml's element classes looked up in C: HtmlElement for every element. Made again if trafilatura's is
    replaced, so the settings stay its own."""
    parser = theirs.copy()
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
        )
    )
    return parser


def structure_removals(
    text: str,
    *,
    title: str | None,
    link_groups: tuple[LinkGroup, ...] = (),
    rules: dict[str, Rule],
) -> tuple[Removal, ...]:
    """Removals that the page's structure calls for, by the `structure` rules given (structure_rules).

    `link_groups` holds the page's groups of links to other pages (lists of stories, menus).
    """
    removals = []
    taken = 0  # text before this offset is removed already
    rule = rules.get("page-title")
    if rule is not None and title:
        span = _title_line(text, title)
        if span is not None:
            removals.append(_removal(rule, text, *span))
            taken = span[1]  # the lines before and the title itself are not searched for link lists
    # A group whose rule is disabled is not looked for, so its lines stay.
    wanted = tuple(group for group in link_groups if group.structure in rules)
    if wanted:
        runs = _link_group_runs(text, wanted, taken)
        removals += [_removal(rules[structure], text, start, end) for structure, start, end in runs]
    return tuple(removals)


def structure_rules(ruleset: Ruleset) -> dict[str, Rule]:
    """The ruleset's enabled `structure` rules, by what they read ("page-title", "link-list", ...)."""
    return {rule.structure: rule for rule in ruleset.rules if rule.kind == "structure"}


@dataclass(frozen=True)
class LinkGroup:
    """A group of links to other pages found on the page: its structure rule and its items' comparable texts."""

    structure: str  # "link-list" (links to other stories) or "link-menu" (short links to the site's pages)
    items: tuple[str, ...]


def _link_groups(tree: HtmlElement) -> tuple[LinkGroup, ...]:
    """Every element of the page whose items (children) are, three in four, a link to another page with
    at most a short label beside it: a list or grid of teasers, a menu, a sidebar table of links."""
    host = _site_host(tree)
    # container -> {item: [holds a headline link, words of its links]}
    marked: dict[HtmlElement, dict[HtmlElement, list[Any]]] = {}
    # The last link's parent and block, kept alive: lxml then hands the next link in the same paragraph
    # or menu the same Python objects instead of building new ones (a class look-up in Python each).
    alive: list[HtmlElement] = []
    for link in tree.iter("a"):
        kind = _link_kind(link, host, alive)
        if kind is None:
            continue
        headline, size, item = kind
        # The item is the link's block or an ancestor of it a few levels up: <li><h3><a> in a <ul>,
        # <div class=card><h4><a> among sibling cards, a <td> in a row of menu cells.
        for _ in range(MAX_ITEM_DEPTH):
            container = item.getparent()
            if container is None:
                break
            # Looked up, not setdefault: this runs for some 40k levels over the real pages, and a new
            # dict and tuple for each cost more than the look-ups.
            items = marked.get(container)
            if items is None:
                items = marked[container] = {}
            entry = items.get(item)
            if entry is None:
                items[item] = [headline, size]
            else:
                entry[0] = entry[0] or headline
                entry[1] += size
            item = container
    groups = []
    for container, items in marked.items():
        if len(items) < MIN_LIST_ITEMS:
            continue
        children = _children_of(container)
        # Counted before any item's words are: most containers here are a page's wrappers, whose
        # children are the whole page, and they fail on counts alone. An item holds a link's words, so
        # it has text; another child's text is read only until there are too many of them.
        linked_count = sum(child in items for child in children)
        others = _unlinked_with_text(children, items, linked_count) if linked_count >= MIN_LIST_ITEMS else None
        if others is None:
            continue
        present = linked_count + others  # the children with text: every item, and the others counted
        linked = _teasers(children, items, max(MIN_LIST_ITEMS, MIN_LINKED_SHARE * present))
        if linked is None:
            continue
        headlines = sum(items[child][0] for child, _ in linked)
        # A stream of teasers may carry an advertisement or two among the stories.
        kind = "link-list" if headlines >= MIN_LINKED_SHARE * present else "link-menu"
        if kind == "link-menu" and _in_main(container):
            continue  # short links inside the article ("See also", a table of names) are the article's own
        # Only the teasers are the group's items: a line of the container's other children (an
        # advertisement, or the article beside its sidebar) is never removed as a line of the group.
        groups.append(LinkGroup(kind, tuple(_compact(text) for _, text in linked)))
    return tuple(groups)


def _children_of(container: HtmlElement) -> list[HtmlElement]:
    """The children that may be a group's items: a list's <li>s, any other container's elements
    (not its comments or processing instructions)."""
    if container.tag in ("ul", "ol"):
        return [child for child in container if child.tag == "li"]
    return [child for child in container if isinstance(child.tag, str)]


def _unlinked_with_text(children: list[HtmlElement], items: dict[HtmlElement, Any], linked_count: int) -> int | None:
    """How many of the children that are not items have text, if the `linked_count` children that are
    items are at least MIN_LINKED_SHARE of the children with text; else None, read only until they are
    too many."""
    others = 0
    for child in children:
        if child in items:
            continue
        text = _text_of(child)
        if text and not text.isspace():
            others += 1
            if linked_count < MIN_LINKED_SHARE * (linked_count + others):
                return None
    return others


def _teasers(
    children: list[HtmlElement], items: dict[HtmlElement, list[Any]], needed: float
) -> list[tuple[HtmlElement, str]] | None:
    """The items among `children` that read as teasers, with their texts, if there are at least `needed`;
    else None, read only until too few of them are left to make up the number."""
    candidates = [child for child in children if child in items]
    linked = []
    for position, child in enumerate(candidates):
        if len(linked) + len(candidates) - position < needed:
            return None
        text = _text_of(child)
        # An item is a teaser when its links are a fair share of its words (a headline and its summary):
        # a page wrapper's content <div> holding a byline or one "Read more" link is the article itself.
        # Words counted only up to one more than a teaser may have: an item that is a whole section of
        # the page (a wrapper's child) has thousands, and splitting them all cost more than reading them.
        if _teaser_sized(len(text.split(None, MAX_ITEM_WORDS)), items[child][1]):
            linked.append((child, text))
    return linked if len(linked) >= needed else None


def _teaser_sized(words: int, link_words: int) -> bool:
    """Whether an item of `words` words, `link_words` of them in its links, reads as a teaser or a menu
    entry: short, and its links a fair share of it."""
    return words <= MAX_ITEM_WORDS and link_words >= MIN_ITEM_LINK_SHARE * words


def _link_kind(link: HtmlElement, host: str | None, alive: list[HtmlElement]) -> tuple[bool, int, HtmlElement] | None:
    """For a link that stands as a headline of another story (True) or a menu link to another page of
    the same site (False): that, its number of words and its block; None for any other link (inside a
    sentence, to an anchor, a script or a mail).

    Either stands as its block's whole text, or with a short label beside it ("<b>Opinion</b> <a>...</a>").
    A link inside a sentence ("as <a>the report</a> shows") is the article citing a source.
    `alive` is left holding the link's parent and block, for the next link to find them built.
    """
    href = (link.get("href") or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:")):
        return None
    # A link without children (most of them) holds only its own text: .text costs far less than
    # reading its text nodes. (Comments and processing instructions count as children.)
    words = (link.text or "").split() if not len(link) else _text_of(link).split()
    if not words:
        return None
    # A one- or two-word link is a menu entry only when it leads to the site's own pages: an article's
    # list of tools or sources links to other sites. (Asked first: it is cheaper than reading the block.)
    if len(words) < MIN_HEADLINE_WORDS and not _same_site(href, host):
        return None
    # The parent read once: each getparent() builds a new Python proxy of the element (a class lookup
    # in Python) unless one is alive already.
    parent = link.getparent()
    block = _block_of(link, parent)
    alive[:] = (parent, block)
    if parent is block and len(block) == 1 and not (block.text or "").strip() and not (link.tail or "").strip():
        around = words  # the common case, <li><a>...</a></li>, without reading the block again
    elif len(block) > MAX_BLOCK_CHILDREN:
        return None  # a block of many elements is a paragraph or a container, not a label and a link
    else:
        # Read the block only as far as a label could reach: a link in a long block is in a sentence,
        # and reading every block whole costs time quadratic in a page's nesting.
        # A small block is read whole, in C; a large one piece by piece, only as far as a label could reach.
        limit = sum(map(len, words)) + MAX_LABEL_CHARS
        whole = _SMALL_BLOCK_TEXT(block)
        if not whole:  # a large block
            around = _bounded_words(block, limit)
        elif len(whole) <= limit or _visible_size(whole) <= limit:  # spaces aside, a text is no longer
            around = whole.split()
        else:
            around = None
    if around is None or not _stands_alone(link, block, words, around):
        return None
    return len(words) >= MIN_HEADLINE_WORDS, len(words), block


def _stands_alone(link: HtmlElement, block: HtmlElement, words: list[str], around: list[str]) -> bool:
    """Whether a link of `words` stands alone in its block of `around` words, or beside a short label
    that stands apart from it (a kicker), rather than inside a sentence."""
    if around == words:
        return True
    label = " ".join(around).replace(" ".join(words), "", 1).strip()
    if label == " ".join(around) or len(label.split()) > MAX_LABEL_WORDS or len(label) > MAX_LABEL_CHARS:
        return False
    return _label_apart(link, block)  # not: "Costs rose <a>by a third</a>.", a short sentence citing its source


def _label_apart(link: HtmlElement, block: HtmlElement) -> bool:
    """Whether the words beside a link in its block stand apart from it, as a kicker does: nothing after
    the link, and before it only words in their own element ("<b>Opinion</b> <a>...</a>") or cut off by
    a line break ("Today's fable<br><a>...</a>"), never bare words running into the link."""
    walker = etree.iterwalk(block, events=("start", "end"))
    seen_link = False
    running = False  # bare words before the link that no <br> has cut off
    for event, element in walker:
        if event == "start":
            if element is link:
                if running:
                    return False
                seen_link = True
                walker.skip_subtree()
                continue
            if element.tag == "br":
                running = False
            text = element.text or ""
            if seen_link and _WORDY.search(text):
                return False
            if element is block and _WORDY.search(text):
                running = True
        elif element is not block:
            tail = element.tail or ""
            if _WORDY.search(tail):
                if seen_link or element is link:
                    return False
                running = True
    return True


def _bounded_words(element: HtmlElement, limit: int) -> list[str] | None:
    """The words of the element's text, or None once they hold more than `limit` characters."""
    pieces, size = [], 0
    for piece in element.itertext():
        size += _visible_size(piece)
        if size > limit:
            return None
        pieces.append(piece)
    return "".join(pieces).split()


def _visible_size(text: str) -> int:
    """Characters of a text, spaces aside (source indentation is not text); str.count keeps this cheap."""
    return len(text) - text.count(" ") - text.count("\n") - text.count("\t") - text.count("\r")


def _text_of(element: HtmlElement) -> str:
    """element.text_content() at about half the cost: the same text nodes, joined by libxml2's text
    serializer rather than by an XPath evaluation."""
    return etree.tostring(element, method="text", encoding="unicode", with_tail=False)


def _in_main(element: HtmlElement) -> bool:
    """Whether the element sits in the page's <main>, <article> or role="main" element."""
    return any(
        ancestor.tag in ("main", "article") or ancestor.get("role") == "main" for ancestor in element.iterancestors()
    )


def _block_of(link: HtmlElement, parent: HtmlElement | None) -> HtmlElement:
    """The link's nearest ancestor that is not an inline element (or the topmost one); `parent` is the
    link's parent, already read."""
    block = parent
    while block is not None and block.tag in INLINE_TAGS:
        above = block.getparent()
        if above is None:
            break
        block = above
    return block if block is not None else link


def _site_host(tree: HtmlElement) -> str | None:
    """The page's host, from its canonical link or og:url (None if it gives neither)."""
    head = tree.find("head")  # looked for in <head> only: an XPath over the whole page costs more
    for element in head if head is not None else ():
        url = None
        if element.tag == "link" and element.get("rel") == "canonical":
            url = element.get("href")
        elif element.tag == "meta" and element.get("property") == "og:url":
            url = element.get("content")
        host = urlsplit(url.strip()).hostname if url else None
        if host:
            return host.removeprefix("www.")
    return None


def _same_site(href: str, host: str | None) -> bool:
    if not href.startswith(("http:", "https:", "//")):
        return ":" not in href.split("/", 1)[0]  # a relative link, not "tel:" or "ftp:"
    if not host:
        return False
    # The host read by hand (urlsplit costs more, and this runs for every short link of a page);
    # urlsplit only for the rare authority with a user, a port or an IPv6 address.
    found = _AUTHORITY.search(href)
    authority = found.group(1) if found else ""
    if "@" in authority or ":" in authority or "[" in authority or "\\" in authority:
        target = urlsplit(href).hostname
    else:
        target = authority.lower()
    return bool(target) and target.removeprefix("www.") == host


def _link_group_runs(text: str, groups: tuple[LinkGroup, ...], taken: int) -> list[tuple[str, int, int]]:
    """(structure, start, end) of runs of lines that come from one link group: two lines or more, or one
    table row of three cells or more.

    A line of a link list is found inside an item's text (trafilatura may split an item into headline
    and summary); a line of a menu must be an item whole (a menu word alone proves nothing).
    """
    # Compared without spaces: "<b>Label</b><br><a>link</a>" reads "Labellink" in the page's text
    # content and "Label link" in the extracted text.
    joined = ["\n".join(group.items) for group in groups]
    wholes = [set(group.items) for group in groups]
    # Every group at once, to rule out at one look the many lines that come from none.
    any_joined = "\n".join(text for text, group in zip(joined, groups, strict=True) if group.structure != "link-menu")
    any_whole = set().union(*wholes)
    every_item = "\n".join(joined)  # a line of any group, list or menu, is found in it whole
    lines = []  # (start, end, index of the group the line comes from, or -1, cells)
    position = 0
    for raw in text.split("\n"):
        start, position = position, position + len(raw) + 1
        if not raw.strip():
            continue
        if start < taken:
            lines.append((start, start + len(raw), -1, 0))  # before the title: never a group's line
            continue
        stripped = raw.strip()
        if stripped.startswith("|") and stripped.endswith("|"):
            parts = [_compact(cell) for cell in stripped.strip("|").split("|")]
            parts = [part for part in parts if part]
        else:
            line = _LIST_MARK.sub("", raw) if stripped[0] in "-*•" else raw
            head = _head(line)
            # Most lines are the article's sentences: their first words are in no item, which a short
            # head's compaction shows at a fraction of the whole line's (NFKC and casefold of every
            # character). A head's compaction is a prefix of the line's (_head), and a line that is
            # an item or a part of one has its every prefix in every_item too: nothing matching is lost.
            if head is not None and _compact(head) not in every_item:
                lines.append((start, start + len(raw), -1, 1))
                continue
            parts = [_compact(line)]
        source = -1
        if parts and (
            all(part in any_whole for part in parts)
            or all(len(part) >= MIN_PART_CHARS and part in any_joined for part in parts)
        ):
            source = next((k for k in range(len(groups)) if _from_group(parts, groups[k], joined[k], wholes[k])), -1)
        lines.append((start, start + len(raw), source, len(parts)))
    return _runs(text, lines, groups)


def _runs(
    text: str, lines: list[tuple[int, int, int, int]], groups: tuple[LinkGroup, ...]
) -> list[tuple[str, int, int]]:
    """(structure, start, end) of the runs of `lines` (start, end, group index or -1, cells) from one group:
    two lines or more, or one table row of MIN_LIST_ITEMS cells or more."""
    spans: list[tuple[str, int, int]] = []
    index = 0
    while index < len(lines):
        source = lines[index][2]
        last = index
        while last + 1 < len(lines) and source >= 0 and lines[last + 1][2] == source:
            last += 1
        if source >= 0 and (last > index or lines[index][3] >= MIN_LIST_ITEMS):
            start, end = _lines_span(text, lines, index, last)
            if spans and start < spans[-1][2]:
                start = spans[-1][2]  # the run before (another group's) took the break between them
            spans.append((groups[source].structure, start, end))
        index = last + 1
    return spans


def _head(line: str) -> str | None:
    """The line's first words, up to and with a space at least HEAD_CHARS in, if the line goes on past
    it: None for a shorter line.

    Cut just after a space, _compact(head) is a prefix of _compact(line): without NFKC (an ASCII head
    is compacted without it) every step maps character by character or cuts the edges, and a
    head's first word character and last are the line's first and one at or before its last; with
    NFKC, no composition or reordering crosses a space (a starter that composes with nothing),
    so NFKC(line) begins with NFKC(head).
    """
    cut = line.find(" ", HEAD_CHARS)
    return line[: cut + 1] if 0 <= cut < len(line) - 1 else None


def _from_group(parts: list[str], group: LinkGroup, joined: str, wholes: set[str]) -> bool:
    if group.structure == "link-menu":
        return all(part in wholes for part in parts)
    return all(len(part) >= MIN_PART_CHARS and part in joined for part in parts)


def _compact(text: str) -> str:
    """Text as compared with a link group's items: comparable, and without any space."""
    if text.isascii():
        # The same as _comparable's result without spaces, for the common case at a fraction of the cost
        # (this runs for every line of the text and every item of a group): NFKC leaves ASCII alone.
        return _without_spaces(text.replace("`", "'")).strip(_ASCII_EDGE).casefold()
    # _comparable without its two regex substitutions over the whole line (most of its cost on a long
    # line): the spaces go first, then the edges, from the first word character to the last.
    text = unicodedata.normalize("NFKC", text)
    text = _plain_quotes(text)
    inner = _INNER.search(_without_spaces(text))
    return inner.group().casefold() if inner else ""


def _without_spaces(text: str) -> str:
    """The text without any whitespace: "".join(text.split()), without a string per word for a line."""
    if "\n" in text:
        return "".join(text.split())  # a text read from the page, indented: runs of spaces, split goes faster
    text = text.replace(" ", "")
    # Whitespace other than the ASCII space (tab, no-break space, line separator) is never printable,
    # so a printable text has none left.
    return text if text.isprintable() else "".join(text.split())


def _lines_span(text: str, lines: list[tuple[int, int, int, int]], first: int, last: int) -> tuple[int, int]:
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
        # The first non-space character, found without copying the rest of the text (twice, for lstrip).
        found = _NON_SPACE.search(text, position)
        if found is None:
            return None
        start = found.start()
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        raw = _LIST_MARK.sub("", text[start:end])
        head = raw[: raw.find(" ", TITLE_HEAD_CHARS) + 1] if len(raw) > 2 * TITLE_HEAD_CHARS else ""
        if head:
            # A long line (a table extracted as one line): its head's comparable text is a prefix of the
            # line's, as _head's is of _compact's, so a head that is no part of the title and has too
            # many words already rules the line out without NFKC over all of it. A matching line is the
            # title or a part of it, so is every prefix of it.
            compared = _comparable(head)
            if compared not in wanted and len(compared.split()) > MAX_KICKER_WORDS:
                return None
        line = _comparable(raw)
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
    line = unicodedata.normalize("NFKC", line)
    line = _plain_quotes(line)
    # Spaces made single and edges cut as _compact does: regex substitutions over a long line (a table
    # extracted as one line) cost several times more.
    inner = _INNER.search(" ".join(line.split()))
    return inner.group().casefold() if inner else ""


def _plain_quotes(text: str) -> str:
    """The text with every kind of quote as _QUOTES maps it: str.replace per quote, in C, where
    translate with a table calls back into Python for every character of a long line. A quote absent
    costs one scan of the text for it: eight scans cost less than one regex search for any of them."""
    for quote, plain in _QUOTES.items():
        if quote in text:
            text = text.replace(quote, plain)
    return text


def _removal(rule: Rule, text: str, start: int, end: int) -> Removal:
    return Removal(rule.id, rule.category, start, end, text[start:end])


def _without(text: str, removed: tuple[Removal, ...]) -> str:
    pieces, position = [], 0
    for removal in sorted(removed, key=lambda r: r.start):
        pieces.append(text[position : removal.start])
        position = removal.end
    pieces.append(text[position:])
    return "".join(pieces)
