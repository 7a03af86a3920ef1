"""Run scikeras' own test suite against scikeras and against ``sklstm.wrappers``.

The tests are taken from a checkout or a bare clone of scikeras' repository
(github.com/adriangb/scikeras) at the tag of the scikeras release installed
(``v0.13.0``, or ``HEAD`` where the tag is absent), copied to a temporary
folder twice, and run once as they are and once with every
``from scikeras.wrappers import`` replaced by ``from sklstm.wrappers import``.
The counts are printed side by side, with the share of the tests passing on
scikeras that also pass on sklstm, and the tests that pass on scikeras only.
Nothing of scikeras' suite is copied into this project.

Usage::

    python tools/run_scikeras_suite.py /path/to/scikeras/.git [-n 2] [-k EXPR]
"""

import argparse
import collections
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

OLD_IMPORT = "from scikeras.wrappers import"
# scikeras 0.13's tests import a name that Keras 3.6 renamed; both copies get
# the same one-line fix, so that test_compile_kwargs.py can be collected.
KERAS_FIXES = {
    "from keras.src.backend.common.variables import KerasVariable": (
        "from keras import Variable as KerasVariable"
    )
}
NEW_IMPORT = "from sklstm.wrappers import"
OUTCOMES = ("passed", "failed", "error", "skipped", "xfailed", "xpassed")


def git(repo, *args):
    return subprocess.run(
        ["git", "--git-dir", str(repo), *args],
        check=True,
        capture_output=True,
    ).stdout


def resolve_git_dir(path):
    path = Path(path)
    return path / ".git" if (path / ".git").exists() else path


def pick_ref(repo, wanted):
    tags = git(repo, "tag", "--list").decode().split()
    return wanted if wanted in tags else "HEAD"


def extract_tests(repo, ref, destination):
    """Write ``tests/`` of ``ref`` under ``destination``."""
    archive = git(repo, "archive", ref, "tests")
    subprocess.run(["tar", "-x", "-C", str(destination)], input=archive, check=True)


def fix_for_keras(folder):
    """Apply :data:`KERAS_FIXES` to the copied tests."""
    for path in sorted(Path(folder).rglob("*.py")):
        text = path.read_text()
        fixed = text
        for old, new in KERAS_FIXES.items():
            fixed = fixed.replace(old, new)
        if fixed != text:
            path.write_text(fixed)


def swap_imports(folder):
    """Point the copied tests at ``sklstm.wrappers``; return the files changed."""
    changed = []
    for path in sorted(Path(folder).rglob("*.py")):
        text = path.read_text()
        if OLD_IMPORT in text:
            path.write_text(text.replace(OLD_IMPORT, NEW_IMPORT))
            changed.append(path.name)
    return changed


def run_pytest(folder, junit, extra):
    """Run pytest on ``folder/tests``; results are written to ``junit``."""
    command = [
        sys.executable,
        "-m",
        "pytest",
        "tests",
        "-q",
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        f"--junitxml={junit}",
        *extra,
    ]
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONHASHSEED": "0"}
    subprocess.run(
        command, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def read_junit(junit):
    """``{test id: (outcome, message)}`` from a JUnit XML report."""
    results = {}
    if not Path(junit).exists():
        return results
    for case in ET.parse(junit).getroot().iter("testcase"):
        test_id = f"{case.get('classname')}::{case.get('name')}"
        outcome, message = "passed", ""
        for child in case:
            if child.tag in ("failure", "error"):
                outcome = "failed" if child.tag == "failure" else "error"
                message = child.get("message") or ""
            elif child.tag == "skipped":
                kind = child.get("type") or ""
                outcome = "xfailed" if "xfail" in kind else "skipped"
                message = child.get("message") or ""
        # a test that failed at teardown after passing is reported twice
        if results.get(test_id, ("passed",))[0] == "passed":
            results[test_id] = (outcome, message)
    return results


def summarise(reference, candidate):
    counts = {
        name: collections.Counter(outcome for outcome, _ in results.values())
        for name, results in (("scikeras", reference), ("sklstm", candidate))
    }
    print(f"{'outcome':<10}{'scikeras':>10}{'sklstm':>10}")
    for outcome in OUTCOMES:
        ref, cand = counts["scikeras"][outcome], counts["sklstm"][outcome]
        if ref or cand:
            print(f"{outcome:<10}{ref:>10}{cand:>10}")
    print(f"{'total':<10}{len(reference):>10}{len(candidate):>10}")
    passing = [t for t, (outcome, _) in reference.items() if outcome == "passed"]
    both = [t for t in passing if candidate.get(t, ("missing",))[0] == "passed"]
    share = 100 * len(both) / max(len(passing), 1)
    print(
        f"\n{len(both)} of the {len(passing)} tests passing on scikeras pass on "
        f"sklstm.wrappers: {share:.1f} %"
    )
    lost = [t for t in passing if t not in both]
    if lost:
        print("\nPassing on scikeras only:")
        for test_id in lost:
            outcome, message = candidate.get(test_id, ("missing", ""))
            first_line = message.strip().splitlines()[0] if message.strip() else ""
            print(f"  {outcome:<8}{test_id}\n          {first_line[:160]}")
    gained = [
        t
        for t, (outcome, _) in candidate.items()
        if outcome == "passed" and reference.get(t, ("missing",))[0] != "passed"
    ]
    if gained:
        print(f"\nPassing on sklstm only: {len(gained)}")
        for test_id in gained:
            print(f"  {reference.get(test_id, ('missing',))[0]:<8}{test_id}")
    return share


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", help="scikeras repository (checkout or git dir)")
    parser.add_argument("--ref", default="v0.13.0", help="tag to test (else HEAD)")
    parser.add_argument("-n", default=None, help="pytest-xdist workers")
    parser.add_argument("-k", default=None, help="pytest -k expression")
    parser.add_argument(
        "--only", choices=("scikeras", "sklstm"), help="run one side only"
    )
    parser.add_argument("--keep", help="folder to keep the runs in")
    args = parser.parse_args(argv)

    repo = resolve_git_dir(args.repo)
    ref = pick_ref(repo, args.ref)
    extra = []
    if args.n:
        extra += ["-n", str(args.n)]
    if args.k:
        extra += ["-k", args.k]
    print(f"scikeras tests at {ref} ({git(repo, 'rev-parse', ref).decode().strip()})")

    base = Path(args.keep or tempfile.mkdtemp(prefix="scikeras-suite-"))
    results = {}
    for side in ("scikeras", "sklstm"):
        folder = base / side
        junit = base / f"{side}.xml"
        if args.only and args.only != side:
            results[side] = read_junit(junit)
            continue
        folder.mkdir(parents=True, exist_ok=True)
        extract_tests(repo, ref, folder)
        fix_for_keras(folder)
        if side == "sklstm":
            changed = swap_imports(folder)
            print(f"imports swapped in {len(changed)} files: {', '.join(changed)}")
        run_pytest(folder, junit, extra)
        results[side] = read_junit(junit)
    print(f"runs kept in {base}\n")
    share = summarise(results["scikeras"], results["sklstm"])
    return 0 if share >= 90 else 1


if __name__ == "__main__":
    sys.exit(main())
