"""The tools that execute notebooks: ``book refresh`` and the book build's parallel execution into the cache.

Every test here starts Jupyter kernels (seconds each), so they live with the book-level tests; the rest of
the tools' tests are in ``tests/unit/test_tools.py``.
"""

from __future__ import annotations

import nbformat
import pytest

from booktools import build as build_book
from booktools import cli


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in sources]
    nbformat.write(nb, path)
    return path


def test_refresh_executes_and_numbers_cells(tmp_path):
    path = _notebook(tmp_path / "ok.ipynb", "x = 6 * 7", "print(x)", "x + 1")
    assert cli.main(["refresh", str(path)]) == 0
    nb = nbformat.read(path, as_version=4)
    assert [c.execution_count for c in nb.cells] == [1, 2, 3]
    assert nb.cells[1].outputs[0]["text"] == "42\n"
    assert nb.cells[2].outputs[0]["data"]["text/plain"] == "43"
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert all("execution" not in c.metadata for c in nb.cells)


def test_refresh_joins_pieces_of_one_stream_but_keeps_the_order_of_outputs(tmp_path):
    path = _notebook(
        tmp_path / "streams.ipynb",
        "print('a', flush=True)\nprint('b', flush=True)\nprint('c')",
        "print('x', flush=True)\ndisplay(7)\nprint('y')",
    )
    assert cli.main(["refresh", str(path)]) == 0
    first, second = nbformat.read(path, as_version=4).cells
    assert [(o["output_type"], o.get("text")) for o in first.outputs] == [("stream", "a\nb\nc\n")]
    assert [o["output_type"] for o in second.outputs] == ["stream", "display_data", "stream"]
    assert [o.get("text") for o in second.outputs] == ["x\n", None, "y\n"]


def test_refresh_leaves_a_failing_notebook_untouched(tmp_path):
    path = _notebook(tmp_path / "bad.ipynb", "print('before')", "1 / 0", "print('after')")
    before = path.read_bytes()
    assert cli.main(["refresh", str(path)]) == 1
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.ipynb"]  # no temporary file left behind


def test_refresh_runs_in_the_notebook_folder(tmp_path):
    (tmp_path / "data.txt").write_text("hello")
    path = _notebook(tmp_path / "cwd.ipynb", "print(open('data.txt').read())")
    assert cli.main(["refresh", str(path)]) == 0
    assert nbformat.read(path, as_version=4).cells[0].outputs[0]["text"] == "hello\n"


def test_kernels_start_without_the_tcp_warning(tmp_path, root):
    """Every kernel of the environment reads tools/ipython_kernel_config.py (installed by `make venv`),
    so a refresh, nbval, the book build and grading print no "[IPKernelApp] WARNING" (issue 19)."""
    import subprocess
    import sys
    from pathlib import Path

    installed = Path(sys.prefix) / "etc" / "ipython" / "ipython_kernel_config.py"
    assert installed.is_file(), "run `make venv`: it installs the kernel configuration into the environment"
    assert installed.read_text() == (root / "tools" / "ipython_kernel_config.py").read_text()
    path = _notebook(tmp_path / "quiet.ipynb", "print('ok')")
    run = subprocess.run([str(Path(sys.executable).parent / "book"), "refresh", str(path)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "IPKernelApp" not in run.stderr and "without encryption" not in run.stderr, run.stderr


def test_notebooks_are_executed_in_parallel_into_the_cache_jupyter_book_reads(tmp_path):
    """The build's pre-execution: every notebook of the table of contents, in the kernel environment plus
    extra_env, stored so that jupyter-cache matches it (what myst-nb's cache mode looks up); a failing
    notebook is left out of the cache, for jupyter-book to execute and report."""
    import nbformat
    from jupyter_cache import get_cache

    root = tmp_path / "book"
    (root / "chapters").mkdir(parents=True)
    (root / "_toc.yml").write_text("format: jb-book\nroot: chapters/a\nchapters:\n  - file: chapters/b\n  - file: chapters/c\n")
    (root / "_config.yml").write_text("execute:\n  execute_notebooks: cache\n  timeout: 60\n")
    sources = {"a": "import os; print(os.environ['PYTHONHASHSEED'], os.environ['REGBOOK_TEST_VAR'])",
               "b": "print(6 * 7)", "c": "raise RuntimeError('broken chapter')"}
    for name, source in sources.items():
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, root / "chapters" / f"{name}.ipynb")
    build_dir = tmp_path / "out" / "_build"
    env = {**build_book.KERNEL_ENV, "REGBOOK_TEST_VAR": "simulated machine"}
    failed = build_book.execute_in_parallel(root, build_dir, env, jobs=2)
    assert failed == [str(root / "chapters" / "c.ipynb")]
    cache = get_cache(str(build_dir / ".jupyter_cache"))
    outputs = {}
    for name in ("a", "b"):
        record = cache.match_cache_notebook(nbformat.read(root / "chapters" / f"{name}.ipynb", as_version=4))
        outputs[name] = cache.get_cache_bundle(record.pk).nb.cells[0].outputs[0]["text"]
    assert outputs == {"a": "0 simulated machine\n", "b": "42\n"}
    with pytest.raises(KeyError):
        cache.match_cache_notebook(nbformat.read(root / "chapters" / "c.ipynb", as_version=4))
    assert build_book.execute_in_parallel(root, build_dir, env, jobs=2) == [str(root / "chapters" / "c.ipynb")]
