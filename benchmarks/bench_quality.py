"""Forecast and classification quality of sklstm against classic baselines.

Speed is measured elsewhere; this script asks whether the numbers are good.

**Forecasting.** Six public series with different characters (trend, season,
no season, cycles, a series with zeros), each split as in the classic Keras
airline tutorial: the first 67 % train, the rest test, and every test point
forecast one step ahead from its *true* history (no recursion). Methods:
naive (last value), seasonal naive (the value one season ``m`` earlier),
Holt-Winters and SARIMA (statsmodels; fitted on the train part, then run over
the test part with their fitted parameters fixed), a ridge autoregression on
sklstm's windows (the linear model sklstm's network starts from), the tutorial's
hand-written Keras LSTM (MinMaxScaler fitted on the train part, look-back 1,
LSTM(4) -> Dense(1), Adam, MSE, 100 epochs, batch size 1) and sklstm
pipelines built only from its public API (``sklstm_forecaster``, settings in
``SKLSTM_SETTINGS``). Each table gives RMSE and MASE (scaled by the in-sample
MAE of the seasonal-naive forecast on the train part; naive when ``m=1``);
the networks give the mean and the min-max spread over ``--seeds`` seeds.
A last line per series says whether sklstm's defaults beat seasonal naive,
the tutorial LSTM and Holt-Winters (MASE ratio < 1).

**Classification.** sklstm's generated alphabet set, tslearn's bundled UCR
``Trace`` and aeon's bundled ``ItalyPowerDemand`` (UCR) and ``BasicMotions``
(UEA, 6 channels), with the train/test split they ship. Methods: sklstm's
``LSTMClassifier`` (``SKLSTM_CLASSIFIER_SETTINGS``), a hand-written Keras
LSTM(32) -> Dense softmax (Adam, 50 epochs, batch 32), 1-NN Euclidean, and
aeon's ``RocketClassifier`` and ``FCNClassifier`` (fewer kernels and epochs
than their defaults, for time). The table gives test accuracy.

Nothing is downloaded: every data set ships inside an installed package
(``_quality_data.py``). The baselines need the ``quality`` extra::

    pip install -e ".[quality]"

    python benchmarks/bench_quality.py              # 3 seeds, full epochs
    python benchmarks/bench_quality.py --seeds 5
    python benchmarks/bench_quality.py --quick      # 1 seed, 1/5 of the epochs: ~3 min
    python benchmarks/bench_quality.py --part forecast --series airline,lynx
    python benchmarks/bench_quality.py --part forecast --series wineind  # extra
    python benchmarks/bench_quality.py --part classify --json quality.json
"""

import argparse
import contextlib
import io
import json
import logging
import statistics
import time
import warnings

import numpy as np
from _common import format_table, machine_line
from _quality_data import (
    CLASS_LOADERS,
    EXTRA_SERIES_LOADERS,
    SERIES_LOADERS,
    load_class_sets,
    load_series,
    sarima_label,
)

# ----------------------------------------------------------------------
# sklstm settings: one entry each, the parameters of each pipeline step
# ----------------------------------------------------------------------
# "transformer": SlidingWindowTransformer parameters (a "sequence_length"
# here overrides the window rule of window_length); "regressor":
# LSTMRegressor parameters (random_state is the seed of the run).
SKLSTM_SETTINGS = {
    "defaults": {"transformer": {}, "regressor": {}},
    # docs/user_guide/normalization.rst: for short series, an L2 penalty and
    # smaller batches (more updates per epoch).
    "best documented": {
        "transformer": {},
        "regressor": {"kernel_regularizer": 0.001, "batch_size": 16},
    },
}

# "classifier": LSTMClassifier parameters (random_state is the seed).
SKLSTM_CLASSIFIER_SETTINGS = {
    "defaults": {"classifier": {}},
    # docs/user_guide/normalization.rst: the convolutional branch (LSTM-FCN),
    # at the learning rate its authors trained it with.
    "best documented": {"classifier": {"conv_branch": True, "learning_rate": 0.001}},
}

