"""Multi-step forecasts from a fitted window regressor.

A window regressor is trained on look-back windows ``X[t] = s[t - L:t]`` of a
series ``s`` to predict the next value ``y[t] = s[t]`` (or the next ``h``
values). These helpers turn such a fitted estimator into a forecaster:

- :func:`recursive_forecast` predicts one step, appends the prediction to the
  window and predicts again, for any number of steps;
- :func:`direct_forecast` asks an estimator trained on ``h``-step targets for
  all ``h`` future values at once.

Both only call ``estimator.predict``, so any scikit-learn regressor or
:class:`~sklearn.pipeline.Pipeline` that takes windows works, not only sklstm's.

How a window is passed to ``predict``
-------------------------------------
A window is the last ``sequence_length`` rows of the history, an array of
shape ``(sequence_length, n_features)`` (``n_features=1`` for a univariate
series). It is passed to ``predict`` in the layout the estimator was fitted on:

- sklstm's estimators record it in ``fit``: 2-D ``(1, sequence_length)`` if
  they were fitted on a univariate lag matrix, 3-D
  ``(1, sequence_length, n_features)`` if fitted on windows (transposed to
  ``(1, n_features, sequence_length)`` for ``data_format="channels_first"``);
- any other estimator with an ``n_timesteps_in_`` attribute gets 3-D windows;
- any other estimator gets 2-D ``(1, sequence_length * n_features)``, a row of
  a lag matrix. For several features the row is the window flattened in time
  order, ``window.reshape(1, -1)`` (all features of the oldest step first),
  which is how ``X.reshape(len(X), -1)`` flattens the 3-D windows of
  :func:`sklstm.make_windows`.

``window_ndim`` overrides this choice. For a :class:`~sklearn.pipeline.Pipeline`
(and for fitted search or target-transforming meta-estimators, through their
``best_estimator_`` or ``regressor_``) the layout is read from the final
estimator; if a step of the pipeline changes the number of dimensions of its
input, pass ``window_ndim``.
"""

from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.utils._param_validation import Interval, Options
from sklearn.utils.validation import check_array, check_is_fitted

from ._sequtils import check_params

_POSITIVE = Interval(Integral, 1, None, closed="left")

__all__ = ["direct_forecast", "recursive_forecast"]


