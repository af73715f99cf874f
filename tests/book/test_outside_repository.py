"""What leaves the repository works without it: the student kit and the Gradescope autograder zip.

One assignment (01) is generated as ``make assignments`` does, then

* the student kit is built from it (``tools/booktools/student_kit.py``), zipped, unpacked into a folder outside
  the repository and installed, as its README says, into a fresh virtual environment with
  ``pip install -r requirements.txt``; a chapter and the assignment run there (a blank assignment shows
  its public checks' messages in words, a completed one passes them), importing ``regbook`` from the
  kit's wheel;
* the autograder zip is unpacked into ``<tmp>/autograder/source`` as Gradescope does, its
  ``requirements.txt`` installed into another fresh virtual environment, a submission put into
  ``<tmp>/autograder/submission`` under a student's own file name, and the zip's ``run_autograder``
  entry point run with ``AUTOGRADER_DIR=<tmp>/autograder``; the score is read from the
  ``results/results.json`` it writes.

Both environments install with ``--no-index`` from a cached wheelhouse of the pinned lines
(``tests/fresh_env.py``), so the requirements files are proven complete.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

import fresh_env
from booktools import assignments as tool
from booktools import student_kit
from conftest import ROOT

NAME = "01_overfitting"
CHAPTER = "01_overfitting.ipynb"
WHEELHOUSE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "regbook-tests" / "wheelhouse"

RUN_NOTEBOOK = """\
import sys
import nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=False).execute()
nbformat.write(nb, sys.argv[2])
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    tool.generate(ROOT / "assignments" / NAME / f"{NAME}.ipynb", out)
    return out


@pytest.fixture(scope="module")
def kit(generated, tmp_path_factory) -> Path:
    archive = student_kit.build_kit(tmp_path_factory.mktemp("build") / "regbook-student-kit", assignments=generated)
    home = tmp_path_factory.mktemp("student-home")
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(home)
    return home / "regbook-student-kit"


@pytest.fixture(scope="module")
def gradescope_source(generated, tmp_path_factory) -> Path:
    autograder = tmp_path_factory.mktemp("gradescope") / "autograder"
    (autograder / "source").mkdir(parents=True)
    with zipfile.ZipFile(generated / NAME / "autograder" / f"{NAME}-autograder.zip") as zf:
        zf.extractall(autograder / "source")
    return autograder / "source"


@pytest.fixture(scope="module")
def wheelhouse(kit, gradescope_source) -> Path:
    lines = fresh_env.pinned_lines(kit / "requirements.txt") + fresh_env.pinned_lines(gradescope_source / "requirements.txt")
    fresh_env.fill_wheelhouse(WHEELHOUSE, sorted(set(lines)))
    return WHEELHOUSE


def outputs_text(nb: nbformat.NotebookNode) -> str:
    texts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            texts.append(out.get("text", ""))
            texts.extend(str(v) for k, v in out.get("data", {}).items() if k.startswith("text/"))
    return "\n".join(texts)


