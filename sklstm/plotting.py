"""Plots of training histories and forecasts, as scikit-learn Display objects.

:class:`HistoryDisplay` draws the per-epoch training and validation curves
that a fitted estimator keeps in ``history_``; :class:`ForecastDisplay` draws
a series and its forecasts over time, with the training part shaded. Both
follow scikit-learn's Display API (as
:class:`~sklearn.metrics.PredictionErrorDisplay` does): build one with
``from_estimator`` or ``from_predictions``, or construct it from the values
and call ``plot``; the drawn artists are kept in attributes ending in ``_``.

Matplotlib is the optional extra ``sklstm[plot]``. It is imported only when a
plot is drawn, so ``import sklstm.plotting`` works without it.
"""

from collections.abc import Mapping, Sequence
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.utils import check_array
from sklearn.utils._plotting import _validate_style_kwargs
from sklearn.utils.validation import check_is_fitted

from .forecasting import _final_estimator

__all__ = ["ForecastDisplay", "HistoryDisplay"]

_VAL = "val_"


def _check_matplotlib(caller):
    """Raise an ImportError that names the extra to install."""
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            f"{caller} requires matplotlib. Install it with "
            "`pip install 'sklstm[plot]'` (or `pip install matplotlib`)."
        ) from exc


def _style(defaults, user):
    return _validate_style_kwargs(defaults, user or {})


# ----------------------------------------------------------------------
# Training history
# ----------------------------------------------------------------------
def _check_history(history):
    """Return the history as a dict of 1-D float arrays, without empty entries."""
    history = getattr(history, "history", history)  # a keras History callback
    if not isinstance(history, Mapping):
        raise TypeError(
            "`history` must be a dict of per-epoch values, such as a fitted "
            "estimator's `history_` or a Keras History callback. Received an "
            f"object of type {type(history).__name__}."
        )
    checked = {}
    for key, values in history.items():
        values = np.asarray(values, dtype=np.float64)
        if values.ndim != 1:
            raise ValueError(
                f"`history[{key!r}]` must be a list of one value per epoch; got "
                f"an array of shape {values.shape}."
            )
        if values.size:
            checked[str(key)] = values
    if not checked:
        raise ValueError(
            "`history` is empty: there is no epoch to plot. Fit the estimator "
            "(with epochs >= 1) first."
        )
    return checked


def _select_metrics(history, metrics):
    """The names to draw, one axes each, without the ``val_`` prefix."""
    trained = [key for key in history if not key.startswith(_VAL)]
    if metrics is None:
        names = ["loss"]
    elif isinstance(metrics, str) and metrics == "all":
        names = trained or [key[len(_VAL) :] for key in history]
    elif isinstance(metrics, str):
        names = [metrics]
    else:
        names = list(metrics)
    available = sorted({key.removeprefix(_VAL) for key in history})
    if not names:
        raise ValueError(
            f"`metrics` names no curve to draw. Available: {available} or 'all'."
        )
    for name in names:
        if not isinstance(name, str):
            raise TypeError(
                f"`metrics` must hold names of history entries; got {name!r}."
            )
        if name.startswith(_VAL):
            raise ValueError(
                f"Name metrics without the 'val_' prefix: the validation curve "
                f"is drawn beside the training curve. Received {name!r}; pass "
                f"{name[len(_VAL) :]!r}."
            )
        if name not in history and _VAL + name not in history:
            raise ValueError(
                f"The history has no entry {name!r}. Available: {available} or "
                "'all'. Metrics are recorded when the estimator is fitted with "
                "e.g. metrics=['mae']."
            )
    return list(dict.fromkeys(names))


def _axes_for(ax, n, plt):
    """An array of ``n`` axes: new ones, or those given."""
    if ax is None:
        _, axes = plt.subplots(1, n, figsize=(4.8 * n, 3.6), squeeze=False)
        return axes.ravel()
    axes = np.ravel(np.asarray(ax, dtype=object))
    if len(axes) != n:
        raise ValueError(
            f"{n} metrics are drawn, one axes each, but `ax` holds {len(axes)} "
            f"axes. Pass {n} axes, or ax=None for a new figure."
        )
    return axes


