"""Loaded by pytest for every run from this repository, however it is started: ``make test``,
``make unit``, ``pytest chapters/02_l2_regularization.ipynb``, a single test file.

It loads ``tests/nbval_portable.py`` (importable through ``pythonpath`` in ``pytest.ini``): every
kernel that nbval starts gets the kernel environment of :mod:`booktools.kernel` (the same as
``make refresh`` and the book build), and glued figures are compared with a tolerance for
rounding-level differences (see that module).
"""

pytest_plugins = ["nbval_portable"]
