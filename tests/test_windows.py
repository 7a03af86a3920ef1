"""Tests for SlidingWindowTransformer and make_windows."""

import pickle

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal
from sklearn.base import clone
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import TimeSeriesSplit, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklstm import SlidingWindowTransformer, make_windows

nan = np.nan

FIT1D_REASON = (
    "A 1-D X is accepted on purpose as a univariate series (one feature), the "
    "common case for forecasting; the check expects a ValueError."
)
HISTORY_REASONS = {
    "check_methods_subset_invariance": (
        "Row t's window holds rows t-sequence_length+1..t, so transforming rows "
        "one at a time loses their history (all steps but the last are padding): "
        "windows depend on neighbouring rows by design."
    ),
    "check_methods_sample_order_invariance": (
        "Rows are time steps: permuting them changes which rows precede each "
        "row, hence every window's content, by design."
    ),
}


def expected_failed_checks(transformer):
    """Checks that fail by design, with the reason; sequence_length=1 has no
    history, so only then are the two invariance checks met."""
    failed = {"check_fit1d": FIT1D_REASON}
    if transformer.sequence_length > 1:
        failed.update(HISTORY_REASONS)
    return failed


@parametrize_with_checks(
    [SlidingWindowTransformer(), SlidingWindowTransformer(1, value=0.0)],
    expected_failed_checks=expected_failed_checks,
    xfail_strict=True,
)
def test_sklearn_checks(estimator, check):
    check(estimator)


def test_windows_exact_values():
    X = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0], [4.0, 40.0]])
    windows = SlidingWindowTransformer(sequence_length=3).fit_transform(X)
    expected = np.array(
        [
            [[nan, nan], [nan, nan], [1, 10]],
            [[nan, nan], [1, 10], [2, 20]],
            [[1, 10], [2, 20], [3, 30]],
            [[2, 20], [3, 30], [4, 40]],
        ]
    )
    assert windows.shape == (4, 3, 2)
    assert_array_equal(windows, expected)


def test_sequence_length_one_adds_a_time_axis():
    X = np.arange(6.0).reshape(3, 2)
    assert_array_equal(SlidingWindowTransformer(1).fit_transform(X), X[:, None, :])


def test_sequence_length_longer_than_series_pads_every_window():
    windows = SlidingWindowTransformer(4).fit_transform(np.array([[1.0], [2.0]]))
    assert_array_equal(windows[..., 0], [[nan, nan, nan, 1], [nan, nan, 1, 2]])


def test_custom_padding_value():
    windows = SlidingWindowTransformer(2, value=0.0).fit_transform([[5.0], [6.0]])
    assert_array_equal(windows[..., 0], [[0.0, 5.0], [5.0, 6.0]])


def test_one_dimensional_input_is_one_feature():
    series = np.array([1.0, 2.0, 3.0])
    transformer = SlidingWindowTransformer(2).fit(series)
    assert transformer.n_features_in_ == 1
    assert_array_equal(
        transformer.transform(series),
        SlidingWindowTransformer(2).fit_transform(series.reshape(-1, 1)),
    )


def test_pandas_input_records_feature_names():
    frame = pd.DataFrame({"load": [1.0, 2.0, 3.0], "temp": [4.0, 5.0, 6.0]})
    transformer = SlidingWindowTransformer(2).fit(frame)
    assert_array_equal(transformer.feature_names_in_, ["load", "temp"])
    assert_array_equal(
        transformer.transform(frame),
        SlidingWindowTransformer(2).fit_transform(frame.to_numpy()),
    )
    series = pd.Series([1.0, 2.0], name="load")
    assert_array_equal(
        SlidingWindowTransformer(2).fit(series).feature_names_in_, ["load"]
    )


@pytest.mark.parametrize(
    "dtype, expected", [(np.float32, np.float32), (np.int64, np.float64)]
)
def test_output_dtype(dtype, expected):
    X = np.arange(6).reshape(3, 2).astype(dtype)
    assert SlidingWindowTransformer(2).fit_transform(X).dtype == expected


def test_no_feature_names_out_for_3d_output():
    transformer = SlidingWindowTransformer().fit(np.ones((3, 2)))
    assert not hasattr(transformer, "get_feature_names_out")
    assert not hasattr(transformer, "set_output")


