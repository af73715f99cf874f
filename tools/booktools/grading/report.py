"""What grading writes: a full CSV, an LMS-importable CSV, and one feedback file per student.

All three are rewritten atomically (write, then rename) each time a grade arrives, so a run that
is interrupted still leaves complete files for every notebook graded so far, and nothing reads a
half-written file.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

from .engine import Grade
from .spec import Spec


def _atomic_write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, target)


def _number(x: float) -> str:
    return f"{x:g}"


def scores_csv(grades: list[Grade], spec: Spec) -> str:
    """One row per file: student, file, points per question, total, max, status, error."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    questions = list(spec.possible)
    writer.writerow(["student", "submission", *questions, "total", "max", "status", "error"])
    for g in sorted(grades, key=lambda g: (g.student, g.submission)):
        status = "error" if g.error else "graded"
        writer.writerow([g.student, g.submission, *(_number(g.questions.get(q, 0.0)) for q in questions),
                         _number(g.total), _number(g.maximum), status, g.error])
    return out.getvalue()


def lms_csv(grades: list[Grade]) -> str:
    """``student_id,score``: one row per student (the best of their files), as LMS imports expect."""
    best: dict[str, float] = {}
    for g in grades:
        best[g.student] = max(best.get(g.student, 0.0), g.total)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student_id", "score"])
    for student in sorted(best):
        writer.writerow([student, _number(best[student])])
    return out.getvalue()


def feedback(grade: Grade, spec: Spec) -> str:
    """A student's feedback: the total, then each question's tests, passed or failed, in words."""
    lines = [f"# {spec.name}: feedback for {grade.student}", "", f"Submission: `{grade.submission}`",
             "", f"**Score: {_number(grade.total)} / {_number(grade.maximum)}**", ""]
    if grade.error:
        lines += [f"Your notebook could not be graded completely: {grade.error}", ""]
    for error in grade.cell_errors[:10]:
        lines.append(f"- cell {error.get('cell')} raised `{str(error.get('error'))[:200]}`")
    if grade.cell_errors:
        lines.append("")
    for question in spec.questions:
        lines += [f"## {question.name}: {_number(grade.questions.get(question.name, 0.0))} / "
                  f"{_number(question.points)}", ""]
        results = [r for r in grade.tests if r.test.question == question.name]
        if not results:
            lines += ["Not checked (see the error above).", ""]
            continue
        for r in results:
            kind = "hidden test" if r.test.hidden else "public test"
            mark = "passed" if r.passed else "FAILED"
            text = f"- {kind} {r.test.number} ({_number(r.test.points)} pt): {mark}"
            if r.test.message:
                text += f" — {r.test.message}"
            if not r.passed and r.detail:
                text += f" ({r.detail})" if not r.test.hidden or r.detail.startswith("uses ") else ""
            lines.append(text)
            if not r.passed and not r.test.hidden:
                lines += ["", "  ```python", *(f"  {ln}" for ln in r.test.code.strip().splitlines()), "  ```", ""]
        lines.append("")
    return "\n".join(lines)


def feedback_name(grade: Grade) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{grade.student}") or "student"
    tail = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(grade.submission).stem)
    return f"{base}.md" if tail == base else f"{base}__{tail}.md"


class Report:
    """The output folder of one grading run, updated as each grade arrives."""

    def __init__(self, folder: Path, spec: Spec, scores_name: str = "scores.csv"):
        self.folder, self.spec = folder, spec
        self.scores = folder / scores_name
        self.lms = folder / "lms.csv"
        self.grades: list[Grade] = []
        folder.mkdir(parents=True, exist_ok=True)

    def add(self, grade: Grade) -> None:
        self.grades.append(grade)
        _atomic_write(self.folder / "feedback" / feedback_name(grade), feedback(grade, self.spec))
        _atomic_write(self.scores, scores_csv(self.grades, self.spec))
        _atomic_write(self.lms, lms_csv(self.grades))
