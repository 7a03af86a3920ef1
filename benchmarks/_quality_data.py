"""Data of ``bench_quality.py``: series and labelled sets that packages ship.

Nothing here downloads: every loader reads a file inside an installed wheel
(sklstm, statsmodels, pmdarima, tslearn, aeon). Loaders that would fetch
from the network (pmdarima's ``load_gasoline``, tslearn's
``UCR_UEA_datasets``) are not used.
"""

from dataclasses import dataclass, field

import numpy as np


# ----------------------------------------------------------------------
# Forecasting: univariate series
# ----------------------------------------------------------------------
@dataclass(frozen=True)
class Series:
    """One univariate series, its season length and its SARIMA model.

    ``m`` is the season length of the seasonal-naive baseline, of the MASE
    scale and of Holt-Winters and SARIMA (1: no season). ``sarima`` holds the
    SARIMAX ``order``, ``seasonal_order`` and ``trend``, and ``log`` (fit on
    the log of the series, forecasts exponentiated back).
    """

    name: str
    source: str
    freq: str
    m: int
    character: str
    sarima: dict
    values: np.ndarray = field(repr=False)

    @property
    def positive(self):
        return bool(np.all(self.values > 0))


def airline_model(m):
    """The airline model (0,1,1)(0,1,1)_m on the log: positive seasonal series."""
    return {
        "order": (0, 1, 1),
        "seasonal_order": (0, 1, 1, m),
        "trend": None,
        "log": True,
    }


def arima(order, trend, log):
    return {"order": order, "seasonal_order": (0, 0, 0, 0), "trend": trend, "log": log}


def sarima_label(spec):
    p, d, q = spec["order"]
    label = f"({p},{d},{q})"
    if spec["seasonal_order"][3] > 1:
        P, D, Q, m = spec["seasonal_order"]
        label += f"({P},{D},{Q})_{m}"
    if spec["trend"]:
        label += " +" + {"c": "const", "t": "drift"}[spec["trend"]]
    return label + (" log" if spec["log"] else "")


def _airline():
    from sklstm.datasets import load_airline

    return Series(
        "airline",
        "sklstm load_airline",
        "monthly",
        12,
        "trend, multiplicative season",
        airline_model(12),
        load_airline(as_frame=False).target.astype(float),
    )


def _elnino():
    import statsmodels.api as sm

    table = sm.datasets.elnino.load_pandas().data.drop(columns="YEAR")
    return Series(
        "elnino",
        "statsmodels elnino (sea temp.)",
        "monthly",
        12,
        "season, no trend",
        airline_model(12),
        table.to_numpy(dtype=float).ravel(),  # one row per year, Jan..Dec
    )


def _woolyrnq():
    import pmdarima as pm

    return Series(
        "woolyrnq",
        "pmdarima load_woolyrnq (wool)",
        "quarterly",
        4,
        "season, level shifts",
        airline_model(4),
        np.asarray(pm.datasets.load_woolyrnq(), dtype=float),
    )


def _realgdp():
    import statsmodels.api as sm

    return Series(
        "realgdp",
        "statsmodels macrodata realgdp",
        "quarterly",
        1,  # seasonally adjusted
        "trend, no season",
        arima((1, 1, 1), "t", True),
        sm.datasets.macrodata.load_pandas().data["realgdp"].to_numpy(dtype=float),
    )


def _sunspots():
    import statsmodels.api as sm

    return Series(
        "sunspots",
        "statsmodels sunspots (yearly)",
        "yearly",
        1,  # the ~11-year cycle varies in length: no fixed season
        "cycle, zeros (not positive)",
        arima((2, 0, 1), "c", False),  # a cycle needs AR order 2
        sm.datasets.sunspots.load_pandas().data["SUNACTIVITY"].to_numpy(dtype=float),
    )


def _lynx():
    import pmdarima as pm

    return Series(
        "lynx",
        "pmdarima load_lynx",
        "yearly",
        1,  # the ~10-year cycle varies in length: no fixed season
        "cycle, spikes, no trend",
        arima((2, 0, 1), "c", True),
        np.asarray(pm.datasets.load_lynx(), dtype=float),
    )


