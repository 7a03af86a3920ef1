"""A series and its forecasts over time, as a scikit-learn Display.

:class:`ForecastDisplay` draws the actual values, each forecast and the
shaded training part; the input checks it relies on are in ``_series``.
"""

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from ..forecasting import _final_estimator
from ._base import _check_matplotlib, _style
from ._series import (
    _align_forecast,
    _as_series,
    _check_index,
    _forecast_lines,
    _train_position,
)


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
