"""Tests for TextSequencer."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import SkipTestWarning
from sklearn.utils import estimator_checks
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklstm import TextSequencer

TEXTS = ["the cat sat", "the dog sat down", "a cat"]


# TextSequencer takes 1-D string input (tags: string=True, two_d_array=False), so
# sklearn skips its data-driven checks, as for CountVectorizer, with a
# SkipTestWarning. Only the cloneability check is generated; nothing is expected
# to fail.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", SkipTestWarning)
    sklearn_checks = parametrize_with_checks([TextSequencer()], xfail_strict=True)


@sklearn_checks
def test_sklearn_checks(estimator, check):
    check(estimator)


# The API checks that need no numeric data do apply: run them by hand.
API_CHECKS = [
    "check_estimator_repr",
    "check_no_attributes_set_in_init",
    "check_get_params_invariance",
    "check_set_params",
    "check_parameters_default_constructible",
    "check_estimator_tags_renamed",
    "check_valid_tag_types",
    "check_do_not_raise_errors_in_init_or_set_params",
    "check_mixin_order",
    "check_get_feature_names_out_error",
]


@pytest.mark.parametrize("check_name", API_CHECKS)
def test_sklearn_api_checks_without_data(check_name):
    getattr(estimator_checks, check_name)("TextSequencer", TextSequencer())


def test_vocabulary_by_frequency_then_alphabet():
    sequencer = TextSequencer().fit(TEXTS)
    # cat, sat, the: 2 each (alphabetical); a, dog, down: 1 each (alphabetical)
    assert sequencer.vocabulary_ == {
        "cat": 2,
        "sat": 3,
        "the": 4,
        "a": 5,
        "dog": 6,
        "down": 7,
    }
    assert sequencer.vocab_size_ == 8
    assert sequencer.maxlen_ == 4


def test_transform_exact_ids_and_padding():
    out = TextSequencer().fit(TEXTS).transform(TEXTS)
    assert out.dtype == np.int32
    assert_array_equal(out, [[0, 4, 2, 3], [4, 6, 3, 7], [0, 0, 5, 2]])


def test_out_of_vocabulary_and_empty_text():
    sequencer = TextSequencer().fit(TEXTS)
    assert_array_equal(
        sequencer.transform(["the zebra", "", "!!!"]),
        [[0, 0, 4, 1], [0, 0, 0, 0], [0, 0, 0, 0]],
    )


def test_max_tokens_counts_the_two_reserved_ids():
    sequencer = TextSequencer(max_tokens=4).fit(TEXTS)
    assert sequencer.vocabulary_ == {"cat": 2, "sat": 3}
    assert sequencer.vocab_size_ == 4
    assert_array_equal(sequencer.transform(["the cat"]), [[0, 0, 1, 2]])


@pytest.mark.parametrize(
    "padding, truncating, expected",
    [
        ("pre", "pre", [[4, 6], [0, 2]]),
        ("post", "post", [[2, 3], [2, 0]]),
    ],
)
def test_maxlen_padding_truncating(padding, truncating, expected):
    sequencer = TextSequencer(maxlen=2, padding=padding, truncating=truncating)
    out = sequencer.fit(TEXTS).transform(["cat sat the dog", "cat"])
    assert_array_equal(out, expected)


def test_lowercase_and_token_pattern():
    assert TextSequencer().fit(["Cat cat"]).vocabulary_ == {"cat": 2}
    assert TextSequencer(lowercase=False).fit(["Cat cat"]).vocabulary_ == {
        "Cat": 2,
        "cat": 3,
    }
    sequencer = TextSequencer(token_pattern=r"\w+|[^\w\s]").fit(["hi, you!"])
    assert set(sequencer.vocabulary_) == {"hi", ",", "you", "!"}


def test_char_level():
    sequencer = TextSequencer(level="char").fit(["abba", "c"])
    assert sequencer.vocabulary_ == {"a": 2, "b": 3, "c": 4}
    assert_array_equal(sequencer.transform(["ab d"]), [[2, 3, 1, 1]])


@pytest.mark.parametrize(
    "X",
    [np.array(TEXTS), pd.Series(TEXTS), tuple(TEXTS), np.array(TEXTS, dtype=object)],
    ids=["str-array", "series", "tuple", "object-array"],
)
def test_input_forms(X):
    expected = TextSequencer().fit(TEXTS).transform(TEXTS)
    assert_array_equal(TextSequencer().fit(X).transform(X), expected)


def test_inverse_transform():
    sequencer = TextSequencer().fit(TEXTS)
    tokens = sequencer.inverse_transform(sequencer.transform(["a dog", "the zebra"]))
    assert tokens == [["a", "dog"], ["the", "[UNK]"]]


def test_feature_names_and_pandas_output():
    sequencer = TextSequencer(maxlen=3).fit(TEXTS)
    assert_array_equal(
        sequencer.get_feature_names_out(), ["token_0", "token_1", "token_2"]
    )
    sequencer.set_output(transform="pandas")
    texts = pd.Series(TEXTS, index=[10, 11, 12])
    frame = sequencer.transform(texts)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["token_0", "token_1", "token_2"]
    assert list(frame.index) == [10, 11, 12]
    assert_array_equal(frame.to_numpy(), [[4, 2, 3], [6, 3, 7], [0, 5, 2]])


def test_in_column_transformer_with_pandas_output():
    frame = pd.DataFrame({"review": TEXTS, "stars": [5, 3, 4]})
    columns = ColumnTransformer(
        [("text", TextSequencer(maxlen=2), "review")], remainder="passthrough"
    ).set_output(transform="pandas")
    out = columns.fit_transform(frame)
    assert list(out.columns) == ["text__token_0", "text__token_1", "remainder__stars"]
    assert_array_equal(out["remainder__stars"], [5, 3, 4])
    assert_array_equal(
        out[["text__token_0", "text__token_1"]], [[2, 3], [3, 7], [5, 2]]
    )


def test_clone_params_and_pickle_round_trip():
    sequencer = TextSequencer(level="char", maxlen=5)
    assert clone(sequencer).get_params()["level"] == "char"
    sequencer.set_params(level="word").fit(TEXTS)
    restored = pickle.loads(pickle.dumps(sequencer))
    assert restored.vocabulary_ == sequencer.vocabulary_
    assert_array_equal(restored.transform(TEXTS), sequencer.transform(TEXTS))
