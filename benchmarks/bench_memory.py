"""RSS growth over repeated fit/predict cycles of LSTMRegressor.

Each configuration runs in a fresh process. A first estimator is fitted and
kept (its predictions saved); then ``--cycles`` cycles (default 100) each fit
a new ``LSTMRegressor(units=8, epochs=2)`` on 300 UCR-like sequences, predict
with it and drop it. The resident set size (psutil) is read after every
cycle. Configurations:

- ``sklstm``: nothing else, as a user's loop would do it.
- ``sklstm + clear_session``: ``keras.backend.clear_session()`` after each
  cycle.
- ``hand Keras``: the same network built, fitted and used by hand, the
  baseline of what Keras itself keeps per model. On TensorFlow each traced
  train step leaves a ``CustomGradient-N`` entry, holding its whole graph, in
  TensorFlow's global gradient registry; sklstm drops those after each fit
  (``sklstm._training.release_traced_gradients``), hand-written Keras does not.
- ``hand Keras + clear_session``: the usual advice, which does not help.
- ``scikeras``: scikeras' ``KerasRegressor`` with the same network.
- ``sklstm on JAX``: ``sklstm`` with ``KERAS_BACKEND=jax``.

At the end the first estimator predicts again: it must give the same numbers
as before the cycles (``clear_session`` must not break a fitted estimator).

    python benchmarks/bench_memory.py [--cycles 100] [--quick]
"""

import argparse
import gc
import json
import os

import numpy as np
from _common import (
    Workload,
    format_table,
    hand_keras_fit,
    machine_line,
    make_data,
    run_json_subprocess,
    scikeras_fit,
    sklstm_fit,
)

DATA = Workload("memory", 300, 24, 1, 32, 2, 8, 2)
CONFIGS = (
    "sklstm",
    "sklstm + clear_session",
    "hand Keras",
    "hand Keras + clear_session",
    "scikeras",
    "sklstm on JAX",
)
CONFIG_ENV = {"sklstm on JAX": {"KERAS_BACKEND": "jax"}}


def rss_mb():
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def run_config(name, cycles):
    import keras

    X, y = make_data(DATA)
    _, _, first = sklstm_fit(X, y, DATA, DATA.epochs)
    before = first.predict(X)
    rss = [rss_mb()]
    for i in range(cycles):
        if name.startswith("hand Keras"):
            _, _, model = hand_keras_fit(X, y, DATA, DATA.epochs, seed=i)
            model.predict_on_batch(X)
            del model
        elif name == "scikeras":
            _, _, est = scikeras_fit(X, y, DATA, DATA.epochs, seed=i)
            est.predict(X)
            del est
        else:
            _, _, est = sklstm_fit(X, y, DATA, DATA.epochs, seed=i)
            est.predict(X)
            del est
        if name.endswith("clear_session"):
            keras.backend.clear_session()
        rss.append(rss_mb())
    after = first.predict(X)
    gc.collect()
    rss_after_gc = rss_mb()
    first.partial_fit(X, y)  # the first estimator still trains, too
    result = {
        "rss_mb": rss,
        "rss_after_gc_mb": rss_after_gc,
        "first_still_equal": bool(np.array_equal(before, after)),
        "first_max_abs_diff": float(np.max(np.abs(before - after))),
    }
    print(json.dumps(result))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=100)
    parser.add_argument("--quick", action="store_true", help="30 cycles")
    parser.add_argument("--json", help="also write the raw numbers to this file")
    parser.add_argument(
        "--configs", help="comma-separated subset of: " + ", ".join(CONFIGS)
    )
    parser.add_argument("--config", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    cycles = 30 if args.quick else args.cycles
    if args.config:
        run_config(args.config, cycles)
        return None

    print(machine_line())
    raw, rows = {}, []
    names = [c.strip() for c in args.configs.split(",")] if args.configs else CONFIGS
    for name in names:
        res = run_json_subprocess(
            [os.path.basename(__file__), "--config", name, "--cycles", str(cycles)],
            env=CONFIG_ENV.get(name),
        )
        raw[name] = res
        raw[name]["cycles"] = cycles
        if "error" in res:
            rows.append([name, "error", "-", "-", "-", "-", res["error"][:60]])
            continue
        rss = res["rss_mb"]
        tenth = min(10, cycles // 2)
        slope = (rss[-1] - rss[tenth]) / max(cycles - tenth, 1)
        rows.append(
            [
                name,
                f"{rss[0]:.0f}",
                f"{rss[-1]:.0f}",
                f"{rss[-1] - rss[0]:+.1f}",
                f"{slope * 1024:+.0f}",
                f"{res['rss_after_gc_mb'] - rss[0]:+.1f}",
                "identical"
                if res["first_still_equal"]
                else f"max abs diff {res['first_max_abs_diff']:.3g}",
            ]
        )
    print()
    print(
        format_table(
            [
                "configuration",
                "RSS start MB",
                "RSS end MB",
                "growth MB",
                "KB/cycle (from 10)",
                "growth after gc MB",
                "first estimator",
            ],
            rows,
            title=f"Memory over {cycles} fit/predict cycles "
            f"({DATA.shape}, LSTM({DATA.units}), {DATA.epochs} epochs); start = "
            "after the first (kept) fit",
        )
    )
    if args.json:
        with open(args.json, "w") as f:
            json.dump(raw, f, indent=1)
    return raw


if __name__ == "__main__":
    main()