class HistoryDisplay:
    """Training and validation curves of a Keras-backed estimator, per epoch.

    One axes per metric: by default the loss only, as the metrics usually
    have other scales. The training curve of each metric is drawn as a solid
    line, its validation curve (the ``val_`` entry, recorded when the
    estimator is fitted with ``validation_split``) as a dashed one. Create
    it with :meth:`from_estimator`, or construct it from a history and call
    :meth:`plot`.

    Parameters
    ----------
    history : dict of str to list of float, or keras.callbacks.History
        Per-epoch values, such as a fitted estimator's ``history_``: a
        ``"loss"`` entry, one entry per metric, and their ``"val_"`` pairs.

    estimator_name : str, default=None
        Name of the estimator, shown as the title of the axes. None shows no
        title.

    Attributes
    ----------
    ax_ : matplotlib Axes or ndarray of Axes
        The axes of the plot: one Axes for one metric (the default), an
        array of shape ``(n_metrics,)`` for several.

    figure_ : matplotlib Figure
        The figure that holds the axes.

    lines_ : dict of str to matplotlib Line2D
        The curves, under the name of their history entry (``"loss"``,
        ``"val_loss"``, ``"mae"``, ...).

    See Also
    --------
    ForecastDisplay : A series and its forecasts over time.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklstm.plotting import HistoryDisplay
    >>> history = {"loss": [0.9, 0.5, 0.4], "val_loss": [1.0, 0.7, 0.6]}
    >>> display = HistoryDisplay(history, estimator_name="LSTMRegressor").plot()
    >>> sorted(display.lines_)
    ['loss', 'val_loss']
    >>> display.lines_["val_loss"].get_xydata().tolist()
    [[1.0, 1.0], [2.0, 0.7], [3.0, 0.6]]
    """

    def __init__(self, history, *, estimator_name: str | None = None):
        self.history = history
        self.estimator_name = estimator_name

    def plot(
        self,
        ax=None,
        *,
        metrics: str | Sequence[str] | None = None,
        train_kwargs: dict | None = None,
        val_kwargs: dict | None = None,
    ) -> "HistoryDisplay":
        """Draw the curves.

        Parameters
        ----------
        ax : matplotlib Axes or array-like of Axes, default=None
            Where to draw: one Axes per metric. None creates a figure with
            one axes per metric, side by side.

        metrics : str, list of str or "all", default=None
            Names of the history entries to draw, one axes each, without the
            ``"val_"`` prefix (the validation curve is drawn with its training
            curve). None draws the loss only; ``"all"`` draws the loss and
            every metric recorded.

        train_kwargs : dict, default=None
            Keyword arguments of ``Axes.plot`` for the training curves.

        val_kwargs : dict, default=None
            Keyword arguments of ``Axes.plot`` for the validation curves.

        Returns
        -------
        display : HistoryDisplay
            This display, with the attributes ``ax_``, ``figure_`` and
            ``lines_``.
        """
        _check_matplotlib(f"{type(self).__name__}.plot")
        import matplotlib.pyplot as plt
        from matplotlib.ticker import MaxNLocator

        history = _check_history(self.history)
        names = _select_metrics(history, metrics)
        train_kwargs = _style({"color": "tab:blue", "label": "train"}, train_kwargs)
        val_kwargs = _style(
            {"color": "tab:orange", "linestyle": "--", "label": "validation"},
            val_kwargs,
        )
        axes = _axes_for(ax, len(names), plt)
        lines = {}
        for axis, name in zip(axes, names, strict=True):
            for key, kwargs in ((name, train_kwargs), (_VAL + name, val_kwargs)):
                if key in history:
                    values = history[key]
                    epochs = np.arange(1, len(values) + 1)
                    (lines[key],) = axis.plot(epochs, values, **kwargs)
            axis.set(xlabel="epoch", ylabel=name)
            axis.xaxis.set_major_locator(MaxNLocator(integer=True))
            axis.legend()
            if self.estimator_name is not None:
                axis.set_title(self.estimator_name)
        self.ax_ = axes[0] if len(axes) == 1 else axes
        self.figure_ = axes[0].figure
        self.lines_ = lines
        return self

    @classmethod
    def from_estimator(
        cls,
        estimator,
        *,
        metrics: str | Sequence[str] | None = None,
        ax=None,
        estimator_name: str | None = None,
        train_kwargs: dict | None = None,
        val_kwargs: dict | None = None,
    ) -> "HistoryDisplay":
        """Plot the training history of a fitted estimator.

        Parameters
        ----------
        estimator : fitted estimator
            An sklstm estimator, or any estimator with a ``history_`` dict of
            per-epoch values; a :class:`~sklearn.pipeline.Pipeline` (or a
            fitted search) is followed to its final estimator.

        metrics : str, list of str or "all", default=None
            Entries to draw, one axes each, as in :meth:`plot`; None draws
            the loss only.

        ax : matplotlib Axes or array-like of Axes, default=None
            Where to draw, one Axes per metric; None creates a figure.

        estimator_name : str, default=None
            Title of the axes; None uses the class name of the estimator.

        train_kwargs : dict, default=None
            Keyword arguments of ``Axes.plot`` for the training curves.

        val_kwargs : dict, default=None
            Keyword arguments of ``Axes.plot`` for the validation curves.

        Returns
        -------
        display : HistoryDisplay
            The display, drawn.

        Raises
        ------
        sklearn.exceptions.NotFittedError
            If the estimator is not fitted.
        ValueError
            If its history is empty (built with ``initialize`` but never
            trained) or lacks a requested metric.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> from sklstm import LSTMRegressor
        >>> from sklstm.plotting import HistoryDisplay
        >>> X = np.random.RandomState(0).uniform(size=(16, 4, 1))
        >>> reg = LSTMRegressor(units=2, epochs=2, validation_split=0.25,
        ...                     random_state=0).fit(X, X[:, -1, 0])
        >>> display = HistoryDisplay.from_estimator(reg)
        >>> sorted(display.lines_), display.ax_.get_title()
        (['loss', 'val_loss'], 'LSTMRegressor')
        """
        _check_matplotlib(f"{cls.__name__}.from_estimator")
        check_is_fitted(estimator)
        final = _final_estimator(estimator)
        history = getattr(final, "history_", None)
        if history is None:
            raise ValueError(
                f"{type(final).__name__} has no `history_` attribute: "
                "HistoryDisplay plots the training history of a Keras-backed "
                "estimator such as sklstm.LSTMRegressor."
            )
        if not any(len(values) for values in history.values()):
            raise ValueError(
                f"The `history_` of {type(final).__name__} is empty: it was built "
                "(e.g. with `initialize`) but never trained. Call `fit` first."
            )
        display = cls(
            history,
            estimator_name=(
                type(final).__name__ if estimator_name is None else estimator_name
            ),
        )
        return display.plot(
            ax=ax, metrics=metrics, train_kwargs=train_kwargs, val_kwargs=val_kwargs
        )


