"""Shared set-up of the test suite: ``tests/unit/`` (fast: the package and the tools, ``make unit``) and
``tests/book/`` (the chapters, the builds, the browser, the student edition, assignments, grading, the PDF,
what leaves the repository); ``make test`` runs both and nbval on ``chapters/``.

The kernel environment (:mod:`booktools.kernel`) and the tolerant comparison of glued figures come
from ``tests/nbval_portable.py``, loaded by the repository's top-level ``conftest.py`` for every
pytest run, including one that collects only ``chapters/``. The helpers in ``tests/`` (this file's
``ROOT`` and functions, ``book_browser``, ``fresh_env``) are importable from every test module:
``pytest.ini`` puts ``tests/`` on ``pythonpath``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# One hypothesis profile for the whole suite (no per-file settings). Examples are drawn at random
# locally; with CI set they are derandomized (a fixed sequence per test), so a CI run never flakes.
settings.register_profile("dev", max_examples=30, deadline=None, database=None)
settings.register_profile("ci", parent=settings.get_profile("dev"), derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

from booktools import paths
from booktools.kernel import other_machine_env
from booktools.paths import ROOT

# Matplotlib in the test process itself (unit tests of regbook.plotting) needs no screen. Not through
# MPLBACKEND: kernels inherit the environment, and ipykernel only installs its inline backend (which
# gives glued figures their image/png) when MPLBACKEND is unset.
os.environ.pop("MPLBACKEND", None)
import matplotlib  # noqa: E402

matplotlib.use("Agg")


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository root."""
    return ROOT


# The book is built once per test run, from scratch. Every test that needs the built book must live
# in this one module: `make test` distributes test files over workers (pytest-xdist, --dist loadfile),
# and a session fixture is per worker, so a second module would build the book a second time.
BOOK_TEST_MODULE = "test_book_build.py"


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Path:
    """Build the book cold into a temporary folder (as on a reader's fresh machine); return that folder.

    The build executes every chapter and must report no warning (``book build``, :mod:`booktools.build`:
    ``jupyter-book build -W -n --keep-going``). The HTML is in ``<folder>/_build/html``.

    It executes them as another machine would (``booktools.kernel.other_machine_env()``: OpenBLAS's
    Sandybridge kernels and NumPy without AVX-512, on x86-64), while nbval runs them with this
    machine's defaults: the stored outputs are checked on two simulated machines per test run.
    """
    from booktools import build

    output = tmp_path_factory.mktemp("book")
    status = build.build(output, extra_env=other_machine_env())
    assert status == 0, "jupyter-book build -W -n --keep-going reported warnings or errors (see the log above)"
    return output


def pytest_collection_modifyitems(config, items):
    users = sorted({item.path.name for item in items if "built_book" in getattr(item, "fixturenames", ())})
    if users and users != [BOOK_TEST_MODULE]:
        raise pytest.UsageError(
            f"tests in {users} use the built book; keep them all in tests/book/{BOOK_TEST_MODULE} "
            "so that the book is built once per run (see tests/conftest.py)"
        )


def chapter_notebooks() -> list[Path]:
    """Every chapter notebook, in file-name order."""
    return paths.chapter_notebooks()


def toc_files() -> list[str]:
    """Every file listed in _toc.yml (without suffix), root first, in reading order."""
    return paths.toc_files(ROOT)
