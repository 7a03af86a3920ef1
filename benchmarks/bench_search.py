"""GridSearchCV over LSTMRegressor: n_jobs=1 against n_jobs=2 (loky).

The grid is 8 candidates (units in {4, 8} x learning_rate in {0.01, 0.02} x
epochs in {3, 5}) x 3 folds = 24 fits, then the refit of the best candidate
(``refit=True``, the default, run in the parent process), on 600 UCR-like
sequences of 24 steps (batch 32).

Each configuration runs in a fresh Python process, so that TensorFlow's
thread pools and joblib's worker pool start from nothing:

- ``n_jobs=1``: sklstm as shipped, TensorFlow's default threads.
- ``n_jobs=2``: sklstm as shipped, loky workers. Before its first Keras
  import, each worker passes the thread share joblib gives it
  (``OMP_NUM_THREADS`` = cores // n_jobs) to TensorFlow, and every fit drops
  the gradient registrations TensorFlow would otherwise keep (~10 MB a fit,
  see bench_memory.py), so loky's memory-leak guard never restarts a worker.
- ``n_jobs=2, TF threads = cores``: the workers' environment sets
  ``TF_NUM_INTRAOP_THREADS`` to the number of cores, which sklstm never
  overrides: what a search costs without the per-worker limit (each worker
  runs as many threads as the machine has cores).

The first ``n_jobs=2`` search in a process ("cold") includes starting the
workers and importing TensorFlow in each; a second identical search in the
same process ("warm") reuses them, as loky does.

    python benchmarks/bench_search.py [--quick]
"""

import argparse
import json
import os
import tempfile
import time

from _common import (
    Workload,
    format_table,
    machine_line,
    make_data,
    run_json_subprocess,
)

PARAM_GRID = {
    "units": [4, 8],
    "learning_rate": [0.01, 0.02],
    "epochs": [3, 5],
}
SEARCH_DATA = Workload("search", 600, 24, 1, 32, 5, 8, 5)

CORES = os.cpu_count() or 1
CONFIGS = {
    "n_jobs=1": {"n_jobs": 1},
    "n_jobs=2": {"n_jobs": 2},
    "n_jobs=2, TF threads = cores": {
        "n_jobs": 2,
        "worker_env": {
            "TF_NUM_INTRAOP_THREADS": str(CORES),
            "TF_NUM_INTEROP_THREADS": str(CORES),
        },
    },
}
QUICK_CONFIGS = ("n_jobs=1", "n_jobs=2")


def _regressor_class():
    """LSTMRegressor, logging which process ran each fit."""
    from sklstm import LSTMRegressor

    class LoggedLSTMRegressor(LSTMRegressor):
        def fit(self, X, y, sample_weight=None):
            with open(os.environ["BENCH_SEARCH_PID_LOG"], "a") as f:
                f.write(f"{os.getpid()}\n")
            return super().fit(X, y, sample_weight=sample_weight)

    return LoggedLSTMRegressor


def worker_probe():
    """What a worker sees: its thread limits and how many threads it runs."""
    import psutil
    import tensorflow as tf

    return {
        "pid": os.getpid(),
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS"),
        "TF_NUM_INTRAOP_THREADS": os.environ.get("TF_NUM_INTRAOP_THREADS"),
        "tf_intra_op": tf.config.threading.get_intra_op_parallelism_threads(),
        "tf_inter_op": tf.config.threading.get_inter_op_parallelism_threads(),
        "os_threads": psutil.Process().num_threads(),
    }


def run_config(name):
    config = CONFIGS[name]
    import keras
    from joblib import Parallel, delayed
    from sklearn.model_selection import GridSearchCV, KFold

    keras.ops.convert_to_tensor([0.0])  # start the parent's runtime first
    os.environ.update(config.get("worker_env", {}))
    # Set before the workers start, which inherit it.
    fd, pid_log = tempfile.mkstemp(suffix=".pids")
    os.close(fd)
    os.environ["BENCH_SEARCH_PID_LOG"] = pid_log
    estimator_class = _regressor_class()
    X, y = make_data(SEARCH_DATA)
    search = GridSearchCV(
        estimator_class(
            batch_size=SEARCH_DATA.batch_size, validation_split=0.0, random_state=0
        ),
        PARAM_GRID,
        cv=KFold(3),
        n_jobs=config["n_jobs"],
        scoring="neg_mean_squared_error",
    )
    times, processes = [], []
    runs = 2 if config["n_jobs"] > 1 else 1
    for _ in range(runs):
        open(pid_log, "w").close()  # the workers append to it
        start = time.perf_counter()
        search.fit(X, y)
        times.append(time.perf_counter() - start)
        with open(pid_log) as f:
            pids = set(f.read().split())
        # processes other than the parent (which refits) that ran fits
        processes.append(len(pids - {str(os.getpid())}))
    os.unlink(pid_log)
    probes = []
    if config["n_jobs"] > 1:  # the same (reused) loky workers as the search
        probes = Parallel(n_jobs=config["n_jobs"])(
            delayed(worker_probe)() for _ in range(4)
        )
        probes = list({p["pid"]: p for p in probes}.values())
    result = {
        "times": times,
        "best_params": search.best_params_,
        "best_score": float(search.best_score_),
        "workers": probes,
        "worker_processes": processes,
    }
    print(json.dumps(result))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 configurations")
    parser.add_argument("--json", help="also write the raw timings to this file")
    parser.add_argument("--config", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.config:
        run_config(args.config)
        return None

    print(machine_line())
    names = QUICK_CONFIGS if args.quick else tuple(CONFIGS)
    raw = {}
    for name in names:
        raw[name] = run_json_subprocess(
            [os.path.basename(__file__), "--config", name],
        )
    serial = raw["n_jobs=1"]["times"][0] if "times" in raw["n_jobs=1"] else None
    rows = []
    for name, res in raw.items():
        if "error" in res:
            rows.append([name, "error", "-", "-", "-", "-", res["error"][:60]])
            continue
        cold = res["times"][0]
        warm = res["times"][1] if len(res["times"]) > 1 else None
        rows.append(
            [
                name,
                f"{cold:.1f}",
                f"{serial / cold:.2f}x" if serial else "-",
                f"{warm:.1f}" if warm else "-",
                f"{serial / warm:.2f}x" if serial and warm else "-",
                "/".join(str(n) for n in res["worker_processes"]) or "-",
                f"{res['best_score']:.4f}",
            ]
        )
    print()
    print(
        format_table(
            [
                "configuration",
                "cold s",
                "speed-up",
                "warm s",
                "speed-up",
                "worker processes",
                "best score",
            ],
            rows,
            title="GridSearchCV, 8 candidates x 3 folds + refit "
            f"({SEARCH_DATA.shape}, batch {SEARCH_DATA.batch_size}); "
            "speed-up against n_jobs=1; worker processes: how many processes ran "
            "the 24 fits (cold/warm; 2 = no worker was restarted)",
        )
    )
    for name, res in raw.items():
        for probe in res.get("workers", []):
            print(
                f"{name}: worker {probe['pid']}: OMP_NUM_THREADS="
                f"{probe['OMP_NUM_THREADS']}, TF_NUM_INTRAOP_THREADS="
                f"{probe['TF_NUM_INTRAOP_THREADS']}, tf intra/inter-op setting "
                f"{probe['tf_intra_op']}/{probe['tf_inter_op']} (0 = default), "
                f"{probe['os_threads']} OS threads"
            )
    if args.json:
        with open(args.json, "w") as f:
            json.dump(raw, f, indent=1)
    return raw


if __name__ == "__main__":
    main()
