"""Run every sklstm benchmark, one after the other, and print their tables.

    python benchmarks/run_all.py --quick           # about 10 minutes on 2 cores
    python benchmarks/run_all.py                   # full: about 45 minutes
    python benchmarks/run_all.py --explore         # add bench_fit --explore
    python benchmarks/run_all.py --backend both    # fit and predict on JAX too
    python benchmarks/run_all.py --backend all     # and on PyTorch

Each benchmark runs in its own process and writes its raw numbers as
``<benchmark>.json`` (into ``--json-dir DIR``, else a temporary folder); at
the end the run prints one summary table of every goal from them
(``summary.py``). ``--jax`` is ``--backend both``.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

from _common import add_backend_argument
from summary import summarize

HERE = os.path.dirname(os.path.abspath(__file__))
BENCHMARKS = (
    "bench_import",
    "bench_fit",
    "bench_predict",
    "bench_search",
    "bench_memory",
)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--explore", action="store_true")
    parser.add_argument("--jax", action="store_true", help="--backend both")
    add_backend_argument(parser)  # of bench_fit and bench_predict
    parser.add_argument(
        "--only", help="comma-separated subset of " + ", ".join(BENCHMARKS)
    )
    parser.add_argument("--json-dir")
    args = parser.parse_args(argv)
    names = args.only.split(",") if args.only else BENCHMARKS
    backend = "both" if args.jax and args.backend == "tensorflow" else args.backend
    json_dir = args.json_dir or tempfile.mkdtemp(prefix="sklstm-bench-")
    os.makedirs(json_dir, exist_ok=True)

    failed = []
    total = time.perf_counter()
    for name in names:
        command = [sys.executable, os.path.join(HERE, f"{name}.py")]
        command += ["--quick"] * args.quick
        if name in ("bench_fit", "bench_predict"):
            command += ["--backend", backend]
        command += ["--json", os.path.join(json_dir, f"{name}.json")]
        print(f"\n##### {name} #####", flush=True)
        start = time.perf_counter()
        if subprocess.call(command, cwd=HERE) != 0:
            failed.append(name)
        print(f"[{name}: {time.perf_counter() - start:.0f} s]", flush=True)
        if name == "bench_fit" and args.explore:
            print("\n##### bench_fit --explore #####", flush=True)
            start = time.perf_counter()
            explore = command[:2] + ["--explore"] + ["--quick"] * args.quick
            if subprocess.call(explore, cwd=HERE) != 0:
                failed.append("bench_fit --explore")
            print(f"[bench_fit --explore: {time.perf_counter() - start:.0f} s]")
    print(f"\nall benchmarks: {time.perf_counter() - total:.0f} s (raw: {json_dir})\n")
    print(summarize(json_dir))
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
