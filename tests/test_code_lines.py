"""Code in the chapters fits the page: no line of a code cell is longer than MAX_LINE characters.

The rendered book shows a code cell in a box about 90 monospace characters wide at a 1280 px window;
a longer line is cut off at the box's edge (it scrolls sideways, which a reader easily misses), and
the notebooks a student downloads are read in narrow JupyterLab panes too.
"""

from __future__ import annotations

import nbformat
import pytest

from conftest import chapter_notebooks

MAX_LINE = 90


def long_lines(path) -> list[str]:
    """Every code line of the notebook longer than MAX_LINE, as "code cell <n>, line <k> (<length>)"."""
    nb = nbformat.read(path, as_version=4)
    found = []
    for number, cell in enumerate((c for c in nb.cells if c.cell_type == "code"), start=1):
        for k, line in enumerate(cell.source.splitlines(), start=1):
            if len(line) > MAX_LINE:
                found.append(f"code cell {number}, line {k} ({len(line)} characters): {line.strip()[:60]}")
    return found


def test_long_lines_are_found(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1\n" + "y = " + "1 + " * 30 + "1")])
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    assert long_lines(path) == [f"code cell 1, line 2 ({4 + 4 * 30 + 1} characters): " + ("y = " + "1 + " * 30)[:60]]


# The chapters were written to a 120-character limit; they are being reflowed to MAX_LINE. Strict:
# once a chapter fits, this marker must go (an XPASS fails), so it cannot hide a regression for long.
# Chapters written after the limit (from Chapter 7 on) are held to it from the start.
NOT_YET_REFLOWED = {f"{name}.ipynb" for name in (
    "00_introduction", "01_overfitting", "02_l2_regularization", "03_l1_regularization",
    "04_weight_decay_adamw", "05_conventions", "06_implicit_regularization")}


def _mark_unreflowed(path):
    if path.name in NOT_YET_REFLOWED:
        return pytest.param(path, marks=pytest.mark.xfail(
            strict=True, reason="chapter not yet reflowed to 90 characters (issue 19)"))
    return path


@pytest.mark.parametrize("path", [_mark_unreflowed(p) for p in chapter_notebooks()], ids=lambda p: p.name)
def test_code_lines_fit_the_page(path):
    found = long_lines(path)
    assert not found, f"{path.name}: {len(found)} code lines over {MAX_LINE} characters:\n" + "\n".join(found)
