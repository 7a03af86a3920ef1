"""Peak memory and time of one epoch on long series: windows as views vs copies.

A float32 series of ``--rows`` rows and 4 features (400,000 by default) is cut
into windows of 256 steps, one per row, and an ``LSTM(8)`` regressor learns
the next value of the first feature for one epoch (batches of 256). Each
configuration runs in a fresh process, which reports its peak resident set
size (``resource.getrusage``: the high-water mark of the whole process, the
backend's runtime included) and its seconds:

- ``materialised``: today's path. ``SlidingWindowTransformer(256)``'s windows
  copied into one C-contiguous array (``np.ascontiguousarray``), then
  ``LSTMRegressor.fit``; Keras' own input pipeline takes the array.
- ``streamed``: ``make_pipeline(SlidingWindowTransformer(256),
  LSTMRegressor(...)).fit``: the windows stay a strided view over one padded
  copy of the series, and the fit gathers each batch from it
  (``sklstm._streaming``).
- ``Keras timeseries_dataset_from_array``: the Keras way, by hand:
  ``keras.utils.timeseries_dataset_from_array`` and a
  ``Sequential([Input, LSTM(8), Dense(1)])`` (no masking, no standardisation;
  the series' first 255 rows have no full window, so 255 fewer windows).

``--big`` instead measures a 20,000,000-row series memory-mapped from disk
(``np.load(mmap_mode="r")``; 320 MB, whose windows of 256 would take 82 GB):
one epoch of ``fit`` on its first 2,000,000 rows, and ``predict`` over all its
windows with an estimator fitted on its first 20,000 rows. Not run by
default: it writes the series to ``--data-dir`` (a temporary folder by
default) and takes long on a small machine. ``--quick`` shrinks every size by
20 for a smoke test.

    python benchmarks/bench_scale.py [--quick] [--big] [--rows N]
"""

import argparse
import json
import os
import resource
import tempfile
import time

import numpy as np
from _common import format_table, machine_line, run_json_subprocess

SEQUENCE_LENGTH = 256
N_FEATURES = 4
UNITS = 8
BATCH_SIZE = 256
CONFIGS = ("materialised", "streamed", "Keras timeseries_dataset_from_array")
BIG_CONFIGS = ("big fit", "big predict")
BIG_ROWS = 20_000_000
BIG_FIT_ROWS = 2_000_000
BIG_PREDICT_FIT_ROWS = 20_000


def make_series(n_rows, seed=0):
    """A float32 ``(n_rows + 1, 4)`` series: sines of several periods, noise."""
    rng = np.random.default_rng(seed)
    out = np.empty((n_rows + 1, N_FEATURES), dtype=np.float32)
    step = 1_000_000  # built in pieces: the big series is 320 MB
    periods = np.array([24.0, 168.0, 365.0, 50.0])
    for start in range(0, n_rows + 1, step):
        t = np.arange(start, min(start + step, n_rows + 1))[:, None]
        piece = np.sin(2 * np.pi * t / periods) + 0.1 * rng.normal(size=(len(t), 4))
        out[start : start + len(t)] = piece
    return out


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def regressor(**params):
    from sklstm import LSTMRegressor

    defaults = {
        "units": UNITS,
        "epochs": 1,
        "batch_size": BATCH_SIZE,
        "validation_split": 0.0,
        "early_stopping": False,
        "random_state": 0,
    }
    return LSTMRegressor(**{**defaults, **params})


def fit_materialised(series):
    from sklstm import SlidingWindowTransformer

    X, y = series[:-1], series[1:, 0]
    windows = SlidingWindowTransformer(SEQUENCE_LENGTH).fit_transform(X)
    windows = np.ascontiguousarray(windows)
    return regressor().fit(windows, y).loss_curve_[-1]


def fit_streamed(series):
    from sklearn.pipeline import make_pipeline

    from sklstm import SlidingWindowTransformer

    X, y = series[:-1], series[1:, 0]
    pipe = make_pipeline(SlidingWindowTransformer(SEQUENCE_LENGTH), regressor())
    return pipe.fit(X, y)[-1].loss_curve_[-1]


def fit_keras(series):
    import keras

    keras.utils.set_random_seed(0)
    X, y = series[:-1], series[1:, 0]
    # the window of rows i .. i + 255 predicts y[i + 255]
    dataset = keras.utils.timeseries_dataset_from_array(
        X,
        y[SEQUENCE_LENGTH - 1 :],
        sequence_length=SEQUENCE_LENGTH,
        batch_size=BATCH_SIZE,
        shuffle=True,
        seed=0,
    )
    model = keras.Sequential(
        [
            keras.Input((SEQUENCE_LENGTH, N_FEATURES)),
            keras.layers.LSTM(UNITS),
            keras.layers.Dense(1),
        ]
    )
    model.compile(loss="mse", optimizer=keras.optimizers.Adam(0.01))
    return model.fit(dataset, epochs=1, verbose=0).history["loss"][-1]


