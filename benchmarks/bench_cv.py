"""Cross-validation and grid search: sklstm against the same fits in Keras.

Searches fit one architecture again and again. sklstm keeps each network it
built, compiled, for the next fit of the same architecture (``sklstm._reuse``)
and on JAX keeps compiled steps on disk for other processes
(``SKLSTM_JAX_CACHE``). This script measures what that buys, on TensorFlow and
JAX, every configuration in a fresh Python process with the backend loaded
(one tiny fit of another architecture first), so every figure is *cold*: no
step of the measured architecture was compiled in that process before.

- **5-fold cross-validation** of ``LSTMRegressor(units=16, epochs=10)`` on 400
  sequences of 24 steps and 2 features (batch 32): ``cross_val_score`` as
  shipped (``validation_split=0.0``: every row trained every epoch, as by
  hand); the same with reuse turned off (the scores must be identical); and
  the same 5 fits written by hand in Keras (``Sequential([Input, LSTM(16),
  Dense(1)])``, Adam, MSE; build, compile, fit, predict, score per fold).
- **GridSearchCV**, 8 candidates x 3 folds + refit (``bench_search.py``'s
  grid) on 600 x 24 x 1: ``n_jobs=1`` and ``n_jobs=2`` (loky workers started by
  the search: cold), and the same 25 fits by hand in Keras, serially.

On JAX each sklstm configuration gets an empty compilation-cache folder, so
that nothing compiled by an earlier configuration helps it, plus one row
("cache from an earlier run") whose folder the ``n_jobs=2`` run has filled:
what a user's second session costs. The hand-written Keras rows run with
JAX's defaults (``SKLSTM_JAX_CACHE=0``: importing sklstm leaves JAX's
persistent cache off, as a user's own Keras code has it); the rows "with
sklstm's disk cache" run the same code with the cache sklstm turns on, in an
empty folder, which then serves each later fold the training step that an
earlier fold compiled.

    python benchmarks/bench_cv.py [--backend both] [--json out.json]
"""

import argparse
import json
import os
import shutil
import tempfile
import time

import numpy as np
from _common import (
    BACKEND_CHOICES,
    BACKEND_NAMES,
    Workload,
    add_backend_argument,
    format_table,
    machine_line,
    make_data,
    run_json_subprocess,
)

CV_DATA = Workload("cv", 400, 24, 2, 32, 10, 16, 10)
SEARCH_DATA = Workload("search", 600, 24, 1, 32, 5, 8, 5)
PARAM_GRID = {"units": [4, 8], "learning_rate": [0.01, 0.02], "epochs": [3, 5]}
N_FOLDS = 5

CONFIGS = (
    "cv sklstm",
    "cv sklstm, no reuse",
    "cv hand Keras",
    "cv hand Keras, sklstm's disk cache",
    "search n_jobs=1",
    "search n_jobs=2",
    "search hand Keras",
    "search hand Keras, sklstm's disk cache",
)
# JAX only: sklstm's persistent compilation cache changes nothing on TensorFlow.
DISK_CACHE_CONFIGS = {name for name in CONFIGS if name.endswith("disk cache")}
# Hand-written Keras as a user's own code runs it: JAX's persistent cache off.
JAX_DEFAULTS_CONFIGS = {"cv hand Keras", "search hand Keras"}


def _warm_backend():
    """Load the backend and run one tiny fit of another architecture."""
    from sklstm import LSTMRegressor

    X = np.zeros((8, 3, 1), dtype=np.float32)
    LSTMRegressor(units=1, epochs=1, random_state=0).fit(X, X[:, -1, 0])


def _hand_keras_score(X_train, y_train, X_test, y_test, units, lr, epochs, seed):
    import keras
    from sklearn.metrics import r2_score

    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input(X_train.shape[1:]),
            keras.layers.LSTM(units),
            keras.layers.Dense(1),
        ]
    )
    model.compile(loss="mse", optimizer=keras.optimizers.Adam(lr))
    model.fit(X_train, y_train, epochs=epochs, batch_size=32, verbose=0)
    return r2_score(y_test, model.predict(X_test, verbose=0).ravel())


def run_cv(name):
    from sklearn.model_selection import KFold, cross_val_score

    from sklstm import LSTMRegressor, _reuse

    X, y = make_data(CV_DATA)
    cv = KFold(N_FOLDS, shuffle=True, random_state=0)
    if name == "cv sklstm, no reuse":
        _reuse.CAPACITY = 0
    start = time.perf_counter()
    if name.startswith("cv hand Keras"):
        scores = [
            _hand_keras_score(
                X[tr], y[tr], X[te], y[te], CV_DATA.units, 0.01, CV_DATA.epochs, 0
            )
            for tr, te in cv.split(X)
        ]
    else:
        est = LSTMRegressor(
            units=CV_DATA.units,
            epochs=CV_DATA.epochs,
            batch_size=CV_DATA.batch_size,
            validation_split=0.0,
            random_state=0,
        )
        scores = list(cross_val_score(est, X, y, cv=cv))
    return time.perf_counter() - start, [float(s) for s in scores]


