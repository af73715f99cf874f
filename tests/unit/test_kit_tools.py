"""The pieces behind the student kit and the Gradescope zip, checked without installing anything.

(``tests/book/test_outside_repository.py`` installs and runs both in fresh environments.)
"""

from __future__ import annotations

import re
import shutil
import subprocess
from importlib import metadata

import nbformat
import pytest

from booktools import gradescope, kit_env, student
from conftest import ROOT

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_the_student_run_box_points_to_the_kit_and_touches_nothing_else(path):
    nb = nbformat.read(path, as_version=4)
    changed = student.student_run_box(nb)
    boxes = [i for i, c in enumerate(nb.cells) if "{admonition} Run this chapter" in c.source]
    assert len(boxes) == 1, "every chapter has one 'Run this chapter' box"
    for i, (before, after) in enumerate(zip(nb.cells, changed.cells)):
        if i not in boxes:
            assert before == after
    before, after = nb.cells[boxes[0]].source, changed.cells[boxes[0]].source
    assert "make lab" in before and "make lab" not in after and "repository" not in after
    assert f"chapters/{path.name}" in after and "student kit" in after
    assert "python3 -m venv .venv" in after and "python -m pip install -r requirements.txt" in after
    seconds = re.search(r"runs in about (\d+) seconds", " ".join(before.split()))
    assert seconds is None or f"runs in about {seconds.group(1)} seconds" in " ".join(after.split())
    # the text outside the box is kept word for word
    outside = re.compile(r":::\{admonition\} Run this chapter.*?^:::$", re.M | re.S)
    assert outside.sub("", before) == outside.sub("", after)


def test_pinned_requirements_are_the_repository_pins_of_the_whole_closure():
    lines = kit_env.pinned_requirements(["otter-grader[grading]", "regbook"])
    pins = kit_env.repository_pins()
    names = {kit_env.canonicalize_name(re.split(r"[\[=]", line)[0]): line for line in lines}
    for needed in ("numpy", "scipy", "scikit-learn", "matplotlib", "otter-grader", "ipykernel", "threadpoolctl"):
        assert needed in names, needed
    assert "regbook" not in names and "jupyter-book" not in names and "pytest" not in names
    assert names["otter-grader"].startswith("otter-grader[grading]==")
    for name, line in names.items():
        version = line.split("==")[1]
        assert pins[name].split("==")[1] == version == metadata.version(name), line


def test_a_requirement_without_a_pin_is_refused(monkeypatch):
    monkeypatch.setattr(kit_env, "repository_pins", lambda: {})
    with pytest.raises(ValueError, match="not pinned"):
        kit_env.pinned_requirements(["regbook"])


def test_the_gradescope_setup_installs_the_requirements_and_no_browser():
    otter_setup = "set -e\nmamba env create -f x\nmamba run -n otter-env bash -c \"playwright install\"\n# set mamba shell\nmamba shell init\n"
    script = gradescope.setup_sh(otter_setup)
    assert "playwright" not in script
    assert script.index("pip install --no-cache-dir -r requirements.txt") < script.index("# set mamba shell")
    with pytest.raises(ValueError):
        gradescope.setup_sh("no marker here")


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_refuses_to_run_outside_the_repository_root(tmp_path):
    result = subprocess.run(["make", "-f", str(ROOT / "Makefile"), "-n", "venv"], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode != 0 and "run make from the repository root" in result.stderr
    ok = subprocess.run(["make", "-C", str(ROOT), "-n", "-B", "venv"], cwd=tmp_path, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert f'cd "{ROOT}" &&' in ok.stdout and "-r requirements.txt" in ok.stdout


def test_the_wheel_holds_every_module_and_building_it_leaves_code_untouched():
    before = sorted(p.relative_to(ROOT) for p in (ROOT / "code").rglob("*") if "__pycache__" not in p.parts)
    wheel = kit_env.build_wheel()
    after = sorted(p.relative_to(ROOT) for p in (ROOT / "code").rglob("*") if "__pycache__" not in p.parts)
    assert before == after and not (ROOT / "code" / "build").exists()
    import zipfile
    names = set(zipfile.ZipFile(wheel).namelist())
    for module in (ROOT / "code" / "regbook").glob("*.py"):
        assert f"regbook/{module.name}" in names, module.name
