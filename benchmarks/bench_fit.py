"""Fit time of LSTMRegressor against hand-written Keras and scikeras.

Every timed fit is a whole fit, from building the network to the last epoch,
on the same data, architecture (LSTM(units) -> Dense(1)), optimizer (Adam,
learning rate 0.001), loss (MSE), batch size, epochs and seed. scikeras'
``KerasRegressor`` and ``sklstm.wrappers.KerasRegressor`` (its drop-in) fit
the same builder with the same parameters. The ways of fitting run in turn
within each repeat, so a change in the machine's load hits them alike; the
table gives the median of ``--repeats`` runs. Each backend runs in a fresh
subprocess, after one tiny untimed fit per path that loads the backend's
kernels (the only warm-up excluded from the timings). Each figure is given
cold and warm: cold is the first repeat, the first fit of that architecture in
the process (what a single fit in a script costs); warm is the median of the
other repeats, where sklstm reuses the network it compiled before (what each
fit of a search costs, see ``docs/user_guide/speed.rst``). On JAX the cold fit of
each way starts with an empty compilation-cache folder of its own, so cold
figures include XLA's compilation.

    python benchmarks/bench_fit.py                  # the three workloads, 5 repeats
    python benchmarks/bench_fit.py --quick          # fewer epochs, 3 repeats
    python benchmarks/bench_fit.py --explore        # time each sklstm knob
    python benchmarks/bench_fit.py --backend both   # TensorFlow and JAX
    python benchmarks/bench_fit.py --backend all    # and PyTorch, if installed
    python benchmarks/bench_fit.py --backend both --repeats 2 --processes 3 \
        --ways "hand Keras,sklstm"                  # cold: the median of 3 processes

``--explore`` times sklstm over ``steps_per_execution`` in {1, 8, 32, 128},
``unroll`` in {False, True} and ``jit_compile`` in {False, True}, plus
hand-written Keras with one sklstm default added at a time (unrolling, the
NaN-masking layer, the ``TerminateOnNaN`` callback), so that defaults can be
chosen by measurement.
"""

import argparse
import itertools
import json
import os
import tempfile
import time

import numpy as np
from _common import (
    BACKEND_CHOICES,
    BACKEND_NAMES,
    SGEMM_PEAK_GFLOPS,
    UCR_GFLOP,
    WORKLOADS,
    add_backend_argument,
    format_table,
    hand_keras_fit,
    machine_line,
    make_data,
    median,
    run_json_subprocess,
    scikeras_fit,
    sklstm_fit,
    sklstm_wrappers_fit,
    warm_up,
)

SPE = (1, 8, 32, 128)


# ----------------------------------------------------------------------
# Worker: runs in a subprocess with KERAS_BACKEND set
# ----------------------------------------------------------------------
def _timed(label, func, store, errors):
    if label in errors:
        return
    cpu_start = time.process_time()
    try:
        seconds, curve, _ = func()
    except Exception as exc:  # report, do not hide, a failing variant
        errors[label] = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
        return
    cpu = time.process_time() - cpu_start
    store.setdefault(label, {"seconds": [], "cpu": [], "loss": []})
    store[label]["seconds"].append(seconds)
    store[label]["cpu"].append(cpu)
    store[label]["loss"].append(float(curve[-1]))
    store[label]["curve"] = [float(v) for v in curve]  # of the last repeat


# sklstm with every "auto" fast path turned off: Keras' plain defaults. (On
# JAX, jit_compile=False would run every op eagerly, so it stays on there.)
PLAIN = {"steps_per_execution": 1, "unroll": False}


# The ways of fitting that --ways chooses from (see _main_variants).
MAIN_WAYS = ("hand Keras", "scikeras", "sklstm.wrappers", "sklstm", "sklstm plain")


def _main_variants(X, y, workload, epochs, backend):
    plain = dict(PLAIN, jit_compile=backend == "jax")
    return {
        "hand Keras": lambda: hand_keras_fit(X, y, workload, epochs),
        "scikeras": lambda: scikeras_fit(X, y, workload, epochs),
        "sklstm.wrappers": lambda: sklstm_wrappers_fit(X, y, workload, epochs),
        "sklstm": lambda: sklstm_fit(X, y, workload, epochs),
        "sklstm plain": lambda: sklstm_fit(X, y, workload, epochs, **plain),
    }