TRAIN_FRACTION = 0.67
TUTORIAL_EPOCHS = 100
# Batches of one sample are the tutorial's; running 32 of them per compiled
# call changes the speed only, not a single weight update.
TUTORIAL_STEPS_PER_EXECUTION = 32
HAND_CLASSIFIER_EPOCHS = 50
ROCKET_KERNELS = 2000  # aeon's default: 10000
FCN_EPOCHS = 100  # aeon's default: 2000
QUICK_EPOCH_DIVISOR = 5  # --quick: every network trains a fifth of its epochs

# TensorFlow's Python logger warns of tf.function retracing: every fit here
# builds a new network on purpose.
logging.getLogger("tensorflow").setLevel(logging.ERROR)

NOTES = []  # remarks of the baselines on their fits, printed under the tables


def window_length(m):
    """Window length of the sklstm pipelines: two seasons, at least 12 steps."""
    return max(2 * m, 12)


def sklstm_forecaster(setting, m, seed):
    """The sklstm pipeline of ``SKLSTM_SETTINGS[setting]`` for season length m.

    Fit it on ``X`` = the series as a column and ``y`` = the next value: row
    ``t`` of ``X`` becomes the window of the last ``window_length(m)`` values
    ending at ``t``, and predicts the value at ``t + 1``.
    """
    from sklearn.pipeline import make_pipeline

    from sklstm import LSTMRegressor, SlidingWindowTransformer

    params = SKLSTM_SETTINGS[setting]
    transformer = {"sequence_length": window_length(m), **params["transformer"]}
    return make_pipeline(
        SlidingWindowTransformer(**transformer),
        LSTMRegressor(**{"random_state": seed, **params["regressor"]}),
    )


def sklstm_classifier(setting, seed, maxlen=None):
    """The sklstm pipeline of ``SKLSTM_CLASSIFIER_SETTINGS[setting]``.

    With ``maxlen``, the data are variable-length sequences, padded in front
    (with NaN, which sklstm masks) by a ``SequencePadder`` step.
    """
    from sklearn.pipeline import make_pipeline

    from sklstm import LSTMClassifier, SequencePadder

    params = SKLSTM_CLASSIFIER_SETTINGS[setting]["classifier"]
    steps = [SequencePadder(maxlen=maxlen)] if maxlen else []
    return make_pipeline(*steps, LSTMClassifier(**{"random_state": seed, **params}))


