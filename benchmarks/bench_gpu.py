"""Fit and predict of LSTMRegressor against hand-written Keras on a GPU.

Where a GPU is present (TensorFlow: ``tf.config.list_physical_devices("GPU")``;
JAX: ``jax.devices("gpu")``), each backend in a fresh subprocess times, on
the same data, network (LSTM(units) -> Dense(1)), batch size, epochs and
seed:

- whole fits, network construction to the last epoch, of hand-written Keras
  (``_common.hand_keras_fit``) and of sklstm's ``LSTMRegressor``, taken in
  turn within each of ``--repeats`` repeats; cold is the first repeat, warm
  the median of the others;
- predict of the fitted networks on 1 row (median of ``--calls`` calls) and
  on 10,000 rows (median of 5): ``est.predict`` against Keras'
  ``model.predict(X, verbose=0)`` on the hand-written network;
- whether Keras runs sklstm's recurrent layers on cuDNN: Keras' test of
  their arguments (``sklstm._compat.cudnn_arguments_ok``) and, on
  TensorFlow, the layer's own verdict (an LSTM that will use cuDNN there
  turns ``supports_jit`` off);
- one-epoch fits on windows whose padding (NaN, masked) is at the start
  ("pre", sklstm's default) or at the end ("post"): TensorFlow's cuDNN
  kernel takes right-padded masks only, JAX's takes no mask at all
  (``docs/user_guide/scaling.rst``).

Where no GPU is present the script says so and exits 0.

    python benchmarks/bench_gpu.py                    # TensorFlow and JAX
    python benchmarks/bench_gpu.py --backend jax --quick
"""

import argparse
import json
import os

import numpy as np
from _common import (
    BACKEND_CHOICES,
    BACKEND_NAMES,
    WORKLOADS,
    Workload,
    add_backend_argument,
    format_table,
    hand_keras_fit,
    machine_line,
    make_data,
    median,
    run_json_subprocess,
    sklstm_fit,
    time_calls,
    warm_up,
)

# The CPU workloads, and the multivariate set with the UCR network's width:
# on a GPU the small ones measure launch overhead, the wide one the kernels.
GPU_WORKLOADS = {
    "ucr": WORKLOADS["ucr"],
    "multivariate": WORKLOADS["multivariate"],
    "multivariate64": Workload("multivariate64", 4000, 24, 4, 64, 5, 64, 2),
}
N_LARGE = 10_000


# ----------------------------------------------------------------------
# Worker: runs in a subprocess with KERAS_BACKEND set
# ----------------------------------------------------------------------
def find_gpus(backend):
    """Names of the backend's GPUs; empty where it sees none."""
    if backend == "tensorflow":
        import tensorflow as tf

        return [d.name for d in tf.config.list_physical_devices("GPU")]
    if backend == "jax":
        import jax

        try:
            return [str(d) for d in jax.devices("gpu")]
        except RuntimeError:  # a CPU-only jaxlib: "Unknown backend gpu"
            return []
    return []


def _recurrent_layers(model):
    import keras

    found = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.Bidirectional):
            found += [layer.forward_layer, layer.backward_layer]
        elif isinstance(layer, (keras.layers.LSTM, keras.layers.GRU)):
            found.append(layer)
    return found


def cudnn_report(est, backend):
    from sklstm import _compat

    layers = _recurrent_layers(est.model_)
    report = {"arguments": all(_compat.cudnn_arguments_ok(la) for la in layers)}
    if backend == "tensorflow":
        report["layers chose cuDNN"] = all(not la.supports_jit for la in layers)
    return report


def padded_windows(X, side):
    """X with its first (or last) third of steps NaN in every other row."""
    X = X.copy()
    n_pad = X.shape[1] // 3
    steps = slice(None, n_pad) if side == "pre" else slice(-n_pad, None)
    X[::2, steps] = np.nan
    return X


def bench_padding(X, y, workload):
    out = {}
    for side in ("pre", "post"):
        try:
            seconds, _, _ = sklstm_fit(padded_windows(X, side), y, workload, 1)
            out[side] = f"{seconds:.2f} s"
        except Exception as exc:  # report what Keras says, do not hide it
            out[side] = f"{type(exc).__name__}: {exc}".splitlines()[0][:160]
    return out


