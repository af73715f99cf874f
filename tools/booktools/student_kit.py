"""Build the student kit: everything a student needs to run the book and do the assignments.

Usage (in the project's environment; ``make student-kit`` generates the assignments first)::

    book student-kit                       # -> dist/student-kit/ and dist/student-kit.zip
    book student-kit --assignments DIR     # student notebooks from DIR (default dist/assignments)

The kit holds no solution and no hidden test, and needs no access to the instructor repository:

- ``chapters/*.ipynb`` -- the chapter notebooks of the student edition (solution blocks and
  solution-checking cells removed by the same transform as ``make student-book``, and "Run this
  chapter" boxes that point to this kit);
- ``assignments/<name>.ipynb`` -- the student notebook of each assignment, as ``make assignments``
  writes it (``dist/assignments/<name>/student/``: nothing else from ``dist/`` is copied);
- ``regbook-<version>-py3-none-any.whl`` -- the book's package;
- ``requirements.txt`` -- JupyterLab, otter-grader (for ``grader.check``), ``regbook``'s dependencies
  and everything they pull in, pinned to the repository's versions, then the wheel;
- ``README.md`` -- how to set up and run, with plain ``python -m venv`` and ``pip`` steps.

``tests/book/test_outside_repository.py`` builds a kit, installs it into a fresh virtual environment outside the
repository and runs a chapter and an assignment there.
"""

from __future__ import annotations

import shutil
import sys
import zipfile
from pathlib import Path

import nbformat

from .kit_env import REGBOOK_ROOTS, build_wheel, pinned_requirements
from .paths import ASSIGNMENTS_OUT, ROOT, STUDENT_KIT_OUT
from .student import strip_notebook, student_run_box

#: What a student installs besides the wheel: JupyterLab and a kernel to run the notebooks, and
#: otter-grader for the assignments' public checks (``grader.check``).
STUDENT_ROOTS = ["jupyterlab", "ipykernel", "otter-grader", *REGBOOK_ROOTS]

README = """\
# Student kit: {title}

This folder is everything you need to run the book's chapters and do its assignments on your own
computer. It contains

| path | what |
| --- | --- |
| `chapters/` | the chapter notebooks: open one and run all its cells |
| `assignments/` | the assignment notebooks: fill in the `...`, check with `grader.check("q1")`, submit the `.ipynb` |
| `{wheel}` | `regbook`, the book's Python package (every chapter imports it) |
| `requirements.txt` | every package the notebooks need, pinned to the versions the book is tested with |

## Set up (once, about two minutes)

You need Python 3.11 or newer (the book is tested with 3.11) and a terminal. **Run these commands
from this folder** (the one holding this file): `requirements.txt` names the `regbook` wheel by a
path relative to it, so pip run from another folder stops with
"No such file or directory: '.../{wheel}'".

macOS and Linux:

```
cd path/to/this/folder
python3 -m venv .venv
source .venv/bin/activate
python -m pip install -r requirements.txt
```

Windows (PowerShell):

```
cd path\\to\\this\\folder
py -m venv .venv
.venv\\Scripts\\Activate.ps1
python -m pip install -r requirements.txt
```

The virtual environment `.venv` keeps the course's packages apart from the rest of your Python;
nothing is installed system-wide.

## Run

Each time: open a terminal in this folder, activate the environment (`source .venv/bin/activate`,
or `.venv\\Scripts\\Activate.ps1` on Windows), then

```
jupyter lab
```

and open a notebook under `chapters/` or `assignments/`. *Run → Run All Cells* runs a chapter
(each takes seconds: no GPU, no downloads). Every random draw is seeded, so you see the numbers the
book prints.

## Assignments

Open `assignments/<name>.ipynb`, replace every `...` with your code, and run each
`grader.check("q1")` cell: it runs the question's public checks and says what is wrong in words.
More (hidden) checks run when your work is graded. Before you submit, restart the kernel and run
all cells (*Kernel → Restart Kernel and Run All Cells*), then submit the `.ipynb` file.
"""


def student_chapter(path: Path) -> nbformat.NotebookNode:
    """A chapter notebook as the student edition has it: no solution, run box pointing to the kit."""
    return student_run_box(strip_notebook(nbformat.read(path, as_version=4)))


def build_kit(out: Path, *, assignments: Path = ASSIGNMENTS_OUT, chapters: Path = ROOT / "chapters",
              title: str = "Overfitting and Weight Regularization") -> Path:
    """Write the kit into the folder ``out`` (replaced) and ``out`` + ``.zip``; return the zip.

    Raises ``FileNotFoundError`` when ``assignments`` holds no generated student notebook
    (run ``make assignments`` first).
    """
    student_notebooks = sorted(assignments.glob("*/student/*.ipynb"))
    if not student_notebooks:
        raise FileNotFoundError(f"no student notebook under {assignments}/*/student/: run `make assignments` first")
    if out.exists():
        shutil.rmtree(out)
    (out / "chapters").mkdir(parents=True)
    (out / "assignments").mkdir()
    for path in sorted(chapters.glob("*.ipynb")):
        nbformat.write(student_chapter(path), out / "chapters" / path.name)
    for path in student_notebooks:
        shutil.copy2(path, out / "assignments" / path.name)
    wheel = build_wheel()
    shutil.copy2(wheel, out / wheel.name)
    requirements = [
        "# Every package the chapters and assignments need, pinned to the versions the book is tested with.",
        "# Install from this folder (the wheel's path is relative to it):",
        "#     python -m pip install -r requirements.txt",
        *pinned_requirements(STUDENT_ROOTS),
        f"./{wheel.name}",
    ]
    (out / "requirements.txt").write_text("\n".join(requirements) + "\n", encoding="utf-8")
    (out / "README.md").write_text(README.format(title=title, wheel=wheel.name), encoding="utf-8")
    archive = out.with_suffix(".zip")
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(out.rglob("*")):
            if path.is_file():
                zf.write(path, arcname=Path(out.name) / path.relative_to(out))
    return archive


def kit_command(out: Path = STUDENT_KIT_OUT, assignments: Path = ASSIGNMENTS_OUT) -> int:
    """``book student-kit``: build the kit; status 2 when the assignments are not generated."""
    try:
        archive = build_kit(out.resolve(), assignments=assignments.resolve())
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"student kit in {out} and {archive}: hand out the zip (no solution, no hidden test in it)")
    return 0
