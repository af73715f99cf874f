"""Measure grading time: per notebook, and per 100 notebooks on all cores; optionally otter's.

Usage (in the project's environment)::

    book measure-grading                 # every assignment, 20 notebooks each on all cores
    book measure-grading 01 --copies 40 --otter

For each assignment it generates the solution notebook (as ``make assignments`` does), grades it
alone three times (median: the time one notebook takes), then grades ``--copies`` copies at once
with one sandbox per core and reports the wall time scaled to 100 notebooks. ``--otter`` also times
otter-grader's own non-containerised grader on the same notebook (the engine this one replaced).
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path


def otter_seconds(notebook: Path, autograder: Path) -> float:
    from otter.api import grade_submission

    start = time.monotonic()
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        grade_submission(str(notebook), str(autograder), quiet=True)
    return time.monotonic() - start


def main(argv: list[str] | None = None) -> int:
    from .. import assignments as tool
    from . import engine, intake

    parser = argparse.ArgumentParser(prog="book measure-grading", description=__doc__.splitlines()[0])
    parser.add_argument("pattern", nargs="?", default="")
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--otter", action="store_true", help="also time otter-grader's grader")
    args = parser.parse_args(argv)
    jobs = os.cpu_count() or 1
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for master in tool.masters(args.pattern):
            name = master.stem
            tool.generate(master, Path(tmp))
            solution = Path(tmp) / name / "autograder" / f"{name}.ipynb"
            spec, base = tool.load_assignment(name)
            one = []
            for _ in range(3):
                grade = engine.grade_notebook(intake.Submission("s", solution.name, solution), spec, base)
                assert grade.total == grade.maximum, grade.error
                one.append(grade.seconds)
            many = [intake.Submission(f"s{i}", f"s{i}.ipynb", solution) for i in range(args.copies)]
            start = time.monotonic()
            engine.grade_many(many, spec, base, jobs=jobs)
            wall = time.monotonic() - start
            old = otter_seconds(solution, Path(tmp) / name / "autograder" / f"{name}-autograder.zip") if args.otter else None
            rows.append((name, statistics.median(one), wall / args.copies * 100, old))
    print(f"| assignment | one notebook (s) | 100 notebooks on {jobs} cores (min) |"
          + (" otter-grader, one notebook (s) |" if args.otter else ""))
    print("| --- | --- | --- |" + (" --- |" if args.otter else ""))
    for name, one, hundred, old in rows:
        print(f"| `{name}` | {one:.1f} | {hundred / 60:.1f} |" + (f" {old:.1f} |" if old is not None else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
