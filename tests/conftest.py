"""Shared set-up of the test suite.

The kernel environment (``tools/kernel_env.py``) and the tolerant comparison of glued figures come
from ``tests/nbval_portable.py``, loaded by the repository's top-level ``conftest.py`` for every
pytest run, including one that collects only ``chapters/``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# One hypothesis profile for the whole suite (no per-file settings). Examples are drawn at random
# locally; with CI set they are derandomized (a fixed sequence per test), so a CI run never flakes.
settings.register_profile("dev", max_examples=30, deadline=None, database=None)
settings.register_profile("ci", parent=settings.get_profile("dev"), derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import book_toc  # noqa: E402
from kernel_env import other_machine_env  # noqa: E402
from refresh_notebooks import default_notebooks  # noqa: E402

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

    The build executes every chapter and must report no warning (``tools/build_book.py``:
    ``jupyter-book build -W -n --keep-going``). The HTML is in ``<folder>/_build/html``.

    It executes them as another machine would (``kernel_env.other_machine_env()``: OpenBLAS's
    Sandybridge kernels and NumPy without AVX-512, on x86-64), while nbval runs them with this
    machine's defaults: the stored outputs are checked on two simulated machines per test run.
    """
    import build_book

    output = tmp_path_factory.mktemp("book")
    status = build_book.build(output, extra_env=other_machine_env())
    assert status == 0, "jupyter-book build -W -n --keep-going reported warnings or errors (see the log above)"
    return output


def pytest_collection_modifyitems(config, items):
    users = sorted({item.path.name for item in items if "built_book" in getattr(item, "fixturenames", ())})
    if users and users != [BOOK_TEST_MODULE]:
        raise pytest.UsageError(
            f"tests in {users} use the built book; keep them all in tests/{BOOK_TEST_MODULE} "
            "so that the book is built once per run (see tests/conftest.py)"
        )


def chapter_notebooks() -> list[Path]:
    """Every chapter notebook, in file-name order."""
    return default_notebooks()


def toc_files() -> list[str]:
    """Every file listed in _toc.yml (without suffix), root first, in reading order."""
    return book_toc.toc_files(ROOT)
