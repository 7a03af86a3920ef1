"""Tests for SequencePadder."""

import pickle

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal
from sklearn.base import clone
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklstm import SequencePadder

nan = np.nan

# sklearn's checks pass 2-D arrays and read X.shape[1] as the number of
# features. SequencePadder reads a 2-D array (n_sequences, n_steps) as that many
# univariate sequences, as Keras' pad_sequences does, so n_features_in_ is 1
# (features per time step) and a 2-D X with fewer columns is a batch of shorter
# sequences, which is padded rather than refused.
UNIVARIATE_2D_REASON = (
    "A 2-D X (n_sequences, n_steps) holds univariate sequences: n_features_in_ "
    "counts features per time step (1), not the {} columns (time steps) the "
    "check expects."
)
EXPECTED_FAILED_CHECKS = {
    "check_n_features_in": UNIVARIATE_2D_REASON.format(2),
    "check_n_features_in_after_fitting": UNIVARIATE_2D_REASON.format(4),
    "check_transformer_general": (
        "The check expects transform(X[:, :-1]) to raise because a column is "
        "missing; for SequencePadder those are univariate sequences one step "
        "shorter, which are padded to maxlen_ by design."
    ),
}


@parametrize_with_checks(
    [SequencePadder(), SequencePadder(maxlen=2, padding="post", value=0.0)],
    expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS,
    xfail_strict=True,
)
def test_sklearn_checks(estimator, check):
    check(estimator)


def test_list_of_univariate_sequences():
    padder = SequencePadder().fit([[1, 2, 3], [4], [5, 6]])
    assert padder.maxlen_ == 3
    assert padder.n_features_in_ == 1
    out = padder.transform([[1, 2, 3], [4], [5, 6]])
    assert out.shape == (3, 3, 1)
    assert out.dtype == np.float64
    assert_array_equal(out[..., 0], [[1, 2, 3], [nan, nan, 4], [nan, 5, 6]])


def test_list_of_multivariate_sequences():
    sequences = [np.array([[1.0, 10.0], [2.0, 20.0]]), np.array([[3.0, 30.0]])]
    out = SequencePadder(padding="post").fit_transform(sequences)
    assert_array_equal(out, [[[1, 10], [2, 20]], [[3, 30], [nan, nan]]])


@pytest.mark.parametrize(
    "padding, truncating, expected",
    [
        ("pre", "pre", [[3, 4, 5], [nan, 1, 2]]),
        ("pre", "post", [[1, 2, 3], [nan, 1, 2]]),
        ("post", "pre", [[3, 4, 5], [1, 2, nan]]),
        ("post", "post", [[1, 2, 3], [1, 2, nan]]),
    ],
)
def test_padding_and_truncating_sides(padding, truncating, expected):
    padder = SequencePadder(maxlen=3, padding=padding, truncating=truncating)
    out = padder.fit_transform([[1, 2, 3, 4, 5], [1, 2]])
    assert_array_equal(out[..., 0], expected)


def test_maxlen_is_learned_and_applied_at_transform():
    padder = SequencePadder().fit([[1.0, 2.0], [3.0]])
    assert padder.maxlen_ == 2
    assert_array_equal(padder.transform([[7, 8, 9], [1]])[..., 0], [[8, 9], [nan, 1]])


def test_zero_padding_value():
    out = SequencePadder(value=0.0).fit_transform([[5.0], [6.0, 7.0]])
    assert_array_equal(out[..., 0], [[0.0, 5.0], [6.0, 7.0]])


@pytest.mark.parametrize(
    "X",
    [
        np.array([[1.0, 2.0], [3.0, 4.0]]),
        np.array([[[1.0], [2.0]], [[3.0], [4.0]]]),
        np.array([np.array([1.0, 2.0]), np.array([3.0, 4.0])], dtype=object),
        pd.Series([[1.0, 2.0], [3.0, 4.0]]),
        ((1, 2), (3, 4)),
    ],
    ids=["2d", "3d", "object", "series", "tuple"],
)
def test_equivalent_input_forms(X):
    out = SequencePadder().fit_transform(X)
    assert_array_equal(out, [[[1], [2]], [[3], [4]]])


