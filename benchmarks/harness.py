"""The benchmark harness: time our code and a reference side by side, in one run, and tabulate.

Each ``benchmarks/bench_*.py`` module defines ``run(*, quick: bool = False) -> list[Result]``.
``python benchmarks/run.py`` (``make bench``) runs them all and prints one table; ``quick=True``
runs the same code on small inputs, so that the test suite can check that every benchmark still
works and still agrees with its reference (``tests/unit/test_benchmarks.py``), without timing anything.

Speed targets are read off this table on a given machine; no test ever fails on a time.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    """One row of the benchmark table.

    Attributes
    ----------
    figure : str
        What was measured (e.g. ``"ridge path, 100 lambdas, n=2000, p=200"``).
    ours : float
        Median wall time of our implementation, in seconds.
    reference : float or None
        Median wall time of the reference on the same input, in seconds (None: no reference).
    reference_name : str
        What the reference is (e.g. ``"sklearn Ridge x 100"``).
    max_abs_diff : float or None
        Largest absolute difference between our result and the reference's.
    tolerance : float or None
        The largest ``max_abs_diff`` that counts as "equal accuracy"; the test suite runs every
        benchmark in quick mode and asserts ``max_abs_diff <= tolerance``.
    target : str
        The target the issue sets, in words (e.g. ``">= 5x faster"``).
    met : bool or None
        Whether the target is met by this run (None where it cannot be judged).
    """

    figure: str
    ours: float
    reference: float | None = None
    reference_name: str = ""
    max_abs_diff: float | None = None
    tolerance: float | None = None
    target: str = ""
    met: bool | None = None

    @property
    def speedup(self) -> float | None:
        """``reference / ours``: how many times faster ours is (below 1: slower)."""
        if self.reference is None:
            return None
        return self.reference / self.ours


def median_time(fn: Callable[[], object], *, repeat: int = 5, warmup: int = 1) -> float:
    """Median wall time of ``fn()`` over ``repeat`` calls, after ``warmup`` untimed calls (seconds)."""
    if repeat < 1 or warmup < 0:
        raise ValueError("repeat must be >= 1 and warmup >= 0")
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def format_seconds(seconds: float | None) -> str:
    """A time with a unit that keeps three significant digits readable."""
    if seconds is None:
        return "-"
    if seconds >= 1.0:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} us"


def table(results: list[Result]) -> str:
    """The results as a Markdown table (paste it into the README)."""
    header = "| figure | ours | reference | time | ratio (ref/ours) | max abs diff | target | met |"
    lines = [header, "| --- " * (header.count("|") - 1) + "|"]
    for r in results:
        ratio = "-" if r.speedup is None else f"{r.speedup:.1f}x"
        diff = "-" if r.max_abs_diff is None else f"{r.max_abs_diff:.1e}"
        met = "-" if r.met is None else ("yes" if r.met else "**no**")
        lines.append(
            f"| {r.figure} | {format_seconds(r.ours)} | {r.reference_name or '-'} | "
            f"{format_seconds(r.reference)} | {ratio} | {diff} | {r.target or '-'} | {met} |"
        )
    return "\n".join(lines)
