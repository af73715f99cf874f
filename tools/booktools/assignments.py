"""Generate the graded assignments and grade submissions, offline, with otter-grader.

Usage (in the project's environment; see the instructor guide)::

    book assignments                        # every assignment -> dist/assignments/
    book assignments 02_l2                  # only masters whose name contains "02_l2"
    book grade 01_overfitting SUBMISSIONS [--out FOLDER] [--jobs 2]

Each assignment is an otter-grader *master notebook*, ``assignments/<name>/<name>.ipynb``,
holding questions, solutions and public and hidden tests. ``generate``

1. executes the master in a fresh kernel (otter takes each test's expected output from the
   master's stored outputs, so an unexecuted master would make every test fail), then
2. runs ``otter assign`` on the executed copy, and writes, per assignment,

   - ``dist/assignments/<name>/student/<name>.ipynb`` -- the only file students get: no solution,
     no hidden test;
   - ``dist/assignments/<name>/autograder/<name>-autograder.zip`` -- the grader (keep it private:
     it holds the hidden tests), in Gradescope's format, with a ``regbook`` wheel and pinned
     requirements so that it installs and runs there (see :mod:`booktools.gradescope`);
   - ``dist/assignments/<name>/autograder/<name>.ipynb`` -- the solution notebook (private).

``grade`` grades submissions with the engine in :mod:`booktools.grading` (see its package docstring and
the instructor guide): each notebook runs in its own bubblewrap sandbox, the tests (read from the
master, never from the zip or the submission) run outside it on the answers as plain data, several
sandboxes run at once, and every file gets a row in ``scores.csv`` (the points of each question,
the total, the maximum, and an error with its reason when it could not be graded), plus
``lms.csv`` (student id, score) and a feedback file per student, all written as grades arrive.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from .grading import engine, intake, report, sandbox
from .grading import spec as grading_spec
from .grading.engine import Grade  # noqa: F401  (re-exported: the grade of one submission)
from .kernel import execute
from .paths import ASSIGNMENTS_OUT, GRADES_OUT, ROOT

ASSIGNMENTS = ROOT / "assignments"


def masters(pattern: str = "") -> list[Path]:
    """Master notebooks ``assignments/<name>/<name>.ipynb`` whose name contains ``pattern``."""
    found = sorted(p / f"{p.name}.ipynb" for p in ASSIGNMENTS.iterdir() if p.is_dir() and pattern in p.name)
    missing = [p for p in found if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"assignment folder without its master notebook: {missing[0]}")
    return found


def execute_master(master: Path, target: Path, *, timeout: int = 600) -> None:
    """Execute ``master`` in a fresh kernel (in its own folder) and write the result to ``target``."""
    import nbformat

    nb = nbformat.read(master, as_version=4)
    execute(nb, master.parent, timeout=timeout)
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
            # the tests are not run here: tests/book/test_assignments.py grades the solution notebook
            otter_assign(str(executed), str(staging), no_pdfs=True, no_run_tests=True)
        zips = list((staging / "autograder").glob("*.zip"))
        if len(zips) != 1:
            raise RuntimeError(f"otter assign wrote {len(zips)} autograder zips for {name}")
        autograder = staging / "autograder" / f"{name}-autograder.zip"
        zips[0].rename(autograder)
        from .gradescope import make_gradescope_ready

        make_gradescope_ready(autograder)  # regbook's wheel and the pinned stack, for Gradescope
        if result.exists():
            shutil.rmtree(result)
        result.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(staging, result)
    return result


# --- grading (booktools.grading): sandboxed, parallel, checks outside the sandbox ---------------

_SPECS: dict[str, tuple] = {}


def assignment_name(autograder_or_name: Path | str) -> str:
    """``01_overfitting`` from an assignment name or from ``.../01_overfitting-autograder.zip``."""
    name = Path(autograder_or_name).name
    return name.removesuffix("-autograder.zip").removesuffix(".zip")


def load_assignment(autograder_or_name: Path | str) -> tuple[grading_spec.Spec, dict]:
    """The assignment's checks and the namespace of its master's setup (computed once per process).

    Also records, in a sandbox, where the solution itself calls the ``regbook`` names its questions
    forbid (``spec.allow``): a submission may call them there and nowhere else.
    """
    name = assignment_name(autograder_or_name)
    if name not in _SPECS:
        master = ASSIGNMENTS / name / f"{name}.ipynb"
        if not master.is_file():
            raise FileNotFoundError(f"no assignment {name!r} (expected {master})")
        spec = grading_spec.load(master)
        base = grading_spec.reference_namespace(spec)
        spec.allow = engine.record_allowed(spec, base)
        _SPECS[name] = (spec, base)
    return _SPECS[name]


def _require_sandbox() -> None:
    if not sandbox.available():
        raise RuntimeError("grading runs every submission in a bubblewrap sandbox: "
                           "install it with `apt-get install bubblewrap` (and util-linux for prlimit)")


def grade_one(submission: Path, autograder: Path | str, *, limits: sandbox.Limits = sandbox.Limits()) -> Grade:
    """Grade one notebook in its own sandbox. ``autograder``: an assignment name or its autograder zip path.

    The tests come from the assignment's master notebook, never from the zip or the submission.
    """
    _require_sandbox()
    spec, base = load_assignment(autograder)
    item = intake.Submission(submission.stem, submission.name, submission)
    return engine.grade_notebook(item, spec, base, limits)


def grade_folder(submissions: Path, autograder: Path | str, *, limits: sandbox.Limits = sandbox.Limits(),
                 jobs: int | None = None, on_grade=None) -> list[Grade]:
    """Grade every file under ``submissions`` (a folder, LMS subfolders or a zip) in parallel sandboxes."""
    _require_sandbox()
    spec, base = load_assignment(autograder)
    with tempfile.TemporaryDirectory(prefix="regbook-intake-") as scratch:
        found = intake.collect(submissions, Path(scratch))
        if not found:
            raise FileNotFoundError(f"no submission in {submissions}")
        return engine.grade_many(found, spec, base, limits=limits, jobs=jobs, on_grade=on_grade)


def write_csv(grades: list[Grade], target: Path, autograder: Path | str | None = None) -> None:
    """The scores CSV (one row per file) of ``grades``."""
    questions = sorted({q for g in grades for q in g.possible})
    spec = load_assignment(autograder)[0] if autograder else grading_spec.Spec(
        "", Path(), [], [grading_spec.Question(q) for q in questions])
    target.write_text(report.scores_csv(grades, spec), encoding="utf-8")


def _progress(total: int, start: float):
    done = 0

    def show(grade: Grade) -> None:
        nonlocal done
        done += 1
        status = f"ERROR: {grade.error}" if grade.error else ""
        elapsed = time.monotonic() - start
        eta = elapsed / done * (total - done)
        print(f"[{done}/{total}] {grade.submission}: {grade.total:g} / {grade.maximum:g} "
              f"({grade.seconds:.1f} s) {status}  — {elapsed:.0f} s elapsed, ~{eta:.0f} s left", flush=True)

    return show


def grade_command(args) -> int:
    try:
        _require_sandbox()
        spec, base = load_assignment(args.assignment)
    except (RuntimeError, FileNotFoundError) as exc:
        print(exc, file=sys.stderr)
        return 2
    out = (args.out or GRADES_OUT / spec.name).resolve()
    if out.is_relative_to(ROOT) and not args.out:
        print(f"refusing to write grades inside the repository ({out})", file=sys.stderr)
        return 2
    limits = sandbox.Limits(cell=args.cell_timeout, notebook=args.timeout)
    with tempfile.TemporaryDirectory(prefix="regbook-intake-") as scratch:
        try:
            found = intake.collect(args.submissions, Path(scratch))
        except (FileNotFoundError, ValueError, OSError) as exc:
            print(f"cannot read the submissions: {exc}", file=sys.stderr)
            return 2
        if not found:
            print(f"no submission in {args.submissions}", file=sys.stderr)
            return 2
        jobs = args.jobs or os.cpu_count() or 1
        print(f"grading {len(found)} file(s) of {spec.name} on {jobs} sandbox(es); results in {out}", flush=True)
        run = report.Report(out, spec)
        show = _progress(len(found), time.monotonic())

        def arrived(grade: Grade) -> None:
            run.add(grade)
            show(grade)

        grades = engine.grade_many(found, spec, base, limits=limits, jobs=jobs, on_grade=arrived)
    if args.csv:
        args.csv.write_text(report.scores_csv(grades, spec), encoding="utf-8")
    print(f"wrote {run.scores}, {run.lms} and {len(grades)} feedback file(s) in {run.folder / 'feedback'}")
    return 0


def generate_command(pattern: str = "", out: Path = ASSIGNMENTS_OUT) -> int:
    """``book assignments [PATTERN]``: generate every matching assignment into ``out``."""
    found = masters(pattern)
    if not found:
        print(f"no assignment matches {pattern!r}", file=sys.stderr)
        return 2
    for master in found:
        folder = generate(master, out.resolve())
        print(f"{master.stem}: student notebook in {folder / 'student'}, autograder in {folder / 'autograder'}")
    return 0