def _explore_variants(X, y, workload, epochs, backend):
    import keras

    from sklstm._layers import NaNMasking

    variants = {
        "hand Keras": lambda: hand_keras_fit(X, y, workload, epochs),
        "hand Keras + unroll": lambda: hand_keras_fit(
            X, y, workload, epochs, lstm_kw={"unroll": True}
        ),
        "hand Keras + NaNMasking": lambda: hand_keras_fit(
            X, y, workload, epochs, pre_layers=[NaNMasking()]
        ),
        "hand Keras + TerminateOnNaN": lambda: hand_keras_fit(
            X, y, workload, epochs, callbacks=[keras.callbacks.TerminateOnNaN()]
        ),
        "sklstm defaults": lambda: sklstm_fit(X, y, workload, epochs),
        "sklstm mask_value=None": lambda: sklstm_fit(
            X, y, workload, epochs, mask_value=None
        ),
    }
    # Without jit, the JAX backend runs every op eagerly: minutes per fit.
    jits = (False, True) if backend == "tensorflow" else (True,)
    for spe, unroll, jit in itertools.product(SPE, (False, True), jits):
        params = {"steps_per_execution": spe, "unroll": unroll, "jit_compile": jit}
        variants[_knob_label(params)] = lambda params=params: sklstm_fit(
            X, y, workload, epochs, **params
        )
    return variants


def _knob_label(params):
    return "sklstm spe={steps_per_execution} unroll={unroll} jit={jit_compile}".format(
        **params
    )


def _empty_jax_cache(label):
    """Point JAX's compilation cache at a new, empty folder for ``label``.

    The ways of fitting compile the same steps (one architecture, one
    optimizer), so with one folder for all, the first way's cold fit would
    fill the cache that the others' "cold" fits then load. Each way's first
    fit gets a folder of its own; the warm repeats keep the last one. JAX's
    in-memory caches are emptied too: they hold the small functions that
    create initial weights, compiled per shape by the way before.
    """
    import jax
    from jax.experimental.compilation_cache import compilation_cache

    jax.clear_caches()
    folder = tempfile.mkdtemp(prefix="cold-", dir=os.environ["SKLSTM_JAX_CACHE"])
    compilation_cache.reset_cache()
    compilation_cache.set_cache_dir(folder)


def worker(args):
    import keras

    backend = keras.backend.backend()
    warm_up()
    results = {"backend": backend, "workloads": {}}
    for name in args.workloads:
        workload = WORKLOADS[name]
        epochs = workload.epochs_for(args.quick)
        X, y = make_data(workload)
        if args.explore:
            variants = _explore_variants(X, y, workload, epochs, backend)
        else:
            variants = _main_variants(X, y, workload, epochs, backend)
        if args.ways:
            variants = {k: v for k, v in variants.items() if k in args.ways}
        store, errors = {}, {}
        for repeat in range(args.repeats):
            for label, func in variants.items():
                if backend == "jax" and repeat == 0:
                    _empty_jax_cache(label)
                _timed(label, func, store, errors)
                keras.backend.clear_session()
        results["workloads"][name] = {
            "epochs": epochs,
            "times": store,
            "errors": errors,
        }
    print(json.dumps(results))


# ----------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------
def _cold(entry):
    """The first fit of the architecture in a process (median over processes)."""
    return median(entry.get("cold") or entry["seconds"][:1])


def _warm(entry):
    """The median of the repeats after the first (None: a single repeat)."""
    warm = entry.get("warm", entry["seconds"][1:])
    return median(warm) if warm else None


def _merge_processes(results):
    """One result from the workers of ``--processes``: cold and warm fits pooled."""
    merged = results[0]
    for name, res in merged["workloads"].items():
        for label, entry in res["times"].items():
            entries = [r["workloads"][name]["times"].get(label) for r in results]
            entries = [e for e in entries if e]
            entry["cold"] = [e["seconds"][0] for e in entries]
            entry["warm"] = [t for e in entries for t in e["seconds"][1:]]
            for key in ("seconds", "cpu", "loss"):
                entry[key] = [t for e in entries for t in e[key]]
        for r in results[1:]:
            res["errors"].update(r["workloads"][name]["errors"])
    return merged


def _cell(entry):
    if not entry:  # not run (--ways), or failed: the errors follow the table
        return "-"
    warm = _warm(entry)
    return f"{_cold(entry):.2f}" + (f" / {warm:.2f}" if warm is not None else "")


def _loss(entry):
    return f"{entry['loss'][-1]:.6f}" if entry else "-"