def run_notebook(bin_dir: Path, notebook: Path) -> nbformat.NotebookNode:
    """Execute ``notebook`` with the environment's own Python and kernel, in the notebook's folder."""
    executed = notebook.with_name(f"executed-{notebook.name}")
    env = fresh_env.clean_env(PATH=f"{bin_dir}{os.pathsep}{fresh_env.clean_env()['PATH']}",
                              JUPYTER_PLATFORM_DIRS="1", PYTHONHASHSEED="0", OMP_NUM_THREADS="1",
                              OPENBLAS_NUM_THREADS="1", MPLBACKEND="Agg")
    result = subprocess.run([str(bin_dir / "python"), "-c", RUN_NOTEBOOK, notebook.name, executed.name],
                            cwd=notebook.parent, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return nbformat.read(executed, as_version=4)


def test_the_kit_holds_what_a_student_needs_and_no_solution(kit, generated):
    assert sorted(p.name for p in kit.iterdir()) == sorted(
        ["README.md", "assignments", "chapters", "requirements.txt", next(kit.glob("regbook-*.whl")).name])
    assert sorted(p.name for p in (kit / "chapters").iterdir()) == sorted(p.name for p in (ROOT / "chapters").glob("*.ipynb"))
    assert [p.name for p in (kit / "assignments").iterdir()] == [f"{NAME}.ipynb"]
    assert (kit / "assignments" / f"{NAME}.ipynb").read_bytes() == (generated / NAME / "student" / f"{NAME}.ipynb").read_bytes()
    for path in (kit / "chapters").glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        text = "\n".join(c.source for c in nb.cells)
        assert "{solution" not in text and not any("solution" in c.metadata.get("tags", []) for c in nb.cells), path.name
        (box,) = [c.source for c in nb.cells if "{admonition} Run this chapter" in c.source]
        assert "make lab" not in box and "student kit" in box and "python -m pip install -r requirements.txt" in box, path.name
    readme = (kit / "README.md").read_text(encoding="utf-8")
    assert "python3 -m venv .venv" in readme and "python -m pip install -r requirements.txt" in readme
    requirements = (kit / "requirements.txt").read_text(encoding="utf-8")
    assert "-e" not in requirements.split() and f"./{next(kit.glob('regbook-*.whl')).name}" in requirements


def test_a_student_runs_a_chapter_and_the_assignment_from_the_kit(kit, generated, wheelhouse, tmp_path):
    bin_dir = fresh_env.fresh_venv(tmp_path / "venv")
    fresh_env.install(bin_dir, kit, wheelhouse)
    where = subprocess.run([str(bin_dir / "python"), "-c", "import regbook; print(regbook.__file__)"],
                           cwd=tmp_path, env=fresh_env.clean_env(), capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(tmp_path / "venv"), where.stdout

    chapter = run_notebook(bin_dir, kit / "chapters" / CHAPTER)
    stored = nbformat.read(ROOT / "chapters" / CHAPTER, as_version=4)
    assert len([c for c in chapter.cells if c.cell_type == "code"]) > 5
    assert "Error" not in "".join(o.get("output_type", "") for c in chapter.cells for o in c.get("outputs", []))
    first_output = next(o["text"] for c in stored.cells for o in c.get("outputs", []) if o.get("output_type") == "stream")
    assert first_output in outputs_text(chapter), "the kit's chapter prints what the book shows"

    blank = run_notebook(bin_dir, kit / "assignments" / f"{NAME}.ipynb")
    shown = outputs_text(blank)
    assert "q1 results" in shown and "must be NumPy arrays of 12 finite numbers" in shown, shown[:3000]
    assert "All test cases passed" not in shown

    done = kit / "assignments" / "done" / f"{NAME}.ipynb"  # the student's completed work
    done.parent.mkdir()
    shutil.copy2(generated / NAME / "autograder" / f"{NAME}.ipynb", done)
    passed = outputs_text(run_notebook(bin_dir, done))
    for question in ("q1", "q2", "q3"):
        assert f"{question} results: All test cases passed!" in passed, passed[:3000]


@pytest.fixture(scope="module")
def grading_venv(gradescope_source, wheelhouse, tmp_path_factory) -> Path:
    """A fresh environment with the zip's requirements.txt installed, as setup.sh installs it."""
    bin_dir = fresh_env.fresh_venv(tmp_path_factory.mktemp("grading") / "venv")
    fresh_env.install(bin_dir, gradescope_source, wheelhouse)
    return bin_dir


@pytest.mark.parametrize("submission, expected", [("solution", 12.0), ("blank", 0.0)])
def test_the_gradescope_zip_grades_in_a_fresh_environment(gradescope_source, generated, grading_venv, tmp_path,
                                                         submission, expected):
    source, bin_dir = gradescope_source, grading_venv
    assert {"run_autograder", "setup.sh", "environment.yml", "requirements.txt"} <= {p.name for p in source.iterdir()}
    assert "python=3.11" in (source / "environment.yml").read_text()
    assert "pip install --no-cache-dir -r requirements.txt" in (source / "setup.sh").read_text()
    autograder = tmp_path / "autograder"
    shutil.copytree(source, autograder / "source")
    (autograder / "submission").mkdir()
    (autograder / "results").mkdir()
    notebook = generated / NAME / ("autograder" if submission == "solution" else "student") / f"{NAME}.ipynb"
    shutil.copy2(notebook, autograder / "submission" / f"jdoe_{submission}.ipynb")
    env = fresh_env.clean_env(PATH=f"{bin_dir}{os.pathsep}{fresh_env.clean_env()['PATH']}",
                              AUTOGRADER_DIR=str(autograder))
    result = subprocess.run(["bash", str(autograder / "source" / "run_autograder")], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, (result.stdout[-2000:], result.stderr[-3000:])
    results = json.loads((autograder / "results" / "results.json").read_text())
    # Gradescope's rule: without a top-level "score", the score is the sum of the tests' scores
    score = results.get("score", sum(t.get("score", 0.0) for t in results["tests"]))
    assert score == expected, results
    assert sum(t.get("max_score", 0.0) for t in results["tests"]) == 12.0, results
    assert not any(t.get("status") == "failed" and "Autograder" in t.get("name", "") for t in results["tests"])
