"""HTML bytes that are not UTF-8 are read in the encoding the page declares (cleaner.io.extract.decode_html),
as a browser reads them; trafilatura's guess from the bytes is kept for pages that declare nothing."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from trafilatura.utils import decode_file
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.io.extract import Declared, declared_encoding, decode_html, extract_html

ROOT = Path(__file__).resolve().parent.parent
PAGES = Path(os.environ.get("CLEANER_PAGES", ROOT.parent / "shared" / "data" / "pages"))
# A page long enough that trafilatura guesses from its first and last 5,000 bytes only: markup, no text.
HEAD = "<html><head><{declaration}><style>" + ".a{{color:red}}" * 600 + "</style></head><body>"
TAIL = "<script>" + "var x=1;" * 900 + "</script></body></html>"
PARAGRAPHS = {
    "cp1252": "<p>The Prime Minister’s office called the café’s plan “naïve”, Zürich’s mayor said.</p>",
    "cp1251": "<p>Министр заявил, что переговоры продолжатся в Москве.</p>",
    "koi8-r": "<p>Министр заявил, что переговоры продолжатся в Москве.</p>",
    "iso-8859-2": "<p>Minister powiedział, że rozmowy będą kontynuowane w Łodzi.</p>",
    "iso-8859-7": "<p>Ο υπουργός δήλωσε ότι οι συνομιλίες θα συνεχιστούν.</p>",
    "shift_jis": "<p>首相は交渉を続けると述べた。</p>",
    "gbk": "<p>总理表示谈判将继续进行。</p>",
    "euc-kr": "<p>총리는 협상이 계속될 것이라고 말했다.</p>",
}


def page(paragraph: str, declaration: str) -> str:
    return HEAD.format(declaration=declaration) + paragraph * 5 + TAIL


@pytest.mark.parametrize("encoding", sorted(PARAGRAPHS))
@pytest.mark.parametrize(
    "form", ["meta charset='{}'", "meta http-equiv='Content-Type' content='text/html; charset={}'"]
)
def test_a_declared_encoding_is_read(encoding, form):
    text = page(PARAGRAPHS[encoding], form.format(encoding))
    assert decode_html(text.encode(encoding)) == text


def test_latin1_is_read_as_windows_1252_as_browsers_do():
    # Pages that declare ISO-8859-1 write their quotes in Windows-1252 (0x92 is ’). Read as Latin-1 they
    # become invisible control characters: "Ministers office", the quotes gone, silently. (trafilatura's own
    # decoding loses them on this page; the control below proves the test can fail.)
    text = page(PARAGRAPHS["cp1252"], "meta charset='iso-8859-1'")
    data = text.encode("cp1252")
    assert decode_file(data) != text
    assert decode_html(data) == text
    extracted = extract_html(data)
    assert extracted is not None
    assert "The Prime Minister’s office called the café’s plan “naïve”" in extracted["text"]


def test_an_xml_declaration_and_a_byte_order_mark_are_read():
    text = page(PARAGRAPHS["shift_jis"], "meta name='x'")
    assert decode_html(('<?xml version="1.0" encoding="Shift_JIS"?>' + text).encode("shift_jis")).endswith(text)
    assert decode_html(b"\xff\xfe" + text.encode("utf-16-le")) == text


def test_a_byte_the_declared_encoding_lacks_becomes_a_replacement_character():
    # 0x81 is no character in Windows-1252 (a browser shows nothing for it): the rest of the page is still read
    # in the encoding it declares, not handed to a guess that garbles every other character.
    text = page(PARAGRAPHS["cp1252"], "meta charset='windows-1252'")
    data = text.encode("cp1252").replace(b"\x92", b"\x81", 1)
    assert decode_html(data) == text.replace("’", "\ufffd", 1)
    assert declared_encoding(data) == Declared(text.replace("’", "\ufffd", 1), "cp1252", 1)


@pytest.mark.parametrize(
    "declaration",
    [
        "meta charset='utf-8'",  # a page that declares UTF-8 and is not
        "meta charset='utf-16'",  # UTF-16 declared in bytes that are ASCII markup: a browser reads UTF-8
        "meta charset='cp500'",  # EBCDIC: the markup itself would become noise
        "meta charset='unicode_escape'",  # escapes in attributes would become markup
        "meta charset='undefined'",  # Python's codec that refuses everything
        "meta charset='bogus'",
        "meta charset='shift_jis'",  # a wrong declaration: most of the non-ASCII characters do not decode
    ],
)
def test_declarations_no_browser_would_follow_go_to_trafilaturas_guess(declaration):
    data = page(PARAGRAPHS["cp1251"], declaration).encode("cp1251")
    assert declared_encoding(data) is None
    assert decode_html(data) == decode_file(data)


def test_a_declaration_in_a_comment_is_not_one():
    text = "<!-- <meta charset='koi8-r'> -->" + page(PARAGRAPHS["cp1251"], "meta charset='windows-1251'")
    assert decode_html(text.encode("cp1251")) == text


def test_a_byte_order_mark_wins_even_over_broken_bytes():
    text = page(PARAGRAPHS["cp1252"], "meta charset='windows-1252'")
    data = b"\xef\xbb\xbf" + text.encode("utf-8").replace("’".encode(), b"\xe2\x80", 1)
    assert decode_html(data) == text.replace("’", "\ufffd", 1)


def test_a_page_with_a_byte_its_encoding_lacks_is_read_with_a_warning(tmp_path):
    text = page(PARAGRAPHS["cp1252"], "meta charset='iso-8859-1'")
    (tmp_path / "page.html").write_bytes(text.encode("cp1252").replace(b"\x92", b"\x8d", 1))
    (tmp_path / "clean.html").write_bytes(text.encode("cp1252"))
    result = CliRunner().invoke(
        app, ["clean", "--format", "jsonl", str(tmp_path / "page.html"), str(tmp_path / "clean.html")]
    )
    assert result.exit_code == 1
    records = {Path(r["source"]).name: r for r in map(json.loads, result.stdout.splitlines())}
    assert "The Prime Minister\ufffds office called the café’s plan “naïve”" in records["page.html"]["text"]
    assert records["page.html"]["warnings"] == [
        "1 character not valid in cp1252, the encoding the page declares, replaced by U+FFFD"
    ]
    assert "The Prime Minister’s office" in records["clean.html"]["text"]
    assert not records["clean.html"].get("warnings")
    assert "page.html" in result.stderr and "clean.html" not in result.stderr


@given(st.text(st.characters(codec="cp1252", exclude_characters="\r\x00"), max_size=300))
@example("’ “naïve” — Zürich €5")
def test_any_windows_1252_text_is_read_back(body):
    text = page(f"<p>{body}</p>", "meta charset='windows-1252'")
    data = text.encode("cp1252")
    # Bytes that are also valid UTF-8 ("Â\x8c" is C2 8C, U+008C in UTF-8) are read as UTF-8: a page
    # mis-declared as Windows-1252 is far more often UTF-8 than such a pair is meant.
    assume(not _is_utf8(data))
    assert decode_html(data) == text


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@given(st.text(max_size=300))
def test_utf8_and_text_are_decoded_as_trafilatura_decodes_them(body):
    text = page(f"<p>{body}</p>", "meta charset='windows-1252'")  # valid UTF-8 wins over any declaration
    encoded = text.encode("utf-8")  # st.text() draws no lone surrogates
    assert decode_html(encoded) == decode_file(encoded) == text
    assert decode_html(text) is text


@pytest.mark.parametrize("name", ["breitbart", "herald-sun-1"])
@pytest.mark.parametrize("encoding", ["cp1252", "cp1251", "cp1250"])
def test_real_pages_in_a_legacy_encoding_extract_as_in_utf8(name, encoding):
    # The real page transcoded, its declaration changed to match. trafilatura's guess read breitbart and
    # herald-sun-1 wrongly in every single-byte Windows encoding (one lost its text, one got "Ministerĺs").
    source = PAGES / name / "source.html.gz"
    if not source.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but the real pages are missing: {PAGES}")
        pytest.skip(f"real pages not found at {PAGES} (../shared/data/pages)")
    text = gzip.decompress(source.read_bytes()).decode("utf-8")
    expected = extract_html(text)
    for utf8 in ("charset=utf-8", 'charset="UTF-8"', 'charset="utf-8"'):
        text = text.replace(utf8, f"charset={encoding}")
    assert f"charset={encoding}" in text
    data = text.encode(encoding)  # these pages hold only characters every Windows encoding has
    assert expected is not None
    assert extract_html(data)["text"] == expected["text"]