def test_test_fold_history_by_slicing_the_whole_series():
    X = np.arange(10.0).reshape(-1, 1)
    alone = SlidingWindowTransformer(3).fit(X[:7]).transform(X[7:])
    sliced = SlidingWindowTransformer(3).fit_transform(X)[7:]
    assert np.isnan(alone[0, :2]).all()
    assert_array_equal(sliced[..., 0], [[5, 6, 7], [6, 7, 8], [7, 8, 9]])


def test_pipeline_keeps_y_aligned_for_next_value_forecasting():
    # y is the next value of a linear series: a window of 2 steps predicts it
    # exactly, which only works if the windows and y stay aligned row by row.
    series = pd.Series(np.arange(30.0) * 2.0 + 1.0)
    frame = series.to_frame("value").iloc[:-1]
    y = series.shift(-1).iloc[:-1]
    flatten = FunctionTransformer(lambda w: np.nan_to_num(w.reshape(len(w), -1)))
    model = make_pipeline(SlidingWindowTransformer(2), flatten, LinearRegression())
    scores = cross_val_score(model, frame, y, cv=TimeSeriesSplit(n_splits=3))
    assert scores.min() > 0.999


def test_clone_params_and_pickle_round_trip():
    transformer = SlidingWindowTransformer(4, value=-1.0)
    assert clone(transformer).get_params() == {"sequence_length": 4, "value": -1.0}
    transformer.set_params(sequence_length=2)
    X = np.arange(8.0).reshape(4, 2)
    transformer.fit(X)
    restored = pickle.loads(pickle.dumps(transformer))
    assert_array_equal(restored.transform(X), transformer.transform(X))


# make_windows ---------------------------------------------------------------


def test_make_windows_univariate():
    X, y = make_windows(np.arange(5.0), sequence_length=2)
    assert X.shape == (3, 2, 1)
    assert_array_equal(X[..., 0], [[0, 1], [1, 2], [2, 3]])
    assert_array_equal(y, [2, 3, 4])


def test_make_windows_horizon_and_stride():
    X, y = make_windows(
        np.arange(10.0), sequence_length=3, horizon=2, sequence_stride=2
    )
    # starts 0, 2, 4 (start 6 would need rows up to 10)
    assert_array_equal(X[..., 0], [[0, 1, 2], [2, 3, 4], [4, 5, 6]])
    assert_array_equal(y, [[3, 4], [5, 6], [7, 8]])


def test_make_windows_exactly_one_window():
    X, y = make_windows([1.0, 2.0, 3.0], sequence_length=2, horizon=1)
    assert X.shape == (1, 2, 1)
    assert_array_equal(y, [3.0])


def test_make_windows_multivariate_targets():
    data = np.column_stack([np.arange(5.0), 10 * np.arange(5.0)])
    X, y = make_windows(data, 2, target=1)
    assert X.shape == (3, 2, 2)
    assert_array_equal(X[0], [[0, 0], [1, 10]])
    assert_array_equal(y, [20, 30, 40])
    _, y_all = make_windows(data, 2)
    assert_array_equal(y_all, [[2, 20], [3, 30], [4, 40]])
    _, y_list = make_windows(data, 2, horizon=2, target=[0])
    assert y_list.shape == (2, 2, 1)
    assert_array_equal(y_list[..., 0], [[2, 3], [3, 4]])
    _, y_last = make_windows(data, 2, target=-1)
    assert_array_equal(y_last, y)


def test_make_windows_pandas():
    frame = pd.DataFrame({"a": np.arange(6.0), "b": np.arange(6.0) + 100})
    X, y = make_windows(frame, 3, horizon=2, target="b")
    assert X.shape == (2, 3, 2)
    assert_array_equal(y, [[103, 104], [104, 105]])
    X_series, y_series = make_windows(frame["a"], 3)
    assert X_series.shape == (3, 3, 1)
    assert_array_equal(y_series, [3, 4, 5])


def test_make_windows_keeps_float32():
    X, y = make_windows(np.arange(6, dtype=np.float32), 2)
    assert X.dtype == y.dtype == np.float32
