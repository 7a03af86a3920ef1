"""Checks that put a series and its forecasts on one time axis.

Used by :class:`~sklstm.plotting.ForecastDisplay`: read the actual values as
one series, place each forecast (1-D, or 2-D with one line per horizon) on
its time steps, and find where the test part starts.
"""

from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.utils import check_array


def _as_series(y_true):
    """The actual values as one series, and its index if it has one."""
    index = y_true.index if isinstance(y_true, (pd.Series, pd.DataFrame)) else None
    values = check_array(
        y_true,
        ensure_2d=False,
        allow_nd=True,
        dtype=np.float64,
        ensure_all_finite="allow-nan",
        input_name="y_true",
    )
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if values.ndim == 2:
        # rows of multi-step targets: row i holds times i, ..., i + horizon - 1
        values = np.concatenate([values[:, 0], values[-1, 1:]])
        index = None
    elif values.ndim != 1:
        raise ValueError(
            "`y_true` must be 1-D (the series) or 2-D (n_windows, horizon) "
            f"multi-step targets; got an array of shape {values.shape}."
        )
    return values, index


def _check_index(index, n_times):
    if len(index) != n_times:
        raise ValueError(
            f"`index` has {len(index)} labels but y_true covers {n_times} time "
            "steps; pass one label per time step."
        )
    return pd.Index(index)


def _align_forecast(y_pred, timeline):
    """A Series forecast placed on the timeline by its labels (NaN elsewhere)."""
    if (
        timeline is None
        or not isinstance(y_pred, pd.Series)
        or y_pred.index.equals(timeline)
    ):
        return y_pred
    missing = y_pred.index.difference(timeline)
    if len(missing):
        raise ValueError(
            f"y_pred has index labels that are not in the index of y_true, "
            f"e.g. {list(missing[:3])}: a Series forecast is placed on the time "
            "axis by its labels."
        )
    return y_pred.reindex(timeline)


def _forecast_lines(y_pred, n_times, horizons, label):
    """(label, values on the timeline) pairs: one per horizon of a 2-D forecast."""
    values = check_array(
        y_pred,
        ensure_2d=False,
        allow_nd=True,
        dtype=np.float64,
        ensure_all_finite="allow-nan",
        input_name="y_pred",
    )
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if values.ndim == 1:
        if len(values) != n_times:
            raise ValueError(
                f"y_true and y_pred have inconsistent lengths: y_true covers "
                f"{n_times} time steps, y_pred {label!r} has {len(values)} values."
            )
        return [(label, values)]
    if values.ndim != 2:
        raise ValueError(
            "y_pred must be 1-D (one forecast per time step) or 2-D "
            f"(n_windows, horizon); got an array of shape {values.shape}."
        )
    n_rows, horizon = values.shape
    if n_rows + horizon - 1 != n_times:
        raise ValueError(
            f"y_true and y_pred have inconsistent lengths: y_pred {label!r} has "
            f"{n_rows} rows of {horizon}-step forecasts, which cover "
            f"{n_rows + horizon - 1} time steps, but y_true covers {n_times}. "
            "Row i of a 2-D y_pred forecasts time steps i, ..., i + horizon - 1, "
            "as the targets of sklstm.make_windows(..., horizon=horizon) do "
            "with sequence_stride=1."
        )
    steps = range(1, horizon + 1) if horizons is None else horizons
    lines = []
    for step in steps:
        if not (isinstance(step, Integral) and 1 <= step <= horizon):
            raise ValueError(
                f"`horizons` must hold steps ahead between 1 and {horizon}, the "
                f"number of columns of y_pred. Received: horizons={horizons!r}"
            )
        aligned = np.full(n_times, np.nan)
        aligned[step - 1 : step - 1 + n_rows] = values[:, step - 1]
        lines.append((f"{label} (h={step})", aligned))
    return lines


def _train_position(train_end, index, n_times):
    """Position of the first test time step."""
    if train_end is None:
        return None
    position = None
    if index is not None and not isinstance(train_end, bool):
        try:
            position = index.get_loc(train_end)
        except (KeyError, TypeError):
            position = None
        if position is not None and not isinstance(position, Integral):
            raise ValueError(
                f"`train_end`={train_end!r} matches several index labels; it must "
                "name one time step."
            )
    if (
        position is None
        and isinstance(train_end, Integral)
        and not isinstance(train_end, bool)
    ):
        position = int(train_end)
    if position is None:
        raise ValueError(
            "`train_end` must be a label of the index or a position where the "
            f"test part starts. Received: train_end={train_end!r}"
        )
    if not 0 < position < n_times:
        raise ValueError(
            f"`train_end` must leave a training and a test part: a position in "
            f"[1, {n_times - 1}]. Received: train_end={train_end!r} (position "
            f"{position})."
        )
    return position
