"""One table of every figure of the speed and memory goals, from the JSON files.

``run_all.py`` writes each benchmark's raw numbers as ``<benchmark>.json``
into one folder and prints this table at the end of the run; it can also be
printed again from such a folder:

    python benchmarks/summary.py DIR

Rows are the measures (fit of each workload, predict of 1 and 10,000 rows,
import, memory growth, parallel search), on each backend measured; columns
are hand-written Keras, scikeras' ``KerasRegressor``, its drop-in
``sklstm.wrappers.KerasRegressor`` on the same network (fit and predict) and
sklstm, measured in the same run, with the ratios computed pair by pair (> 1:
sklstm faster, or smaller; "sklstm.wrappers vs scikeras" > 1: the wrapper
faster), sklstm against hand-written Keras on TensorFlow, the goal and
whether it is met. A benchmark missing from the folder leaves its rows out.
"""

import argparse
import json
import os

from _common import BACKEND_NAMES, WORKLOADS, format_table, median

HEADERS = [
    "measure",
    "backend",
    "hand Keras",
    "scikeras",
    "sklstm.wrappers",
    "sklstm",
    "Keras/sklstm",
    "scikeras/sklstm",
    "sklstm.wrappers vs scikeras",
    "sklstm vs Keras TF",
    "goal",
    "met",
]


