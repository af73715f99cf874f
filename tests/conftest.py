"""Shared set-up of the test suite.

Kernels started by nbval inherit this process's environment: give them the same
one that ``tools/refresh_notebooks.py`` used to produce the stored outputs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from refresh_notebooks import KERNEL_ENV, default_notebooks  # noqa: E402

os.environ.update(KERNEL_ENV)

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


def chapter_notebooks() -> list[Path]:
    """Every chapter notebook, in file-name order."""
    return default_notebooks()


def toc_files() -> list[str]:
    """Every file listed in _toc.yml (without suffix), root first."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    stack = list(toc.get("chapters", [])) + [e for p in toc.get("parts", []) for e in p.get("chapters", [])]
    while stack:
        entry = stack.pop(0)
        if "file" in entry:
            files.append(entry["file"])
        stack.extend(entry.get("sections", []))
    return files