def recursive_forecast(
    estimator,
    history,
    steps: int,
    *,
    sequence_length: int | None = None,
    target: int | str | None = None,
    future_covariates=None,
    window_ndim: int | None = None,
) -> np.ndarray | pd.Series:
    """Forecast ``steps`` values by feeding each one-step prediction back.

    The window is the last ``sequence_length`` rows of ``history``. The
    estimator predicts the next value of the target from it; that value
    (with the known covariates of the same time step, if any) is appended to
    the window, the oldest row dropped, and the estimator predicts again,
    ``steps`` times. Errors compound with the horizon; see
    :func:`direct_forecast` for the alternative.

    The estimator must have been fitted on windows ``X[t] = s[t - L:t]`` of
    all columns of the history, with target ``y[t]`` the value of the target
    column at time ``t``. See the module docstring for whether a window is
    passed to ``predict`` as 2-D or 3-D.

    Parameters
    ----------
    estimator : fitted regressor
        A single-output regressor whose ``predict`` takes windows, such as an
        sklstm ``LSTMRegressor``, a scikit-learn regressor fitted on a lag
        matrix, or a :class:`~sklearn.pipeline.Pipeline` ending in one.

    history : array-like or pandas object of shape (n_timesteps,) or \
            (n_timesteps, n_features)
        The known past, in time order, at least ``sequence_length`` steps
        long and without missing values. A 1-D array or a Series is a
        univariate series. A 2-D array or DataFrame holds the target column
        and the covariates, in the column order used in ``fit``.

    steps : int
        Number of future values to forecast, at least 1.

    sequence_length : int, default=None
        Length of the windows the estimator was fitted on. If None, it is the
        estimator's ``n_timesteps_in_`` when it has one, otherwise its
        ``n_features_in_`` divided by the number of columns of ``history``.

    target : int or str, default=None
        Position, or name when ``history`` is a DataFrame, of the column that
        the estimator forecasts. Required when ``history`` has several
        columns (there is no reliable default: scikit-learn frames put the
        target last, many hand-made arrays put it first). Ignored for a
        univariate history.

    future_covariates : array-like or DataFrame of shape (steps, n_features - 1), \
            default=None
        Known future values of the other columns of ``history``, in their
        order (a DataFrame is matched to a DataFrame history by column
        name). Row ``i`` holds the covariates at the time of forecast ``i``.
        A window ends one step before the value it predicts, so the last row
        never reaches the estimator; it is asked for so that the rows line
        up with the forecasts. Required if and only if ``history`` has
        covariate columns.

    window_ndim : {2, 3}, default=None
        Pass windows to ``predict`` as 2-D ``(1, sequence_length * n_features)``
        or 3-D ``(1, sequence_length, n_features)`` arrays. If None, in the
        layout the estimator was fitted on (see the module docstring): 2-D
        for a scikit-learn regressor, 3-D for an estimator with
        ``n_timesteps_in_`` unless it was fitted on 2-D input.

    Returns
    -------
    forecast : ndarray of shape (steps,) or Series
        The forecasts, as float64. A Series when ``history`` is a pandas
        object: named after the target, its index continues that of the
        history when it is a PeriodIndex, a DatetimeIndex with a (possibly
        inferred) frequency or a RangeIndex, and counts on from
        ``len(history)`` otherwise.

    See Also
    --------
    direct_forecast : Forecast all steps at once with a multi-output estimator.
    sklstm.make_windows : Cut a series into training windows.

    Examples
    --------
    A series that doubles at each step, and a linear regression on the last
    two values:

    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> from sklstm.forecasting import recursive_forecast
    >>> series = 2.0 ** np.arange(10)
    >>> X = np.column_stack([series[:-2], series[1:-1]])  # windows of length 2
    >>> model = LinearRegression().fit(X, series[2:])
    >>> recursive_forecast(model, series, steps=3)
    array([1024., 2048., 4096.])
    """
    check_params({"steps": [_POSITIVE]}, {"steps": steps})
    check_is_fitted(estimator)
    values, index, columns, name = _check_history(history)
    n_features = values.shape[1]
    target = _check_target(target, n_features, columns)
    covariates = _check_future_covariates(
        future_covariates, steps, n_features, target, columns
    )
    length, *layout = _window_spec(estimator, n_features, sequence_length, window_ndim)
    _check_history_length(values, length)

    # rows [k, k + length) of `buffer` are the window of forecast k
    buffer = np.empty((length + steps, n_features))
    buffer[:length] = values[-length:]
    if covariates is not None:
        buffer[length:, np.arange(n_features) != target] = covariates
    for k in range(steps):
        prediction = _predict_window(estimator, buffer[k : k + length], *layout)
        if prediction.size != 1:
            raise ValueError(
                f"`estimator.predict` returned {prediction.size} values for one "
                "window; recursive_forecast needs a single-output regressor. "
                "For an estimator trained on several future steps, use "
                "direct_forecast."
            )
        buffer[length + k, target] = prediction.item()

    forecast = buffer[length:, target].copy()
    if columns is not None:
        name = columns[target]
    return _wrap_forecast(forecast, index, name)