def _load(json_dir, name):
    path = os.path.join(json_dir, f"{name}.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def _num(value, digits):
    return "-" if value is None else f"{value:.{digits}f}"


def _ratio(a, b):
    if a is None or b is None or a <= 0 or b <= 0:
        return None
    return a / b


def _x(value):
    return "-" if value is None else f"{value:.2f}x"


def _met(ok):
    return "-" if ok is None else ("yes" if ok else "no")


def _row(
    measure,
    backend,
    hand,
    skr,
    skl,
    digits,
    tf_hand=None,
    goal="",
    met=None,
    wrap=None,
):
    return [
        measure,
        BACKEND_NAMES.get(backend, backend),
        _num(hand, digits),
        _num(skr, digits),
        _num(wrap, digits),
        _num(skl, digits),
        _x(_ratio(hand, skl)),
        _x(_ratio(skr, skl)),
        _x(_ratio(skr, wrap)),
        _x(_ratio(tf_hand, skl)),
        goal,
        _met(met),
    ]


def fit_rows(raw):
    rows = []
    tf = raw.get("tensorflow", {}).get("workloads", {})
    for name in WORKLOADS:
        for backend, result in raw.items():
            res = result.get("workloads", {}).get(name)
            if not res:
                continue
            times = res["times"]

            def sec(label, times=times):
                entry = times.get(label)
                return median(entry["seconds"]) if entry else None

            hand, skr, skl = sec("hand Keras"), sec("scikeras"), sec("sklstm")
            wrap = sec("sklstm.wrappers")
            tf_entry = tf.get(name, {}).get("times", {}).get("hand Keras")
            tf_hand = median(tf_entry["seconds"]) if tf_entry else None
            if backend == "tensorflow":
                ratio = _ratio(hand, skl)
                goal, met = ">= 1.5x Keras", None if ratio is None else ratio >= 1.5
            elif backend == "jax":
                ratio = _ratio(tf_hand, skl)
                goal, met = ">= 3x Keras TF", None if ratio is None else ratio >= 3
            else:
                goal, met = "runs", skl is not None
            w = WORKLOADS[name]
            rows.append(
                _row(
                    f"fit {name} {w.shape} e{res['epochs']} s",
                    backend,
                    hand,
                    skr,
                    skl,
                    2,
                    tf_hand,
                    goal,
                    met,
                    wrap,
                )
            )
    return rows


def predict_rows(raw):
    rows = []
    for network in ("airline", "ucr"):
        for what, key, scale, digits in (
            ("1 row ms", "one_ms", 1.0, 3),
            ("10000 rows ms", "large_s", 1e3, 1),
        ):
            for backend, result in raw.items():
                res = result.get(network)
                if not res:
                    continue

                def ms(label, res=res, key=key, scale=scale):
                    entry = res.get(label)
                    return entry[key] * scale if entry else None

                hand = ms("Keras model.predict")
                skr = ms("scikeras predict")
                skl = ms("sklstm predict")
                wrap = ms("sklstm.wrappers predict")
                ratio = _ratio(hand, skl)
                if key == "one_ms":
                    goal = "<= 1 ms, >= 30x"
                    met = None if skl is None else skl <= 1.0 and ratio >= 30
                else:
                    goal = "<= model.predict"
                    met = None if ratio is None else ratio >= 1
                rows.append(
                    _row(
                        f"predict {network} {what}",
                        backend,
                        hand,
                        skr,
                        skl,
                        digits,
                        goal=goal,
                        met=met,
                        wrap=wrap,
                    )
                )
    return rows


def import_rows(raw):
    def sec(label):
        runs = [r for r in raw.get(label, []) if "seconds" in r]
        return median([r["seconds"] for r in runs]) if runs else None

    skl = sec("import sklstm")
    return [
        _row(
            "import s",
            "-",
            sec("import keras (TF backend)"),
            sec("import scikeras"),
            skl,
            3,
            goal="<= 0.5 s",
            met=None if skl is None else skl <= 0.5,
        )
    ]


def memory_rows(raw):
    def growth(label):
        res = raw.get(label, {})
        rss = res.get("rss_mb")
        return rss[-1] - rss[0] if rss else None

    cycles = next((r.get("cycles") for r in raw.values() if r.get("cycles")), "?")
    rows = []
    for backend, labels in (
        ("tensorflow", ("hand Keras", "scikeras", "sklstm")),
        ("jax", (None, None, "sklstm on JAX")),
    ):
        hand, skr, skl = (growth(label) if label else None for label in labels)
        if skl is None:
            continue
        rows.append(
            _row(
                f"RSS growth, {cycles} cycles MB",
                backend,
                hand,
                skr,
                skl,
                1,
                goal="<= 50 MB",
                met=skl <= 50,
            )
        )
    return rows


def search_rows(raw):
    serial = raw.get("n_jobs=1", {}).get("times")
    parallel = raw.get("n_jobs=2", {}).get("times")
    if not serial or not parallel:
        return []
    rows = []
    for label, seconds in zip(("cold", "warm"), parallel, strict=False):
        speedup = serial[0] / seconds
        rows.append(
            [
                f"GridSearchCV 8x3 n_jobs=2 ({label}) vs n_jobs=1",
                "TF",
                "-",
                "-",
                "-",
                f"{speedup:.2f}x",
                "-",
                "-",
                "-",
                "-",
                ">= 1.6x",
                _met(speedup >= 1.6),
            ]
        )
    return rows


def summarize(json_dir):
    """The summary table from the JSON files in ``json_dir``, as a string."""
    rows = []
    sources = (
        ("bench_fit", fit_rows),
        ("bench_predict", predict_rows),
        ("bench_import", import_rows),
        ("bench_memory", memory_rows),
        ("bench_search", search_rows),
    )
    for name, make_rows in sources:
        raw = _load(json_dir, name)
        if raw:
            rows += make_rows({k: v for k, v in raw.items() if "error" not in v})
    return format_table(
        HEADERS,
        rows,
        title="Summary: medians from this run; ratios pair by pair (> 1: sklstm "
        "faster or smaller; sklstm.wrappers vs scikeras: scikeras' time over "
        "sklstm.wrappers', > 1: the wrapper faster); sklstm vs Keras TF: "
        "hand-written Keras on TensorFlow against sklstm on the row's backend; "
        "predict: 'hand Keras' is model.predict",
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json_dir", help="folder of <benchmark>.json files")
    args = parser.parse_args(argv)
    print(summarize(args.json_dir))


if __name__ == "__main__":
    main()
