"""The guard itself: nbval must fail when a stored number differs from what the code computes.

If the sanitize file ever masked numbers, or nbval ran in lax mode, the notebooks
could show numbers that today's code no longer produces. These tests make that
impossible to miss.
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import sys

import nbformat
import numpy as np
import pytest

from conftest import ROOT, chapter_notebooks

SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"


def sanitizers() -> list[tuple[str, str]]:
    parser = configparser.ConfigParser()
    parser.read(SANITIZE)
    return [(parser[s]["regex"], parser[s]["replace"]) for s in parser.sections()]


def test_sanitizers_leave_numbers_alone():
    samples = ["3.14159", "-0.5", "1e-08", "1234567890", "0.000123", "[ 1.25 -3.5 ]", "deg 15: 0.0910"]
    rules = sanitizers()
    assert rules, "the sanitize file defines no rule"
    for regex, replace in rules:
        for text in samples:
            assert re.sub(regex, replace, text) == text, (regex, text)


def test_sanitizers_do_not_touch_stored_numbers():
    """Apart from object addresses, no stored text output of any chapter is changed by a sanitizer."""
    for path in chapter_notebooks():
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                text = output.get("text") or output.get("data", {}).get("text/plain", "")
                for regex, replace in sanitizers():
                    cleaned = re.sub(regex, replace, text)
                    assert re.sub(r"0xADDRESS", "", cleaned) == re.sub(r"0x[0-9a-fA-F]{6,16}", "", text)


def _tamper(nb) -> str:
    """Change one digit of the first numeric printed output; return the new line."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and re.search(r"\d", output["text"]):
                text = output["text"]
                i = re.search(r"\d", text).start()
                digit = "1" if text[i] != "1" else "2"
                output["text"] = text[:i] + digit + text[i + 1 :]
                return output["text"]
    pytest.skip("no notebook prints a number yet")


@pytest.mark.parametrize("path", chapter_notebooks()[:1], ids=lambda p: p.name)
def test_a_hand_edited_output_fails_the_tests(tmp_path, path):
    nb = nbformat.read(path, as_version=4)
    _tamper(nb)
    copy = tmp_path / path.name
    nbformat.write(nb, copy)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    shutil.copy(SANITIZE, tmp_path / SANITIZE.name)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "--nbval",
         "--nbval-sanitize-with", SANITIZE.name, copy.name],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 1, result.stdout[-3000:]
    assert re.search(r"\b1 failed\b", result.stdout), result.stdout[-3000:]


# --------------------------------------------------------------------------- portability

# Cells whose outputs nbval does not compare (tag ``nbval-ignore-output``), each with the reason. Every
# one of them asserts the claims the text draws from it. Keep this list short.
EXEMPT_CELLS = {
    ("04_weight_decay_adamw.ipynb", "34d562f8"): (
        "the learning-rate x weight-decay table of 384 networks: training with large steps is chaotic, so "
        "its digits differ between CPUs and BLAS kernels (by several points at lr 0.46); the cell asserts "
        "that every stable run learns and that the last row breaks down, the next cell asserts the comparisons"
    ),
    ("04_weight_decay_adamw.ipynb", "6af0e5d0"): (
        "validation errors of 36 networks trained with and without decay of biases and norm gains: their "
        "last digit differs between CPUs; the cell asserts both conclusions the text draws"
    ),
    ("07_weight_decay_modern_networks.ipynb", "ch7-09"): (
        "rotational equilibrium of 4 networks trained for 1024 SGD and AdamW steps: chaotic, so the measured "
        "norms and angles differ between CPUs by about 2 %; the cell asserts the bounds the text quotes"
    ),
    ("07_weight_decay_modern_networks.ipynb", "ch7-10"): (
        "the figure of those trajectories (same reason); the cell asserts that each curve ends near its "
        "predicted level"
    ),
}


def tagged_exempt_cells() -> dict[tuple[str, str], nbformat.NotebookNode]:
    return {
        (path.name, cell.id): cell
        for path in chapter_notebooks()
        for cell in nbformat.read(path, as_version=4).cells
        if "nbval-ignore-output" in cell.get("metadata", {}).get("tags", [])
    }


def test_cells_exempt_from_output_comparison_are_listed_with_a_reason_and_assert_their_claims():
    tagged = tagged_exempt_cells()
    assert set(tagged) == set(EXEMPT_CELLS), "tag nbval-ignore-output only for a cell listed here, with its reason"
    for key, cell in tagged.items():
        assert re.search(r"^\s*assert\b", cell.source, re.M), f"{key}: an exempt cell must assert its claims"
    for path in chapter_notebooks():
        for cell in nbformat.read(path, as_version=4).cells:
            assert "nbval-skip" not in cell.get("metadata", {}).get("tags", []), (path.name, cell.id)


