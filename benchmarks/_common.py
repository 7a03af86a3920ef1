"""Shared pieces of the sklstm benchmarks: workloads, data, timing, tables.

Nothing here imports Keras at module level, so a script can set
``KERAS_BACKEND`` (or thread variables) before the backend is loaded.
"""

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

import numpy as np

# Quiet TensorFlow's C++ start-up log; set before any import of TensorFlow.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

HERE = os.path.dirname(os.path.abspath(__file__))


@dataclass(frozen=True)
class Workload:
    """One whole fit: data shape, batch size, epochs and LSTM width."""

    name: str
    n_samples: int
    n_timesteps: int
    n_features: int
    batch_size: int
    epochs: int
    units: int
    quick_epochs: int

    @property
    def shape(self):
        return f"{self.n_samples}x{self.n_timesteps}x{self.n_features}"

    def epochs_for(self, quick):
        return self.quick_epochs if quick else self.epochs


# The three workloads of the performance issue. "airline" is the classic
# look-back-3 tutorial on the airline series (92 training windows, batch 1);
# "ucr" is a UCR-sized univariate classification-style set of 24 steps;
# "multivariate" is a larger set with 4 features and a few epochs.
WORKLOADS = {
    "airline": Workload("airline", 92, 3, 1, 1, 100, 4, 20),
    "ucr": Workload("ucr", 1000, 24, 1, 32, 100, 64, 20),
    "multivariate": Workload("multivariate", 4000, 24, 4, 64, 5, 32, 2),
}

# Keras backends, and the names of the --backend choices of the scripts.
BACKEND_NAMES = {"tensorflow": "TF", "jax": "JAX", "torch": "PyTorch"}
BACKEND_CHOICES = {
    "tensorflow": ("tensorflow",),
    "jax": ("jax",),
    "torch": ("torch",),
    "both": ("tensorflow", "jax"),
    "all": ("tensorflow", "jax", "torch"),
}


def add_backend_argument(parser):
    """``--backend``: the Keras backends a script runs on, one subprocess each."""
    parser.add_argument(
        "--backend",
        choices=tuple(BACKEND_CHOICES),
        default="tensorflow",
        help="both: TensorFlow and JAX; all: also PyTorch",
    )


# The UCR-like fit needs ~240 GFLOP (forward + backward of LSTM(64) over 24
# steps, 1000 sequences, 100 epochs); sgemm peaks at ~250 GFLOP/s here.
UCR_GFLOP = 240.0
SGEMM_PEAK_GFLOPS = 250.0


def make_data(workload):
    """The same float32 ``(X, y)`` for every framework, from a fixed seed."""
    if workload.name == "airline":
        from sklstm import make_windows
        from sklstm.datasets import load_airline

        series = load_airline(as_frame=False).target
        train = series[: workload.n_samples + workload.n_timesteps]
        scaled = (train - train.min()) / (train.max() - train.min())
        X, y = make_windows(scaled, workload.n_timesteps)
        X = X.reshape(len(X), workload.n_timesteps, 1)
        return X.astype(np.float32), y.reshape(-1).astype(np.float32)
    rng = np.random.RandomState(0)
    n, t, f = workload.n_samples, workload.n_timesteps, workload.n_features
    phase = rng.uniform(0, 2 * np.pi, size=(n, 1, f))
    freq = rng.uniform(0.1, 0.6, size=(n, 1, f))
    steps = np.arange(t)[None, :, None]
    X = np.sin(freq * steps + phase) + 0.1 * rng.normal(size=(n, t, f))
    y = np.sin(freq[:, 0, 0] * t + phase[:, 0, 0])  # the next value
    return X.astype(np.float32), y.astype(np.float32)


# ----------------------------------------------------------------------
# The ways of fitting the same network
# ----------------------------------------------------------------------
def hand_keras_fit(
    X,
    y,
    workload,
    epochs,
    *,
    seed=0,
    callbacks=None,
    pre_layers=(),
    lstm_kw=None,
    compile_kw=None,
):
    """The seed-style Keras script, from model construction to the last epoch.

    ``Sequential([Input, LSTM, Dense])``, ``compile(loss="mse",
    optimizer="adam")``, ``fit(epochs, batch_size, verbose=0)``. The extra
    arguments exist only for the attribution runs of ``bench_fit --explore``.
    Returns ``(seconds, loss_curve, model)``, the loss of every epoch.
    """
    import keras

    start = time.perf_counter()
    keras.utils.set_random_seed(seed)  # same initial weights as sklstm's fit
    model = keras.Sequential(
        [
            keras.Input((workload.n_timesteps, workload.n_features)),
            *pre_layers,
            keras.layers.LSTM(workload.units, **(lstm_kw or {})),
            keras.layers.Dense(1),
        ]
    )
    model.compile(loss="mse", optimizer="adam", **(compile_kw or {}))
    history = model.fit(
        X,
        y,
        epochs=epochs,
        batch_size=workload.batch_size,
        verbose=0,
        callbacks=callbacks,
    )
    seconds = time.perf_counter() - start
    return seconds, list(history.history["loss"]), model


