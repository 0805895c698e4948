"""Boilerplate glued to a body sentence loses only itself; where its end cannot be told, the line stays."""

from __future__ import annotations

import pytest

from cleaner import Document, clean

BODY = "The vote came after an all-night session, aides said on Monday."

# (family, text with boilerplate glued to BODY, what must remain)
GLUED = [
    ("teaser", f"(RELATED: Senate Passes Border Bill After All-Night Session) {BODY}", BODY),
    ("teaser", f"{BODY} [WATCH: Senators Leave the Chamber]", BODY),
    ("teaser", f"( PHOTOS: The Storm Hits the Coast ) {BODY}", BODY),
    ("teaser", f"[VIDEO] {BODY}", BODY),
    ("caption", f"(Photo: Jane Roe/AP) {BODY}", BODY),
    ("credit", f"{BODY} (Reuters/John Doe)", BODY),
    ("credit", f"{BODY} (Reporting by Jane Roe; Editing by John Doe)", BODY),
    ("stamp", f"date 2025-08-26 {BODY}", BODY),
]

# Lines whose boilerplate end cannot be told from the sentence after it: left whole.
AMBIGUOUS = [
    "SEE ALSO: Trump calls Putin The talks resumed in Geneva on Monday, officials said.",
    "Read more: the ruling runs to 90 pages. Read more of it and you find a warning.",
    f"{BODY} Sign up for our daily newsletter to get the top stories.",
    f"{BODY} Follow her on Twitter @janeroe",
    f"Photo: Jane Roe/AP. {BODY}",
]

# Embedded social posts are quoted content: the post, its link and its "— Name (@handle) date" tail stay.
SOCIAL_POSTS = [
    "Highlights from our 4-1 win at Villa Park pic.twitter.com/BUPgYtgHaY\n— West Ham United (@WestHam) October 31, 2021",
    "We will not back down. https://t.co/abc123\n— Jane Roe (@janeroe) March 3, 2024",
]


@pytest.mark.parametrize(("family", "text", "kept"), GLUED, ids=[f"{f}-{i}" for i, (f, _, _) in enumerate(GLUED)])
def test_glued_boilerplate_loses_only_itself(family, text, kept, ruleset):
    doc = clean(Document(text=f"{text}\nThe talks will resume on Tuesday.", lang="en"), ruleset=ruleset)
    assert doc.removed, f"{family}: nothing removed from {text!r}"
    assert doc.text.split("\n")[0].strip() == kept
    assert doc.original == f"{text}\nThe talks will resume on Tuesday."


@pytest.mark.parametrize("text", AMBIGUOUS)
def test_a_line_whose_boilerplate_end_is_unclear_is_left_whole(text, ruleset):
    doc = clean(Document(text=f"{text}\nThe talks will resume on Tuesday.", lang="en"), ruleset=ruleset)
    assert text in doc.text, [r.rule for r in doc.removed]


@pytest.mark.parametrize("post", SOCIAL_POSTS)
def test_embedded_social_posts_are_kept_whole(post, ruleset):
    text = f"{BODY}\n{post}\nThe talks will resume on Tuesday."
    assert clean(Document(text=text, lang="en"), ruleset=ruleset).text == text
