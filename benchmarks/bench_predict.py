"""Predict latency and throughput of LSTMRegressor against Keras' own calls.

For the airline-like and the UCR-like networks, fits an ``LSTMRegressor``
(2 epochs: the weights do not change the cost of a forward pass) and times,
on that same fitted network ``est.model_``:

- ``est.predict`` (sklstm, input validation included),
- ``est.model_.predict(X, verbose=0)`` (Keras' default, batches of 32; what
  hand-written Keras calls),
- ``est.model_.predict_on_batch(X)`` (one call, no batching loop),
- on TensorFlow, ``predict`` of the same network fitted with
  ``jit_compile=True``, which sklstm then runs through XLA,

and ``predict`` of scikeras' ``KerasRegressor`` and of its drop-in
``sklstm.wrappers.KerasRegressor``, each fitted on the same data with the
same builder and parameters (their own weights: only their times are
compared), on one
row (median over ``--calls`` calls, default 300, after 10 untimed warm-up
calls) and on 10,000 rows (median over 5 calls, after 1 warm-up). It then
checks that sklstm and Keras' calls give the same numbers. Each backend runs
in a fresh subprocess with ``KERAS_BACKEND`` set.

    python benchmarks/bench_predict.py [--quick] [--backend both|all]
"""

import argparse
import json
import os

import numpy as np
from _common import (
    BACKEND_CHOICES,
    WORKLOADS,
    add_backend_argument,
    format_table,
    machine_line,
    make_data,
    run_json_subprocess,
    scikeras_fit,
    sklstm_fit,
    sklstm_wrappers_fit,
    time_calls,
)

N_LARGE = 10_000
WRAPPER_LABELS = ("scikeras predict", "sklstm.wrappers predict")


def _large_X(workload, n_rows):
    rng = np.random.RandomState(1)
    X, _ = make_data(workload)
    X = X[rng.randint(len(X), size=n_rows)]
    return X + np.float32(0.01) * rng.normal(size=X.shape).astype(np.float32)


def _compare(a, b):
    a = np.asarray(a, dtype=np.float64).ravel()
    b = np.asarray(b, dtype=np.float64).ravel()
    return bool(np.array_equal(a, b)), float(np.max(np.abs(a - b)))


def bench_network(name, n_calls, large_calls):
    workload = WORKLOADS[name]
    X, y = make_data(workload)
    _, _, est = sklstm_fit(X, y, workload, 2)
    _, _, skr = scikeras_fit(X, y, workload, 2)
    _, _, wrap = sklstm_wrappers_fit(X, y, workload, 2)
    model = est.model_
    one = X[:1]
    big = _large_X(workload, N_LARGE)

    calls = {
        "sklstm predict": lambda data: est.predict(data),
        "Keras model.predict": lambda data: model.predict(data, verbose=0),
        "Keras predict_on_batch": lambda data: model.predict_on_batch(data),
        "scikeras predict": lambda data: skr.predict(data),
        "sklstm.wrappers predict": lambda data: wrap.predict(data),
    }
    import keras

    xla = None
    if keras.backend.backend() == "tensorflow":
        # The same network fitted with jit_compile=True: sklstm then predicts
        # through an XLA-compiled function (JAX compiles with XLA already).
        _, _, xla = sklstm_fit(X, y, workload, 2, jit_compile=True)
        calls["sklstm predict, jit_compile=True"] = lambda data: xla.predict(data)
    rows, results = [], {}
    for label, call in calls.items():
        one_s, _ = time_calls(lambda call=call: call(one), n_calls, warmup=10)
        big_s, _ = time_calls(lambda call=call: call(big), large_calls, warmup=1)
        results[label] = {"one_ms": one_s * 1e3, "large_s": big_s}
    base = results["Keras model.predict"]
    for label, r in results.items():
        rows.append(
            [
                f"{name}: {label}",
                f"{r['one_ms']:.3f}",
                f"{base['one_ms'] / r['one_ms']:.1f}x",
                f"{r['large_s'] * 1e3:.1f}",
                f"{base['large_s'] / r['large_s']:.2f}x",
            ]
        )

    # The same numbers? sklstm against each Keras call, on both inputs.
    sk_one, sk_big = est.predict(one), est.predict(big)
    checks = {}
    for label, call in list(calls.items())[1:3]:
        checks[f"1 row vs {label}"] = _compare(sk_one, call(one))
        checks[f"{N_LARGE} rows vs {label}"] = _compare(sk_big, call(big))
    # A row's prediction must not depend on the other rows of its batch.
    # sklstm pads batches to a multiple of 16 rows for this; Keras unpadded:
    checks["row 0 alone vs row 0 of 10,000"] = _compare(
        est.predict(big[:1]), sk_big[:1]
    )
    checks["(Keras predict_on_batch, unpadded) row 0 alone vs row 0 of 10,000"] = (
        _compare(model.predict_on_batch(big[:1]), model.predict_on_batch(big)[:1])
    )
    checks["(Keras predict_on_batch, unpadded) rows 0-2 vs rows 0-2 of 10,000"] = (
        _compare(model.predict_on_batch(big[:3]), model.predict_on_batch(big)[:3])
    )

    if xla is not None:
        for data, what in ((one, "1 row"), (big, f"{N_LARGE} rows")):
            checks[f"jit_compile=True, {what} vs its predict_on_batch"] = _compare(
                xla.predict(data), xla.model_.predict_on_batch(data)
            )

    # Diagnostic: how much of sklstm's one-row time is input validation.
    from sklstm._validation import validate_sequences

    validate_s, _ = time_calls(
        lambda: validate_sequences(est, one, reset=False), n_calls, warmup=10
    )
    results["sklstm input validation one_ms"] = validate_s * 1e3
    # Diagnostic: what padding one row to 16 costs in the network itself.
    sixteen = np.concatenate([one, np.zeros((15,) + one.shape[1:], one.dtype)])
    padded_s, _ = time_calls(lambda: model.predict_on_batch(sixteen), n_calls)
    results["predict_on_batch 16 rows one_ms"] = padded_s * 1e3
    results["checks"] = checks
    return rows, results


