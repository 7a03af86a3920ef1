import re

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.utils import Bunch

import sklstm
from sklstm.datasets import (
    load_airline,
    make_alphabet_sequences,
    make_sentiment_texts,
)

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


# -- load_airline -------------------------------------------------------------


def test_load_airline_bunch():
    bunch = load_airline()
    assert isinstance(bunch, Bunch)
    assert set(bunch) == {
        "data",
        "target",
        "frame",
        "feature_names",
        "target_names",
        "DESCR",
    }
    y = bunch.target
    assert isinstance(y, pd.Series)
    assert y.name == "passengers"
    assert y.shape == (144,)
    assert y.dtype == np.float64
    assert y.sum() == 40363
    assert y.iloc[0] == 112 and y.iloc[-1] == 432
    assert y.min() == 104 and y.max() == 622
    assert not y.isna().any()


def test_load_airline_monthly_period_index():
    bunch = load_airline()
    index = bunch.target.index
    assert isinstance(index, pd.PeriodIndex)
    assert index.freqstr == "M"
    assert index.name == "month"
    assert str(index[0]) == "1949-01" and str(index[-1]) == "1960-12"
    pd.testing.assert_index_equal(
        index, pd.period_range("1949-01", "1960-12", freq="M", name="month")
    )
    assert bunch.data.index.equals(index) and bunch.frame.index.equals(index)


def test_load_airline_calendar_features_and_frame():
    bunch = load_airline()
    assert bunch.feature_names == ["year", "month_of_year"]
    assert bunch.target_names == ["passengers"]
    assert list(bunch.data.columns) == bunch.feature_names
    assert list(bunch.frame.columns) == ["year", "month_of_year", "passengers"]
    assert (bunch.data.dtypes == np.int64).all()
    assert bunch.data["year"].iloc[0] == 1949 and bunch.data["year"].iloc[-1] == 1960
    np.testing.assert_array_equal(
        bunch.data["month_of_year"].to_numpy(), np.tile(np.arange(1, 13), 12)
    )
    pd.testing.assert_series_equal(bunch.frame["passengers"], bunch.target)
    assert "Box" in bunch.DESCR and "Jenkins" in bunch.DESCR
    assert "1949" in bunch.DESCR and "thousands" in bunch.DESCR


def test_load_airline_return_X_y():
    X, y = load_airline(return_X_y=True)
    bunch = load_airline()
    pd.testing.assert_frame_equal(X, bunch.data)
    pd.testing.assert_series_equal(y, bunch.target)


def test_load_airline_as_arrays():
    bunch = load_airline(as_frame=False)
    assert isinstance(bunch.data, np.ndarray) and bunch.data.shape == (144, 2)
    assert isinstance(bunch.target, np.ndarray) and bunch.target.shape == (144,)
    assert bunch.frame is None
    assert bunch.target.sum() == 40363
    X, y = load_airline(return_X_y=True, as_frame=False)
    np.testing.assert_array_equal(y, load_airline().target.to_numpy())
    np.testing.assert_array_equal(X[0], [1949, 1])
    np.testing.assert_array_equal(X[-1], [1960, 12])


def test_load_airline_returns_fresh_objects():
    first = load_airline().target
    first.iloc[0] = -1.0
    assert load_airline().target.iloc[0] == 112


def test_datasets_reachable_from_package():
    assert sklstm.datasets.load_airline is load_airline


# -- make_alphabet_sequences --------------------------------------------------


@pytest.mark.parametrize("min_length, max_length", [(1, 5), (3, 3), (1, 25), (20, 25)])
def test_alphabet_sequences_are_runs_labelled_by_successor(min_length, max_length):
    X, y = make_alphabet_sequences(
        500, min_length=min_length, max_length=max_length, random_state=0
    )
    assert len(X) == 500 and y.shape == (500,) and y.dtype == object
    for x, label in zip(X, y, strict=True):
        assert x.dtype == np.int64 and x.ndim == 1
        assert min_length <= len(x) <= max_length
        np.testing.assert_array_equal(np.diff(x), 1)
        assert 0 <= x[0] and x[-1] <= 24
        assert label == ALPHABET[x[-1] + 1]
    lengths = {len(x) for x in X}
    assert lengths == set(range(min_length, max_length + 1))


def test_alphabet_sequences_letters():
    X, y = make_alphabet_sequences(300, random_state=1, return_letters=True)
    X_int, y_int = make_alphabet_sequences(300, random_state=1)
    np.testing.assert_array_equal(y, y_int)
    for text, x, label in zip(X, X_int, y, strict=True):
        assert isinstance(text, str)
        assert text == "".join(ALPHABET[i] for i in x)
        assert text in ALPHABET and ALPHABET[ALPHABET.index(text) + len(text)] == label
    assert "A" not in set(y)
    assert set(y) <= set(ALPHABET[1:])


def test_alphabet_sequences_cover_the_alphabet():
    X, y = make_alphabet_sequences(2000, random_state=0, return_letters=True)
    assert set(y) == set(ALPHABET[1:])
    assert {text[0] for text in X} == set(ALPHABET[:-1])


