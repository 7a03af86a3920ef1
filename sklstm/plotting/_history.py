"""The training and validation curves of a Keras-backed estimator.

:class:`HistoryDisplay` and the helpers that check the per-epoch history it
draws, choose the metrics and lay out one axes per metric.
"""

from collections.abc import Mapping, Sequence

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ..forecasting import _final_estimator
from ._base import _check_matplotlib, _style

_VAL = "val_"


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
        history: str = "fit",
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

        history : {"fit", "validation"}, default="fit"
            "fit" draws ``history_``, the epochs of the fitted network;
            "validation" draws ``validation_history_``: after a ``refit``,
            the fit on the other rows that chose the number of epochs, with
            its ``val_loss``.

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
        if history not in ("fit", "validation"):
            raise ValueError(
                f'`history` must be "fit" or "validation"; got {history!r}.'
            )
        if history == "validation":
            history = getattr(final, "validation_history_", None)
            if history is None:
                raise ValueError(
                    f"{type(final).__name__} has no `validation_history_`: "
                    'history="validation" draws the fit that chose the epochs '
                    "of a `refit`, and this fit made none. Draw its `history_` "
                    '(history="fit").'
                )
        else:
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