def _wineind():
    import pmdarima as pm

    return Series(
        "wineind",
        "pmdarima load_wineind (wine)",
        "monthly",
        12,
        "season larger than its spread",
        airline_model(12),
        np.asarray(pm.datasets.load_wineind(), dtype=float),
    )


SERIES_LOADERS = {
    "airline": _airline,
    "elnino": _elnino,
    "woolyrnq": _woolyrnq,
    "realgdp": _realgdp,
    "sunspots": _sunspots,
    "lynx": _lynx,
}


# Series outside the default table (``--series wineind``): data the defaults
# were checked on after they were chosen (docs/user_guide/normalization.rst).
EXTRA_SERIES_LOADERS = {"wineind": _wineind}


def load_series(names):
    loaders = {**SERIES_LOADERS, **EXTRA_SERIES_LOADERS}
    return [loaders[name]() for name in names]


# ----------------------------------------------------------------------
# Classification: labelled sequences with a train/test split
# ----------------------------------------------------------------------
@dataclass(frozen=True)
class ClassSet:
    """A classification set as it ships: train and test parts.

    ``X_train``/``X_test`` are equal-length float arrays of shape
    ``(n_samples, n_timesteps, n_channels)`` for every method; sklstm gets
    ``sk_train``/``sk_test``, the same arrays, or for variable-length data the
    raw sequences (its pipeline pads them itself, with ``maxlen``).
    """

    name: str
    source: str
    X_train: np.ndarray = field(repr=False)
    y_train: np.ndarray = field(repr=False)
    X_test: np.ndarray = field(repr=False)
    y_test: np.ndarray = field(repr=False)
    sk_train: object = field(default=None, repr=False)
    sk_test: object = field(default=None, repr=False)
    maxlen: int | None = None

    def sklstm_data(self):
        if self.sk_train is None:
            return self.X_train, self.X_test
        return self.sk_train, self.sk_test


def _alphabet():
    from sklstm import SequencePadder
    from sklstm.datasets import make_alphabet_sequences

    X_train, y_train = make_alphabet_sequences(1000, random_state=0)
    X_test, y_test = make_alphabet_sequences(500, random_state=1)
    # For the methods that need equal lengths: letter positions / 25, padded
    # in front with -1 (not a letter) to 5 steps.
    padder = SequencePadder(maxlen=5, value=-25.0)

    def pad(X):
        return padder.fit_transform(X).astype(float) / 25.0

    return ClassSet(
        "alphabet",
        "sklstm make_alphabet_sequences (1000 seed 0 / 500 seed 1)",
        pad(X_train),
        y_train,
        pad(X_test),
        y_test,
        X_train,
        X_test,
        maxlen=5,
    )


def _tslearn_trace():
    from tslearn.datasets import CachedDatasets

    # CachedDatasets reads tslearn/.cached_datasets/Trace.npz from the wheel.
    X_train, y_train, X_test, y_test = CachedDatasets().load_dataset("Trace")
    return ClassSet(
        "Trace",
        "tslearn CachedDatasets (UCR)",
        X_train.astype(float),
        y_train,
        X_test.astype(float),
        y_test,
    )


def _aeon(name):
    def load():
        from aeon.datasets import load_classification

        # A name bundled in aeon/datasets/data/ is read from there, no network.
        X_train, y_train = load_classification(name, split="train")
        X_test, y_test = load_classification(name, split="test")
        return ClassSet(
            name,
            "aeon bundled (UCR/UEA)",
            X_train.transpose(0, 2, 1).astype(float),  # (n, channels, steps) ->
            y_train,
            X_test.transpose(0, 2, 1).astype(float),  # (n, steps, channels)
            y_test,
        )

    return load


CLASS_LOADERS = {
    "alphabet": _alphabet,
    "Trace": _tslearn_trace,
    "ItalyPowerDemand": _aeon("ItalyPowerDemand"),
    "BasicMotions": _aeon("BasicMotions"),
}


def load_class_sets(names):
    return [CLASS_LOADERS[name]() for name in names]