def big_series(data_dir, n_rows):
    """The memory-mapped series, written to ``data_dir`` on first use."""
    path = os.path.join(data_dir, f"series_{n_rows}.npy")
    if not os.path.exists(path):
        np.save(path, make_series(n_rows))
    return np.load(path, mmap_mode="r")


def big_fit(series, n_fit):
    from sklearn.pipeline import make_pipeline

    from sklstm import SlidingWindowTransformer

    X, y = series[:n_fit], series[1 : n_fit + 1, 0]
    pipe = make_pipeline(SlidingWindowTransformer(SEQUENCE_LENGTH), regressor())
    return pipe.fit(X, y)[-1].loss_curve_[-1]


def big_predict(series, n_fit):
    from sklearn.pipeline import make_pipeline

    from sklstm import SlidingWindowTransformer

    pipe = make_pipeline(SlidingWindowTransformer(SEQUENCE_LENGTH), regressor())
    pipe.fit(series[:n_fit], series[1 : n_fit + 1, 0])
    start = time.perf_counter()
    predictions = pipe.predict(series[:-1])
    return float(np.mean(predictions)), time.perf_counter() - start, len(predictions)


def run_config(name, args):
    """One configuration in this process; prints its numbers as JSON."""
    import keras  # the backend's runtime counts in the baseline

    keras.backend.backend()
    result = {}
    if name in BIG_CONFIGS:
        series = big_series(args.data_dir, args.big_rows)
        result["rss_before_mb"] = current_rss_mb()
        start = time.perf_counter()
        if name == "big fit":
            result["loss"] = big_fit(series, args.big_fit_rows)
            result["windows"] = args.big_fit_rows
        else:
            mean, seconds, n = big_predict(series, args.big_predict_fit_rows)
            result.update(loss=mean, predict_seconds=seconds, windows=n)
    else:
        series = make_series(args.rows)
        result["rss_before_mb"] = current_rss_mb()
        start = time.perf_counter()
        fit = {
            "materialised": fit_materialised,
            "streamed": fit_streamed,
            "Keras timeseries_dataset_from_array": fit_keras,
        }[name]
        result["loss"] = float(fit(series))
        result["windows"] = args.rows
    result["seconds"] = time.perf_counter() - start
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


def _argv(name, args):
    argv = [os.path.basename(__file__), "--config", name, "--rows", str(args.rows)]
    argv += ["--big-rows", str(args.big_rows), "--data-dir", args.data_dir]
    argv += ["--big-fit-rows", str(args.big_fit_rows)]
    return argv + ["--big-predict-fit-rows", str(args.big_predict_fit_rows)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--quick", action="store_true", help="every size / 20")
    parser.add_argument("--big", action="store_true", help="the memory-mapped case")
    parser.add_argument("--big-rows", type=int, default=BIG_ROWS)
    parser.add_argument("--big-fit-rows", type=int, default=BIG_FIT_ROWS)
    parser.add_argument(
        "--big-predict-fit-rows", type=int, default=BIG_PREDICT_FIT_ROWS
    )
    parser.add_argument("--data-dir", help="where --big writes its series")
    parser.add_argument("--json", help="also write the raw numbers to this file")
    parser.add_argument("--config", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        for name in ("rows", "big_rows", "big_fit_rows", "big_predict_fit_rows"):
            setattr(args, name, max(getattr(args, name) // 20, 2 * SEQUENCE_LENGTH))
    if args.config:
        run_config(args.config, args)
        return None

    print(machine_line())
    with tempfile.TemporaryDirectory() as tmp:
        args.data_dir = args.data_dir or tmp
        names = BIG_CONFIGS if args.big else CONFIGS
        raw = {name: run_json_subprocess(_argv(name, args)) for name in names}
    rows = []
    for name, res in raw.items():
        if "error" in res:
            rows.append([name, "error", "-", "-", "-", res["error"][:70]])
            continue
        seconds = res.get("predict_seconds", res["seconds"])
        rows.append(
            [
                name,
                f"{res['windows']:,}",
                f"{res['peak_rss_mb']:.0f}",
                f"{res['peak_rss_mb'] - res['rss_before_mb']:+.0f}",
                f"{seconds:.1f}",
                f"{res['loss']:.4g}",
            ]
        )
    n = args.big_rows if args.big else args.rows
    gb = n * SEQUENCE_LENGTH * N_FEATURES * 4 / 1e9
    title = (
        f"One epoch of LSTM({UNITS}) on a {n:,} x {N_FEATURES} float32 series, "
        f"windows of {SEQUENCE_LENGTH} ({gb:.2f} GB if materialised), batches "
        f"of {BATCH_SIZE}; peak RSS of the whole process"
    )
    if args.big:
        title += (
            f"; big fit: the first {args.big_fit_rows:,} rows; big predict: all "
            "windows (seconds of predict only)"
        )
    print()
    print(
        format_table(
            [
                "configuration",
                "windows",
                "peak RSS MB",
                "over baseline MB",
                "seconds",
                "loss / mean",
            ],
            rows,
            title=title,
        )
    )
    if args.json:
        with open(args.json, "w") as f:
            json.dump(raw, f, indent=1)
    return raw


if __name__ == "__main__":
    main()