def bench_workload(workload, epochs, args, backend):
    import keras

    X, y = make_data(workload)
    fits = {"hand Keras": [], "sklstm": []}
    for _ in range(args.repeats):
        seconds, _, model = hand_keras_fit(X, y, workload, epochs)
        fits["hand Keras"].append(seconds)
        seconds, _, est = sklstm_fit(X, y, workload, epochs)
        fits["sklstm"].append(seconds)
    rng = np.random.RandomState(1)
    big = X[rng.randint(len(X), size=N_LARGE)]
    one = X[:1]
    calls = {
        "hand Keras": lambda data: model.predict(data, verbose=0),
        "sklstm": lambda data: est.predict(data),
    }
    predicts = {
        label: {
            "one_ms": time_calls(lambda c=call: c(one), args.calls, warmup=10)[0] * 1e3,
            "large_s": time_calls(lambda c=call: c(big), 5, warmup=1)[0],
        }
        for label, call in calls.items()
    }
    result = {
        "epochs": epochs,
        "fits": fits,
        "predicts": predicts,
        "cudnn": cudnn_report(est, backend),
        "padding": bench_padding(X, y, workload),
    }
    keras.backend.clear_session()
    return result


def worker(args):
    import keras

    backend = keras.backend.backend()
    gpus = find_gpus(backend)
    result = {"backend": backend, "gpus": gpus, "workloads": {}}
    if gpus:
        warm_up()
        for name in args.workloads:
            workload = GPU_WORKLOADS[name]
            epochs = workload.epochs_for(args.quick)
            result["workloads"][name] = bench_workload(workload, epochs, args, backend)
    print(json.dumps(result))


# ----------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------
def _cold_warm(seconds):
    warm = f" / {median(seconds[1:]):.2f}" if len(seconds) > 1 else ""
    return f"{seconds[0]:.2f}{warm}"


def report(raw, args):
    rows = []
    for name, res in raw["workloads"].items():
        w = GPU_WORKLOADS[name]
        hand, skl = res["fits"]["hand Keras"], res["fits"]["sklstm"]
        p_hand, p_skl = res["predicts"]["hand Keras"], res["predicts"]["sklstm"]
        rows.append(
            [
                f"{name} {w.shape} b{w.batch_size} e{res['epochs']} LSTM({w.units})",
                _cold_warm(hand),
                _cold_warm(skl),
                f"{median(hand) / median(skl):.2f}x",
                f"{p_hand['one_ms']:.2f} / {p_skl['one_ms']:.2f}",
                f"{p_hand['large_s'] * 1e3:.0f} / {p_skl['large_s'] * 1e3:.0f}",
            ]
        )
    name = BACKEND_NAMES.get(raw["backend"], raw["backend"])
    print()
    print(
        format_table(
            [
                "workload",
                "Keras fit s",
                "sklstm fit s",
                "Keras/sklstm",
                "1 row ms Keras / sklstm",
                f"{N_LARGE} rows ms Keras / sklstm",
            ],
            rows,
            title=f"GPU, backend {name} on {', '.join(raw['gpus'])} (fit: seconds "
            f"cold / warm over {args.repeats} repeats; ratio of medians > 1: sklstm "
            f"faster; predict: median of {args.calls} calls on 1 row, 5 on "
            f"{N_LARGE} rows, Keras' model.predict against sklstm's predict)",
        )
    )
    for name, res in raw["workloads"].items():
        print(f"{name}: cuDNN conditions: {res['cudnn']}")
        padding = res["padding"]
        print(f"{name}: 1-epoch fit, padding pre: {padding['pre']}")
        print(f"{name}: 1-epoch fit, padding post: {padding['post']}")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="fewer epochs")
    add_backend_argument(parser)
    parser.set_defaults(backend="both")
    parser.add_argument(
        "--workloads",
        default=",".join(GPU_WORKLOADS),
        help="comma-separated subset of " + ", ".join(GPU_WORKLOADS),
    )
    parser.add_argument("--json", help="also write the raw timings to this file")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.workloads = [w for w in args.workloads.split(",") if w]
    if args.repeats is None:
        args.repeats = 2 if args.quick else 3
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.worker:
        worker(args)
        return None
    print(machine_line())
    forwarded = [
        "--worker",
        "--repeats",
        str(args.repeats),
        "--calls",
        str(args.calls),
        "--workloads",
        ",".join(args.workloads),
    ] + ["--quick"] * args.quick
    out = {}
    for backend in BACKEND_CHOICES[args.backend]:
        raw = run_json_subprocess(
            [os.path.basename(__file__), *forwarded], env={"KERAS_BACKEND": backend}
        )
        out[backend] = raw
        if "error" in raw:
            print(f"\nbackend {backend} failed: {raw['error']}")
        elif not raw["gpus"]:
            print(f"\nNo GPU on backend {backend}: nothing to time there.")
        else:
            report(raw, args)
    if not any(raw.get("gpus") for raw in out.values()):
        print("\nNo GPU found on any backend: bench_gpu.py timed nothing.")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)
    return out


if __name__ == "__main__":
    main()
