"""Grade submissions: one sandbox per submission, checks outside it, several sandboxes at once.

:func:`grade_notebook` grades one file; :func:`grade_many` grades many on ``jobs`` worker threads
(each drives one sandbox, so ``jobs`` sandboxes run at once: one per core by default) and hands
each grade to a callback as soon as it is known, so a report can be written and progress shown
while the run goes on. Nothing a submission does can cost another its grade: every failure mode
(unreadable file, crash, time limit, broken protocol) ends as an error row with the right maximum.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import checker
from . import spec as spec_module
from .intake import Submission
from .sandbox import Limits, SandboxError, Session
from .spec import Spec

MAX_NOTEBOOK = 64 * 2**20


@dataclass
class Grade:
    """The grade of one submission: points per question, and the result of every test."""

    submission: str
    questions: dict[str, float] = field(default_factory=dict)
    possible: dict[str, float] = field(default_factory=dict)
    error: str = ""
    student: str = ""
    tests: list = field(default_factory=list)          # checker.TestResult, in order
    cell_errors: list = field(default_factory=list)    # errors raised by the notebook's own cells
    seconds: float = 0.0

    @property
    def total(self) -> float:
        return float(sum(self.questions.values()))

    @property
    def maximum(self) -> float:
        return float(sum(self.possible.values()))


def _blank(submission: Submission, spec: Spec, error: str = "") -> Grade:
    return Grade(submission=submission.name, student=submission.student, possible=dict(spec.possible),
                 questions={q: 0.0 for q in spec.possible}, error=error)


def grade_notebook(submission: Submission, spec: Spec, base: dict, limits: Limits = Limits()) -> Grade:
    """Grade one submission in its own sandbox; never raises for anything the submission does."""
    start = time.monotonic()
    grade = _blank(submission, spec, submission.error)
    if submission.path is None:
        return grade
    try:
        size = submission.path.stat().st_size
        if size > MAX_NOTEBOOK:
            grade.error = f"file too large ({size} bytes)"
            return grade
        data = submission.path.read_bytes()
    except OSError as exc:
        grade.error = f"cannot read the file: {exc}"
        return grade
    with tempfile.TemporaryDirectory(prefix="regbook-grade-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        os.chmod(home, 0o700)
        # a fixed name: the grade must not depend on what the student called the file
        (home / f"{spec.name}.ipynb").write_bytes(data)
        config = {"cell_timeout": limits.cell, "forbid": spec.forbid, "allow": [list(p) for p in spec.allow]}
        try:
            with Session(home, f"{spec.name}.ipynb", config, limits) as session:
                first = session.recv()
                if first.get("event") != "executed":
                    grade.error = str(first.get("reason", "the notebook could not be run"))[:300]
                    return grade
                grade.cell_errors = [e for e in first.get("errors", []) if isinstance(e, dict)][:50]
                violations = {(v.get("question"), v.get("name")) for v in first.get("violations", []) if isinstance(v, dict)}
                grade.tests = checker.check(session, spec, base, violations)
                if session.dead:
                    grade.error = session.dead
        except SandboxError as exc:
            grade.error = str(exc)
        except Exception as exc:  # noqa: BLE001  (the grader's own failure must not stop the run)
            grade.error = f"grading failed: {type(exc).__name__}: {exc}"[:300]
    for result in grade.tests:
        grade.questions[result.test.question] += result.score
    grade.seconds = time.monotonic() - start
    return grade


def record_allowed(spec: Spec, base: dict, limits: Limits = Limits()) -> list[tuple[str, str | None]]:
    """Where the master's own solution calls the names its questions forbid: (name, question) pairs.

    The solution (the master without its tests) runs in a sandbox in recording mode and is checked
    like a submission, so calls made inside its functions are attributed as a student's would be.
    Raises ``RuntimeError`` if the solution does not score full marks: the assignment is broken.
    """
    if not spec.forbid:
        return []
    with tempfile.TemporaryDirectory(prefix="regbook-grade-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        (home / f"{spec.name}.ipynb").write_text(json.dumps(spec_module.solution_notebook(spec)), encoding="utf-8")
        config = {"cell_timeout": limits.cell, "forbid": spec.forbid, "record": True}
        with Session(home, f"{spec.name}.ipynb", config, limits) as session:
            first = session.recv()
            results = checker.check(session, spec, base, set())
            calls = session.request({"op": "recorded"}).get("calls", [])
    failed = [f"{r.test.question} test {r.test.number}: {r.detail}" for r in results if not r.passed]
    if first.get("errors") or failed:
        raise RuntimeError(f"the solution of {spec.name} does not pass its own tests: {first.get('errors') or failed}")
    return sorted({(str(key), where) for key, where in calls})


def grade_many(submissions: list[Submission], spec: Spec, base: dict, *, limits: Limits = Limits(),
               jobs: int | None = None, on_grade: Callable[[Grade], None] | None = None) -> list[Grade]:
    """Grade ``submissions`` on ``jobs`` parallel sandboxes (default: the number of cores).

    ``on_grade`` is called (in the calling thread) with each grade as soon as it is known. The
    returned list is in the order of ``submissions``.
    """
    jobs = max(1, jobs or os.cpu_count() or 1)
    grades: dict[int, Grade] = {}
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(grade_notebook, s, spec, base, limits): i for i, s in enumerate(submissions)}
        for future in as_completed(futures):
            index = futures[future]
            try:
                grade = future.result()
            except Exception as exc:  # noqa: BLE001
                grade = _blank(submissions[index], spec, f"grading failed: {exc}")
            grades[index] = grade
            if on_grade is not None:
                on_grade(grade)
    return [grades[i] for i in range(len(submissions))]