def _epochs(epochs, quick):
    return max(1, epochs // QUICK_EPOCH_DIVISOR) if quick else epochs


def _fewer_epochs(pipeline, quick):
    if quick:
        estimator = pipeline[-1]
        estimator.set_params(epochs=_epochs(estimator.epochs, True))
    return pipeline


@contextlib.contextmanager
def _quiet():
    """Silence library warnings and progress bars printed to stdout."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        yield


# ----------------------------------------------------------------------
# Forecasting methods: each returns the one-step forecasts of the test part
# ----------------------------------------------------------------------
def naive(values, n_train, lag=1):
    """The value ``lag`` steps earlier (lag=m: seasonal naive)."""
    return values[n_train - lag : len(values) - lag]


def holt_winters_spec(series):
    seasonal = None
    if series.m > 1:
        seasonal = "mul" if series.positive else "add"
    return {
        "trend": "add",
        "seasonal": seasonal,
        "seasonal_periods": series.m if seasonal else None,
    }


def holt_winters_label(series):
    spec = holt_winters_spec(series)
    if spec["seasonal"] is None:
        return "add. trend, no season"
    return f"add. trend, {spec['seasonal']}. season"


def holt_winters(series, n_train):
    """Fit on the train part; rerun over the whole series with those parameters.

    The second model starts from the fitted initial states and keeps every
    fitted smoothing parameter (``optimized=False``), so its one-step fitted
    values over the test part are the forecasts of the train-part model
    updated with each true value in turn.
    """
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    spec = holt_winters_spec(series)
    train = ExponentialSmoothing(series.values[:n_train], **spec).fit()
    params = train.params
    initial = {
        "initial_level": params["initial_level"],
        "initial_trend": params["initial_trend"],
    }
    fixed = {
        "smoothing_level": params["smoothing_level"],
        "smoothing_trend": params["smoothing_trend"],
    }
    if spec["seasonal"]:
        initial["initial_seasonal"] = params["initial_seasons"]
        fixed["smoothing_seasonal"] = params["smoothing_seasonal"]
    full = ExponentialSmoothing(
        series.values, **spec, initialization_method="known", **initial
    ).fit(**fixed, optimized=False)
    fitted = np.asarray(full.fittedvalues)
    if not np.allclose(fitted[:n_train], np.asarray(train.fittedvalues)):
        raise RuntimeError("Holt-Winters rerun does not reproduce the train fit")
    return fitted[n_train:]


def sarima(series, n_train):
    """Fit on the train part; ``append`` the test part with the fitted params."""
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    spec = series.sarima
    z = np.log(series.values) if spec["log"] else series.values
    result = SARIMAX(
        z[:n_train],
        order=spec["order"],
        seasonal_order=spec["seasonal_order"],
        trend=spec["trend"],
    ).fit(disp=False)
    if not result.mle_retvals.get("converged", True):
        NOTES.append(
            f"{series.name}: the SARIMA likelihood optimizer did not report "
            "convergence (parameters at or near a bound); its fit is used as is"
        )
    full = result.append(z[n_train:], refit=False)
    pred = np.asarray(full.predict(start=n_train, end=len(z) - 1))
    return np.exp(pred) if spec["log"] else pred


def ridge_autoregression(series, n_train):
    """Ridge regression of the next value on the window, relative to its level,
    and on the level.

    The window of sklstm's pipelines (``window_length``) and its level
    removed as ``window_normalization="auto"`` removes it (log-ratios for a
    positive series, differences otherwise), the level (its log for a
    positive series) as one more input, each input and the target
    standardised on the train part, the penalty chosen by generalised
    cross-validation: the linear model that sklstm's network starts from,
    before its recurrent layers train.
    """
    from sklearn.linear_model import RidgeCV

    values = series.values.astype(float)
    to, back = (np.log, np.exp) if series.positive else (np.asarray, np.asarray)
    length = window_length(series.m)
    windows = np.lib.stride_tricks.sliding_window_view(values[:-1], length)
    level = to(windows[:, -1:])
    X, y = to(windows) - level, to(values[length:]) - level[:, 0]
    X = np.hstack([X, level])  # the level too, as the network's level term
    train = np.arange(length, len(values)) < n_train
    mean, std = X[train].mean(axis=0), X[train].std(axis=0) + 1e-7
    y_mean, y_std = y[train].mean(), y[train].std()
    ridge = RidgeCV(alphas=np.logspace(-5, 1, 25) * train.sum())
    ridge.fit((X[train] - mean) / std, (y[train] - y_mean) / y_std)
    pred = y_mean + y_std * ridge.predict((X - mean) / std)
    return back(level[:, 0] + pred)[~train]


def tutorial_lstm(series, n_train, seed, epochs):
    """The classic Keras airline tutorial's network, look-back 1."""
    import keras
    from sklearn.preprocessing import MinMaxScaler

    values = series.values.reshape(-1, 1)
    scaler = MinMaxScaler().fit(values[:n_train])
    scaled = scaler.transform(values).astype("float32")
    X, y = scaled[:-1].reshape(-1, 1, 1), scaled[1:, 0]  # X[t] -> value t + 1
    k = n_train - 1  # windows whose target lies in the train part
    keras.backend.clear_session()
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [keras.Input((1, 1)), keras.layers.LSTM(4), keras.layers.Dense(1)]
    )
    model.compile(
        loss="mse",
        optimizer="adam",
        steps_per_execution=TUTORIAL_STEPS_PER_EXECUTION,
    )
    model.fit(X[:k], y[:k], epochs=epochs, batch_size=1, verbose=0)
    pred = model.predict(X[k:], verbose=0)
    return scaler.inverse_transform(pred).ravel()