def run_search(name):
    from sklearn.model_selection import GridSearchCV, KFold, ParameterGrid

    from sklstm import LSTMRegressor

    X, y = make_data(SEARCH_DATA)
    cv = KFold(3)
    start = time.perf_counter()
    if name.startswith("search hand Keras"):
        best, best_score = None, -np.inf
        for params in ParameterGrid(PARAM_GRID):
            scores = [
                _hand_keras_score(
                    X[tr],
                    y[tr],
                    X[te],
                    y[te],
                    params["units"],
                    params["learning_rate"],
                    params["epochs"],
                    0,
                )
                for tr, te in cv.split(X)
            ]
            if np.mean(scores) > best_score:
                best, best_score = params, float(np.mean(scores))
        _hand_keras_score(  # the refit (scored on the training data)
            X, y, X, y, best["units"], best["learning_rate"], best["epochs"], 0
        )
        scores = [best_score]
    else:
        search = GridSearchCV(
            LSTMRegressor(
                batch_size=SEARCH_DATA.batch_size, validation_split=0.0, random_state=0
            ),
            PARAM_GRID,
            cv=cv,
            n_jobs=1 if name == "search n_jobs=1" else 2,
        )
        search.fit(X, y)
        scores = [float(search.best_score_)]
    return time.perf_counter() - start, scores


def run_config(name):
    _warm_backend()
    seconds, scores = run_cv(name) if name.startswith("cv") else run_search(name)
    print(json.dumps({"seconds": seconds, "scores": scores}))


def _run(backend, name, cache_folder):
    env = {"KERAS_BACKEND": backend}
    if backend == "jax":
        env["SKLSTM_JAX_CACHE"] = "0" if name in JAX_DEFAULTS_CONFIGS else cache_folder
    return run_json_subprocess([os.path.basename(__file__), "--config", name], env)


def _ratio(a, b):
    return f"{a / b:.2f}x" if a and b else "-"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_backend_argument(parser)
    parser.add_argument("--json", help="also write the raw figures to this file")
    parser.add_argument("--config", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.config:
        run_config(args.config)
        return None

    print(machine_line())
    raw = {}
    for backend in BACKEND_CHOICES[args.backend]:
        raw[backend] = {}
        for name in CONFIGS:
            if backend != "jax" and name in DISK_CACHE_CONFIGS:
                continue
            folder = tempfile.mkdtemp(prefix="sklstm-jaxcache-")
            raw[backend][name] = _run(backend, name, folder)
            if backend == "jax" and name == "search n_jobs=2":
                raw[backend]["search n_jobs=2, cache from an earlier run"] = _run(
                    backend, name, folder
                )
            shutil.rmtree(folder, ignore_errors=True)
    rows = []
    for backend, results in raw.items():
        label = BACKEND_NAMES[backend]

        def seconds(name, results=results):
            return results.get(name, {}).get("seconds")

        for name, res in results.items():
            if "error" in res:
                rows.append([label, name, "error", "-", "-", res["error"][:60]])
                continue
            if name.startswith("cv"):
                against = [
                    ("hand Keras", _ratio(seconds("cv hand Keras"), res["seconds"]))
                ]
            else:
                against = [
                    (
                        "hand Keras",
                        _ratio(seconds("search hand Keras"), res["seconds"]),
                    ),
                    ("n_jobs=1", _ratio(seconds("search n_jobs=1"), res["seconds"])),
                ]
            rows.append(
                [
                    label,
                    name,
                    f"{res['seconds']:.1f}",
                    ", ".join(f"{r} vs {n}" for n, r in against),
                    " ".join(f"{s:.4f}" for s in res["scores"]),
                    "",
                ]
            )
        cv_same = results.get("cv sklstm", {}).get("scores") == results.get(
            "cv sklstm, no reuse", {}
        ).get("scores")
        rows.append(
            [label, "cv scores with and without reuse", "", "", "", str(cv_same)]
        )
    print()
    print(
        format_table(
            ["backend", "configuration", "cold s", "speed-up", "scores", "identical"],
            rows,
            title=(
                f"{N_FOLDS}-fold cross_val_score (LSTM(16), {CV_DATA.shape}, "
                f"{CV_DATA.epochs} epochs) and GridSearchCV (8 candidates x 3 folds + "
                f"refit, {SEARCH_DATA.shape}); every configuration in a fresh process"
            ),
        )
    )
    print(
        "Goals: cross-validation >= 2x hand-written Keras; GridSearchCV n_jobs=2 "
        ">= 1.6x n_jobs=1 (cold), on TensorFlow and JAX."
    )
    if args.json:
        with open(args.json, "w") as f:
            json.dump(raw, f, indent=2)
    return raw


if __name__ == "__main__":
    main()