def direct_forecast(
    estimator,
    history,
    *,
    sequence_length: int | None = None,
    window_ndim: int | None = None,
) -> np.ndarray | pd.Series:
    """Forecast several steps at once with an estimator trained on horizons.

    The estimator was fitted on windows ``X[t] = s[t - L:t]`` with targets
    ``y[t] = s[t:t + h]``, the next ``h`` values of the target, for instance
    windows made by ``sklstm.make_windows(..., horizon=h)``. It is asked once,
    with the last window of ``history``, for all ``h`` future values, so its
    errors do not compound as those of :func:`recursive_forecast` do; the
    horizon is fixed at training time. See the module docstring for whether
    the window is passed to ``predict`` as 2-D or 3-D.

    Parameters
    ----------
    estimator : fitted regressor
        A regressor whose ``predict`` maps one window to ``h`` values, such as
        a multi-output scikit-learn regressor fitted on a lag matrix, an
        sklstm ``LSTMRegressor`` fitted on 2-D targets, or a
        :class:`~sklearn.pipeline.Pipeline` ending in one.

    history : array-like or pandas object of shape (n_timesteps,) or \
            (n_timesteps, n_features)
        The known past, in time order, at least ``sequence_length`` steps
        long and without missing values; 2-D with all the columns used in
        ``fit``, in the same order, when the estimator takes covariates.

    sequence_length : int, default=None
        Length of the windows the estimator was fitted on. If None, it is the
        estimator's ``n_timesteps_in_`` when it has one, otherwise its
        ``n_features_in_`` divided by the number of columns of ``history``.

    window_ndim : {2, 3}, default=None
        Pass the window to ``predict`` as 2-D or 3-D; if None, in the layout
        the estimator was fitted on, as in :func:`recursive_forecast`.

    Returns
    -------
    forecast : ndarray of shape (h,) or Series
        The ``h`` forecasts, as float64. A Series when ``history`` is a pandas
        object, with the index continued as in :func:`recursive_forecast`
        and the name of a Series history.

    See Also
    --------
    recursive_forecast : Forecast any number of steps with a one-step model.
    sklstm.make_windows : Cut a series into training windows.

    Examples
    --------
    A linear trend, and a linear regression from the last two values to the
    next three:

    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> from sklstm.forecasting import direct_forecast
    >>> series = 3.0 * np.arange(10)
    >>> X = np.column_stack([series[:-4], series[1:-3]])  # windows of length 2
    >>> Y = np.column_stack([series[2:-2], series[3:-1], series[4:]])
    >>> model = LinearRegression().fit(X, Y)
    >>> direct_forecast(model, series)
    array([30., 33., 36.])
    """
    check_is_fitted(estimator)
    values, index, columns, name = _check_history(history)
    length, *layout = _window_spec(
        estimator, values.shape[1], sequence_length, window_ndim
    )
    _check_history_length(values, length)

    prediction = _predict_window(estimator, values[-length:], *layout)
    if prediction.ndim == 0 or prediction.shape[0] != 1:
        raise ValueError(
            "`estimator.predict` must return one row of forecasts for one "
            f"window. Received an array of shape {prediction.shape}."
        )
    return _wrap_forecast(
        prediction.reshape(-1), index, name if columns is None else None
    )


def _check_history(history):
    """Return the history as a 2-D float array, with its index, columns and name."""
    index = columns = name = None
    if isinstance(history, pd.Series):
        index, name = history.index, history.name
    elif isinstance(history, pd.DataFrame):
        index, columns = history.index, history.columns
    values = check_array(
        history,
        ensure_2d=False,
        dtype=np.float64,
        ensure_all_finite=True,
        input_name="history",
    )
    if values.ndim == 1:
        values = values.reshape(-1, 1)
    elif values.ndim != 2:
        raise ValueError(
            "`history` must be 1-D (a series) or 2-D (time steps, features). "
            f"Received an array of shape {values.shape}."
        )
    return values, index, columns, name


def _check_history_length(values, length):
    if len(values) < length:
        raise ValueError(
            f"`history` has {len(values)} time steps, fewer than the "
            f"sequence_length={length} that a window needs."
        )


def _check_target(target, n_features, columns):
    """Return the position of the target column."""
    if n_features == 1:
        return 0
    if target is None:
        raise ValueError(
            f"`target` is required when `history` has several columns "
            f"({n_features}): pass the position, or the name, of the column "
            "that the estimator forecasts."
        )
    if isinstance(target, Integral) and not isinstance(target, bool):
        if -n_features <= target < n_features:
            return int(target) % n_features
        raise ValueError(
            f"`target` must be a column position in [{-n_features}, "
            f"{n_features - 1}]. Received: target={target!r}"
        )
    if columns is not None and target in columns:
        return columns.get_loc(target)
    raise ValueError(
        f"`target` must be the position or the name of a column of `history`. "
        f"Received: target={target!r}"
        + (f"; columns are {list(columns)}" if columns is not None else "")
    )


