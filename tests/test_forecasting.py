import re
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.compose import TransformedTargetRegressor
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from sklstm.forecasting import direct_forecast, recursive_forecast


def ar2(n, start=(0.0, 9.0)):
    """A noiseless AR(2) with a constant: s[t] = 1 + 1.6 s[t-1] - 0.8 s[t-2]."""
    s = np.empty(n)
    s[:2] = start
    for t in range(2, n):
        s[t] = 1.0 + 1.6 * s[t - 1] - 0.8 * s[t - 2]
    return s


def windows(values, length, horizon=1, target=0):
    """Windows X[t] = values[t - length:t] and targets y[t] = values[t:t + horizon]."""
    values = np.asarray(values, dtype=float)
    if values.ndim == 1:
        values = values[:, None]
    n = len(values) - length - horizon + 1
    X = np.stack([values[i : i + length] for i in range(n)])
    y = np.stack([values[i + length : i + length + horizon, target] for i in range(n)])
    return X, (y[:, 0] if horizon == 1 else y)


class WindowRegressor(RegressorMixin, BaseEstimator):
    """Linear regression on flattened windows, with the input contract of sklstm.

    Like sklstm's recurrent estimators it takes 2-D ``(n, L)`` or 3-D
    ``(n, L, f)`` windows (``(n, f, L)`` for ``data_format="channels_first"``),
    sets ``n_timesteps_in_`` and records in ``_input_ndim`` the layout of fit,
    the only one that ``predict`` accepts.
    """

    def __init__(self, data_format="channels_last"):
        self.data_format = data_format

    def _as_3d(self, X):
        if X.ndim == 2:
            return X[:, :, np.newaxis]
        return np.swapaxes(X, 1, 2) if self.data_format == "channels_first" else X

    def fit(self, X, y):
        X = np.asarray(X)
        self._input_ndim = X.ndim
        X = self._as_3d(X)
        self.n_timesteps_in_, self.n_features_in_ = X.shape[1:]
        self.model_ = LinearRegression().fit(X.reshape(len(X), -1), y)
        return self

    def predict(self, X):
        check_is_fitted(self)
        X = np.asarray(X)
        if X.ndim != self._input_ndim:
            raise ValueError(f"expected {self._input_ndim}-D windows, got {X.shape}")
        X = self._as_3d(X)
        if X.shape[1:] != (self.n_timesteps_in_, self.n_features_in_):
            raise ValueError(f"windows of the wrong shape {X.shape}")
        return self.model_.predict(X.reshape(len(X), -1))


@pytest.fixture(scope="module")
def series():
    """60 known values and the 20 that follow them."""
    s = ar2(80)
    return s[:60], s[60:]


@pytest.fixture(scope="module")
def lag_model(series):
    X, y = windows(series[0], 2)
    return LinearRegression().fit(X.reshape(len(X), -1), y)


# -- recursive_forecast, univariate --------------------------------------------


def test_recursive_forecast_continues_ar2_exactly(series, lag_model):
    history, future = series
    forecast = recursive_forecast(lag_model, history, 20)
    assert isinstance(forecast, np.ndarray)
    assert forecast.shape == (20,) and forecast.dtype == np.float64
    np.testing.assert_allclose(forecast, future, rtol=1e-8, atol=1e-8)
    # the history is not modified, and a list works as well as an array
    np.testing.assert_array_equal(history, ar2(60))
    np.testing.assert_allclose(
        recursive_forecast(lag_model, list(history), 3), future[:3]
    )


def test_recursive_forecast_linear_trend():
    trend = 3.0 + 0.5 * np.arange(40)
    X, y = windows(trend[:30], 3)
    model = LinearRegression().fit(X[:, :, 0], y)
    forecast = recursive_forecast(model, trend[:30], 10)
    np.testing.assert_allclose(forecast, trend[30:], rtol=1e-8, atol=1e-8)


def test_recursive_forecast_uses_only_the_last_window(series, lag_model):
    history, future = series
    np.testing.assert_allclose(
        recursive_forecast(lag_model, history[-2:], 5), future[:5], rtol=1e-8
    )


