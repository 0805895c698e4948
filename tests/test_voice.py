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
    ],
    ids=["straight", "curly", "mixed", "guillemets", "single-curly", "apostrophes", "multi-sentence"],
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
