"""Loaded by pytest for every run from this repository, however it is started: ``make test``,
``pytest chapters/02_l2_regularization.ipynb``, a single test file.

It loads ``tests/nbval_portable.py``: every kernel that nbval starts gets the kernel environment of
``tools/kernel_env.py`` (the same as ``make refresh`` and the book build), and glued figures are
compared with a tolerance for rounding-level differences (see that module).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "tests"))

pytest_plugins = ["nbval_portable"]