def _ratio(a, b):
    if not a or not b:
        return "-"
    cold = f"{_cold(a) / _cold(b):.2f}x"
    if _warm(a) is None or _warm(b) is None:
        return cold
    return f"{cold} / {_warm(a) / _warm(b):.2f}x"


def _curve_diff(a, b):
    """Largest relative difference between two loss curves, over all epochs."""
    if not a or not b:
        return "-"
    x, y = np.asarray(a["curve"]), np.asarray(b["curve"])
    return f"{np.max(np.abs(x - y) / np.abs(y)):.1e}"


def _workload_cell(name, epochs):
    w = WORKLOADS[name]
    return f"{name} {w.shape} b{w.batch_size} e{epochs} LSTM({w.units})"


def main_table(result, repeats):
    rows = []
    for name, res in result["workloads"].items():
        t = res["times"]
        hand, skr, wrap, skl, plain = (
            t.get(k)
            for k in (
                "hand Keras",
                "scikeras",
                "sklstm.wrappers",
                "sklstm",
                "sklstm plain",
            )
        )
        rows.append(
            [
                _workload_cell(name, res["epochs"]),
                _cell(hand),
                _cell(skr),
                _cell(wrap),
                _cell(skl),
                _cell(plain),
                _ratio(hand, skl),
                _ratio(skr, skl),
                _ratio(skr, wrap),
                _loss(hand),
                _loss(skl),
                _curve_diff(skl, plain),
                _curve_diff(wrap, skr),
            ]
        )
    table = format_table(
        [
            "workload",
            "Keras s",
            "scikeras s",
            "wrappers s",
            "sklstm s",
            "plain s",
            "Keras/sklstm",
            "scikeras/sklstm",
            "wrappers vs scikeras",
            "loss Keras",
            "loss sklstm",
            "curve diff",
            "wrappers curve diff",
        ],
        rows,
        title=f"Fit time, backend {result['backend']}, seconds cold / warm (cold: "
        "the first fit of the architecture in a process, after one tiny fit of "
        "another, the median over --processes; warm: median of the other "
        f"{repeats - 1} repeats of each process, where sklstm "
        "reuses its compiled network; "
        "ratio > 1: sklstm faster; wrappers: sklstm.wrappers.KerasRegressor on "
        "scikeras' network, 'wrappers vs scikeras' > 1: it is faster than "
        "scikeras; plain: sklstm with its fast paths off; loss: "
        "final training loss (sklstm seeds its initialisers itself, so its curve "
        "differs from Keras' by the draw); curve diff: largest relative "
        "difference between the loss curves of sklstm and plain; wrappers curve "
        "diff: the same between sklstm.wrappers and scikeras)",
    )
    notes = _errors(result)
    ucr = result["workloads"].get("ucr")
    if ucr and ucr["epochs"] == WORKLOADS["ucr"].epochs:
        for label in ("hand Keras", "sklstm"):
            if ucr["times"].get(label):
                secs = median(ucr["times"][label]["seconds"])
                notes.append(
                    f"ucr {label}: {UCR_GFLOP / secs:.1f} GFLOP/s achieved "
                    f"({UCR_GFLOP:.0f} GFLOP / {secs:.2f} s), "
                    f"{100 * UCR_GFLOP / secs / SGEMM_PEAK_GFLOPS:.0f}% of the "
                    f"~{SGEMM_PEAK_GFLOPS:.0f} GFLOP/s sgemm peak"
                )
    return "\n".join([table, *notes])


def backends_table(raw, repeats):
    """sklstm on each backend against hand-written Keras on TensorFlow."""
    rows = []
    tf_runs = raw["tensorflow"]["workloads"]
    for name, res in tf_runs.items():
        hand = res["times"].get("hand Keras")
        row = [_workload_cell(name, res["epochs"]), _cell(hand)]
        for backend in raw:
            skl = raw[backend]["workloads"].get(name, {}).get("times", {}).get("sklstm")
            row += [_cell(skl), _ratio(hand, skl)]
        if name == "ucr" and res["epochs"] == WORKLOADS["ucr"].epochs:
            best = min(
                median(raw[b]["workloads"]["ucr"]["times"]["sklstm"]["seconds"])
                for b in raw
            )
            row.append(f"{UCR_GFLOP / SGEMM_PEAK_GFLOPS / best * 100:.0f}%")
        else:
            row.append("-")
        rows.append(row)
    return format_table(
        [
            "workload",
            "Keras on TF s",
            *(
                column
                for backend in raw
                for column in (f"sklstm {BACKEND_NAMES[backend]} s", "vs Keras TF")
            ),
            "best vs compute limit",
        ],
        rows,
        title=f"sklstm on each backend against hand-written Keras on TensorFlow "
        f"(seconds cold / warm, as above; ratio > 1: sklstm faster; compute limit: "
        f"{UCR_GFLOP:.0f} GFLOP at ~{SGEMM_PEAK_GFLOPS:.0f} GFLOP/s sgemm)",
    )


