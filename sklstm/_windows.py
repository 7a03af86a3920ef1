"""Sliding windows over a time-ordered table: a transformer and a function."""

from numbers import Integral, Real

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from ._sequtils import KerasStyleParamsMixin, check_params

_FLOATS = (np.float64, np.float32)


def _first_nan(X):
    row, col = np.argwhere(np.isnan(X))[0]
    return int(row), int(col)


class SlidingWindowTransformer(TransformerMixin, KerasStyleParamsMixin, BaseEstimator):
    """Turn time-ordered rows into one window of past rows per row.

    Row ``t`` of the output holds rows ``t - sequence_length + 1``, ..., ``t`` of
    `X`, oldest first, so the output has shape
    ``(n_timesteps, sequence_length, n_features)``: the 3-D input of a recurrent
    network. The number and the order of the rows are kept, so a target `y`
    indexed like `X` stays aligned in a :class:`~sklearn.pipeline.Pipeline`.
    The first ``sequence_length - 1`` rows lack history; their missing steps
    are filled with `value`.

    Parameters
    ----------
    sequence_length : int, default=3
        Number of time steps in each window, the current row included.

    value : float, default=np.nan
        Fills the steps before the first row. NaN rather than Keras' ``0.0``
        because ``0.0`` is a real value after scaling (the minimum of a
        :class:`~sklearn.preprocessing.MinMaxScaler`-scaled series) and would
        be masked by mistake. The sklstm estimators treat a time step whose
        features are all NaN as padding and mask it. For Keras' convention pass
        ``value=0.0`` and set the estimator's ``mask_value=0.0``.

    Attributes
    ----------
    n_features_in_ : int
        Number of features per time step (columns of `X`; 1 for a 1-D series).

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names of `X`, when it is a DataFrame (or a named Series) whose
        column names are all strings.

    See Also
    --------
    make_windows : Windows and the next value(s) of a series as ``(X, y)``.
    SequencePadder : Pad variable-length sequences to one length.
    StepwiseTransformer : Scale the per-step features of 3-D data.

    Notes
    -----
    **Input.** `X` is a 2-D array or DataFrame of shape
    ``(n_timesteps, n_features)`` ordered in time, or a 1-D array or Series (one
    feature). A 3-D array is refused: it already holds windows. `X` must not
    contain NaN, which could not be told from the padding; fill or drop missing
    values first.

    **Output.** A 3-D float array (float32 input stays float32, anything else
    becomes float64). It is a read-only strided view over one padded copy of
    the series (:func:`numpy.lib.stride_tricks.sliding_window_view`), so it
    takes the memory of the series whatever `sequence_length`; the sklstm
    estimators keep it a view and feed the network batch by batch. There is
    no ``get_feature_names_out`` and so no ``set_output``: a 3-D array has no
    columns to name.

    **Predicting the next value.** Row ``t`` of the output ends at row ``t``, so
    a model trained on ``y[t]`` equal to the series at ``t`` would only learn to
    copy the last step. To forecast the next value, shift the target back by one
    and drop the last row, which has no next value::

        y = series.shift(-1).iloc[:-1]
        X = frame.iloc[:-1]

    **Cross-validation.** Use :class:`~sklearn.model_selection.TimeSeriesSplit`
    (or any split that keeps the time order) and never shuffle: neighbouring
    windows share rows, so a shuffled split leaks the test rows into training.

    **No history across calls.** Each call to ``transform`` only sees the rows
    it is given: the first rows of a test fold are padded, not filled from the
    end of the training fold. To give the test rows their true history,
    transform the whole series and slice::

        Xw = SlidingWindowTransformer(3).fit_transform(X_all)[n_train:]

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import SlidingWindowTransformer
    >>> X = np.array([[1.0], [2.0], [3.0], [4.0]])
    >>> windows = SlidingWindowTransformer(sequence_length=2).fit_transform(X)
    >>> windows.shape
    (4, 2, 1)
    >>> windows[..., 0]
    array([[nan,  1.],
           [ 1.,  2.],
           [ 2.,  3.],
           [ 3.,  4.]])
    """

    _parameter_constraints: dict = {
        "sequence_length": [Interval(Integral, 1, None, closed="left")],
        "value": [Real],
    }

    def __init__(self, sequence_length: int = 3, *, value: float = np.nan):
        self.sequence_length = sequence_length
        self.value = value

    def _validate(self, X, reset):
        name = type(self).__name__
        if isinstance(X, pd.Series):
            X = X.to_frame()
        elif not hasattr(X, "shape"):
            X = np.asarray(X)
        if X.ndim == 1:
            if not reset and self.n_features_in_ != 1:
                raise ValueError(
                    f"{name} was fitted on {self.n_features_in_} features but "
                    "received a 1-D array. Reshape your data: pass rows of shape "
                    "(n_timesteps, n_features)."
                )
            X = X.reshape(-1, 1)
        elif X.ndim > 2:
            raise ValueError(
                f"{name} expects time-ordered rows: a 2-D array of shape "
                "(n_timesteps, n_features) or a 1-D series. Received a "
                f"{X.ndim}-D array of shape {X.shape}, which already holds "
                "windows or sequences; pass it to the estimator as it is."
            )
        X = validate_data(
            self, X, reset=reset, dtype=_FLOATS, ensure_all_finite="allow-nan"
        )
        if np.isnan(X).any():
            row, col = _first_nan(X)
            raise ValueError(
                f"X contains NaN at row {row} (feature {col}); fill or drop "
                f"missing values before windowing. {name} pads the first rows "
                "with `value` (NaN by default), so missing values could not be "
                "told from padding."
            )
        return X

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check `X` and record its number of features.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features) or (n_timesteps,)
            Time-ordered rows.

        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted transformer.
        """
        self._validate(X, reset=True)
        return self

    def transform(self, X):
        """Return one window of the last `sequence_length` rows per row.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features) or (n_timesteps,)
            Time-ordered rows with the features seen in `fit`.

        Returns
        -------
        X_windows : ndarray of shape (n_timesteps, sequence_length, n_features)
            Window ``t`` holds rows ``t - sequence_length + 1`` to ``t``; steps
            before the first row are `value`. A read-only view over one padded
            copy of `X`: it takes the memory of the series, not of
            ``sequence_length`` copies of it. Copy it (``X_windows.copy()``)
            to write into it.
        """
        check_is_fitted(self)
        X = self._validate(X, reset=False)
        length = self.sequence_length
        series = np.empty((len(X) + length - 1, X.shape[1]), dtype=X.dtype)
        series[: length - 1] = self.value
        series[length - 1 :] = X
        # Window t is rows t, ..., t + length - 1 of the padded series: a
        # strided view with the window axis last, moved to axis 1.
        windows = sliding_window_view(series, length, axis=0, writeable=False)
        return windows.transpose(0, 2, 1)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


def _as_table(data):
    """Return `data` as a 2-D float array and its column labels (or None)."""
    if isinstance(data, pd.Series):
        data = data.to_frame()
    columns = list(data.columns) if isinstance(data, pd.DataFrame) else None
    values = check_array(
        data,
        dtype=_FLOATS,
        ensure_2d=False,
        allow_nd=True,
        ensure_all_finite="allow-nan",
        input_name="data",
    )
    if values.ndim == 1:
        values = values.reshape(-1, 1)
    elif values.ndim > 2:
        raise ValueError(
            "make_windows expects a series: a 1-D array (univariate) or a 2-D "
            f"array of shape (n_timesteps, n_features). Received a {values.ndim}-D "
            f"array of shape {values.shape}."
        )
    if np.isnan(values).any():
        row, col = _first_nan(values)
        raise ValueError(
            f"`data` contains NaN at row {row} (feature {col}); fill or drop "
            "missing values before making windows."
        )
    return values, columns


def _target_positions(target, columns, n_features):
    """Positions of the target columns, and whether a single one was named."""
    if target is None:
        return list(range(n_features)), n_features == 1
    single = isinstance(target, str | Integral)
    items = [target] if single else target
    valid = isinstance(items, list | tuple | np.ndarray) and all(
        isinstance(item, str | Integral) and not isinstance(item, bool)
        for item in items
    )
    if not valid:
        raise TypeError(
            "`target` must be None, a column position (int), a column name "
            f"(str) or a list of them. Received: target={target!r}"
        )
    if len(items) == 0:
        raise ValueError(f"`target` selects no column. Received: target={target!r}")
    positions = []
    for item in items:
        if isinstance(item, str):
            if columns is None or item not in columns:
                raise ValueError(
                    "`target` names a column that `data` does not have. "
                    f"Received: target={target!r}; columns: {columns}"
                )
            positions.append(columns.index(item))
        elif -n_features <= item < n_features:
            positions.append(int(item) % n_features)
        else:
            raise ValueError(
                f"`target` must index one of the {n_features} columns of "
                f"`data`. Received: target={target!r}"
            )
    return positions, single


def make_windows(
    data,
    sequence_length: int,
    horizon: int = 1,
    sequence_stride: int = 1,
    *,
    target=None,
) -> tuple[np.ndarray, np.ndarray]:
    """Cut a series into windows of past values and the value(s) that follow.

    Window ``i`` starts at row ``s = i * sequence_stride`` and holds rows
    ``s, ..., s + sequence_length - 1``; its target holds the `horizon` rows
    that follow, ``s + sequence_length, ..., s + sequence_length + horizon - 1``
    (direct multi-step forecasting).

    Parameters
    ----------
    data : array-like of shape (n_timesteps,) or (n_timesteps, n_features)
        Time-ordered series: 1-D (or a Series) for univariate, 2-D (or a
        DataFrame) for multivariate. Must not contain NaN.

    sequence_length : int
        Number of time steps in each window.

    horizon : int, default=1
        Number of future steps to predict.

    sequence_stride : int, default=1
        Rows between the starts of consecutive windows.

    target : int, str, list of int or str, or None, default=None
        The column(s) to predict: an int is a column position, a str a
        DataFrame column name. ``None`` selects every column (for a univariate
        series, the only one). The windows `X` always hold all the columns,
        target included, so past target values are inputs.

    Returns
    -------
    X : ndarray of shape (n_windows, sequence_length, n_features)
        The windows, with ``n_windows = (n_timesteps - sequence_length -
        horizon) // sequence_stride + 1``.

    y : ndarray
        The values that follow each window. A single target (a univariate
        series, or one int or str `target`) gives shape ``(n_windows,)`` for
        ``horizon=1`` and ``(n_windows, horizon)`` otherwise. Several targets
        (a list, or ``None`` on a multivariate series) add a last axis:
        ``(n_windows, n_targets)`` for ``horizon=1`` and
        ``(n_windows, horizon, n_targets)`` otherwise.

    Raises
    ------
    ValueError
        If the series has fewer than ``sequence_length + horizon`` time steps,
        or contains NaN.

    See Also
    --------
    SlidingWindowTransformer : One window per row, as a pipeline step.

    Notes
    -----
    Consecutive windows overlap, so split the series in time (for example with
    :class:`~sklearn.model_selection.TimeSeriesSplit`) before or after making
    windows, never with a shuffled split.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import make_windows
    >>> X, y = make_windows(np.arange(6.0), sequence_length=3)
    >>> X[..., 0]
    array([[0., 1., 2.],
           [1., 2., 3.],
           [2., 3., 4.]])
    >>> y
    array([3., 4., 5.])
    >>> X, y = make_windows(np.arange(6.0), sequence_length=3, horizon=2)
    >>> y
    array([[3., 4.],
           [4., 5.]])
    """
    check_params(
        {
            "sequence_length": [Interval(Integral, 1, None, closed="left")],
            "horizon": [Interval(Integral, 1, None, closed="left")],
            "sequence_stride": [Interval(Integral, 1, None, closed="left")],
        },
        {
            "sequence_length": sequence_length,
            "horizon": horizon,
            "sequence_stride": sequence_stride,
        },
    )
    values, columns = _as_table(data)
    positions, single = _target_positions(target, columns, values.shape[1])
    n_steps, needed = len(values), sequence_length + horizon
    if n_steps < needed:
        raise ValueError(
            "The series is too short for one window: it needs at least "
            f"sequence_length + horizon = {needed} time steps and has {n_steps}. "
            f"Received: sequence_length={sequence_length}, horizon={horizon}"
        )
    starts = np.arange(0, n_steps - needed + 1, sequence_stride)
    X = sliding_window_view(values, sequence_length, axis=0)[starts]
    targets = values[sequence_length:, positions]
    y = sliding_window_view(targets, horizon, axis=0)[starts]
    # sliding_window_view puts the window axis last; time goes on axis 1.
    X = np.ascontiguousarray(X.transpose(0, 2, 1))
    y = np.ascontiguousarray(y.transpose(0, 2, 1))
    if single:
        y = y[..., 0]
    if horizon == 1:
        y = y[:, 0]
    return X, y
