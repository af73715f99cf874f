"""Every benchmark still runs and still agrees with its reference (quick mode; nothing is timed)."""

from __future__ import annotations

import importlib

import pytest

# benchmarks/ is on pytest's pythonpath (pytest.ini), as it is on sys.path when benchmarks/run.py runs.
import harness
import run as bench_run


def test_median_time_and_table():
    calls = []
    t = harness.median_time(lambda: calls.append(1), repeat=3, warmup=2)
    assert len(calls) == 5 and t >= 0.0
    with pytest.raises(ValueError):
        harness.median_time(lambda: None, repeat=0)
    rows = [
        harness.Result("a", ours=0.5, reference=2.0, reference_name="ref", max_abs_diff=1e-12, tolerance=1e-8,
                       target=">= 2x", met=True),
        harness.Result("b", ours=2e-5),
    ]
    assert rows[0].speedup == 4.0 and rows[1].speedup is None
    text = harness.table(rows).splitlines()
    assert len(text) == 4 and all(line.count("|") == text[0].count("|") for line in text)
    assert "4.0x" in text[2] and "500.00 ms" in text[2] and "20.0 us" in text[3]


@pytest.mark.parametrize("name", bench_run.modules())
def test_benchmark_agrees_with_its_reference(name):
    results = importlib.import_module(name).run(quick=True)
    assert results
    for r in results:
        assert r.ours > 0.0
        if r.max_abs_diff is not None:
            assert r.tolerance is not None, r.figure
            assert r.max_abs_diff <= r.tolerance, r
