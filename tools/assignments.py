"""Generate the graded assignments and grade submissions, offline, with otter-grader.

Usage (from the repository root, in the project's environment; see the instructor guide)::

    python tools/assignments.py generate                  # every assignment -> dist/assignments/
    python tools/assignments.py generate 02_l2            # only masters whose name contains "02_l2"
    python tools/assignments.py grade 01_overfitting SUBMISSIONS_DIR --csv scores.csv

Each assignment is an otter-grader *master notebook*, ``assignments/<name>/<name>.ipynb``,
holding questions, solutions and public and hidden tests. ``generate``

1. executes the master in a fresh kernel (otter takes each test's expected output from the
   master's stored outputs, so an unexecuted master would make every test fail), then
2. runs ``otter assign`` on the executed copy, and writes, per assignment,

   - ``dist/assignments/<name>/student/<name>.ipynb`` -- the only file students get: no solution,
     no hidden test;
   - ``dist/assignments/<name>/autograder/<name>-autograder.zip`` -- the grader (keep it private:
     it holds the hidden tests), in Gradescope's format, with a ``regbook`` wheel and pinned
     requirements so that it installs and runs there (see ``tools/gradescope.py``);
   - ``dist/assignments/<name>/autograder/<name>.ipynb`` -- the solution notebook (private).

``grade`` runs otter's non-containerised grader (``otter run``; no Docker) on every ``.ipynb`` in a
folder of submissions and writes one CSV row per submission: the points of each question, the
total, the maximum, and an error message when a submission could not be graded at all. A
submission that raises errors is still graded (cells after an error run too); only a file that is
not a notebook gets an error row.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = ROOT / "assignments"
DIST = ROOT / "dist" / "assignments"
sys.path.insert(0, str(Path(__file__).resolve().parent))
from kernel_env import KERNEL_ENV  # noqa: E402  (same kernel environment as the chapters)
from gradescope import make_gradescope_ready  # noqa: E402


def masters(pattern: str = "") -> list[Path]:
    """Master notebooks ``assignments/<name>/<name>.ipynb`` whose name contains ``pattern``."""
    found = sorted(p / f"{p.name}.ipynb" for p in ASSIGNMENTS.iterdir() if p.is_dir() and pattern in p.name)
    missing = [p for p in found if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"assignment folder without its master notebook: {missing[0]}")
    return found


def execute_master(master: Path, target: Path, *, timeout: int = 600) -> None:
    """Execute ``master`` in a fresh kernel (in its own folder) and write the result to ``target``."""
    nb = nbformat.read(master, as_version=4)
    os.environ.update(KERNEL_ENV)
    NotebookClient(
        nb, timeout=timeout, kernel_name="python3", allow_errors=False,
        resources={"metadata": {"path": str(master.parent)}},
    ).execute()
    nbformat.write(nb, target)


def generate(master: Path, out: Path) -> Path:
    """Build the student notebook and the autograder of one master into ``out/<name>/``.

    Returns the folder written. An existing folder for that assignment is replaced.
    """
    name = master.stem
    result = out / name
    with tempfile.TemporaryDirectory() as tmp:
        executed = Path(tmp) / master.name
        execute_master(master, executed)
        staging = Path(tmp) / "out"
        from otter.assign import main as otter_assign  # slow to import: only when generating

        sink = io.StringIO()
        with redirect_stdout(sink), redirect_stderr(sink):
            # the tests are not run here: tests/test_assignments.py grades the solution notebook
            otter_assign(str(executed), str(staging), no_pdfs=True, no_run_tests=True)
        zips = list((staging / "autograder").glob("*.zip"))
        if len(zips) != 1:
            raise RuntimeError(f"otter assign wrote {len(zips)} autograder zips for {name}")
        autograder = staging / "autograder" / f"{name}-autograder.zip"
        zips[0].rename(autograder)
        make_gradescope_ready(autograder)  # regbook's wheel and the pinned stack, for Gradescope
        if result.exists():
            shutil.rmtree(result)
        result.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(staging, result)
    return result


@dataclass
class Grade:
    """The grade of one submission."""

    submission: str
    questions: dict[str, float] = field(default_factory=dict)
    possible: dict[str, float] = field(default_factory=dict)
    error: str = ""

    @property
    def total(self) -> float:
        return float(sum(self.questions.values()))

    @property
    def maximum(self) -> float:
        return float(sum(self.possible.values()))


def grade_one(submission: Path, autograder: Path) -> Grade:
    """Grade one notebook with otter's non-containerised grader (what ``otter run`` does)."""
    from otter.api import grade_submission  # slow to import: only when grading

    grade = Grade(submission=submission.name)
    try:
        nbformat.read(submission, as_version=4)
    except Exception as exc:  # not a notebook at all: report, don't crash the whole run
        grade.error = f"not a readable notebook: {exc}".splitlines()[0]
        return grade
    sink = io.StringIO()
    os.environ.update(KERNEL_ENV)
    with redirect_stdout(sink), redirect_stderr(sink):
        results = grade_submission(str(submission), str(autograder), quiet=True)
    for name, result in sorted(results.results.items()):
        grade.questions[name] = float(result.score)
        grade.possible[name] = float(result.possible)
    return grade


def grade_folder(submissions: Path, autograder: Path) -> list[Grade]:
    """Grade every ``.ipynb`` directly in ``submissions`` (sorted by file name)."""
    files = sorted(p for p in submissions.iterdir() if p.suffix == ".ipynb")
    if not files:
        raise FileNotFoundError(f"no .ipynb file in {submissions}")
    return [grade_one(path, autograder) for path in files]


def write_csv(grades: list[Grade], target: Path) -> None:
    """One row per submission: file, one column per question, total, max, error."""
    questions = sorted({q for g in grades for q in g.possible})
    with open(target, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["submission", *questions, "total", "max", "error"])
        for g in grades:
            writer.writerow([g.submission, *(g.questions.get(q, 0.0) for q in questions),
                             g.total, g.maximum, g.error])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="student notebooks and autograders into dist/assignments/")
    gen.add_argument("pattern", nargs="?", default="", help="only masters whose name contains this")
    gen.add_argument("--out", type=Path, default=DIST, help="output folder (default: dist/assignments)")
    grd = sub.add_parser("grade", help="grade a folder of submitted notebooks into a CSV")
    grd.add_argument("assignment", help="assignment name, e.g. 01_overfitting")
    grd.add_argument("submissions", type=Path, help="folder holding the submitted .ipynb files")
    grd.add_argument("--csv", type=Path, default=Path("scores.csv"), help="CSV to write (default: scores.csv)")
    grd.add_argument("--dist", type=Path, default=DIST, help="where `generate` wrote the autograders")
    args = parser.parse_args(argv)

    if args.command == "generate":
        found = masters(args.pattern)
        if not found:
            print(f"no assignment matches {args.pattern!r}", file=sys.stderr)
            return 2
        for master in found:
            folder = generate(master, args.out.resolve())
            print(f"{master.stem}: student notebook in {folder / 'student'}, autograder in {folder / 'autograder'}")
        return 0

    autograder = args.dist / args.assignment / "autograder" / f"{args.assignment}-autograder.zip"
    if not autograder.is_file():
        print(f"no autograder at {autograder}: run `make assignments` first", file=sys.stderr)
        return 2
    grades = grade_folder(args.submissions, autograder)
    write_csv(grades, args.csv)
    for g in grades:
        print(f"{g.submission}: {g.total:g} / {g.maximum:g}" + (f"  ERROR: {g.error}" if g.error else ""))
    print(f"wrote {args.csv}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
