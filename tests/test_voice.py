"""Quoted speech and attribution: which words are the outlet's own, and who the text says is speaking."""

from __future__ import annotations

import pytest

from cleaner.annotation.annotate import annotate
from cleaner.annotation.voice import quote_spans, quotes


def quoted_texts(text: str) -> list[str]:
    return [text[s:e] for s, e in quote_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said "we will win" and left.', ['"we will win"']),
        ("He said “we will win” and left.", ["“we will win”"]),
        ('"That’s a work in progress,” Kellogg said.', ['"That’s a work in progress,”']),  # seed 000: mixed marks
        ("Lavrov spoke of «the Kiev regime» again.", ["«the Kiev regime»"]),
        ("She called it ‘a springboard for terror’ on Monday.", ["‘a springboard for terror’"]),
        ("Ukraine’s allies and Russia’s demands", []),  # apostrophes are not quotes
        ("“One sentence. And another one,” he said.", ["“One sentence. And another one,”"]),
        ("„Wir schaffen das“, sagte sie.", ["„Wir schaffen das“"]),
        ("Mayor says 'we will rebuild'", ["'we will rebuild'"]),
        ("Trump's plan is 'dead on arrival,' Schumer says", ["'dead on arrival,'"]),
        ("rock 'n' roll in the '90s, and Trump's 'big, beautiful' bill", ["'big, beautiful'"]),
        ("rock ‘n’ roll", []),
        ("the Smiths' house and the states' rights", []),
        ("He said \"the 'deal' is off\" today.", ["\"the 'deal' is off\""]),
    ],
    ids=[
        "straight",
        "curly",
        "mixed",
        "guillemets",
        "single-curly",
        "apostrophes",
        "multi-sentence",
        "low-high",
        "single-straight-headline",
        "single-straight-after-apostrophe",
        "elisions-are-not-quotes",
        "curly-elision",
        "plural-possessives",
        "single-inside-double",
    ],
)
def test_quote_spans(text, expected):
    assert quoted_texts(text) == expected


def test_quote_over_paragraphs_news_style_and_unclosed():
    text = "“First paragraph of the quote.\n“Second paragraph,” he said.\nNarrative again."
    assert quoted_texts(text) == ["“First paragraph of the quote.", "“Second paragraph,”"]
    run_on = "“First paragraph of the quote.\nSecond paragraph,” he said.\nNarrative again."
    assert quoted_texts(run_on) == ["“First paragraph of the quote.", "Second paragraph,”"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("“Russia will not discuss it,” Zakharova said.", "Zakharova"),
        ("“Russia will not discuss it,” said Maria Zakharova.", "Maria Zakharova"),
        ("Trump replied: “Every conversation is a good conversation.”", "Trump"),
        ("It would not consider troops “in any format”, according to the foreign ministry.", "the foreign ministry"),
        ("“I think we’re going to get it done,” he said.", "he"),
        ("Mayor says 'we will rebuild'", "Mayor"),
        ("'We will not surrender,' Zelensky says", "Zelensky"),
    ],
)
def test_quote_speaker(text, speaker):
    assert [q.speaker for q in quotes(text)] == [speaker]


def test_an_outlet_quoting_kiev_has_not_chosen_kiev():
    doc = annotate("“We will never talk to the Kiev regime,” Zakharova said. Kyiv rejected the remarks.")
    voices = {(m.variant, m.voice, m.speaker) for m in doc.markers}
    assert ("regime", "quoted", "Maria Zakharova") in voices
    assert ("kyiv", "narrative", None) in voices


def test_reported_speech_is_attributed():
    doc = annotate("Russia asserts that peace requires the demilitarization of Ukraine.")
    assert [(m.variant, m.voice, m.speaker) for m in doc.markers] == [("demilitarization", "narrative", "Russia")]
    tail = annotate("The invasion must end, Tajani said.")
    assert [(m.variant, m.speaker) for m in tail.markers] == [("invasion", "Antonio Tajani")]
    according = annotate("The conflict will end soon, according to the foreign ministry.")
    assert [m.speaker for m in according.markers] == ["the foreign ministry"]


def test_pronoun_speaker_resolves_to_the_last_person_named():
    doc = annotate("Trump spoke to reporters on Monday.\n“A bomb is loaded up into Kyiv,” he said.")
    assert [(m.variant, m.voice, m.speaker) for m in doc.markers] == [("kyiv", "quoted", "Donald Trump")]


POST = (
    "Zelensky replied on X within the hour.\n"
    "Ukraine will never recognise the occupation of Crimea. https://t.co/abc123\n"
    "— Volodymyr Zelenskyy (@ZelenskyyUa) March 1, 2025\n"
    "The Kremlin did not comment."
)


def test_embedded_post_is_quoted_with_the_account_as_speaker():
    (post,) = quotes(POST)
    assert POST[post.start : post.end] == "Ukraine will never recognise the occupation of Crimea. https://t.co/abc123"
    assert post.speaker == "Volodymyr Zelenskyy"


def test_embedded_post_over_several_lines_and_inline_tail():
    lines = (
        "Our list for today:\n\n(1) Think of a noun\n\n(2) Google it\n— Shay Friedman (@ironshay)\n  August 22, 2013"
    )
    text = "The article ends here.\n" + lines
    (post,) = quotes(text)
    assert text[post.start : post.end] == lines.split("\n—")[0]
    assert post.speaker == "Shay Friedman"
    inline = "We will rebuild pic.twitter.com/xyz — (@cityofkyiv) 3 March 2024"
    assert [(inline[q.start : q.end], q.speaker) for q in quotes(inline)] == [
        ("We will rebuild pic.twitter.com/xyz", "@cityofkyiv")
    ]


def test_a_byline_with_a_handle_is_not_a_post():
    assert quotes("By Jane Doe\n— Jane Doe (@janedoe), reporter") == []


def test_marker_in_an_embedded_post_is_quoted():
    voices = {(m.text, m.voice, m.speaker) for m in annotate(POST).markers}
    assert ("occupation of Crimea", "quoted", "Volodymyr Zelensky") in voices  # the account, resolved
    assert ("Zelenskyy", "narrative", None) in voices  # the tail names the account; it is not the post


def test_embedded_post_inside_blockquote_marks_starts_after_the_mark():
    text = "PolitiFact notes a flip-flop: > LIVE FACT-CHECK: Trump is right https://t.co/x > — PolitiFact Live (@politifactlive) September 27, 2016 Was that necessary?"
    assert [(text[q.start : q.end], q.speaker) for q in quotes(text)] == [
        ("LIVE FACT-CHECK: Trump is right https://t.co/x", "PolitiFact Live")
    ]
    assert quotes("> — Donald J. Trump (@realDonaldTrump) February 25, 2016 Later that day.") == []