def test_ragged_object_array():
    X = np.empty(2, dtype=object)
    X[0], X[1] = np.array([1.0, 2.0, 3.0]), np.array([4.0])
    out = SequencePadder().fit_transform(X)
    assert_array_equal(out[..., 0], [[1, 2, 3], [nan, nan, 4]])


def test_float32_is_kept():
    sequences = [np.ones(2, dtype=np.float32), np.ones(3, dtype=np.float32)]
    assert SequencePadder().fit_transform(sequences).dtype == np.float32
    mixed = [np.ones(2, dtype=np.float32), np.ones(3)]
    assert SequencePadder().fit_transform(mixed).dtype == np.float64


def test_long_format_dataframe():
    frame = pd.DataFrame(
        {
            "patient": ["b", "a", "b", "a", "b"],
            "hour": [2, 1, 1, 2, 3],
            "pulse": [71.0, 60.0, 70.0, 61.0, 72.0],
            "temp": [37.1, 36.0, 37.0, 36.1, 37.2],
        }
    )
    padder = SequencePadder(id_column="patient", time_column="hour").fit(frame)
    assert padder.n_features_in_ == 2
    assert_array_equal(padder.feature_names_in_, ["pulse", "temp"])
    assert padder.maxlen_ == 3
    out = padder.transform(frame)
    # rows follow the order in which the ids first appear: "b" then "a"
    expected = [
        [[70.0, 37.0], [71.0, 37.1], [72.0, 37.2]],
        [[nan, nan], [60.0, 36.0], [61.0, 36.1]],
    ]
    assert_array_equal(out, expected)


def test_long_format_without_time_column_keeps_row_order():
    frame = pd.DataFrame({"id": [1, 2, 1], "x": [3.0, 1.0, 2.0]})
    out = SequencePadder(id_column="id", padding="post").fit_transform(frame)
    assert_array_equal(out[..., 0], [[3.0, 2.0], [1.0, nan]])


@pytest.mark.parametrize("padding", ["pre", "post"])
def test_inverse_transform_removes_padding(padding):
    sequences = [np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[5.0, 6.0]])]
    padder = SequencePadder(padding=padding).fit(sequences)
    restored = padder.inverse_transform(padder.transform(sequences))
    assert len(restored) == 2
    for original, back in zip(sequences, restored, strict=True):
        assert_array_equal(back, original)


def test_inverse_transform_cannot_restore_truncated_steps():
    padder = SequencePadder(maxlen=2).fit([[1.0, 2.0, 3.0]])
    (restored,) = padder.inverse_transform(padder.transform([[1.0, 2.0, 3.0]]))
    assert_array_equal(restored.ravel(), [2.0, 3.0])


def test_inverse_transform_with_zero_value_drops_real_zeros_at_the_padded_end():
    padder = SequencePadder(value=0.0).fit([[0.0, 1.0], [2.0]])
    restored = padder.inverse_transform(padder.transform([[0.0, 1.0], [2.0]]))
    # documented ambiguity: a leading real 0.0 cannot be told from padding
    assert_array_equal(restored[0].ravel(), [1.0])
    assert_array_equal(restored[1].ravel(), [2.0])


def test_clone_params_and_pickle_round_trip():
    padder = SequencePadder(maxlen=4, padding="post", id_column="id")
    params = clone(padder).get_params()
    assert params["maxlen"] == 4 and params["id_column"] == "id"
    padder.set_params(id_column=None).fit([[1.0], [2.0, 3.0]])
    restored = pickle.loads(pickle.dumps(padder))
    X = [[1.0, 2.0, 3.0, 4.0, 5.0], [6.0]]
    assert_array_equal(restored.transform(X), padder.transform(X))