def test_alphabet_sequences_reproducible():
    X1, y1 = make_alphabet_sequences(50, random_state=42)
    X2, y2 = make_alphabet_sequences(50, random_state=np.random.RandomState(42))
    X3, y3 = make_alphabet_sequences(50, random_state=43)
    np.testing.assert_array_equal(y1, y2)
    assert all(np.array_equal(a, b) for a, b in zip(X1, X2, strict=True))
    assert not (
        np.array_equal(y1, y3)
        and all(np.array_equal(a, b) for a, b in zip(X1, X3, strict=True))
    )


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            {"n_samples": 0},
            "`n_samples` must be a positive integer. Received: n_samples=0",
        ),
        ({"n_samples": 2.5}, "`n_samples` must be a positive integer"),
        ({"min_length": 0}, "`min_length` must be an int in the range [1, 25]"),
        (
            {"max_length": 26},
            "`max_length` must be an int in the range [1, 25]. Received",
        ),
        (
            {"min_length": 4, "max_length": 3},
            "`min_length` must not exceed `max_length`. "
            "Received: min_length=4, max_length=3",
        ),
    ],
)
def test_alphabet_sequences_bad_parameters(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        make_alphabet_sequences(**kwargs)


# -- make_sentiment_texts -----------------------------------------------------


@pytest.mark.parametrize("n_samples", [1, 2, 7, 1000])
def test_sentiment_texts_shapes_and_balance(n_samples):
    texts, y = make_sentiment_texts(n_samples, random_state=0)
    assert isinstance(texts, list) and len(texts) == n_samples
    assert all(isinstance(text, str) and text for text in texts)
    assert y.shape == (n_samples,) and y.dtype == np.int64
    assert set(y.tolist()) <= {0, 1}
    assert (y == 0).sum() == n_samples // 2


def test_sentiment_texts_are_plain_lower_case_words():
    texts, _ = make_sentiment_texts(500, random_state=0)
    for text in texts:
        assert re.fullmatch(r"[a-z]+( [a-z]+)*", text), text


def test_sentiment_texts_reproducible():
    assert (
        make_sentiment_texts(100, random_state=3)[0]
        == (make_sentiment_texts(100, random_state=np.random.RandomState(3))[0])
    )
    np.testing.assert_array_equal(
        make_sentiment_texts(100, random_state=3)[1],
        make_sentiment_texts(100, random_state=3)[1],
    )
    assert (
        make_sentiment_texts(100, random_state=3)[0]
        != (make_sentiment_texts(100, random_state=4)[0])
    )


def test_sentiment_texts_contain_negations_and_contrasts():
    texts, y = make_sentiment_texts(1000, random_state=0)
    negated = [t for t in texts if " not " in f" {t} "]
    contrasted = [t for t in texts if " but " in t]
    assert 0.2 < len(negated) / len(texts) < 0.7
    assert 0.2 < len(contrasted) / len(texts) < 0.4
    # single clauses with a negation, of both labels
    by_text = dict(zip(texts, y, strict=True))
    singles = {t: label for t, label in by_text.items() if " and " not in t}
    singles = {t: label for t, label in singles.items() if " but " not in t}
    assert any(" not " in t and label == 1 for t, label in singles.items())
    assert any(" not " in t and label == 0 for t, label in singles.items())


def test_sentiment_texts_rates_zero_have_no_negation_or_contrast():
    texts, _ = make_sentiment_texts(
        300, negation_rate=0, contrast_rate=0, random_state=0
    )
    assert not any(" not " in t or " but " in t for t in texts)


def test_sentiment_labels_follow_the_rules():
    """Re-derive every label from the words with the documented rules."""
    positive = {"good", "great", "excellent", "wonderful", "brilliant", "enjoyable"}
    positive |= {"loved", "love", "enjoyed", "enjoy", "liked", "like"}
    negative = {"bad", "awful", "terrible", "boring", "dull", "tedious"}
    negative |= {"hated", "hate", "disliked", "dislike", "loathed", "loathe"}

    def clause_sign(clause):
        words = clause.split()
        polar = [w for w in words if w in positive | negative]
        assert len(polar) == 1, clause
        sign = 1 if polar[0] in positive else -1
        return -sign if "not" in words else sign

    texts, y = make_sentiment_texts(1000, random_state=5)
    for text, label in zip(texts, y, strict=True):
        if " but " in text:
            head, last = text.split(" but ")
            assert clause_sign(head) == -clause_sign(last)
        elif " and " in text:
            head, last = text.split(" and ")
            assert clause_sign(head) == clause_sign(last)
        else:
            last = text
        assert (clause_sign(last) == 1) == (label == 1), text


def _bag_of_words_accuracy(texts, y, ngram_range=(1, 1)):
    model = make_pipeline(
        CountVectorizer(ngram_range=ngram_range),
        LogisticRegression(C=100.0, max_iter=2000),
    )
    return cross_val_score(model, texts, y, cv=3).mean()


def test_sentiment_task_needs_word_order():
    # without negations and contrasts one polar word gives the label
    texts, y = make_sentiment_texts(
        1500, negation_rate=0, contrast_rate=0, random_state=0
    )
    assert _bag_of_words_accuracy(texts, y) == 1.0
    # with the defaults a bag of words falls well short, word pairs do better
    texts, y = make_sentiment_texts(1500, random_state=0)
    unigrams = _bag_of_words_accuracy(texts, y)
    bigrams = _bag_of_words_accuracy(texts, y, ngram_range=(1, 2))
    assert unigrams < 0.85
    assert bigrams > unigrams + 0.1


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            {"n_samples": 0},
            "`n_samples` must be a positive integer. Received: n_samples=0",
        ),
        ({"n_samples": "10"}, "`n_samples` must be a positive integer"),
        (
            {"negation_rate": 1.5},
            "`negation_rate` must be a float in the range [0.0, 1.0]. "
            "Received: negation_rate=1.5",
        ),
        (
            {"contrast_rate": -0.1},
            "`contrast_rate` must be a float in the range [0.0, 1.0]",
        ),
        (
            {"contrast_rate": None},
            "`contrast_rate` must be a float in the range [0.0, 1.0]",
        ),
    ],
)
def test_sentiment_texts_bad_parameters(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        make_sentiment_texts(**kwargs)