def test_recursive_forecast_explicit_sequence_length():
    history = ar2(60)
    X, y = windows(history, 4)
    model = LinearRegression().fit(X[:, :, 0], y)
    np.testing.assert_allclose(
        recursive_forecast(model, history, 5, sequence_length=4),
        recursive_forecast(model, history, 5),
    )


def test_recursive_forecast_pipeline(series):
    history, future = series
    X, y = windows(history, 2)
    pipe = make_pipeline(StandardScaler(), LinearRegression()).fit(X[:, :, 0], y)
    forecast = recursive_forecast(pipe, history, 20)
    np.testing.assert_allclose(forecast, future, rtol=1e-8, atol=1e-8)


def test_recursive_forecast_3d_windows_for_recurrent_style_estimators(series):
    history, future = series
    X, y = windows(history, 2)
    model = WindowRegressor().fit(X, y)
    forecast = recursive_forecast(model, history, 20)
    np.testing.assert_allclose(forecast, future, rtol=1e-8, atol=1e-8)
    # n_timesteps_in_ is found on the last step of a pipeline, through a fitted
    # search and through a target-transforming regressor
    pipe = make_pipeline(WindowRegressor()).fit(X, y)
    np.testing.assert_allclose(recursive_forecast(pipe, history, 20), forecast)
    search = GridSearchCV(make_pipeline(WindowRegressor()), {}, cv=2).fit(X, y)
    np.testing.assert_allclose(recursive_forecast(search, history, 20), forecast)
    scaled = TransformedTargetRegressor(WindowRegressor(), transformer=StandardScaler())
    scaled.fit(X, y)
    np.testing.assert_allclose(
        recursive_forecast(scaled, history, 20), forecast, rtol=1e-8, atol=1e-8
    )


def test_recursive_forecast_window_ndim_override(series, lag_model):
    history, future = series
    X, y = windows(history, 2)
    model = WindowRegressor().fit(X, y)
    with pytest.raises(ValueError, match="expected 3-D windows"):
        recursive_forecast(model, history, 3, window_ndim=2)
    np.testing.assert_allclose(
        recursive_forecast(lag_model, history, 3, window_ndim=2), future[:3]
    )


def test_recursive_forecast_layout_of_fit(series, covariate_data):
    history, future = series
    X, y = windows(history, 3)
    # fitted on a 2-D lag matrix: 2-D windows although it has n_timesteps_in_
    model = WindowRegressor().fit(X[:, :, 0], y)
    forecast = recursive_forecast(model, history, 20)
    np.testing.assert_allclose(forecast, future, rtol=1e-8, atol=1e-8)
    # channels first: (1, n_features, sequence_length) windows
    past, future = covariate_data
    X, y = windows(past, 2)
    model = WindowRegressor(data_format="channels_first").fit(np.swapaxes(X, 1, 2), y)
    np.testing.assert_allclose(
        recursive_forecast(model, past, 20, target=0, future_covariates=future[:, 1:]),
        future[:, 0],
        rtol=1e-8,
        atol=1e-8,
    )
    np.testing.assert_allclose(direct_forecast(model, past), future[:1, 0], rtol=1e-8)