def _check_future_covariates(future_covariates, steps, n_features, target, columns):
    """Return the future covariates as a (steps, n_features - 1) array, or None."""
    n_covariates = n_features - 1
    if n_covariates == 0:
        if future_covariates is not None:
            raise ValueError(
                "`future_covariates` was given but `history` has a single column, "
                "the target; pass a 2-D history with the covariate columns."
            )
        return None
    if future_covariates is None:
        raise ValueError(
            f"`history` has {n_covariates} covariate column(s) besides the "
            "target, so `future_covariates` is required: their known values "
            f"over the forecast horizon, of shape (steps, {n_covariates}) = "
            f"({steps}, {n_covariates})."
        )
    if isinstance(future_covariates, pd.DataFrame) and columns is not None:
        names = [c for i, c in enumerate(columns) if i != target]
        missing = [c for c in names if c not in future_covariates.columns]
        if missing:
            raise ValueError(
                f"`future_covariates` lacks the covariate columns {missing} of "
                "`history`."
            )
        future_covariates = future_covariates[names]
    covariates = check_array(
        future_covariates,
        ensure_2d=False,
        dtype=np.float64,
        ensure_all_finite=True,
        input_name="future_covariates",
    )
    if covariates.ndim == 1 and n_covariates == 1:
        covariates = covariates.reshape(-1, 1)
    if covariates.shape != (steps, n_covariates):
        raise ValueError(
            f"`future_covariates` must have shape (steps, {n_covariates}) = "
            f"({steps}, {n_covariates}), one row per forecast and one column "
            f"per covariate. Received shape {covariates.shape}."
        )
    return covariates


def _final_estimator(estimator):
    """Follow pipelines and fitted meta-estimators to the innermost estimator."""
    while True:
        if isinstance(estimator, Pipeline):
            estimator = estimator[-1]
        elif hasattr(estimator, "best_estimator_"):
            estimator = estimator.best_estimator_
        elif hasattr(estimator, "regressor_"):
            estimator = estimator.regressor_
        else:
            return estimator


def _window_spec(estimator, n_features, sequence_length, window_ndim):
    """Return the window length, its number of dimensions and its axis order."""
    check_params(
        {
            "sequence_length": [_POSITIVE, None],
            "window_ndim": [Options(int, {2, 3}), None],
        },
        {"sequence_length": sequence_length, "window_ndim": window_ndim},
    )
    final = _final_estimator(estimator)
    n_timesteps = getattr(final, "n_timesteps_in_", None)
    if window_ndim is None:
        # sklstm's estimators record the number of dimensions of X in fit
        window_ndim = getattr(final, "_input_ndim", None) or (
            2 if n_timesteps is None else 3
        )
    channels_first = getattr(final, "data_format", None) == "channels_first"
    spec = (window_ndim, window_ndim == 3 and channels_first)
    if sequence_length is not None:
        return int(sequence_length), *spec
    if n_timesteps is not None:
        return int(n_timesteps), *spec
    n_features_in = getattr(estimator, "n_features_in_", None)
    if window_ndim == 2 and n_features_in is not None:
        if n_features_in % n_features == 0:
            return n_features_in // n_features, *spec
        raise ValueError(
            f"Cannot infer `sequence_length`: the estimator's n_features_in_="
            f"{n_features_in} is not a multiple of the {n_features} columns of "
            "`history`. Pass sequence_length."
        )
    raise ValueError(
        "Cannot infer `sequence_length` from the estimator (it has no "
        "n_timesteps_in_ attribute"
        + (")" if window_ndim == 3 else " nor n_features_in_)")
        + ". Pass sequence_length."
    )


def _predict_window(estimator, window, ndim, channels_first):
    """Predict from one (length, n_features) window; return a numpy array."""
    if ndim == 3:
        X = (window.T if channels_first else window)[np.newaxis]
    else:
        X = window.reshape(1, -1)
        feature_names = getattr(estimator, "feature_names_in_", None)
        if feature_names is not None and len(feature_names) == X.shape[1]:
            X = pd.DataFrame(X, columns=feature_names)
    return np.asarray(estimator.predict(X), dtype=np.float64)


def _future_index(index, steps):
    """The ``steps`` index labels that follow ``index``."""
    if isinstance(index, pd.PeriodIndex):
        return pd.period_range(
            index[-1] + 1, periods=steps, freq=index.freq, name=index.name
        )
    if isinstance(index, pd.DatetimeIndex):
        freq = index.freq or pd.DatetimeIndex(index, freq="infer").freq
        if freq is not None:
            return pd.date_range(
                index[-1], periods=steps + 1, freq=freq, name=index.name
            )[1:]
    if isinstance(index, pd.RangeIndex):
        start = index[-1] + index.step
        return pd.RangeIndex(
            start, start + steps * index.step, index.step, name=index.name
        )
    return pd.RangeIndex(len(index), len(index) + steps, name=index.name)


def _wrap_forecast(forecast, index, name):
    if index is None:
        return forecast
    return pd.Series(forecast, index=_future_index(index, len(forecast)), name=name)
