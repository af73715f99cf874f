"""Make otter's autograder zip run on Gradescope: ship ``regbook`` and pin the numerical stack.

``otter assign`` writes a zip in Gradescope's format whose ``environment.yml`` installs only Python
and otter-grader, so a notebook that imports ``regbook`` (or NumPy) cannot run there.
:func:`make_gradescope_ready` rewrites the zip in place:

- ``regbook-<version>-py3-none-any.whl`` -- the book's package, built from ``code/``;
- ``requirements.txt`` -- ``otter-grader[grading]`` and ``regbook``'s dependencies with every
  distribution they pull in, pinned to the repository's versions, and the wheel (a path relative to
  the zip's root, so it is installed from the folder the zip was unpacked into);
- ``environment.yml`` -- the conda environment ``otter-env`` with the Python the book is tested with
  and pip; the packages come from ``requirements.txt``;
- ``setup.sh`` -- otter's Gradescope setup script (Miniforge, the conda environment), then
  ``pip install -r requirements.txt`` from the zip's folder; no PDF or browser dependencies
  (the assignments export no PDF);
- ``run_autograder`` / ``run_otter.py`` -- as otter writes them, except that the autograder folder
  is ``$AUTOGRADER_DIR`` when set (default ``/autograder``, Gradescope's) and the conda environment
  is activated only where Miniforge is installed. That is what lets ``tests/book/test_outside_repository.py`` run
  the entry point in a plain virtual environment, on a submission laid out as Gradescope lays it out.

Gradescope unpacks the zip into ``/autograder/source``, runs ``setup.sh`` once to build the image,
then, per submission, ``/autograder/run_autograder`` with the files under ``/autograder/submission``;
the grade is read from ``/autograder/results/results.json``.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path

import yaml

from .kit_env import REGBOOK_ROOTS, build_wheel, pinned_requirements

#: The Python version of the grading environment: the one the pins are tested with.
PYTHON_VERSION = "3.11"
#: What the grading environment installs with pip, besides the wheel.
GRADING_ROOTS = ["otter-grader[grading]", *REGBOOK_ROOTS]

RUN_AUTOGRADER = """\
#!/bin/bash
# Gradescope runs this for every submission. The autograder folder is $AUTOGRADER_DIR (default
# /autograder, Gradescope's): source/ holds this zip, submission/ the student's files, and the grade
# goes to results/results.json. Outside Gradescope's image, run it with otter and the packages of
# requirements.txt on the PATH.
set -e
export AUTOGRADER_DIR="${AUTOGRADER_DIR:-/autograder}"
if [ -x /root/miniforge3/bin/mamba ]; then
    export PATH=/root/miniforge3/bin:$PATH
    eval "$(mamba shell hook --shell bash)"
    mamba activate otter-env
fi
python "$AUTOGRADER_DIR/source/run_otter.py"
"""

RUN_OTTER = '''\
"""Run otter-grader's autograder on the folder $AUTOGRADER_DIR (default /autograder)."""

import os

from otter.run.run_autograder import main as run_autograder

if __name__ == "__main__":
    run_autograder(os.path.abspath(os.environ.get("AUTOGRADER_DIR", "/autograder")))
'''

PIP_STEP = """
# the book's package and the pinned numerical stack (requirements.txt lists the wheel beside it)
cd /autograder/source
mamba run -n otter-env python -m pip install --no-cache-dir -r requirements.txt
"""


def grading_requirements(wheel: Path) -> str:
    """The ``requirements.txt`` of the grading environment (pins, then the wheel)."""
    lines = [
        "# The grading environment: otter-grader and regbook's dependencies, pinned to the book's",
        "# requirements.txt. Install from the folder this file is in (the wheel path is relative):",
        "#     python -m pip install -r requirements.txt",
        *pinned_requirements(GRADING_ROOTS),
        f"./{wheel.name}",
    ]
    return "\n".join(lines) + "\n"


def environment_yml() -> str:
    """The conda environment ``otter-env``: Python and pip only; pip installs the rest."""
    env = {"name": "otter-env", "channels": ["conda-forge"],
           "dependencies": [f"python={PYTHON_VERSION}", "pip"]}
    return yaml.safe_dump(env, sort_keys=False)


def setup_sh(otter_setup: str) -> str:
    """otter's ``setup.sh`` with the pip step added and the PDF/browser step removed."""
    kept = [line for line in otter_setup.splitlines() if "playwright" not in line and "nb_conda_kernels" not in line]
    text = "\n".join(kept) + "\n"
    marker = "# set mamba shell"
    if marker not in text:
        raise ValueError("otter's setup.sh changed: no '# set mamba shell' step to insert before")
    return text.replace(marker, PIP_STEP.lstrip("\n") + "\n" + marker)


def make_gradescope_ready(zip_path: Path, *, wheel: Path | None = None) -> None:
    """Rewrite the autograder zip at ``zip_path`` so that it installs and runs on Gradescope."""
    wheel = wheel or build_wheel()
    with zipfile.ZipFile(zip_path) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    replaced = {
        "environment.yml": environment_yml(),
        "requirements.txt": grading_requirements(wheel),
        "setup.sh": setup_sh(members["setup.sh"].decode()),
        "run_autograder": RUN_AUTOGRADER,
        "run_otter.py": RUN_OTTER,
    }
    with tempfile.TemporaryDirectory() as tmp:
        rewritten = Path(tmp) / zip_path.name
        with zipfile.ZipFile(rewritten, "w", compression=zipfile.ZIP_DEFLATED) as target:
            for name, data in members.items():
                if name not in replaced:
                    target.writestr(name, data)
            for name, text in replaced.items():
                info = zipfile.ZipInfo(name)
                info.external_attr = (0o755 if name in {"run_autograder", "setup.sh"} else 0o644) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(info, text)
            target.write(wheel, arcname=wheel.name)
        shutil.move(rewritten, zip_path)
