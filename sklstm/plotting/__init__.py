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

from ._forecast import ForecastDisplay
from ._history import HistoryDisplay

__all__ = ["ForecastDisplay", "HistoryDisplay"]