# ----------------------------------------------------------------------
# Forecasts
# ----------------------------------------------------------------------
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


class ForecastDisplay:
    """A series and its forecasts over time, with the training part shaded.

    The actual values are drawn as one line, each forecast as another: a 1-D
    forecast has one value per time step; a 2-D forecast of shape
    ``(n_windows, horizon)``, such as the prediction of a direct multi-step
    regressor on the windows of :func:`sklstm.make_windows`, gives one line
    per horizon ``h`` (steps ahead): row ``i`` forecasts time steps ``i``,
    ..., ``i + horizon - 1``, so line ``h`` holds the forecasts made ``h``
    steps ahead of the time they forecast. The time steps before `train_end`
    are shaded as the training part. Create it with :meth:`from_predictions`
    or :meth:`from_estimator`, or construct it and call :meth:`plot`.

    Parameters
    ----------
    y_true : array-like of shape (n_times,) or (n_windows, horizon)
        The actual values, in time order. A 2-D array holds multi-step
        targets laid out as ``sklstm.make_windows(..., horizon=horizon)``
        returns them with the default ``sequence_stride=1`` (row ``i`` holds
        the values at times ``i``, ..., ``i + horizon - 1``) and is read as
        the series ``y_true[:, 0]`` followed by ``y_true[-1, 1:]``. NaN leaves
        a gap: pad with NaN to show forecasts past the known values.

    y_pred : array-like of shape (n_times,) or (n_times - horizon + 1, horizon), \
            or dict of str to such arrays
        The forecasts: one, or several under their names. NaN leaves a gap,
        for instance over the training part. When y_true is a Series (or
        `index` is given), a Series forecast is placed by its labels, so the
        output of :func:`sklstm.forecasting.recursive_forecast` for the test
        part can be passed as it is.

    index : array-like of shape (n_times,), default=None
        Time of each step (integers, dates, periods). None uses the index of
        a Series y_true, otherwise the positions ``0, ..., n_times - 1``.

    train_end : index label or int, default=None
        Where the test part starts: a label of the index, or else a position.
        The time steps before it are shaded. None shades nothing.

    estimator_name : str, default=None
        Label of a forecast given as an array; None labels it "forecast".

    Attributes
    ----------
    ax_ : matplotlib Axes
        The axes of the plot.

    figure_ : matplotlib Figure
        The figure that holds the axes.

    lines_ : dict of str to matplotlib Line2D
        The lines, under their legend labels: ``"actual"``, then each
        forecast (``"<name> (h=<steps ahead>)"`` for a 2-D one).

    train_span_ : matplotlib Patch or None
        The shading of the training part, from the first time step to the
        first test one; None without `train_end`.

    See Also
    --------
    HistoryDisplay : Training curves of a Keras-backed estimator.
    sklstm.forecasting.recursive_forecast : Multi-step forecasts.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sklstm.plotting import ForecastDisplay
    >>> y_true = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    >>> y_pred = np.array([np.nan, np.nan, np.nan, 4.2, 4.8])
    >>> display = ForecastDisplay(y_true, y_pred, train_end=3).plot()
    >>> list(display.lines_)
    ['actual', 'forecast']
    >>> display.lines_["forecast"].get_ydata()[-2:]
    array([4.2, 4.8])
    """

    def __init__(
        self,
        y_true,
        y_pred,
        *,
        index=None,
        train_end=None,
        estimator_name: str | None = None,
    ):
        self.y_true = y_true
        self.y_pred = y_pred
        self.index = index
        self.train_end = train_end
        self.estimator_name = estimator_name

    def _lines(self, horizons):
        """The x values, the actual series, the forecasts and the train end."""
        actual, index = _as_series(self.y_true)
        n_times = len(actual)
        if self.index is not None:
            index = _check_index(self.index, n_times)
        if isinstance(self.y_pred, Mapping):
            named = list(self.y_pred.items())
            if not named:
                raise ValueError("y_pred is an empty dict: there is no forecast.")
        else:
            named = [(self.estimator_name or "forecast", self.y_pred)]
        forecasts = []
        for label, y_pred in named:
            forecasts += _forecast_lines(
                _align_forecast(y_pred, index), n_times, horizons, str(label)
            )
        labels = ["actual"] + [label for label, _ in forecasts]
        if len(set(labels)) != len(labels):
            raise ValueError(
                f"The lines need distinct labels; got {labels}. Rename the forecasts."
            )
        return index, actual, forecasts, _train_position(self.train_end, index, n_times)

    def plot(
        self,
        ax=None,
        *,
        horizons: Sequence[int] | None = None,
        actual_kwargs: dict | None = None,
        forecast_kwargs: dict | None = None,
        span_kwargs: dict | None = None,
    ) -> "ForecastDisplay":
        """Draw the actual values, the forecasts and the training span.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; None creates a figure.

        horizons : list of int, default=None
            Steps ahead to draw for a 2-D forecast, from 1 to its number of
            columns; None draws them all. Ignored for 1-D forecasts.

        actual_kwargs : dict, default=None
            Keyword arguments of ``Axes.plot`` for the actual values.

        forecast_kwargs : dict, default=None
            Keyword arguments of ``Axes.plot`` for every forecast line; the
            labels are the forecasts' names.

        span_kwargs : dict, default=None
            Keyword arguments of ``Axes.axvspan`` for the training span.

        Returns
        -------
        display : ForecastDisplay
            This display, with the attributes ``ax_``, ``figure_``,
            ``lines_`` and ``train_span_``.
        """
        _check_matplotlib(f"{type(self).__name__}.plot")
        import matplotlib.pyplot as plt

        index, actual, forecasts, train_pos = self._lines(horizons)
        if index is None:
            x = np.arange(len(actual))
        elif isinstance(index, pd.PeriodIndex):
            x = index.to_timestamp()
        else:
            x = np.asarray(index)
        if ax is None:
            _, ax = plt.subplots(figsize=(8, 3.6))

        self.train_span_ = None
        if train_pos is not None:
            self.train_span_ = ax.axvspan(
                x[0],
                x[train_pos],
                **_style(
                    {"color": "0.5", "alpha": 0.15, "label": "train"}, span_kwargs
                ),
            )
        lines = {}
        (lines["actual"],) = ax.plot(
            x,
            actual,
            **_style(
                {"color": "black", "linewidth": 1.5, "label": "actual"}, actual_kwargs
            ),
        )
        for label, values in forecasts:
            (lines[label],) = ax.plot(
                x, values, **{**_style({}, forecast_kwargs), "label": label}
            )
        xlabel = getattr(index, "name", None) or (
            "time step" if index is None else "time"
        )
        ylabel = getattr(self.y_true, "name", None)
        ax.set(xlabel=str(xlabel), ylabel="" if ylabel is None else str(ylabel))
        ax.legend()
        self.ax_ = ax
        self.figure_ = ax.figure
        self.lines_ = lines
        return self

    @classmethod
    def from_predictions(
        cls,
        y_true,
        y_pred,
        *,
        index=None,
        train_end=None,
        horizons: Sequence[int] | None = None,
        ax=None,
        estimator_name: str | None = None,
        actual_kwargs: dict | None = None,
        forecast_kwargs: dict | None = None,
        span_kwargs: dict | None = None,
    ) -> "ForecastDisplay":
        """Plot a series and forecasts of it.

        Parameters
        ----------
        y_true : array-like of shape (n_times,) or (n_windows, horizon)
            The actual values; see :class:`ForecastDisplay`.

        y_pred : array-like or dict of str to array-like
            The forecasts, 1-D or 2-D ``(n_windows, horizon)``, or several
            under their names; see :class:`ForecastDisplay`.

        index : array-like of shape (n_times,), default=None
            Time of each step; None uses the index of a Series y_true, or
            positions.

        train_end : index label or int, default=None
            Where the test part starts; the steps before it are shaded.

        horizons : list of int, default=None
            Steps ahead to draw for a 2-D forecast; None draws them all.

        ax : matplotlib Axes, default=None
            Where to draw; None creates a figure.

        estimator_name : str, default=None
            Label of a forecast given as an array; None labels it "forecast".

        actual_kwargs, forecast_kwargs, span_kwargs : dict, default=None
            Keyword arguments of ``Axes.plot`` for the actual values and the
            forecasts, and of ``Axes.axvspan`` for the training span.

        Returns
        -------
        display : ForecastDisplay
            The display, drawn.

        Examples
        --------
        A direct 2-step forecast of a line, row ``i`` forecasting times ``i``
        and ``i + 1``, with one line per horizon:

        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> from sklstm.plotting import ForecastDisplay
        >>> series = np.arange(6.0)
        >>> y_pred = np.column_stack([series[:-1] + 0.1, series[1:] + 0.2])
        >>> display = ForecastDisplay.from_predictions(series, y_pred, train_end=4)
        >>> list(display.lines_)
        ['actual', 'forecast (h=1)', 'forecast (h=2)']
        >>> display.lines_["forecast (h=2)"].get_ydata()
        array([nan, 1.2, 2.2, 3.2, 4.2, 5.2])
        """
        display = cls(
            y_true,
            y_pred,
            index=index,
            train_end=train_end,
            estimator_name=estimator_name,
        )
        return display.plot(
            ax=ax,
            horizons=horizons,
            actual_kwargs=actual_kwargs,
            forecast_kwargs=forecast_kwargs,
            span_kwargs=span_kwargs,
        )

    @classmethod
    def from_estimator(
        cls,
        estimator,
        X,
        y,
        *,
        index=None,
        train_end=None,
        horizons: Sequence[int] | None = None,
        ax=None,
        estimator_name: str | None = None,
        actual_kwargs: dict | None = None,
        forecast_kwargs: dict | None = None,
        span_kwargs: dict | None = None,
    ) -> "ForecastDisplay":
        """Plot the predictions of a fitted regressor over time.

        Parameters
        ----------
        estimator : fitted regressor
            A regressor whose ``predict`` takes the windows `X`, such as an
            sklstm ``LSTMRegressor`` or a :class:`~sklearn.pipeline.Pipeline`
            ending in one.

        X : array-like
            The windows, in time order, for instance all the windows of a
            series (training and test) to see the in-sample fit beside the
            forecasts.

        y : array-like of shape (n_windows,) or (n_windows, horizon)
            Their targets; 2-D for a direct multi-step regressor, whose
            predictions are then drawn one line per horizon.

        index : array-like, default=None
            Time of each step of the series the targets cover; None uses the
            index of a Series y, or positions.

        train_end : index label or int, default=None
            Where the test part starts; the steps before it are shaded.

        horizons : list of int, default=None
            Steps ahead to draw for a multi-step regressor; None draws them
            all.

        ax : matplotlib Axes, default=None
            Where to draw; None creates a figure.

        estimator_name : str, default=None
            Label of the forecast; None uses the class name of the (final)
            estimator.

        actual_kwargs, forecast_kwargs, span_kwargs : dict, default=None
            Keyword arguments of ``Axes.plot`` for the actual values and the
            forecasts, and of ``Axes.axvspan`` for the training span.

        Returns
        -------
        display : ForecastDisplay
            The display, drawn.

        Raises
        ------
        sklearn.exceptions.NotFittedError
            If the estimator is not fitted.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> from sklstm import LSTMRegressor, make_windows
        >>> from sklstm.plotting import ForecastDisplay
        >>> X, y = make_windows(np.sin(np.arange(30) / 3), sequence_length=4)
        >>> reg = LSTMRegressor(units=2, epochs=1, random_state=0).fit(X[:20], y[:20])
        >>> display = ForecastDisplay.from_estimator(reg, X, y, train_end=20)
        >>> list(display.lines_)
        ['actual', 'LSTMRegressor']
        """
        _check_matplotlib(f"{cls.__name__}.from_estimator")
        check_is_fitted(estimator)
        if estimator_name is None:
            estimator_name = type(_final_estimator(estimator)).__name__
        return cls.from_predictions(
            y,
            estimator.predict(X),
            index=index,
            train_end=train_end,
            horizons=horizons,
            ax=ax,
            estimator_name=estimator_name,
            actual_kwargs=actual_kwargs,
            forecast_kwargs=forecast_kwargs,
            span_kwargs=span_kwargs,
        )
