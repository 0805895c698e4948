"""Structure rules: what an HTML page's structure shows is removed with a rule id, offsets and restore."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner import Document, clean, restore
from cleaner.io.extract import extract_html
from cleaner.io.readers import Entry, read_entry

PAGE = """<html><head><title>{title}</title></head><body><article><h1>{h1}</h1>
<p>Heavy rain flooded the harbour town of Porthmoor on Monday, and the council opened two shelters.</p>
<p>The river rose by two metres overnight, the mayor told reporters at the town hall on Monday.</p>
</article></body></html>"""


def test_title_line_is_a_removal_with_a_rule_id_and_restores(tmp_path):
    page = tmp_path / "storm.html"
    page.write_text(PAGE.format(title="Storm floods the harbour | The Coast Herald", h1="Storm floods the harbour"))
    doc = next(read_entry(Entry(page, str(page))))
    assert isinstance(doc, Document)
    assert [r.rule for r in doc.removed] == ["structure.page-title"]
    assert not doc.text.startswith("Storm floods")
    original = restore(doc.text, doc.removed)
    assert original.startswith("Storm floods the harbour\n")
    removal = doc.removed[0]
    assert original[removal.start : removal.end] == removal.text
    cleaned = clean(doc)  # text rules see the document after the structure removal, and restore still works
    assert cleaned.original == original


def test_a_different_first_line_is_kept():
    # trafilatura reads an <h1> as the title: a page without one starts with a body sentence.
    page = PAGE.format(title="Storm floods the harbour", h1="").replace("<h1></h1>", "")
    extracted = extract_html(page.replace("Heavy rain", "Storm floods the harbour again: heavy rain"))
    assert extracted is not None
    assert extracted["removed"] == ()
    assert extracted["text"].startswith("Storm floods the harbour again")


def test_plain_text_never_meets_a_structure_rule(ruleset):
    text = "Storm floods the harbour\nHeavy rain flooded the harbour town of Porthmoor on Monday."
    assert clean(Document(text=text, title="Storm floods the harbour"), ruleset=ruleset).text == text


BODY = """<p>Heavy rain flooded the harbour town of Porthmoor on Monday, and the council opened two shelters.</p>
<p>The river rose by two metres overnight, the mayor told reporters at the town hall on Monday.</p>
<p>Engineers will inspect the sea wall on Tuesday, the council said in a statement issued late on Monday.</p>"""

CARDS = """<div class="cards">
<div class="card"><h4><strong>Opinion</strong> <a href="/news/ferry-sinks">Ferry sinks off the north coast</a></h4>
<p><em>JANE ROE</em> All twelve passengers were rescued by lifeboat crews from two towns.</p></div>
<div class="card"><h4><strong>Roads</strong> <a href="/news/bridge">Old bridge closed after cracks found</a></h4>
<p><em>JOHN DOE</em> Engineers closed the river crossing after finding cracks in two arches.</p></div>
<div class="card"><h4><strong>Schools</strong> <a href="/news/school">Village school reopens after the floods</a></h4>
<p><em>ANN LEE</em> Pupils returned to their classrooms after three weeks of repairs.</p></div>
</div>"""


def _page(body: str, *, head: str = "") -> str:
    return f"<html><head><title>Storm</title>{head}</head><body>{body}</body></html>"


def test_teaser_cards_outside_a_list_are_a_link_list():
    # herald-sun-1: <div> cards, each a kicker and a headline link in a heading, then a standfirst.
    extracted = extract_html(_page(f"<article>{BODY}{CARDS}</article>"))
    assert extracted is not None
    assert {r.rule for r in extracted["removed"]} == {"structure.link-list"}
    assert "Ferry sinks" not in extracted["text"] and "Pupils returned" not in extracted["text"]
    assert "Engineers will inspect the sea wall" in extracted["text"]


def test_paragraphs_citing_links_are_not_cards():
    # Each paragraph holds a link, but inside a sentence: the article citing its sources.
    cited = BODY.replace("the council opened", 'the <a href="/council">council opened two</a>')
    cited = cited.replace("the mayor told", 'the <a href="/mayor">mayor told reporters</a>')
    cited = cited.replace("the council said", 'the <a href="/statement">council said in a statement</a>')
    extracted = extract_html(_page(f"<article>{cited}</article>"))
    assert extracted is not None
    assert extracted["removed"] == ()


MENU = """<table><tr><td><a href="/current/">Weekly edition</a></td><td><a href="/Archives/">Archives</a></td>
<td><a href="/Search/">Search</a></td><td><a href="{site}/subscribe">Subscribe</a></td></tr></table>"""


def test_a_table_row_of_same_site_links_is_a_menu_and_restores():
    canonical = '<link rel="canonical" href="https://www.example.org/storm">'
    html = _page(f"<table><tr><td>{BODY}</td></tr></table>{MENU.format(site='https://example.org')}", head=canonical)
    extracted = extract_html(html)
    assert extracted is not None
    assert [r.rule for r in extracted["removed"]] == ["structure.link-menu"]
    assert "Archives" not in extracted["text"] and "Engineers will inspect" in extracted["text"]
    original = restore(extracted["text"], extracted["removed"])
    assert "| Weekly edition | Archives | Search | Subscribe |" in original


def test_links_to_other_sites_or_inside_main_are_not_a_menu():
    external = MENU.format(site="https://other.example.net").replace('href="/', 'href="https://other.example.net/')
    for html in (
        _page(f"<table><tr><td>{BODY}</td></tr></table>{external}"),
        _page(f"<main>{BODY}{MENU.format(site='')}</main>"),
    ):
        extracted = extract_html(html)
        assert extracted is not None
        assert extracted["removed"] == ()
        assert "Archives" in extracted["text"]


def test_link_groups_are_not_read_when_no_rule_would_use_them(monkeypatch):
    # Reading the link groups is most of what structure costs: with both link rules off it is skipped,
    # and the page title rule still runs.
    from cleaner import default_ruleset
    from cleaner.io import extract

    def refuse(tree):
        raise AssertionError("link groups read with no rule to use them")

    html = _page(f"<article><h1>Storm</h1>{BODY}{CARDS}</article>")
    monkeypatch.setattr(extract, "_link_groups", refuse)
    extracted = extract_html(html, ruleset=default_ruleset().without(["structure.link-list", "structure.link-menu"]))
    assert extracted is not None and "Ferry sinks" in extracted["text"]
    with pytest.raises(AssertionError, match="no rule to use them"):
        extract_html(html)


@pytest.mark.parametrize(
    "href",
    [
        "https://www.example.org/storm", "http://Example.org/a", "//example.org/x", "https://example.org?q=1",
        "https://example.org#top", "http://user@example.org/", "http://example.org:8080/", "http://[::1]/",
        "https://other.example.net/a", "https:", "http:/x", "https://example.org.evil.net/", "/relative/path",
        "tel:+100", "ftp://example.org/", "https://exa mple.org/",
    ],
)  # fmt: skip
def test_same_site_reads_the_host_as_urlsplit_does(href):
    from urllib.parse import urlsplit

    from cleaner.io.extract import _same_site

    if href.startswith(("http:", "https:", "//")):
        target = urlsplit(href).hostname
        expected = bool(target) and target.removeprefix("www.") == "example.org"
    else:
        expected = ":" not in href.split("/", 1)[0]
    assert _same_site(href, "example.org") is expected


# Non-ASCII spaces, quotes, compatibility forms and letters that casefold to two: _compact reads
# them by a path of its own and must agree with _comparable on every text.
_ALPHABET = [*list(" \t\n-_.,'`\"“”„‘’«»ÄéﬁAbzß19:;!?İ—"), chr(769), "\xa0", "\u2009", "\u3000", "Ａ", "٣"]


@given(st.text(alphabet=st.sampled_from(_ALPHABET), max_size=30))
def test_compact_fast_path_equals_the_general_one(text):
    from cleaner.io.extract import _compact, _comparable

    assert _compact(text) == _comparable(text).replace(" ", "")


@given(st.text(alphabet=st.sampled_from(_ALPHABET), max_size=30))
def test_plain_quotes_maps_like_a_translation_table(text):
    from cleaner.io.extract import _QUOTES, _plain_quotes

    assert _plain_quotes(text) == text.translate(str.maketrans(_QUOTES))


def _wrapped(paragraphs: int, extra_link: str) -> str:
    # A page wrapper whose children are a header, the article, a sidebar of related stories and a footer,
    # each holding a link: the wrapper must not read as a list of teasers with the article as one of them.
    sentence = "The council voted on Tuesday to delay the transit levy after a long public hearing on costs. "
    body = "".join(f"<p>{sentence}Paragraph {i} adds detail about the plan.</p>" for i in range(paragraphs))
    related = "".join(f'<li><a href="/x{i}">Related headline number {i}</a></li>' for i in range(3))
    return _page(
        '<div id="wrap"><header><div><a href="/subscribe">Subscribe for full access today</a></div></header>'
        f'<div class="content"><h1>Council delays levy</h1>{body}{extra_link}</div>'
        f"<aside><ul>{related}</ul></aside>"
        '<footer><p><a href="/terms">Terms of service and privacy</a></p></footer></div>',
        head='<link rel="canonical" href="https://news.example.com/a">',
    )


@pytest.mark.parametrize("paragraphs", [3, 12])
@pytest.mark.parametrize(
    "extra_link",
    ['<p><a href="/earlier">Read our earlier report on this</a></p>', '<p>By <a href="/jd">Jane Doe</a></p>'],
)
def test_a_page_wrapper_is_not_a_list_and_the_article_stays(paragraphs, extra_link):
    extracted = extract_html(_wrapped(paragraphs, extra_link))
    assert extracted is not None
    assert extracted["text"].count("Paragraph") == paragraphs
    assert all(r.rule != "structure.link-list" or "Paragraph" not in r.text for r in extracted["removed"])


def test_bullets_citing_their_sources_are_the_articles_own():
    # Short sentences each citing a source: the words before the link run into it, and the sentence
    # goes on after it. They are not kickers beside a headline.
    bullets = "".join(
        f'<li>{lead} <a href="https://audit.example.org/{i}">{cited}</a>.</li>'
        for i, (lead, cited) in enumerate(
            [("Costs rose", "by a third since 2019"), ("Ridership fell", "for five straight years"),
             ("Fares cover", "less than half of operating costs")]
        )
    )  # fmt: skip
    extracted = extract_html(_page(f"<main><article>{BODY}<ul>{bullets}</ul>{BODY}</article></main>"))
    assert extracted is not None
    for lead in ("Costs rose", "Ridership fell", "Fares cover"):
        assert lead in extracted["text"]


def test_a_kicker_in_its_own_element_or_cut_off_by_a_break_still_labels_a_headline():
    for kicker in ("<strong>Opinion</strong> ", "Opinion<br>"):
        cards = "".join(
            f'<div class="card"><h4>{kicker}<a href="/s{i}">Headline of another story number {i}</a></h4></div>'
            for i in range(4)
        )
        extracted = extract_html(_page(f"<article>{BODY}<div>{cards}</div></article>"))
        assert extracted is not None
        assert "Headline of another story" not in extracted["text"], kicker
        assert "Engineers will inspect the sea wall" in extracted["text"]