def test_recursive_forecast_feature_names_no_warning(series):
    history, future = series
    X, y = windows(history, 2)
    model = LinearRegression().fit(
        pd.DataFrame(X[:, :, 0], columns=["lag2", "lag1"]), y
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        forecast = recursive_forecast(model, history, 4)
    np.testing.assert_allclose(forecast, future[:4], rtol=1e-8)


# -- pandas in, pandas out -----------------------------------------------------


def test_recursive_forecast_series_period_index(series, lag_model):
    history, future = series
    index = pd.period_range("1949-01", periods=60, freq="M", name="month")
    forecast = recursive_forecast(
        lag_model, pd.Series(history, index=index, name="passengers"), 14
    )
    assert isinstance(forecast, pd.Series)
    assert forecast.name == "passengers"
    pd.testing.assert_index_equal(
        forecast.index, pd.period_range("1954-01", periods=14, freq="M", name="month")
    )
    np.testing.assert_allclose(forecast.to_numpy(), future[:14], rtol=1e-8)


@pytest.mark.parametrize(
    "index, expected",
    [
        (
            pd.date_range("2020-01-01", periods=60, freq="MS"),
            pd.date_range("2025-01-01", periods=3, freq="MS"),
        ),
        (  # no freq set, but one can be inferred
            pd.DatetimeIndex(pd.date_range("2020-01-01", periods=60, freq="D").array),
            pd.date_range("2020-03-01", periods=3, freq="D"),
        ),
        (pd.RangeIndex(0, 120, 2), pd.RangeIndex(120, 126, 2)),
        (pd.Index(np.arange(60) ** 2), pd.RangeIndex(60, 63)),
    ],
)
def test_forecast_index_continues_history(series, lag_model, index, expected):
    history = pd.Series(series[0], index=index)
    forecast = recursive_forecast(lag_model, history, 3)
    pd.testing.assert_index_equal(forecast.index, expected, exact=False)
    assert list(forecast.index) == list(expected)
    assert forecast.name is None


# -- recursive_forecast with covariates ----------------------------------------


@pytest.fixture(scope="module")
def covariate_data():
    """y[t] = 0.5 y[t-1] + 0.3 x[t-2] - 0.2 x[t-1] + 1, x a known random input."""
    rng = np.random.RandomState(0)
    x = rng.normal(size=90)
    y = np.zeros(90)
    for t in range(2, 90):
        y[t] = 0.5 * y[t - 1] + 0.3 * x[t - 2] - 0.2 * x[t - 1] + 1.0
    values = np.column_stack([y, x])
    return values[:70], values[70:]


def test_recursive_forecast_with_covariates(covariate_data):
    past, future = covariate_data
    X, y = windows(past, 2, target=0)
    model = LinearRegression().fit(X.reshape(len(X), -1), y)
    forecast = recursive_forecast(
        model, past, 20, target=0, future_covariates=future[:, 1:]
    )
    np.testing.assert_allclose(forecast, future[:, 0], rtol=1e-8, atol=1e-8)
    # a 1-D array is accepted for a single covariate
    np.testing.assert_allclose(
        recursive_forecast(model, past, 20, target=0, future_covariates=future[:, 1]),
        forecast,
    )
    # the last covariate row never reaches the estimator
    shifted = future[:, 1].copy()
    shifted[-1] = 1e6
    np.testing.assert_allclose(
        recursive_forecast(model, past, 20, target=0, future_covariates=shifted),
        forecast,
    )


def test_recursive_forecast_target_position(covariate_data):
    past, future = covariate_data
    swapped = past[:, ::-1]
    X, y = windows(swapped, 2, target=1)
    model = LinearRegression().fit(X.reshape(len(X), -1), y)
    for target in (1, -1):
        forecast = recursive_forecast(
            model, swapped, 20, target=target, future_covariates=future[:, 1:]
        )
        np.testing.assert_allclose(forecast, future[:, 0], rtol=1e-8, atol=1e-8)


def test_recursive_forecast_with_covariates_3d(covariate_data):
    past, future = covariate_data
    X, y = windows(past, 2)
    model = WindowRegressor().fit(X, y)
    forecast = recursive_forecast(
        model, past, 20, target=0, future_covariates=future[:, 1:]
    )
    np.testing.assert_allclose(forecast, future[:, 0], rtol=1e-8, atol=1e-8)


def test_recursive_forecast_dataframes(covariate_data):
    past, future = covariate_data
    index = pd.date_range("2024-01-01", periods=90, freq="h")
    frame = pd.DataFrame(
        {"x": past[:, 1], "load": past[:, 0], "z": 2.0 * past[:, 1]}, index=index[:70]
    )
    X, y = windows(frame.to_numpy(), 2, target=1)
    model = LinearRegression().fit(X.reshape(len(X), -1), y)
    # future covariates matched by name, whatever their order
    future_frame = pd.DataFrame({"z": 2.0 * future[:, 1], "x": future[:, 1]})
    forecast = recursive_forecast(
        model, frame, 20, target="load", future_covariates=future_frame
    )
    assert forecast.name == "load"
    pd.testing.assert_index_equal(forecast.index, index[70:], exact=False)
    assert list(forecast.index) == list(index[70:])
    np.testing.assert_allclose(forecast.to_numpy(), future[:, 0], rtol=1e-7, atol=1e-7)


# -- direct_forecast -----------------------------------------------------------


def test_direct_forecast_multi_output(series):
    history, future = series
    X, Y = windows(history, 2, horizon=4)
    assert Y.shape == (len(X), 4)
    model = LinearRegression().fit(X[:, :, 0], Y)
    forecast = direct_forecast(model, history)
    assert isinstance(forecast, np.ndarray) and forecast.shape == (4,)
    np.testing.assert_allclose(forecast, future[:4], rtol=1e-8, atol=1e-8)
    # a single-output estimator gives a one-step forecast
    single = LinearRegression().fit(X[:, :, 0], Y[:, 0])
    np.testing.assert_allclose(direct_forecast(single, history), future[:1], rtol=1e-8)


def test_direct_forecast_3d_and_pandas(series):
    history, future = series
    X, Y = windows(history, 3, horizon=5)
    model = WindowRegressor().fit(X, Y)
    index = pd.period_range("2000Q1", periods=60, freq="Q")
    forecast = direct_forecast(model, pd.Series(history, index=index, name="s"))
    assert forecast.name == "s"
    pd.testing.assert_index_equal(
        forecast.index, pd.period_range("2015Q1", periods=5, freq="Q")
    )
    np.testing.assert_allclose(forecast.to_numpy(), future[:5], rtol=1e-8, atol=1e-8)


def test_direct_forecast_with_covariates(covariate_data):
    past, future = covariate_data
    X, Y = windows(past, 2, horizon=1)
    model = LinearRegression().fit(X.reshape(len(X), -1), Y)
    forecast = direct_forecast(model, past)
    np.testing.assert_allclose(forecast, future[:1, 0], rtol=1e-8, atol=1e-8)
    frame = pd.DataFrame(past, columns=["y", "x"])
    assert direct_forecast(model, frame).name is None


def test_direct_forecast_agrees_with_recursive_for_one_step(series, lag_model):
    history, _ = series
    np.testing.assert_allclose(
        direct_forecast(lag_model, history), recursive_forecast(lag_model, history, 1)
    )


# -- errors --------------------------------------------------------------------


@pytest.mark.parametrize("forecast", [recursive_forecast, direct_forecast])
def test_not_fitted(forecast):
    kwargs = {"steps": 2} if forecast is recursive_forecast else {}
    with pytest.raises(NotFittedError):
        forecast(LinearRegression(), np.arange(10.0), **kwargs)


@pytest.mark.parametrize("steps", [0, -1, 1.5, "3", None])
def test_recursive_forecast_bad_steps(lag_model, steps):
    message = f"`steps` must be a positive integer. Received: steps={steps!r}"
    with pytest.raises(ValueError, match=re.escape(message)):
        recursive_forecast(lag_model, np.arange(10.0), steps)


@pytest.mark.parametrize("forecast", [recursive_forecast, direct_forecast])
@pytest.mark.parametrize(
    "history, message",
    [
        (
            np.array([1.0]),
            "`history` has 1 time steps, fewer than the sequence_length=2",
        ),
        (np.array([1.0, np.nan, 2.0]), "Input history contains NaN"),
        (np.array([1.0, np.inf, 2.0]), "Input history contains infinity"),
        (np.zeros((3, 2, 1)), "Found array with dim 3"),
        (np.array(["a", "b", "c"]), "could not convert string to float"),
    ],
)
def test_bad_history(lag_model, forecast, history, message):
    kwargs = {"steps": 2} if forecast is recursive_forecast else {}
    with pytest.raises(ValueError, match=re.escape(message)):
        forecast(lag_model, history, **kwargs)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"sequence_length": 0}, "`sequence_length` must be a positive integer"),
        (
            {"window_ndim": 4},
            "`window_ndim` must be a int among {2, 3} or None. Received: window_ndim=4",
        ),
        ({"window_ndim": 3}, "Cannot infer `sequence_length`"),
        (
            {"future_covariates": np.zeros((3, 1))},
            "`future_covariates` was given but `history` has a single column",
        ),
    ],
)
def test_recursive_forecast_bad_options(lag_model, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        recursive_forecast(lag_model, np.arange(10.0), 3, **kwargs)


def test_cannot_infer_sequence_length(covariate_data, lag_model):
    past, _ = covariate_data
    three_lags = LinearRegression().fit(np.zeros((5, 3)), np.arange(5.0))
    with pytest.raises(
        ValueError, match=r"n_features_in_=3 is not a multiple of the 2"
    ):
        direct_forecast(three_lags, past)

    class NoAttributes(RegressorMixin, BaseEstimator):
        def fit(self, X, y):
            self.fitted_ = True
            return self

        def predict(self, X):
            return np.zeros(len(X))

    model = NoAttributes().fit(None, None)
    with pytest.raises(ValueError, match=r"no n_timesteps_in_ .*Pass sequence_length"):
        direct_forecast(model, past[:, 0])
    assert direct_forecast(model, past[:, 0], sequence_length=3).shape == (1,)


def test_recursive_forecast_needs_single_output(series):
    history, _ = series
    X, Y = windows(history, 2, horizon=3)
    model = LinearRegression().fit(X[:, :, 0], Y)
    with pytest.raises(
        ValueError, match="returned 3 values for one window.*direct_forecast"
    ):
        recursive_forecast(model, history, 5)


def test_direct_forecast_bad_prediction_shape(series):
    class TwoRows(RegressorMixin, BaseEstimator):
        def fit(self, X, y):
            self.n_features_in_ = np.asarray(X).shape[1]
            return self

        def predict(self, X):
            return np.zeros((2, 3))

    model = TwoRows().fit(np.zeros((4, 2)), np.zeros(4))
    with pytest.raises(
        ValueError, match=re.escape("Received an array of shape (2, 3)")
    ):
        direct_forecast(model, series[0])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({}, "`target` is required when `history` has several columns (2)"),
        (
            {"target": 2},
            "`target` must be a column position in [-2, 1]. Received: target=2",
        ),
        ({"target": "y"}, "`target` must be the position or the name of a column"),
        ({"target": 0}, "`future_covariates` is required"),
        (
            {"target": 0, "future_covariates": np.zeros((4, 1))},
            "`future_covariates` must have shape (steps, 1) = (5, 1), one row per "
            "forecast and one column per covariate. Received shape (4, 1).",
        ),
        (
            {"target": 0, "future_covariates": np.zeros((5, 2))},
            "Received shape (5, 2)",
        ),
        (
            {"target": 0, "future_covariates": np.full((5, 1), np.nan)},
            "Input future_covariates contains NaN",
        ),
    ],
)
def test_recursive_forecast_bad_covariates(covariate_data, kwargs, message):
    past, _ = covariate_data
    X, y = windows(past, 2)
    model = LinearRegression().fit(X.reshape(len(X), -1), y)
    with pytest.raises(ValueError, match=re.escape(message)):
        recursive_forecast(model, past, 5, **kwargs)


