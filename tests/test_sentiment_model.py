"""The trained target-sentiment model: the dev-set gate, evidence on every score, the lexicon as its features,
and the shared-sentence fast path equal to scoring each mention on its own."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cleaner.annotation.annotate import annotate, load_annotator
from cleaner.annotation.sentiment import load_sentiment, target_sentiment
from cleaner.annotation.sentiment_eval import macro_f1, read_newsmtsc
from cleaner.annotation.sentiment_model import (
    BASELINE,
    MODEL_FILE,
    OTHERS,
    _strongest,
    _Tally,
    default_model,
    load_model,
    mention_features,
    score_mention,
    sentence_features,
    sentence_view,
    target_features,
)
from cleaner.cli import app
from cleaner.reports.render import render_markdown
from cleaner.reports.review import render_review_html
from helpers import seed_path

NEWSMTSC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "newsmtsc"
# Dev macro-F1 of the shipped model, one point below what benchmarks/train_sentiment.py reached (see
# docs/sentiment.md). Raising a floor is free; lowering one needs a stated reason.
# mt's floor went down 0.2 (one mention of 442) with the NB-scaled model of issue 11a, which raised rw by 1.8
# and the cross-validated figure (not chosen on dev) from 63.7 to 65.8. Issue 11e's family scales reached
# 68.9/67.2 (rw 69.5 before): rw's floor stays at 68.5 (0.4 below), mt's is raised to one point below.
# Distilled from a fine-tuned MiniLM (issue 11k) the model reaches 70.1/68.2: both floors one point below.
FLOORS = {"rw": 69.1, "mt": 67.2}
runner = CliRunner()


def newsmtsc_dir() -> Path:
    if not NEWSMTSC.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{NEWSMTSC} is missing, and CI has the data")
        pytest.skip(f"no NewsMTSC data at {NEWSMTSC}")
    return NEWSMTSC


@pytest.mark.parametrize("split", sorted(FLOORS))
def test_shipped_model_keeps_its_dev_macro_f1(split):
    mentions = read_newsmtsc(newsmtsc_dir() / split / "dev.jsonl.gz")
    model = load_model()
    scored = [model.score(mention_features(m.sentence, m.start, m.end, others=m.others)) for m in mentions]
    assert macro_f1([m.label for m in mentions], [s.label for s in scored]) >= FLOORS[split]
    # What annotate and target_sentiment run (the sentence's share once, the words' weights per word) scores
    # every dev mention exactly as the feature map the model was trained on.
    lexicon = load_sentiment()
    fast = []
    for m in mentions:
        view = sentence_view(m.sentence, lexicon, model.known)
        shared = model.sentence_partial(view)
        fast.append(model.score_target(m.sentence, view, m.start, m.end, shared=shared, others=m.others))
    assert fast == scored


def test_macro_f1_counts_every_class():
    assert macro_f1(["negative", "neutral", "positive"], ["negative", "neutral", "positive"]) == 100
    assert macro_f1(["negative", "neutral", "positive"], ["neutral", "neutral", "neutral"]) == pytest.approx(100 / 6)


def test_model_file_is_small_and_in_the_package():
    assert MODEL_FILE.is_file() and MODEL_FILE.stat().st_size < 5_000_000
    assert "cleaner" in MODEL_FILE.parts and MODEL_FILE.parent.name == "models"
    assert default_model().meta["labels"] == ["negative", "neutral", "positive"]


def test_a_score_keeps_the_features_that_moved_it():
    text = "The senator was forced to walk back his claims after Smith was caught lying to investigators."
    start = text.index("Smith")
    scored = score_mention(text, start, start + 5)
    assert scored.score == target_sentiment(text, start, start + 5)
    top, others, baseline = scored.features[:-2], scored.features[-2], scored.features[-1]
    assert 0 < len(top) <= 5 and others[0] == OTHERS and baseline[0] == BASELINE
    pushes = [abs(weight) for _, weight in top]
    assert pushes == sorted(pushes, reverse=True)
    assert scored.score < 0 and scored.label == "negative"
    # The pushes shown add up to the log-odds of positive over negative.
    model = default_model()
    features = mention_features(text, start, start + 5)
    log_odds = sum(model.weights[k][3] * v for k, v in features.items() if k in model.weights)
    log_odds += model.intercept[2] - model.intercept[0]
    assert sum(weight for _, weight in scored.features) == pytest.approx(log_odds, abs=0.01)
    assert log_odds < 0


def test_a_users_sentiment_yaml_moves_the_models_score(tmp_path):
    # A user's word with a valence enters the model through its lexicon features.
    (tmp_path / "sentiment.yaml").write_text(
        "words:\n  - {word: frobnicated, valence: -3.5, direction: object, reason: 'a test word'}\n", encoding="utf-8"
    )
    text = "Officials frobnicated Smith at the meeting on Tuesday."
    start = text.index("Smith")
    before = score_mention(text, start, start + 5)
    after = score_mention(text, start, start + 5, lexicon=load_sentiment([tmp_path]))
    assert after.score < before.score
    assert any(name.startswith("lexicon") for name, _ in after.features)
    annotated = annotate(text, annotator=load_annotator([tmp_path]))
    plain = annotate(text, annotator=load_annotator())
    assert [r.sentiment for r in annotated.entities] != [r.sentiment for r in plain.entities] or not plain.entities


sentence_text = st.text(alphabet="abcdefghij ABC,;.“”\"'’!?-", min_size=1, max_size=120)


@settings(max_examples=150, deadline=None)
@given(sentence_text, st.data())
def test_the_shared_sentence_path_scores_as_each_mention_alone(sentence, data):
    start = data.draw(st.integers(0, len(sentence) - 1))
    end = data.draw(st.integers(start + 1, len(sentence)))
    model = default_model()
    lexicon = load_sentiment()
    alone = model.score(mention_features(sentence, start, end))
    view = sentence_view(sentence, lexicon, model.known)
    shared = model.score(
        target_features(sentence, view, start, end, lexicon=lexicon), shared=model.partial(sentence_features(view))
    )
    assert shared == alone  # exactly: score, label, and every feature shown with its push


# Sentences of words the model weighs, names, repeats and quotes: the windows of score_target at work.
news_words = st.sampled_from(
    ["the", "said", "not", "never", "Trump", "he", "his", "was", "good", "bad", "attack", "praised", "Russia's",
     "Putin", "and", ",", ".", "“", "”", "\"", "great", "crisis", "it", "of", "to", "corrupt", "Kyiv", "didn't",
     "failed", "very", "win", "2019", "war", "support", "Obama", "’s", "-", "?"]
)  # fmt: skip
news_sentence = st.lists(news_words, min_size=1, max_size=45).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(news_sentence, sentence_text), st.data())
def test_score_target_weighs_the_feature_map_without_making_it(sentence, data):
    start = data.draw(st.integers(0, len(sentence) - 1))
    end = data.draw(st.integers(start + 1, min(len(sentence), start + 12)))
    others = data.draw(st.lists(st.tuples(st.integers(0, len(sentence) - 1), st.integers(1, 6)), max_size=3))
    others = [(s, min(len(sentence), s + n)) for s, n in others]
    quoted = data.draw(st.sampled_from([None, True, False]))
    model = default_model()
    lexicon = load_sentiment()
    view = sentence_view(sentence, lexicon, model.known)
    features = mention_features(sentence, start, end, others=others, quoted=quoted, lexicon=lexicon)
    partial = model.sentence_partial(view)
    assert (partial.moved, partial.sums) == (
        model.partial(sentence_features(view)).moved,
        model.partial(sentence_features(view)).sums,
    )
    fast = model.score_target(sentence, view, start, end, shared=partial, others=others, quoted=quoted, lexicon=lexicon)
    assert fast == model.score(features)  # exactly: score, label, and every feature shown with its push


def test_score_target_needs_a_sentences_partial():
    model, lexicon = default_model(), load_sentiment()
    sentence = "Critics said the senator's plan was a disaster."
    view = sentence_view(sentence, lexicon, model.known)
    with pytest.raises(ValueError, match="sentence_partial"):
        model.score_target(sentence, view, 0, 7, shared=model.partial(sentence_features(view)))


def test_a_partial_serves_as_many_strongest_features_as_it_kept():
    # A sentence's partial keeps its `top` strongest features; a score asking for more would miss some.
    sentence = "Critics said the senator's reckless plan was a disaster, but supporters praised her courage."
    model = default_model()
    lexicon = load_sentiment()
    view = sentence_view(sentence, lexicon, model.known)
    own = target_features(sentence, view, 21, 28, lexicon=lexicon)
    wide = model.score(own, shared=model.partial(sentence_features(view), top=8), top=8)
    assert wide == model.score({**sentence_features(view), **own}, top=8)
    assert wide == model.score_target(sentence, view, 21, 28, shared=model.sentence_partial(view, top=8), top=8)
    assert len([name for name, _ in wide.features]) == 8 + 2  # the eight, the rest, the baseline
    with pytest.raises(ValueError, match="kept its 5 strongest features; 8 asked"):
        model.score(own, shared=model.partial(sentence_features(view)), top=8)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_annotate_scores_each_mention_as_the_merged_feature_map(prefix):
    # annotate sums a sentence's features once for all its mentions; what it reports must be what scoring
    # each mention's whole feature map gives (the weights have four decimals: a sum in another order can
    # land on the other side of a rounding, as it did for 1 mention in 120 before this was pinned).
    text = seed_path(prefix).read_text(encoding="utf-8")
    model, lexicon = default_model(), load_sentiment()
    doc = annotate(text)
    evidence = [e for r in doc.entities for e in r.evidence]
    checked = 0
    for e in evidence:
        low = text.index(e.sentence, max(0, e.start - len(e.sentence)))
        others = [(o.start - low, o.end - low) for o in evidence if o.sentence == e.sentence and o is not e]
        view = sentence_view(e.sentence, lexicon, model.known)
        own = target_features(
            e.sentence, view, e.start - low, e.end - low, others=others, quoted=e.voice == "quoted", lexicon=lexicon
        )
        alone = model.score({**sentence_features(view), **own})
        assert (e.score, e.features) == (alone.score, alone.features), e.sentence
        checked += 1
    assert checked >= 20


def test_evidence_carries_features_under_the_model_and_none_under_the_lexicon():
    text = "Tajani condemned Putin on Monday. Zelensky thanked Norway for its support."
    model_doc = annotate(text)
    lexicon_doc = annotate(text, annotator=load_annotator(sentiment="lexicon"))
    assert all(e.features for r in model_doc.entities for e in r.evidence)
    assert not any(e.features for r in lexicon_doc.entities for e in r.evidence)
    record = model_doc.to_record()["entities"][0]["evidence"][0]
    assert list(record) == ["sentence", "score", "voice", "start", "end", "features"]
    assert all(list(f) == ["feature", "push"] and isinstance(f["push"], float) for f in record["features"])
    markdown = render_markdown(model_doc)
    assert "why: " in markdown
    name, weight = model_doc.entities[0].evidence[0].features[0]
    assert f"{name} {weight:+.2f}" in markdown


def test_review_shows_each_mentions_features():
    doc = annotate("Tajani condemned Putin on Monday.")
    from cleaner.reports.compare import Comparison, build_tables

    comparison = Comparison()
    comparison.add(doc)
    page = render_review_html([doc], comparison, build_tables(comparison))
    assert "why: " in page


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="model, lexicon"):
        target_sentiment("Putin spoke.", 0, 5, method="vader")
    with pytest.raises(ValueError, match="model, lexicon"):
        load_annotator(sentiment="vader")


def test_cli_sentiment_option_on_annotate_compare_and_review():
    path = str(seed_path("004"))
    model = runner.invoke(app, ["annotate", "--format", "jsonl", path], catch_exceptions=False)
    lexicon = runner.invoke(app, ["annotate", "--format", "jsonl", "--sentiment", "lexicon", path])
    evidence = [e for r in json.loads(model.stdout)["entities"] for e in r["evidence"]]
    assert evidence and all(e["features"] for e in evidence)
    evidence = [e for r in json.loads(lexicon.stdout)["entities"] for e in r["evidence"]]
    assert evidence and not any(e["features"] for e in evidence)
    for command in ("compare", "review"):
        by_model = runner.invoke(app, [command, path], catch_exceptions=False)
        by_lexicon = runner.invoke(app, [command, "--sentiment", "lexicon", path], catch_exceptions=False)
        assert by_model.exit_code == by_lexicon.exit_code == 0
        assert by_model.stdout != by_lexicon.stdout
    bad = runner.invoke(app, ["annotate", "--sentiment", "vader", path])
    assert bad.exit_code == 2 and "--sentiment" in bad.stderr


# Pushes from a few values, so that ties in strength (0.5 and -0.5) and zeros are common.
pushes_strategy = st.lists(st.sampled_from([0.0, -0.0, 0.5, -0.5, 0.25, -1.0, 1.0, 2.0, -0.125]), max_size=14)


@settings(max_examples=300, deadline=None)
@given(pushes_strategy, st.integers(1, 6))
def test_the_strongest_features_are_those_a_full_sort_puts_first(pushes, top):
    names = [f"f{i:02d}" for i in range(len(pushes))]
    full = sorted((-abs(p), n, p) for n, p in zip(names, pushes, strict=True))
    assert _strongest([(-abs(p), n, p) for n, p in zip(names, pushes, strict=True)], top)[:top] == full[:top]


@settings(max_examples=300, deadline=None)
@given(pushes_strategy, st.lists(st.sampled_from([1.0, 0.5, 2.0, -1.0]), min_size=14, max_size=14))
def test_a_tally_sums_in_order_and_keeps_the_features_as_strong_as_the_floor(pushes, values):
    # Weights whose push (positive minus negative) is the drawn one; a feature the model lacks is skipped.
    names = [f"f{i:02d}" for i in range(len(pushes))]
    weights = {n: (-p / 2, 0.25, p / 2, p) for n, p in zip(names, pushes, strict=True)}
    features = {"unknown": 1.0, **dict(zip(names, values, strict=False))}
    for floor in (0.0, 0.25, 0.5, 1.5):
        tally = _Tally((1.0, 0.0, -1.0), floor)
        tally.add_map(features, weights)
        expected_neg = 1.0
        for name in names:
            expected_neg += weights[name][0] * features[name]
        assert tally.neg == expected_neg  # exactly: added one by one, in the map's order
        assert tally.neu == sum(0.25 * features[n] for n in names)
        pushed = [(n, weights[n][3] * features[n]) for n in names]
        assert tally.kept == [(-abs(p), n, p) for n, p in pushed if abs(p) >= floor]