def sklstm_forecast(series, n_train, seed, setting, quick):
    """Windows over the whole series; split by the index of their target."""
    pipeline = _fewer_epochs(sklstm_forecaster(setting, series.m, seed), quick)
    X, y = series.values[:-1].reshape(-1, 1), series.values[1:]
    k = n_train - 1
    pipeline.fit(X[:k], y[:k])
    # predict on every row, so that the windows of the test targets hold
    # their true history, the end of the train part included
    return np.asarray(pipeline.predict(X)).ravel()[k:]


def rmse(actual, pred):
    return float(np.sqrt(np.mean((actual - pred) ** 2)))


def mase_scale(values, n_train, m):
    """In-sample MAE of the m-seasonal naive forecast on the train part."""
    train = values[:n_train]
    return float(np.mean(np.abs(train[m:] - train[:-m])))


def forecast_methods(quick):
    """Method name -> (function(series, n_train, seed), uses the seed)."""
    tutorial_epochs = _epochs(TUTORIAL_EPOCHS, quick)
    methods = {
        "naive": (lambda s, n, seed: naive(s.values, n), False),
        "seasonal naive": (lambda s, n, seed: naive(s.values, n, s.m), False),
        "Holt-Winters": (lambda s, n, seed: holt_winters(s, n), False),
        "SARIMA": (lambda s, n, seed: sarima(s, n), False),
        "ridge AR": (lambda s, n, seed: ridge_autoregression(s, n), False),
        "tutorial LSTM": (
            lambda s, n, seed: tutorial_lstm(s, n, seed, tutorial_epochs),
            True,
        ),
    }
    for setting in SKLSTM_SETTINGS:
        methods[f"sklstm {setting}"] = (
            lambda s, n, seed, setting=setting: sklstm_forecast(
                s, n, seed, setting, quick
            ),
            True,
        )
    return methods


def run_forecasts(args):
    seeds = range(args.seeds)
    results = {}
    for series in load_series(args.series):
        values = series.values
        n_train = int(round(TRAIN_FRACTION * len(values)))
        actual = values[n_train:]
        scale = mase_scale(values, n_train, series.m)
        entry = {
            "freq": series.freq,
            "source": series.source,
            "character": series.character,
            "n": len(values),
            "n_train": n_train,
            "m": series.m,
            "positive": series.positive,
            "holt_winters": holt_winters_label(series),
            "sarima": sarima_label(series.sarima),
            "window": window_length(series.m),
            "methods": {},
            "errors": {},
        }
        for name, (func, seeded) in forecast_methods(args.quick).items():
            runs = []
            for seed in seeds if seeded else (0,):
                start = time.perf_counter()
                try:
                    with _quiet():
                        pred = func(series, n_train, seed)
                except Exception as exc:  # report, do not hide, a failing method
                    entry["errors"][name] = f"{type(exc).__name__}: {exc}"[:300]
                    break
                seconds = time.perf_counter() - start
                runs.append(
                    {
                        "seed": seed,
                        "rmse": rmse(actual, pred),
                        "mase": float(np.mean(np.abs(actual - pred)) / scale),
                        "seconds": seconds,
                    }
                )
            if runs:
                entry["methods"][name] = runs
        results[series.name] = entry
        print(f"  {series.name}: done", flush=True)
    return results


# ----------------------------------------------------------------------
# Classification methods: each returns the test accuracy
# ----------------------------------------------------------------------
def sklstm_classify(data, seed, setting, quick):
    X_train, X_test = data.sklstm_data()
    pipeline = _fewer_epochs(sklstm_classifier(setting, seed, data.maxlen), quick)
    pipeline.fit(X_train, data.y_train)
    return float(np.mean(pipeline.predict(X_test) == data.y_test))


def hand_keras_classify(data, seed, epochs):
    import keras
    from sklearn.preprocessing import LabelEncoder

    encoder = LabelEncoder().fit(data.y_train)
    keras.backend.clear_session()
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input(data.X_train.shape[1:]),
            keras.layers.LSTM(32),
            keras.layers.Dense(len(encoder.classes_), activation="softmax"),
        ]
    )
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    y = encoder.transform(data.y_train)
    model.fit(data.X_train, y, epochs=epochs, batch_size=32, verbose=0)
    pred = encoder.inverse_transform(model.predict(data.X_test, verbose=0).argmax(1))
    return float(np.mean(pred == data.y_test))


