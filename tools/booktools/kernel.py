"""The kernel environment and notebook execution, written once for every caller.

Every kernel that executes a notebook gets :data:`KERNEL_ENV`: ``book refresh``, nbval (through
``tests/nbval_portable.py``), the book build and ``book assignments``. :func:`execute` runs one
notebook in a fresh kernel; :func:`execute_into_cache` runs the book's uncached notebooks in
parallel and stores them in the build's jupyter-cache, as myst-nb would.

The module imports nothing heavy at import time (nbformat, nbclient and jupyter-cache cost about
two seconds): the no-change ``book build`` and every pytest process import it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

# One BLAS/OpenMP thread (results independent of the machine's core count and of thread
# scheduling) and a fixed hash seed (set and dict-of-str iteration order).
KERNEL_ENV = {"PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

# The machine the test suite's book build simulates (see ``other_machine_env``): another OpenBLAS
# kernel and NumPy without its AVX-512 code paths. The feature names are those of the pinned NumPy
# (``numpy.show_runtime()`` lists them; tests/book/test_nbval_guard.py checks they are dispatch targets).
OTHER_MACHINE_CORETYPE = "Sandybridge"
NUMPY_AVX512_FEATURES = ("X86_V4", "AVX512_ICL", "AVX512_SPR")


def other_machine_env(machine: str | None = None, cpuinfo: str | None = None) -> dict[str, str]:
    """Environment that makes this machine compute like another one, for a second execution of the chapters.

    On x86-64 Linux with AVX (every x86 CPU since 2011): OpenBLAS's Sandybridge kernels instead of the
    ones it picks for this CPU, and NumPy's AVX-512 paths disabled. Elsewhere (Apple silicon, no
    ``/proc/cpuinfo``) forcing an x86 kernel would mean nothing: empty. Both variables only select among
    code paths the CPU can run, so results stay correct; only their rounding changes.
    """
    import platform

    machine = machine if machine is not None else platform.machine()
    if machine.lower() not in ("x86_64", "amd64"):
        return {}
    if cpuinfo is None:
        try:
            with open("/proc/cpuinfo", encoding="utf-8") as handle:
                cpuinfo = handle.read()
        except OSError:
            return {}
    flags = next((line.split(":", 1)[1].split() for line in cpuinfo.splitlines() if line.startswith("flags")), [])
    if "avx" not in flags:
        return {}
    return {"OPENBLAS_CORETYPE": OTHER_MACHINE_CORETYPE, "NPY_DISABLE_CPU_FEATURES": " ".join(NUMPY_AVX512_FEATURES)}


def execute(nb, folder: Path, *, timeout: int = 600, env: dict[str, str] | None = None) -> float:
    """Execute the notebook ``nb`` (an ``nbformat.NotebookNode``) in place; return the seconds it took.

    A fresh ``python3`` kernel runs in ``folder`` with :data:`KERNEL_ENV` plus ``env``, ``timeout``
    seconds allowed per cell, no error allowed, no timing recorded in the cells.

    Raises
    ------
    nbclient.exceptions.CellExecutionError
        If a cell fails (other nbclient errors for a timeout or a dead kernel).
    """
    from nbclient import NotebookClient

    os.environ.update({**KERNEL_ENV, **(env or {})})
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=False, record_timing=False,
                            resources={"metadata": {"path": str(folder)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def _execute_file(path: str, env: dict[str, str], timeout: int):
    """Worker of :func:`execute_into_cache`: (path, executed notebook, seconds, error text or None)."""
    import traceback

    import nbformat

    notebook = nbformat.read(path, as_version=4)
    try:
        seconds = execute(notebook, Path(path).parent, timeout=timeout, env=env)
    except Exception:  # a failing cell, a timeout, a dead kernel: reported, not cached
        return path, notebook, 0.0, traceback.format_exc()
    return path, notebook, seconds, None


def execute_into_cache(notebooks: list[Path], cache_dir: Path, *, timeout: int, env: dict[str, str] | None = None,
                       jobs: int = 2, times_file: Path | None = None, root: Path | None = None) -> list[str]:
    """Execute the ``notebooks`` that the jupyter-cache in ``cache_dir`` lacks, ``jobs`` at a time.

    Each is executed by :func:`execute` in a fresh interpreter and stored in the cache the way
    myst-nb stores it, so that jupyter-book (``execute_notebooks: cache``) only renders it. The
    longest run first, by the seconds recorded in ``times_file`` by earlier runs (unknown ones
    first), so the pool does not end with one long notebook running alone. Returns the notebooks
    that failed (left out of the cache: jupyter-book executes them again and reports the failure).
    """
    import concurrent.futures
    import json
    import multiprocessing

    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(cache_dir))
    missing = []
    for path in notebooks:
        try:
            cache.match_cache_notebook(nbformat.read(path, as_version=4))
        except KeyError:
            missing.append(str(path))
    if not missing:
        return []
    try:
        times = json.loads(times_file.read_text()) if times_file else {}
    except (OSError, ValueError):
        times = {}
    key = {path: str(Path(path).relative_to(root)) if root else path for path in missing}
    missing.sort(key=lambda path: -float(times.get(key[path], float("inf"))))
    failed = []
    context = multiprocessing.get_context("spawn")  # fresh interpreters: no state shared with this one
    with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, min(jobs, len(missing))),
                                                mp_context=context) as pool:
        futures = [pool.submit(_execute_file, path, env or {}, timeout) for path in missing]
        for future in concurrent.futures.as_completed(futures):
            path, notebook, seconds, error = future.result()
            if error is not None:
                failed.append(path)
                print(f"pre-execution of {key[path]} failed; jupyter-book will execute it again and report it")
                continue
            cache.cache_notebook_bundle(CacheBundleIn(notebook, path, data={"execution_seconds": seconds}),
                                        check_validity=False, overwrite=True)
            print(f"executed {key[path]} in {seconds:.1f} s")
            times[key[path]] = round(seconds, 1)
    if times_file is not None:
        times_file.parent.mkdir(parents=True, exist_ok=True)
        times_file.write_text(json.dumps(times, indent=1, sort_keys=True) + "\n")
    return failed