def _figure_png(curve, tmp_path, name) -> bytes:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.5))
    x = np.linspace(0, 3000, 3001)
    ax.semilogy(x, curve(x), color="tab:blue")
    ax.set_xlabel("step")
    path = tmp_path / f"{name}.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path.read_bytes()


def test_glued_figures_tolerate_rounding_but_not_a_changed_curve(tmp_path):
    """The figure comparison: a plotted change far below a pixel passes; a different curve fails."""
    from nbval_portable import figures_match, unmatched_pixels

    rng = np.random.default_rng(0)
    base = lambda x: np.exp(-x / 400) + 1e-14  # noqa: E731
    stored = _figure_png(base, tmp_path, "stored")
    rounding = _figure_png(lambda x: base(x) * (1 + 1e-3 * rng.standard_normal(x.size)), tmp_path, "rounding")
    faster = _figure_png(lambda x: np.exp(-x / 380) + 1e-14, tmp_path, "faster")  # a 5 % faster decay
    assert rounding != stored, "the perturbation must change the PNG's bytes, or the test shows nothing"
    assert figures_match(stored, rounding)
    assert not figures_match(stored, faster), unmatched_pixels(stored, faster)
    assert unmatched_pixels(stored, _figure_png(base, tmp_path, "again")) == 0


def test_nbval_compares_glued_figures_with_the_tolerance(tmp_path):
    """End to end: strict nbval, with the repository's plugin, passes a stored figure that differs only
    by rounding and fails one whose curve changed."""
    from nbclient import NotebookClient

    def notebook(curve: str) -> nbformat.NotebookNode:
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(
            "%matplotlib inline\nimport matplotlib.pyplot as plt\nimport numpy as np\n"
            "from regbook.notebook import glue\n"
            f"x = np.linspace(0, 3, 301)\nfig, ax = plt.subplots(figsize=(4, 3))\nax.plot(x, {curve})\n"
            "glue('fig', fig, display=False)\nplt.close(fig)"
        )]
        NotebookClient(nb, timeout=120, kernel_name="python3").execute()
        return nb

    source = "np.sin(x)"
    executed = {name: notebook(curve) for name, curve in
                [("same", source), ("rounding", "np.sin(x) * (1 + 1e-3 * np.cos(37 * x))"), ("changed", "np.sin(1.1 * x)")]}
    png = lambda nb: nb.cells[0].outputs[0]["data"]["application/papermill.record/image/png"]  # noqa: E731
    assert png(executed["rounding"]) != png(executed["same"])
    for name in ("rounding", "changed"):  # the code of "same", the stored outputs of another run
        nb = executed[name]
        nb.cells[0].source = executed["same"].cells[0].source
        nbformat.write(nb, tmp_path / f"stored_{name}.ipynb")
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "-p", "nbval_portable",
         "--nbval", "stored_rounding.ipynb", "stored_changed.ipynb"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT / "tests")},
    )
    assert re.search(r"\b1 failed, 1 passed\b", result.stdout), result.stdout[-3000:]
    assert "stored_changed.ipynb::Cell 0" in result.stdout and "glued figure 'fig' changed" in result.stdout


def test_a_chapters_only_run_gets_the_kernel_environment():
    """`pytest chapters/<file>.ipynb` loads the top-level conftest.py, hence tests/nbval_portable.py."""
    from booktools.kernel import KERNEL_ENV

    env = {k: v for k, v in os.environ.items() if k not in KERNEL_ENV}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-p", "no:xdist", f"chapters/{chapter_notebooks()[0].name}"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env=env,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    header = next(line for line in result.stdout.splitlines() if line.startswith("kernel environment:"))
    assert header.split(": ", 1)[1].split() == [f"{k}={v}" for k, v in sorted(KERNEL_ENV.items())]


def test_the_simulated_other_machine():
    """The book build's second execution uses another OpenBLAS kernel and NumPy without AVX-512, on x86-64."""
    from booktools.kernel import NUMPY_AVX512_FEATURES, other_machine_env

    assert other_machine_env("arm64", "") == {}
    assert other_machine_env("x86_64", "flags\t: fpu sse2 sse4_2\n") == {}  # no AVX: Sandybridge would crash
    simulated = other_machine_env("x86_64", "flags\t: fpu sse2 avx avx2\n")
    assert simulated == {"OPENBLAS_CORETYPE": "Sandybridge", "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR"}
    from numpy._core._multiarray_umath import __cpu_dispatch__

    assert set(NUMPY_AVX512_FEATURES) <= set(__cpu_dispatch__), "names NumPy would not recognize"
