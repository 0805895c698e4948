"""The lexicon method: sentiment toward a mention, not toward the sentence: opposite signs in one sentence,
VADER's gaps filled. Each test asks for method="lexicon"; the trained model is tested in test_sentiment_model.py."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from cleaner.annotation.annotate import annotate, load_annotator
from cleaner.annotation.sentiment import load_sentiment, rounded, target_sentiment
from cleaner.errors import RulesetError


def scores(sentence: str, *names: str) -> dict[str, float]:
    spans = {name: (sentence.index(name), sentence.index(name) + len(name)) for name in names}
    return {
        name: target_sentiment(sentence, *span, others=[s for n, s in spans.items() if n != name], method="lexicon")
        for name, span in spans.items()
    }


def test_praise_and_condemnation_go_to_their_objects():
    got = scores("Trump praised Putin but condemned Zelensky.", "Trump", "Putin", "Zelensky")
    assert got["Putin"] > 0 > got["Zelensky"]
    assert got["Trump"] == 0


@pytest.mark.parametrize(
    ("sentence", "positive", "negative"),
    [
        ("Lavrov praised Trump, while Zelensky accused Putin of lying.", "Trump", "Putin"),
        ("Tajani thanked Norway but denounced Russia.", "Norway", "Russia"),
        ("Zelensky was praised by Tajani, and Lavrov was criticised by Store.", "Zelensky", "Lavrov"),
    ],
)
def test_two_entities_get_opposite_signs(sentence, positive, negative):
    got = scores(sentence, positive, negative)
    assert got[positive] > 0 > got[negative]


def test_invasion_judges_the_invader_not_the_invaded():
    sentence = "Russia launched a full-scale invasion of Ukraine."
    # VADER alone reads this sentence as positive ("launched" +0.5, nothing for "invasion").
    assert SentimentIntensityAnalyzer().polarity_scores(sentence)["compound"] > 0
    got = scores(sentence, "Russia", "Ukraine")
    assert got["Russia"] < 0
    assert got["Ukraine"] == 0


@pytest.mark.parametrize(
    ("sentence", "target", "sign"),
    [
        ("Trump did not praise Putin.", "Putin", -1),
        ("Fears of another invasion by Russia grew.", "Russia", -1),
        ("Moscow annexed Crimea in 2014.", "Moscow", -1),
        ("The coup in Kiev was denounced by nobody.", "Kiev", -1),
    ],
)
def test_negation_passive_and_news_words(sentence, target, sign):
    value = scores(sentence, target)[target]
    assert value * sign > 0


def test_without_other_mentions_capitalised_words_stand_in():
    sentence = "Trump praised Putin but condemned Zelensky."
    start = sentence.index("Putin")
    assert target_sentiment(sentence, start, start + 5, method="lexicon") > 0
    start = sentence.index("Trump")
    assert target_sentiment(sentence, start, start + 5, method="lexicon") == 0


@pytest.mark.parametrize("method", ["model", "lexicon"])
@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300), data=st.data())
def test_any_span_of_any_text_scores_in_range(text, data, method):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert -1.0 <= target_sentiment(text, start, end, method=method) <= 1.0


def test_entity_reports_keep_narrative_and_quoted_apart_with_evidence():
    text = "“Putin is a great partner,” Lavrov said. Tajani condemned Putin on Monday."
    doc = annotate(text, annotator=load_annotator(sentiment="lexicon"))
    report = next(r for r in doc.entities if r.entity == "Vladimir Putin")
    assert report.mentions == 2
    assert report.quoted is not None and report.quoted > 0
    assert report.narrative is not None and report.narrative < 0
    assert {e.voice for e in report.evidence} == {"quoted", "narrative"}
    assert all(e.sentence in doc.text for e in report.evidence)
    assert report.sentiment == round((report.quoted + report.narrative) / 2, 4)


def test_readme_api_example():
    text = "Trump praised Putin but condemned Zelensky."
    assert target_sentiment(text, 33, 41, method="lexicon") == -0.4404
    assert target_sentiment(text, 14, 19, others=[(0, 5), (33, 41)], method="lexicon") == 0.4939


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        ("  - {word: coup, valence: -2, reason: a}\n  - {word: Coup, valence: -1, reason: b}\n",
         "sentiment.yaml:3: word 'Coup': duplicate word 'Coup' (first at line 2)"),
        ("  - {word: coup, valence: -2, reason: a, examples: [{text: A coup., target: Kyiv, sign: negative}]}\n",
         "sentiment.yaml:2: word 'coup': target 'Kyiv' is not in the example's text"),
        ("  - {word: coup, valence: -2, reason: a, examples: [{text: Kyiv coup., target: Kyiv, sign: bad}]}\n",
         "sentiment.yaml:2: word 'coup': 'sign' must be one of negative, neutral, positive"),
    ],
)  # fmt: skip
def test_bad_sentiment_words_are_located(tmp_path, monkeypatch, snippet, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sentiment.yaml").write_text("words:\n" + snippet, encoding="utf-8")
    with pytest.raises(RulesetError) as info:
        load_sentiment([tmp_path], shipped=False)
    assert str(info.value.problems[0]) == message


# Halves and near-halves of the last digit kept (0.0005, 0.00049999...), where a shortcut would go wrong.
ties = st.builds(lambda k, d, nudge: (k + 0.5) / 10**d + nudge, st.integers(-99_999, 99_999), st.integers(0, 4),
                 st.sampled_from([0.0, 1e-17, -1e-17, 1e-12, -1e-12, 5e-16, -5e-16]))  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), ties, st.floats(-10, 10)), st.integers(-2, 6))
def test_rounded_is_round_to_the_bit(x, digits):
    expected, got = round(x, digits), rounded(x, digits)
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == expected and math.copysign(1.0, got) == math.copysign(1.0, expected)
