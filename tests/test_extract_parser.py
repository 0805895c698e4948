"""The HTML path's own parse (cleaner.io.extract.load_html) against trafilatura's load_html: the same tree
and the same extraction, only with element classes chosen in C (every element an HtmlElement)."""

from __future__ import annotations

import gzip
import os
from pathlib import Path
from unittest.mock import patch

import pytest
import trafilatura
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml.html import FormElement, HtmlElement, InputElement
from trafilatura.utils import decode_file
from trafilatura.utils import load_html as trafilatura_load_html

from cleaner.io import extract
from cleaner.io.extract import decode_html, extract_html, load_html

ROOT = Path(__file__).resolve().parent.parent
PAGES = Path(os.environ.get("CLEANER_PAGES", ROOT.parent / "shared" / "data" / "pages"))
FORM_PAGE = (
    "<!DOCTYPE html><html><head><title>Harbour floods</title></head><body><article><!-- a comment -->"
    "<?php echo 1; ?><h1>Harbour floods</h1><p>Heavy rain flooded the harbour on Monday, and the ferries "
    "stopped for the day while the water was pumped out of the terminal.</p><form action='/s'>"
    "<label>Search</label><input name='q' value='x'><select><option>a</option></select>"
    "<textarea>t</textarea></form><p>The port authority said the terminal would reopen on Tuesday "
    "morning once the pumps had done their work.</p></article></body></html>"
)


def _serialized(tree: HtmlElement | None) -> bytes | None:
    return None if tree is None else etree.tostring(tree.getroottree())


def _extracted(html: bytes | str) -> tuple[object, ...] | None:
    result = trafilatura.bare_extraction(html, include_comments=False, with_metadata=True)
    return None if result is None else (result.text, result.title, result.date, result.sitename, result.url)


def test_elements_are_plain_html_elements_and_the_parser_keeps_trafilaturas_settings() -> None:
    ours, theirs = load_html(FORM_PAGE), trafilatura_load_html(FORM_PAGE)
    assert _serialized(ours) == _serialized(theirs)
    assert b"<!--" not in _serialized(ours) and b"<?php" not in _serialized(ours)  # trafilatura's settings
    # The point of the parser: trafilatura's tree has lxml.html's form classes, looked up in Python ...
    assert isinstance(theirs.find(".//form"), FormElement) and isinstance(theirs.find(".//input"), InputElement)
    # ... ours has one class for every element, and its copies (trafilatura extracts from a copy) keep it.
    for tree in (ours, ours.__copy__()):
        assert {type(element) for element in tree.iter()} == {HtmlElement}
    assert _extracted(ours) == _extracted(theirs) == _extracted(FORM_PAGE)
    assert "ferries" in extract_html(FORM_PAGE)["text"]


_PIECES = st.sampled_from(
    [
        "<!DOCTYPE html>",
        "<!doctype html public '-//W3C//DTD XHTML 1.0 Strict//EN'>",
        '<?xml version="1.0" encoding="utf-8"?>',  # a str with a declaration: parsed as bytes
        "<html/>",
        "<html lang='fr'>",
        "<head><title>Titre du jour</title><meta charset='iso-8859-1'></head>",
        "<body>",
        "<article>",
        "<p>Le port a rouvert mardi matin après deux jours de pluie sur toute la côte nord.</p>",
        "<p>The council met on Monday & voted to rebuild the sea wall before next winter's storms.</p>",
        "<ul><li><a href='/a'>One story about the harbour</a></li><li><a href='/b'>Another story about it"
        "</a></li><li><a href='/c'>A third story about the port</a></li></ul>",
        "<form><input value='v'><select><option>o</option></select><textarea>t</textarea><label>l</label></form>",
        "<!-- comment -->",
        "<?pi target?>",
        "&nbsp;&amp;&eacute;&#169;",
        "\x00\x0b\x1f",
        "plain text, no tag at all",
        "</article></body></html>",
        "<div><span>Über die Brücke</span> — «цитата»</div>",
        "\ufeff",
        "\ud800",  # a lone surrogate: the text is parsed again as bytes, with surrogatepass
        "\udfff",
        "",
    ]
)


