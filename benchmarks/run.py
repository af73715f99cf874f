"""Run every benchmark (``benchmarks/bench_*.py``) and print one Markdown table.

Usage (from the repository root, in the project's environment; ``make bench``)::

    python benchmarks/run.py              # all benchmarks, full size
    python benchmarks/run.py ridge        # only modules whose name contains "ridge"
    python benchmarks/run.py --quick      # small inputs: checks that everything runs, times mean nothing

BLAS runs on one thread (as in the notebooks), so figures compare algorithms, not thread counts.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import importlib  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent

# Run as a script (python benchmarks/run.py), this folder is on sys.path; pytest adds it (pytest.ini).
from harness import Result, table  # noqa: E402


def modules(pattern: str = "") -> list[str]:
    """Names of the benchmark modules, sorted, filtered by a substring."""
    return sorted(p.stem for p in HERE.glob("bench_*.py") if pattern in p.stem)


def run_all(pattern: str = "", *, quick: bool = False) -> list[Result]:
    results: list[Result] = []
    for name in modules(pattern):
        module = importlib.import_module(name)
        results.extend(module.run(quick=quick))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pattern", nargs="?", default="", help="run only modules whose name contains this")
    parser.add_argument("--quick", action="store_true", help="small inputs (a smoke test; times mean nothing)")
    args = parser.parse_args(argv)
    names = modules(args.pattern)
    if not names:
        print(f"no benchmark module matches {args.pattern!r}", file=sys.stderr)
        return 2
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"BLAS threads {os.environ['OPENBLAS_NUM_THREADS']}" + (", QUICK MODE" if args.quick else ""))
    print(table(run_all(args.pattern, quick=args.quick)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