def explore_table(result, repeats):
    out = []
    for name, res in result["workloads"].items():
        t = res["times"]
        base = t.get("hand Keras")
        rows = [
            [
                label,
                _cell(entry),
                f"{median(entry['cpu']):.2f}" if entry else "-",
                _ratio(base, entry),
                _loss(entry),
                _curve_diff(entry, base),
            ]
            for label, entry in t.items()
        ]
        out.append(
            format_table(
                [
                    "variant",
                    "fit s",
                    "CPU s",
                    "Keras/variant",
                    "final loss",
                    "curve diff",
                ],
                rows,
                title=f"Explore {_workload_cell(name, res['epochs'])}, backend "
                f"{result['backend']} (median of {repeats})",
            )
        )
        knobs = {k: v for k, v in t.items() if k.startswith("sklstm spe=")}
        if knobs:
            best = min(knobs, key=lambda k: median(knobs[k]["seconds"]))
            out.append(
                f"fastest sklstm setting for {name}: {best} "
                f"({median(knobs[best]['seconds']):.2f} s)"
            )
        out.extend(_errors({"workloads": {name: res}}))
        out.append("")
    return "\n".join(out)


def _errors(result):
    return [
        f"{name}: {label} failed: {message}"
        for name, res in result["workloads"].items()
        for label, message in res["errors"].items()
    ]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--quick", action="store_true", help="fewer epochs")
    parser.add_argument("--explore", action="store_true", help="time sklstm knobs")
    add_backend_argument(parser)
    parser.add_argument(
        "--workloads",
        default=",".join(WORKLOADS),
        help="comma-separated subset of " + ", ".join(WORKLOADS),
    )
    parser.add_argument(
        "--ways",
        default="",
        help="comma-separated ways of fitting to run (default: all), e.g. "
        "'hand Keras,sklstm' for the cold single fits of both backends",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="run each backend in this many fresh processes, one after another; "
        "cold figures are the median of the processes' first fits",
    )
    parser.add_argument("--json", help="also write the raw timings to this file")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.workloads = [w for w in args.workloads.split(",") if w]
    args.ways = [w.strip() for w in args.ways.split(",") if w.strip()]
    unknown = sorted(set(args.ways) - set(MAIN_WAYS))
    if unknown or (args.ways and args.explore):
        parser.error(
            f"--ways takes a comma-separated subset of {', '.join(MAIN_WAYS)} "
            f"(without --explore); got {', '.join(unknown) or args.ways}"
        )
    if args.processes < 1:
        parser.error(f"--processes must be at least 1, got {args.processes}")
    if args.repeats is None:
        args.repeats = 3 if (args.quick or args.explore) else 5
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.worker:
        worker(args)
        return
    print(machine_line())
    backends = BACKEND_CHOICES[args.backend]
    forwarded = [
        "--repeats",
        str(args.repeats),
        "--workloads",
        ",".join(args.workloads),
    ]
    forwarded += ["--quick"] * args.quick + ["--explore"] * args.explore
    forwarded += ["--ways", ",".join(args.ways)] * bool(args.ways)
    raw = {}
    for backend in backends:
        results = []
        for _ in range(args.processes):
            with tempfile.TemporaryDirectory(prefix="sklstm-jaxcache-") as cache:
                results.append(
                    run_json_subprocess(
                        [os.path.basename(__file__), "--worker", *forwarded],
                        env={"KERAS_BACKEND": backend, "SKLSTM_JAX_CACHE": cache},
                    )
                )
        failed = [r for r in results if "error" in r]
        result = failed[0] if failed else _merge_processes(results)
        raw[backend] = result
        if "error" in result:
            print(f"\nbackend {backend} failed: {result['error']}")
            print(result["stderr"])
            continue
        print()
        if args.explore:
            print(explore_table(result, args.repeats))
        else:
            print(main_table(result, args.repeats))
    if (
        len(backends) > 1
        and backends[0] == "tensorflow"
        and not args.explore
        and all("error" not in r for r in raw.values())
    ):
        print()
        print(backends_table(raw, args.repeats))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(raw, f, indent=1)
    return raw


if __name__ == "__main__":
    main()
