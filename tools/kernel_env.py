"""The environment of every kernel that executes a chapter: refresh, nbval and the book build.

A module of its own, with no imports, so that ``tools/build_book.py`` can use it without
importing nbformat and nbclient (about two seconds of start-up that a no-change rebuild
would otherwise pay).
"""

from __future__ import annotations

# One BLAS/OpenMP thread (results independent of the machine's core count and of thread
# scheduling) and a fixed hash seed (set and dict-of-str iteration order).
KERNEL_ENV = {"PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

# The machine the test suite's book build simulates (see ``other_machine_env``): another OpenBLAS
# kernel and NumPy without its AVX-512 code paths. The feature names are those of the pinned NumPy
# (``numpy.show_runtime()`` lists them; tests/test_nbval_guard.py checks they are dispatch targets).
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