def one_nn(data):
    from sklearn.neighbors import KNeighborsClassifier

    knn = KNeighborsClassifier(1).fit(
        data.X_train.reshape(len(data.X_train), -1), data.y_train
    )
    pred = knn.predict(data.X_test.reshape(len(data.X_test), -1))
    return float(np.mean(pred == data.y_test))


def aeon_classify(data, estimator):
    # aeon takes (n_samples, n_channels, n_timesteps)
    estimator.fit(data.X_train.transpose(0, 2, 1), data.y_train)
    pred = estimator.predict(data.X_test.transpose(0, 2, 1))
    return float(np.mean(np.asarray(pred) == data.y_test))


def rocket(data, seed):
    from aeon.classification.convolution_based import RocketClassifier

    return aeon_classify(
        data, RocketClassifier(n_kernels=ROCKET_KERNELS, random_state=seed)
    )


def fcn(data, seed, epochs):
    from aeon.classification.deep_learning import FCNClassifier

    return aeon_classify(
        data, FCNClassifier(n_epochs=epochs, random_state=seed, verbose=False)
    )


def classification_methods(quick):
    """Method name -> (function(data, seed), uses the seeds)."""
    hand_epochs = _epochs(HAND_CLASSIFIER_EPOCHS, quick)
    fcn_epochs = _epochs(FCN_EPOCHS, quick)
    methods = {
        "1-NN Euclid": (lambda d, seed: one_nn(d), False),
        "Rocket": (lambda d, seed: rocket(d, seed), False),
        "FCN": (lambda d, seed: fcn(d, seed, fcn_epochs), False),
        "hand Keras LSTM": (
            lambda d, seed: hand_keras_classify(d, seed, hand_epochs),
            True,
        ),
    }
    for setting in SKLSTM_CLASSIFIER_SETTINGS:
        methods[f"sklstm {setting}"] = (
            lambda d, seed, setting=setting: sklstm_classify(d, seed, setting, quick),
            True,
        )
    return methods


def run_classification(args):
    results = {}
    for data in load_class_sets(args.class_sets):
        entry = {
            "source": data.source,
            "n_train": len(data.X_train),
            "n_test": len(data.X_test),
            "steps": data.X_train.shape[1],
            "channels": data.X_train.shape[2],
            "classes": len(np.unique(data.y_train)),
            "methods": {},
            "errors": {},
        }
        for name, (func, seeded) in classification_methods(args.quick).items():
            runs = []
            for seed in range(args.seeds) if seeded else (0,):
                start = time.perf_counter()
                try:
                    with _quiet():
                        accuracy = func(data, seed)
                except Exception as exc:  # report, do not hide, a failing method
                    entry["errors"][name] = f"{type(exc).__name__}: {exc}"[:300]
                    break
                runs.append(
                    {
                        "seed": seed,
                        "accuracy": accuracy,
                        "seconds": time.perf_counter() - start,
                    }
                )
            if runs:
                entry["methods"][name] = runs
        results[data.name] = entry
        print(f"  {data.name}: done", flush=True)
    return results


# ----------------------------------------------------------------------
# Tables
# ----------------------------------------------------------------------
def _values(runs, key):
    return [run[key] for run in runs]


def _cell(runs, key, digits=3):
    """Mean, and for several seeds the min-max spread."""
    if not runs:
        return "-"
    values = _values(runs, key)
    cell = f"{statistics.mean(values):.{digits}f}"
    if len(values) > 1:
        cell += f" ({min(values):.{digits}f}-{max(values):.{digits}f})"
    return cell


def _mean_cell(runs, key, digits=2):
    return f"{statistics.mean(_values(runs, key)):.{digits}f}" if runs else "-"


def _seconds(runs):
    return f"{statistics.mean(_values(runs, 'seconds')):.1f}" if runs else "-"


def _errors(results):
    return [
        f"{name}: {method} failed: {message}"
        for name, entry in results.items()
        for method, message in entry["errors"].items()
    ]