def worker(args):
    import keras

    raw = {"backend": keras.backend.backend()}
    for name in ("airline", "ucr"):
        rows, results = bench_network(name, args.n_calls, args.large_calls)
        raw[name] = {"rows": rows, **results}
    print(json.dumps(raw))


def report(raw, n_calls, large_calls):
    print()
    print(
        format_table(
            [
                "network: call",
                "1 row ms",
                "vs predict",
                f"{N_LARGE} rows ms",
                "vs predict",
            ],
            raw["airline"]["rows"] + raw["ucr"]["rows"],
            title=f"Predict, backend {raw['backend']} (1 row: median of {n_calls} "
            f"calls; {N_LARGE} rows: median of {large_calls}; 'vs predict' > 1: "
            "faster than model.predict)",
        )
    )
    print()
    for name in ("airline", "ucr"):
        skr, wrap = (raw[name].get(k) for k in WRAPPER_LABELS)
        if skr and wrap:
            print(
                f"{name}: sklstm.wrappers vs scikeras predict (> 1: "
                f"sklstm.wrappers faster): 1 row "
                f"{skr['one_ms'] / wrap['one_ms']:.2f}x, {N_LARGE} rows "
                f"{skr['large_s'] / wrap['large_s']:.2f}x"
            )
        print(
            f"{name}: sklstm input validation of 1 row: "
            f"{raw[name]['sklstm input validation one_ms']:.3f} ms (included above); "
            "Keras predict_on_batch of 1 row padded to 16 (as sklstm does): "
            f"{raw[name]['predict_on_batch 16 rows one_ms']:.3f} ms"
        )
        for label, (equal, diff) in raw[name]["checks"].items():
            verdict = "identical" if equal else f"max abs diff {diff:.3g}"
            who = "" if label.startswith("(") else "sklstm "
            print(f"{name}: {who}{label}: {verdict}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--quick", action="store_true", help="200 calls, 3 large")
    add_backend_argument(parser)
    parser.add_argument("--json", help="also write the raw timings to this file")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.n_calls = 200 if args.quick else max(args.calls, 200)
    args.large_calls = 3 if args.quick else 5
    if args.worker:
        worker(args)
        return None

    print(machine_line())
    forwarded = ["--worker", "--calls", str(args.n_calls)] + ["--quick"] * args.quick
    out = {}
    for backend in BACKEND_CHOICES[args.backend]:
        raw = run_json_subprocess(
            [os.path.basename(__file__), *forwarded], env={"KERAS_BACKEND": backend}
        )
        out[backend] = raw
        if "error" in raw:
            print(f"\nbackend {backend} failed: {raw['error']}")
            continue
        report(raw, args.n_calls, args.large_calls)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)
    return out


if __name__ == "__main__":
    main()