@given(st.lists(_PIECES, max_size=10).map("".join), st.sampled_from(["str", "utf-8", "latin-1", "utf-16"]))
@example(FORM_PAGE, "str")
@example("", "str")
@example("<html>\udfff", "str")  # the retry as bytes when the first parse gives an empty tree
@example('<?xml version="1.0" encoding="utf-8"?><html><body><p>x</p></body></html>', "str")
@example("<head><meta charset='iso-8859-1'></head><body><p>Zürich, ¿qué?</p></body>", "latin-1")  # declared
@example("\x00\x0b\x1f<head><title>Titre du jour</title><meta charset='iso-8859-1'></head>", "utf-16")  # a BOM
@settings(max_examples=150, deadline=None)
def test_same_tree_and_extraction_as_trafilaturas_parse(page: str, encoding: str) -> None:
    html: bytes | str = page if encoding == "str" else page.encode(encoding, "replace")
    ours = load_html(html)
    # Bytes that are not UTF-8 are decoded in the encoding they declare, on purpose, where trafilatura
    # guesses (tests/test_html_encoding.py): from there on, the same steps on the same text.
    theirs = trafilatura_load_html(decode_html(html) if decode_html(html) != decode_file(html) else html)
    assert _serialized(ours) == _serialized(theirs)
    if theirs is not None:
        assert _extracted(ours) == _extracted(theirs)


def _real_pages() -> list[Path]:
    if not PAGES.is_dir():
        pytest.skip(f"real pages not found at {PAGES} (../shared/data/pages)")
    return sorted(path for path in PAGES.glob("*/source.html.gz"))


def test_real_pages_give_the_same_tree_and_the_same_extraction() -> None:
    """Every real page, as bytes and as text: the same tree as trafilatura's parse, and extract_html's
    record (text, removals, metadata) the same as with trafilatura's parse."""
    pages = _real_pages()
    assert len(pages) >= 100
    for path in pages:
        raw = gzip.decompress(path.read_bytes())
        for html in (raw, raw.decode("utf-8", "replace")):
            assert _serialized(load_html(html)) == _serialized(trafilatura_load_html(html)), path
        ours = extract_html(raw)
        with patch.object(extract, "load_html", trafilatura_load_html):
            theirs = extract_html(raw)
        assert ours == theirs, path


def test_input_types_as_trafilaturas_load_html() -> None:
    tree = trafilatura_load_html(FORM_PAGE)
    assert load_html(tree) is tree  # a tree is used as it is
    for wrong in (None, bytearray(b"<html><body><p>x</p></body></html>"), 12):
        with pytest.raises(TypeError):
            trafilatura_load_html(wrong)
        with pytest.raises(TypeError):
            load_html(wrong)


def test_a_text_past_libxml2s_limit_is_read_as_trafilatura_reads_it() -> None:
    """The parser's settings are trafilatura's, including the ones a page must be large to show: a text
    node over libxml2's 10 MB limit (what huge_tree would lift)."""
    page = "<html><body><article><p>" + "word " * 2_200_000 + "</p></article></body></html>"
    assert _serialized(load_html(page)) == _serialized(trafilatura_load_html(page))


def test_the_parser_follows_trafilaturas_when_it_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    from lxml.html import HTMLParser
    from trafilatura import utils

    monkeypatch.setattr(utils, "HTML_PARSER", HTMLParser(remove_comments=False, remove_pis=False))
    page = "<html><body><!-- kept now --><p>Heavy rain flooded the harbour.</p></body></html>"
    assert b"kept now" in _serialized(load_html(page))
    assert _serialized(load_html(page)) == _serialized(trafilatura_load_html(page))
