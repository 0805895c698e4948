"""Structure rules: what an HTML page's structure shows is removed with a rule id, offsets and restore."""

from __future__ import annotations

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