def forecast_tables(results, args):
    n_seeds = args.seeds
    rows = [
        [
            name,
            e["source"],
            e["freq"],
            e["character"],
            e["n"],
            f"{e['n_train']}/{e['n'] - e['n_train']}",
            e["m"],
            "yes" if e["positive"] else "no",
            e["holt_winters"],
            e["sarima"],
            e["window"],
        ]
        for name, e in results.items()
    ]
    out = [
        format_table(
            [
                "series",
                "source",
                "freq",
                "character",
                "n",
                "train/test",
                "m",
                "positive",
                "Holt-Winters",
                "SARIMA",
                "sklstm window",
            ],
            rows,
            title="Forecast series (train: first 67 %; test: one-step-ahead "
            "forecasts from the true history; m: season length, 1 = none; "
            "sklstm window: max(2 m, 12) steps)",
        )
    ]
    tutorial = _epochs(TUTORIAL_EPOCHS, args.quick)
    for name, e in results.items():
        rows = [
            [
                method,
                _cell(runs, "rmse"),
                _cell(runs, "mase"),
                len(runs),
                _seconds(runs),
            ]
            for method, runs in e["methods"].items()
        ]
        out.append(
            format_table(
                ["method", "RMSE", "MASE", "seeds", "fit+predict s"],
                rows,
                title=f"{name}: one-step-ahead forecasts of the last "
                f"{e['n'] - e['n_train']} points (networks: mean (min-max) over "
                f"{n_seeds} seed(s); MASE < 1: better than the in-sample "
                f"{'seasonal ' if e['m'] > 1 else ''}naive forecast of the train "
                "part)",
            )
        )
    methods = list(next(iter(results.values()))["methods"]) if results else []
    out.append(
        format_table(
            ["series", *methods],
            [
                [
                    name,
                    *(
                        _mean_cell(e["methods"].get(method, []), "mase")
                        for method in methods
                    ),
                ]
                for name, e in results.items()
            ],
            title="MASE by series (networks: mean over seeds; lower is better)",
        )
    )
    notes = [
        f"tutorial LSTM: {tutorial} epochs, batch size 1, "
        f"steps_per_execution={TUTORIAL_STEPS_PER_EXECUTION} (the updates of "
        "the tutorial, fewer compiled calls); MinMaxScaler fitted on the "
        "train part; every test point predicted (the tutorial drops the first)",
        "sklstm settings: "
        + "; ".join(f"{k}: {v}" for k, v in SKLSTM_SETTINGS.items())
        + (
            f" (--quick: every network trains 1/{QUICK_EPOCH_DIVISOR} of its epochs)"
            if args.quick
            else ""
        ),
        "SARIMA: fitted on the train part, then append(test, refit=False); "
        "forecasts of log models are exp(forecast of the log), no bias "
        "correction",
        "ridge AR: ridge regression (penalty by GCV) of the next value on "
        "sklstm's window less its last value (log-ratios for positive series) "
        "and on that last value (log): the linear model sklstm's network "
        "starts from",
    ]
    verdicts = [
        "Does sklstm defaults beat ... ? (MASE ratio sklstm / other, mean over "
        "seeds; < 1: sklstm better; in brackets: seeds where it is better)",
        *(_verdict(name, e) for name, e in results.items()),
    ]
    out.append("\n".join(notes + NOTES + ["", *verdicts] + _errors(results)))
    return "\n\n".join(out)


def _verdict(name, entry):
    methods = entry["methods"]
    ours = methods.get("sklstm defaults")
    if not ours:
        return f"{name}: sklstm defaults did not run"
    parts = []
    for other in ("seasonal naive", "tutorial LSTM", "Holt-Winters"):
        runs = methods.get(other)
        if not runs:
            parts.append(f"{other}: -")
            continue
        ratio = statistics.mean(_values(ours, "mase")) / statistics.mean(
            _values(runs, "mase")
        )
        theirs = _values(runs, "mase")
        wins = sum(
            run["mase"] < theirs[i if len(theirs) > 1 else 0]
            for i, run in enumerate(ours)
        )
        verdict = "yes" if ratio < 1 else "no"
        parts.append(f"{other} {ratio:.2f} {verdict} ({wins}/{len(ours)})")
    return f"{name}: " + ", ".join(parts)


