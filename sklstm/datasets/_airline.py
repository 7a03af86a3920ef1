"""The monthly airline passengers series (Box & Jenkins, Series G)."""

from importlib import resources

import numpy as np
import pandas as pd
from sklearn.utils import Bunch

__all__ = ["load_airline"]

_DESCR = """\
.. _airline_dataset:

Airline passengers dataset
--------------------------

Monthly totals of international airline passengers, in thousands, from
January 1949 to December 1960: 144 observations, no missing values. This is
Series G of Box and Jenkins (1976), also shipped with R as ``AirPassengers``.

**Data Set Characteristics:**

:Number of Instances: 144 (one per month, 1949-01 to 1960-12)
:Number of Attributes: 2 calendar features (``year``, ``month_of_year``)
    and the target
:Target: ``passengers``, thousands of passengers in the month (104 to 622)
:Index: ``pandas.PeriodIndex`` named ``month``, frequency ``"M"``
:Missing Attribute Values: None

The series has an upward trend and a yearly seasonality whose amplitude grows
with the level of the series (multiplicative seasonality), which is why it is
often log-transformed before a linear model is fitted. It is the series used
by the classic "LSTM with a look-back window" forecasting tutorial.

The calendar features are known in advance, so they can serve as future
covariates in :func:`sklstm.forecasting.recursive_forecast`.

.. rubric:: References

- Box, G. E. P. and Jenkins, G. M. (1976). *Time Series Analysis:
  Forecasting and Control*, revised edition. Holden-Day. Series G.
"""


def load_airline(*, return_X_y: bool = False, as_frame: bool = True) -> Bunch | tuple:
    """Load the monthly airline passengers series (Box & Jenkins, 1976).

    The series is the ``target``: 144 monthly totals of international airline
    passengers, in thousands, from January 1949 to December 1960. The
    ``data`` holds two calendar features of each month, ``year`` and
    ``month_of_year``, which are known in advance and can be used as
    covariates. For univariate forecasting only the target is needed::

        y = load_airline().target

    Read more in the dataset description, ``load_airline().DESCR``.

    Parameters
    ----------
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    as_frame : bool, default=True
        If True, ``data`` is a :class:`pandas.DataFrame`, ``target`` a
        :class:`pandas.Series` named ``"passengers"`` and ``frame`` a DataFrame
        with both, all indexed by a monthly :class:`pandas.PeriodIndex`
        (frequency ``"M"``, named ``"month"``; use ``.to_timestamp()`` for a
        :class:`pandas.DatetimeIndex` of month starts). If False, ``data`` and
        ``target`` are numpy arrays in time order and ``frame`` is None.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        data : {ndarray, DataFrame} of shape (144, 2)
            The calendar features ``year`` and ``month_of_year`` (1 to 12),
            as integers.
        target : {ndarray, Series} of shape (144,)
            The passengers series, in thousands, as float64.
        frame : DataFrame of shape (144, 3) or None
            ``data`` and ``target`` side by side (target last); None when
            ``as_frame=False``.
        feature_names : list of str
            ``["year", "month_of_year"]``.
        target_names : list of str
            ``["passengers"]``.
        DESCR : str
            Description of the dataset.

    (data, target) : tuple if ``return_X_y`` is True
        The ``data`` and ``target`` described above.

    See Also
    --------
    sklstm.forecasting.recursive_forecast : Forecast a series step by step.
    sklstm.make_windows : Cut a series into look-back windows.

    Examples
    --------
    >>> from sklstm.datasets import load_airline
    >>> y = load_airline().target
    >>> y.shape
    (144,)
    >>> y.head(3)
    month
    1949-01    112.0
    1949-02    118.0
    1949-03    132.0
    Freq: M, Name: passengers, dtype: float64
    >>> X, y = load_airline(return_X_y=True, as_frame=False)
    >>> X[:2]
    array([[1949,    1],
           [1949,    2]])
    >>> float(y.sum())
    40363.0
    """
    path = resources.files(__package__).joinpath("data", "airline.csv")
    with path.open("r", encoding="utf-8") as f:
        raw = pd.read_csv(f, dtype={"month": str, "passengers": np.float64})

    index = pd.PeriodIndex(raw["month"], freq="M", name="month")
    feature_names = ["year", "month_of_year"]
    target_names = ["passengers"]
    data = pd.DataFrame(
        {"year": index.year.astype(np.int64), "month_of_year": index.month},
        index=index,
    ).astype(np.int64)
    target = pd.Series(raw["passengers"].to_numpy(), index=index, name=target_names[0])
    frame = pd.concat([data, target], axis=1)

    if not as_frame:
        data, target, frame = data.to_numpy(), target.to_numpy(), None

    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        target=target,
        frame=frame,
        feature_names=feature_names,
        target_names=target_names,
        DESCR=_DESCR,
    )