def test_recursive_forecast_bad_covariate_frames(covariate_data):
    past, future = covariate_data
    frame = pd.DataFrame(past, columns=["y", "x"])
    X, y = windows(past, 2)
    model = LinearRegression().fit(X.reshape(len(X), -1), y)
    with pytest.raises(ValueError, match=re.escape("columns are ['y', 'x']")):
        recursive_forecast(
            model, frame, 5, target="load", future_covariates=future[:5, 1:]
        )
    with pytest.raises(
        ValueError, match=re.escape("lacks the covariate columns ['x']")
    ):
        recursive_forecast(
            model,
            frame,
            5,
            target="y",
            future_covariates=pd.DataFrame({"w": future[:5, 1]}),
        )


# -- with sklstm.make_windows --------------------------------------------------


def test_forecasts_from_make_windows(series, covariate_data):
    from sklstm import make_windows

    history, future = series
    X, Y = make_windows(history, 3, horizon=4)
    model = LinearRegression().fit(X.reshape(len(X), -1), Y)
    np.testing.assert_allclose(direct_forecast(model, history), future[:4], rtol=1e-8)

    past, future = covariate_data
    frame = pd.DataFrame(past, columns=["y", "x"])
    X, y = make_windows(frame, 2, target="y")
    model = LinearRegression().fit(X.reshape(len(X), -1), y)
    forecast = recursive_forecast(
        model, frame, 20, target="y", future_covariates=future[:, 1:]
    )
    np.testing.assert_allclose(forecast, future[:, 0], rtol=1e-8, atol=1e-8)
