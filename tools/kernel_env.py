"""The environment of every kernel that executes a chapter: refresh, nbval and the book build.

A module of its own, with no imports, so that ``tools/build_book.py`` can use it without
importing nbformat and nbclient (about two seconds of start-up that a no-change rebuild
would otherwise pay).
"""

from __future__ import annotations

# One BLAS/OpenMP thread (results independent of the machine's core count and of thread
# scheduling) and a fixed hash seed (set and dict-of-str iteration order).
KERNEL_ENV = {"PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