def _wrapper_fit(wrappers, X, y, workload, epochs, seed):
    """``wrappers.KerasRegressor`` around the uncompiled network of the workload.

    ``wrappers`` is ``scikeras.wrappers`` or ``sklstm.wrappers``: the same
    builder, parameters, data and seed, so that both fit the same network.
    """
    import keras

    def build():
        return keras.Sequential(
            [
                keras.Input((workload.n_timesteps, workload.n_features)),
                keras.layers.LSTM(workload.units),
                keras.layers.Dense(1),
            ]
        )

    start = time.perf_counter()
    est = wrappers.KerasRegressor(
        model=build,
        loss="mse",
        optimizer="adam",
        epochs=epochs,
        batch_size=workload.batch_size,
        verbose=0,
        random_state=seed,
    )
    est.fit(X, y)
    seconds = time.perf_counter() - start
    return seconds, list(est.history_["loss"]), est


def scikeras_fit(X, y, workload, epochs, *, seed=0):
    """scikeras' ``KerasRegressor`` around the same uncompiled network."""
    from scikeras import wrappers

    return _wrapper_fit(wrappers, X, y, workload, epochs, seed)


def sklstm_wrappers_fit(X, y, workload, epochs, *, seed=0):
    """``sklstm.wrappers.KerasRegressor``: the scikeras fit, with sklstm's wrapper."""
    from sklstm import wrappers

    return _wrapper_fit(wrappers, X, y, workload, epochs, seed)


def sklstm_fit(X, y, workload, epochs, *, seed=0, **params):
    """sklstm's ``LSTMRegressor`` with the workload's settings."""
    from sklstm import LSTMRegressor

    start = time.perf_counter()
    # all rows trained for every epoch, as in the hand-written script
    params = {"validation_split": 0.0, **params}
    est = LSTMRegressor(
        units=workload.units,
        epochs=epochs,
        batch_size=workload.batch_size,
        random_state=seed,
        **params,
    )
    est.fit(X, y)
    seconds = time.perf_counter() - start
    return seconds, list(est.loss_curve_), est


def warm_up():
    """One tiny untimed fit per path: loads the backend's kernels once.

    The first fit in a process pays one-off costs (importing the backend,
    initialising the runtime) that no later fit pays; the timed fits all come
    after this, so each of them measures a fit and nothing else.
    """
    tiny = Workload("tiny", 16, 3, 1, 8, 1, 2, 1)
    X, y = make_data(tiny)
    hand_keras_fit(X, y, tiny, 1)
    scikeras_fit(X, y, tiny, 1)
    sklstm_wrappers_fit(X, y, tiny, 1)
    sklstm_fit(X, y, tiny, 1)


# ----------------------------------------------------------------------
# Timing, machine description, tables
# ----------------------------------------------------------------------
def median(values):
    return statistics.median(values) if values else float("nan")


def time_calls(func, n_calls, *, warmup=5):
    """Median seconds of ``n_calls`` calls of ``func``, after ``warmup`` calls."""
    for _ in range(warmup):
        func()
    times = []
    for _ in range(n_calls):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return median(times), times


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_average():
    try:
        return os.getloadavg()
    except OSError:  # pragma: no cover - not on Windows
        return (float("nan"),) * 3


def versions():
    """Versions of the libraries that matter, read without importing them."""
    from importlib import metadata

    out = {"python": platform.python_version()}
    for dist in (
        "sklstm",
        "keras",
        "tensorflow-cpu",
        "tensorflow",
        "jax",
        "torch",
        "scikeras",
        "scikit-learn",
        "numpy",
        "joblib",
    ):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    return out


def machine_line():
    load = ", ".join(f"{v:.1f}" for v in load_average())
    vers = ", ".join(f"{k} {v}" for k, v in versions().items())
    return (
        f"machine: {os.cpu_count()} cores, {cpu_model()}; load average {load}\n"
        f"versions: {vers}"
    )


def format_table(headers, rows, title=None):
    """A plain-text table (also valid as an RST simple table)."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    rule = "  ".join("=" * w for w in widths)

    def line(row):
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()

    out = [title, ""] if title else []
    out += [rule, line(cells[0]), rule]
    out += [line(row) for row in cells[1:]]
    out.append(rule)
    return "\n".join(out)


def run_json_subprocess(argv, env=None, timeout=None):
    """Run ``python argv…`` and parse the last stdout line as JSON."""
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run(
        [sys.executable, *argv],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        cwd=HERE,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    if proc.returncode != 0 or not lines:
        return {
            "error": (proc.stderr.strip().splitlines() or ["no output"])[-1],
            "stderr": proc.stderr[-4000:],
            "returncode": proc.returncode,
        }
    return json.loads(lines[-1])
