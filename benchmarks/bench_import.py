"""Import time of sklstm (and of scikeras), each in a fresh interpreter.

Each statement runs ``--repeats`` times (default 5) in a new ``python``
process; the time is ``time.perf_counter()`` around the statement alone
(interpreter start-up excluded), and the process then reports whether
TensorFlow, JAX or Keras got imported. ``import sklearn.base`` is the floor
for any scikit-learn estimator: ``from sklstm import LSTMRegressor`` has to
import it. With ``--importtime`` it also prints the slowest modules that
``python -X importtime`` reports under ``from sklstm import LSTMRegressor``.

    python benchmarks/bench_import.py [--repeats 5] [--importtime]
"""

import argparse
import json
import subprocess
import sys

from _common import format_table, machine_line, median

STATEMENTS = {
    "import sklstm": "import sklstm",
    "from sklstm import LSTMRegressor": "from sklstm import LSTMRegressor",
    "from sklstm import *": "from sklstm import *",
    "import sklearn.base (floor)": "import sklearn.base",
    "import keras (TF backend)": "import keras",
    "import scikeras": "import scikeras",
    "from scikeras.wrappers import KerasRegressor": (
        "from scikeras.wrappers import KerasRegressor"
    ),
}

_PROBE = """
import json, sys, time
start = time.perf_counter()
{statement}
seconds = time.perf_counter() - start
print(json.dumps({{
    "seconds": seconds,
    "tensorflow": "tensorflow" in sys.modules,
    "jax": "jax" in sys.modules,
    "keras": "keras" in sys.modules,
}}))
"""


def probe(statement):
    env_code = _PROBE.format(statement=statement)
    proc = subprocess.run(
        [sys.executable, "-c", env_code],
        capture_output=True,
        text=True,
        env=_env(),
    )
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _env():
    import os

    return {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}


def import_time_by_package(statement):
    """Self import time summed per top-level package, from ``-X importtime``."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        capture_output=True,
        text=True,
        env=_env(),
    )
    totals = {}
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _, name = line[len("import time:") :].split("|")
        package = name.strip().split(".")[0]
        totals[package] = totals.get(package, 0) + int(self_us)
    return sorted(totals.items(), key=lambda item: -item[1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="3 repeats")
    parser.add_argument("--importtime", action="store_true")
    parser.add_argument("--json", help="also write the raw timings to this file")
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else args.repeats

    print(machine_line())
    raw, rows = {}, []
    for label, statement in STATEMENTS.items():
        runs = [probe(statement) for _ in range(repeats)]
        raw[label] = runs
        if "error" in runs[-1]:
            rows.append([label, "error", "-", runs[-1]["error"]])
            continue
        seconds = [r["seconds"] for r in runs]
        loaded = [m for m in ("tensorflow", "jax", "keras") if runs[-1][m]]
        rows.append(
            [
                label,
                f"{median(seconds):.3f}",
                f"{min(seconds):.3f}",
                ", ".join(loaded) or "none",
            ]
        )
    print()
    print(
        format_table(
            [
                "statement (fresh process)",
                "median s",
                "min s",
                "imports of TF/JAX/Keras",
            ],
            rows,
            title=f"Import time (median of {repeats} fresh processes)",
        )
    )
    floor = median([r["seconds"] for r in raw["import sklearn.base (floor)"]])
    cost = median([r["seconds"] for r in raw["from sklstm import LSTMRegressor"]])
    print(
        f"\nfrom sklstm import LSTMRegressor beyond import sklearn.base: "
        f"{cost - floor:.3f} s"
    )
    if args.importtime:
        print("\nimport time by package under `from sklstm import LSTMRegressor`:")
        for package, self_us in import_time_by_package(
            "from sklstm import LSTMRegressor"
        )[:10]:
            print(f"  {self_us / 1e6:7.3f} s  {package}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(raw, f, indent=1)
    return raw


if __name__ == "__main__":
    main()