def classification_tables(results, args):
    rows = [
        [
            name,
            e["source"],
            f"{e['n_train']}/{e['n_test']}",
            e["steps"],
            e["channels"],
            e["classes"],
        ]
        for name, e in results.items()
    ]
    out = [
        format_table(
            ["set", "source", "train/test", "steps", "channels", "classes"],
            rows,
            title="Classification sets (split as shipped; alphabet: two draws "
            "of the generator, its 115 distinct runs recur in both)",
        )
    ]
    methods = list(next(iter(results.values()))["methods"]) if results else []
    out.append(
        format_table(
            ["set", *methods],
            [
                [name, *(_cell(e["methods"].get(m, []), "accuracy") for m in methods)]
                for name, e in results.items()
            ],
            title=f"Test accuracy (LSTMs: mean (min-max) over {args.seeds} "
            "seed(s); 1-NN, Rocket, FCN: one run, seed 0)",
        )
    )
    out.append(
        format_table(
            ["set", *methods],
            [
                [name, *(_seconds(e["methods"].get(m, [])) for m in methods)]
                for name, e in results.items()
            ],
            title="Seconds per fit and predict (LSTMs: mean over seeds)",
        )
    )
    hand = _epochs(HAND_CLASSIFIER_EPOCHS, args.quick)
    notes = [
        f"hand Keras LSTM: LSTM(32) -> Dense softmax, Adam, {hand} epochs, "
        "batch 32, data as shipped; Rocket: "
        f"n_kernels={ROCKET_KERNELS} (default 10000); FCN: "
        f"{_epochs(FCN_EPOCHS, args.quick)} epochs (default 2000), for time",
        *(
            [
                "alphabet: sklstm pads with NaN (masked) through SequencePadder; "
                "the other methods get letter positions / 25 padded in front with -1"
            ]
            if "alphabet" in results
            else []
        ),
        "sklstm settings: "
        + "; ".join(f"{k}: {v}" for k, v in SKLSTM_CLASSIFIER_SETTINGS.items()),
        *_errors(results),
    ]
    out.append("\n".join(notes))
    return "\n\n".join(out)


def extra_versions():
    from importlib import metadata

    found = []
    for dist in ("statsmodels", "pmdarima", "tslearn", "aeon", "numba"):
        try:
            found.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            found.append(f"{dist} missing")
    return "baselines: " + ", ".join(found)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=None, help="default 3")
    parser.add_argument("--quick", action="store_true", help="1 seed, fewer epochs")
    parser.add_argument(
        "--part", choices=("all", "forecast", "classify"), default="all"
    )
    parser.add_argument(
        "--series",
        default=",".join(SERIES_LOADERS),
        help="comma-separated subset of "
        + ", ".join(SERIES_LOADERS)
        + "; or of the series outside the default table: "
        + ", ".join(EXTRA_SERIES_LOADERS),
    )
    parser.add_argument(
        "--sets",
        dest="class_sets",
        default=",".join(CLASS_LOADERS),
        help="comma-separated subset of " + ", ".join(CLASS_LOADERS),
    )
    parser.add_argument("--json", help="also write the raw figures to this file")
    args = parser.parse_args(argv)
    if args.seeds is None:
        args.seeds = 1 if args.quick else 3
    args.series = [s for s in args.series.split(",") if s]
    args.class_sets = [s for s in args.class_sets.split(",") if s]
    return args


def main(argv=None):
    args = parse_args(argv)
    print(machine_line())
    print(extra_versions())
    raw = {}
    start = time.perf_counter()
    if args.part in ("all", "forecast"):
        print("\nforecasting ...", flush=True)
        raw["forecast"] = run_forecasts(args)
        print()
        print(forecast_tables(raw["forecast"], args))
    if args.part in ("all", "classify"):
        print("\nclassification ...", flush=True)
        raw["classify"] = run_classification(args)
        print()
        print(classification_tables(raw["classify"], args))
    print(f"\ntotal: {time.perf_counter() - start:.0f} s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(raw, f, indent=1)
    return raw


if __name__ == "__main__":
    main()
